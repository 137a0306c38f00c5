/**
 * Plays a decoded CTS test case against a SCORM 2004 API, acting as the LMS around it: one fresh
 * API per activity launch, the manifest's launch data, the suspended state of the activity's
 * previous session, and the adl.data shared stores that earlier SCOs wrote.
 *
 * The API under test is reached through {@link CtsApiFactory}, so this file does not depend on
 * the package's option names; `cts.test.ts` supplies the adapter.
 */
import { type CtsVerdict, judge } from './compare.js';
import { type CtsCommand, type CtsTestCase, resolvePlaceholder } from './decode.js';
import type { ActivityLaunch, PackageLaunch } from './manifest.js';

/** The SCORM 2004 API object (RTE 3.1), as course content sees it. */
export interface Scorm2004ApiLike {
  Initialize(param: string): string;
  Terminate(param: string): string;
  Commit(param: string): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  GetLastError(): string;
  GetErrorString(code: string): string;
  GetDiagnostic(code: string): string;
}

export interface CtsSharedStore {
  id: string;
  readSharedData: boolean;
  writeSharedData: boolean;
  /** Current value; `undefined` when no SCO has written it yet. */
  store: string | undefined;
}

/** An objective's initial values read from global objectives (RTE 4.2.17, SN 3.10 objective maps). */
export interface CtsLaunchObjective {
  id: string;
  successStatus?: 'passed' | 'failed';
  scaled?: string;
}

export interface CtsLaunchRequest {
  activity: ActivityLaunch;
  /** Every objective id of the activity, with what mapped global objectives say about it. */
  objectives: CtsLaunchObjective[];
  learnerId: string;
  learnerName: string;
  sharedData: CtsSharedStore[];
  /** The state the activity's previous session left when it was suspended. */
  resume: unknown;
}

export interface CtsSessionEnd {
  /** Opaque state to hand back as `resume` next time. */
  state: unknown;
  exit: string;
  navRequest: string;
  /** adl.data.n.store values at the end of the session, in launch order (`undefined` = unset). */
  stores: (string | undefined)[];
  /** Final cmi.objectives.n.{success_status, score.scaled} by objective id. */
  objectives: Record<string, { successStatus?: string; scaled?: string }>;
}

export interface CtsSession {
  api: Scorm2004ApiLike;
  /** Called once after the SCO has finished (terminated or not). */
  end(): CtsSessionEnd;
}

export type CtsApiFactory = (request: CtsLaunchRequest) => CtsSession;

export interface CtsStepResult extends CtsVerdict {
  visit: string;
  index: number;
  source: string;
  call: string;
  expected: string;
  expectedErrorCode: string;
  value: string;
  errorCode: string;
}

export interface CtsScriptResult {
  name: string;
  family: string;
  steps: CtsStepResult[];
  passed: number;
  failed: number;
  /** Runner-level observations (missing manifest item, implicit Terminate failing, ...). */
  notes: string[];
}

export interface CtsRunOptions {
  learnerId: string;
  learnerName: string;
}

interface ActivityMemory {
  state: unknown;
  suspended: boolean;
}

/** Finds the manifest activity the script's `ActN` refers to (`?tc=<title>&act=N`). */
export function findActivity(
  packages: readonly PackageLaunch[],
  tc: CtsTestCase,
  act: string,
): { pkg: PackageLaunch; activity: ActivityLaunch } | null {
  for (const pkg of packages) {
    for (const activity of pkg.activities) {
      if ((activity.tc === tc.title || activity.tc === tc.name) && activity.act === act)
        return { pkg, activity };
    }
  }
  return null;
}

function describeCall(cmd: CtsCommand, element: string): string {
  const args = cmd.method === 'SetValue' ? [element, cmd.args[1] ?? ''] : [element];
  const shown = args.map((a) => JSON.stringify(a.length > 60 ? `${a.slice(0, 57)}...` : a));
  return `${cmd.method}(${cmd.method === 'GetLastError' ? '' : shown.join(', ')})`;
}

