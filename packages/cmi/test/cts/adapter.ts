/**
 * Connects the CTS runner to `createScorm2004Api` from the package source. Kept apart from the
 * runner so that the runner does not depend on the package's option names.
 */
import type { CmiState, Scorm2004Api, Scorm2004ApiOptions } from '../../src/index.js';
import type { CtsApiFactory, CtsLaunchRequest, CtsSession } from './run.js';

export type CtsAdapter =
  | { missing: string; factory?: undefined }
  | { missing?: undefined; factory: CtsApiFactory };

type CreateApi = (options?: Scorm2004ApiOptions) => Scorm2004Api;

/** Loads the package and builds the adapter, or says what is missing. */
export async function ctsAdapter(strict = false): Promise<CtsAdapter> {
  const mod: Record<string, unknown> = await import('../../src/index.js');
  const create = mod.createScorm2004Api;
  if (typeof create !== 'function') {
    return { missing: 'createScorm2004Api is not exported by @scormflow/cmi yet' };
  }
  return { factory: (request) => launch(create as CreateApi, request, strict) };
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number(s);
}

function launch(create: CreateApi, r: CtsLaunchRequest, strict: boolean): CtsSession {
  const a = r.activity;
  const api = create({
    strict,
    launch: {
      learnerId: r.learnerId,
      learnerName: r.learnerName,
      launchData: a.launchData,
      scaledPassingScore: num(a.scaledPassingScore),
      maxTimeAllowed: a.maxTimeAllowed,
      timeLimitAction: a.timeLimitAction,
      completionThreshold: num(a.completionThreshold),
      objectives: r.objectives.map((o) => ({
        id: o.id,
        ...(o.successStatus === undefined ? {} : { successStatus: o.successStatus }),
        ...(o.scaled === undefined ? {} : { scaled: Number(o.scaled) }),
      })),
      sharedData: r.sharedData.map((s) => ({
        id: s.id,
        readSharedData: s.readSharedData,
        writeSharedData: s.writeSharedData,
        ...(s.store === undefined ? {} : { store: s.store }),
      })),
      resume: r.resume as CmiState | undefined,
    },
  });
  return {
    api,
    end() {
      const state = api.getState();
      const v = state.values;
      return {
        state,
        exit: v['cmi.exit'] ?? '',
        navRequest: v['adl.nav.request'] ?? '',
        stores: r.sharedData.map((_s, i) => v[`adl.data.${i}.store`]),
        objectives: objectivesOf(v),
      };
    },
  };
}

/** cmi.objectives.n values of a state, by objective id. */
function objectivesOf(
  v: Readonly<Record<string, string>>,
): Record<string, { successStatus?: string; scaled?: string }> {
  const out: Record<string, { successStatus?: string; scaled?: string }> = {};
  for (let i = 0; v[`cmi.objectives.${i}.id`] !== undefined; i++) {
    const id = v[`cmi.objectives.${i}.id`] as string;
    const o: { successStatus?: string; scaled?: string } = {};
    const ss = v[`cmi.objectives.${i}.success_status`];
    const sc = v[`cmi.objectives.${i}.score.scaled`];
    if (ss !== undefined) o.successStatus = ss;
    if (sc !== undefined) o.scaled = sc;
    out[id] = o;
  }
  return out;
}