/** Runs one test case; never throws for API misbehaviour (it becomes a failed step). */
export function runTestCase(
  tc: CtsTestCase,
  packages: readonly PackageLaunch[],
  factory: CtsApiFactory,
  options: CtsRunOptions,
): CtsScriptResult {
  const result: CtsScriptResult = {
    name: tc.name,
    family: tc.family,
    steps: [],
    passed: 0,
    failed: 0,
    notes: [],
  };
  const memory = new Map<string, ActivityMemory>();
  const stores = new Map<string, string>();
  const globals = new Map<string, { satisfied?: 'passed' | 'failed'; measure?: string }>();
  for (const e of tc.errors) result.notes.push(`undecodable: ${e}`);

  for (const visit of tc.visits) {
    const found = findActivity(packages, tc, visit.activity);
    if (found === null) result.notes.push(`${visit.key}: no manifest item with act=${visit.activity}`);
    const activity: ActivityLaunch = found?.activity ?? {
      identifier: `activity_${visit.activity}`,
      title: '',
      act: visit.activity,
      tc: tc.title,
      objectiveIds: [],
      objectiveMaps: [],
      sharedData: [],
    };
    const storeKey = (id: string) =>
      found && !found.pkg.sharedDataGlobalToSystem ? `${found.pkg.identifier}/${id}` : id;
    const shared: CtsSharedStore[] = activity.sharedData.map((m) => ({
      id: m.targetId,
      readSharedData: m.readSharedData,
      writeSharedData: m.writeSharedData,
      store: stores.get(storeKey(m.targetId)),
    }));
    const activityKey = `${found?.pkg.identifier ?? ''}/${activity.identifier}`;
    const previous = memory.get(activityKey);
    if (visit.commands.length === 0) continue;
    const objectives: CtsLaunchObjective[] = activity.objectiveIds.map((id) => {
      const o: CtsLaunchObjective = { id };
      for (const m of activity.objectiveMaps) {
        if (m.objectiveId !== id) continue;
        const g = globals.get(m.targetId);
        if (m.readSatisfiedStatus && g?.satisfied !== undefined) o.successStatus = g.satisfied;
        if (m.readNormalizedMeasure && g?.measure !== undefined) o.scaled = g.measure;
      }
      return o;
    });

    let session: CtsSession;
    try {
      session = factory({
        activity,
        objectives,
        learnerId: options.learnerId,
        learnerName: options.learnerName,
        sharedData: shared,
        resume: previous?.suspended ? previous.state : undefined,
      });
    } catch (e) {
      result.notes.push(`${visit.key}: launch threw ${String(e)}`);
      for (const cmd of visit.commands) {
        result.steps.push(
          step(visit.key, cmd, describeCall(cmd, cmd.args[0] ?? ''), cmd.expectedResult, '', '', {
            ok: false,
            reason: 'launch failed',
          }),
        );
      }
      result.failed += visit.commands.length;
      continue;
    }
    const api = session.api;
    let initialized = false;
    let terminated = false;

    for (const cmd of visit.commands) {
      const expected =
        cmd.expectedLearner === 'learner_id'
          ? options.learnerId
          : cmd.expectedLearner === 'learner_name'
            ? options.learnerName
            : cmd.expectedResult;
      let element = cmd.args[0] ?? '';
      let value = '';
      let errorCode = '';
      let verdict: CtsVerdict;
      try {
        let unresolved: string | undefined;
        let objectiveIds: string[] | undefined;
        const ph =
          cmd.method === 'SetValue' || cmd.method === 'GetValue' ? resolvePlaceholder(element) : null;
        if (ph !== null) {
          const base = ph.collection === 'data' ? 'adl.data' : 'cmi.objectives';
          const index = findIndex(api, base, ph.id);
          if (index === -1) unresolved = ph.id;
          else element = `${ph.prefix}${index}${ph.suffix}`;
        }
        if (cmd.method === 'CompareObjectiveIds') {
          objectiveIds = [];
          const n = Number.parseInt(api.GetValue('cmi.objectives._count'), 10) || 0;
          for (let i = 0; i < n; i++) objectiveIds.push(api.GetValue(`cmi.objectives.${i}.id`));
        } else if (unresolved === undefined) {
          value = call(api, cmd, element);
          errorCode = api.GetLastError();
          if (cmd.method === 'Initialize' && value === 'true') initialized = true;
          if (cmd.method === 'Terminate' && value === 'true') terminated = true;
        }
        const observed = { value, errorCode, ...(unresolved === undefined ? {} : { unresolved }) };
        verdict = judge(cmd, element, expected, objectiveIds ? { ...observed, objectiveIds } : observed);
      } catch (e) {
        verdict = {
          ok: false,
          reason: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
        };
      }
      result.steps.push(
        step(visit.key, cmd, describeCall(cmd, element), expected, value, errorCode, verdict),
      );
      if (verdict.ok) result.passed++;
      else result.failed++;
    }

    // The test SCO always terminates its session after running its commands.
    if (initialized && !terminated) {
      try {
        if (api.Terminate('') !== 'true') {
          result.notes.push(`${visit.key}: closing Terminate("") failed with error ${api.GetLastError()}`);
        }
      } catch (e) {
        result.notes.push(`${visit.key}: closing Terminate("") threw ${String(e)}`);
      }
    }
    try {
      const end = session.end();
      memory.set(activityKey, {
        state: end.state,
        suspended: end.exit === 'suspend' || end.navRequest === 'suspendAll',
      });
      shared.forEach((s, i) => {
        const v = end.stores[i];
        // The reference LMS keeps no empty store: a store set to "" reads as not initialized later.
        if (!s.writeSharedData || v === undefined) return;
        if (v === '') stores.delete(storeKey(s.id));
        else stores.set(storeKey(s.id), v);
      });
      for (const m of activity.objectiveMaps) {
        const o = end.objectives[m.objectiveId];
        if (o === undefined) continue;
        const g = globals.get(m.targetId) ?? {};
        if (m.writeSatisfiedStatus) {
          if (o.successStatus === 'passed' || o.successStatus === 'failed') g.satisfied = o.successStatus;
          else if (o.successStatus === 'unknown') delete g.satisfied;
        }
        if (m.writeNormalizedMeasure && o.scaled !== undefined) g.measure = o.scaled;
        globals.set(m.targetId, g);
      }
      // exitAll / abandonAll (and the deprecated exit "logout") end the course attempt: every
      // activity of the package starts a new attempt, and package-scoped shared data is dropped.
      if (
        found &&
        (end.navRequest === 'exitAll' || end.navRequest === 'abandonAll' || end.exit === 'logout')
      ) {
        for (const a of found.pkg.activities) memory.delete(`${found.pkg.identifier}/${a.identifier}`);
        if (!found.pkg.sharedDataGlobalToSystem) {
          for (const key of [...stores.keys()])
            if (key.startsWith(`${found.pkg.identifier}/`)) stores.delete(key);
        }
      }
    } catch (e) {
      result.notes.push(`${visit.key}: reading the session's end state threw ${String(e)}`);
      memory.delete(activityKey);
    }
  }
  return result;
}

function step(
  visit: string,
  cmd: CtsCommand,
  callText: string,
  expected: string,
  value: string,
  errorCode: string,
  verdict: CtsVerdict,
): CtsStepResult {
  return {
    visit,
    index: cmd.index,
    source: cmd.source.length > 100 ? `${cmd.source.slice(0, 97)}...` : cmd.source,
    call: callText,
    expected,
    expectedErrorCode: cmd.expectedErrorCode,
    value,
    errorCode,
    ...verdict,
  };
}

function call(api: Scorm2004ApiLike, cmd: CtsCommand, element: string): string {
  switch (cmd.method) {
    case 'Initialize':
      return api.Initialize(element);
    case 'Terminate':
      return api.Terminate(element);
    case 'Commit':
      return api.Commit(element);
    case 'GetValue':
      return api.GetValue(element);
    case 'SetValue':
      return api.SetValue(element, cmd.args[1] ?? '');
    case 'GetLastError':
      return api.GetLastError();
    case 'GetErrorString':
      return api.GetErrorString(element);
    case 'GetDiagnostic':
      return api.GetDiagnostic(element);
    default:
      return '';
  }
}

/** The test SCO's `findObjective` / `findData`: the index whose `.id` equals `id`, else -1. */
function findIndex(api: Scorm2004ApiLike, base: string, id: string): number {
  const n = Number.parseInt(api.GetValue(`${base}._count`), 10) || 0;
  for (let i = 0; i < n; i++) if (api.GetValue(`${base}.${i}.id`) === id) return i;
  return -1;
}
