import type { CmiState, LaunchContext, LaunchObjective, SharedDataStore } from '@scormflow/cmi';
import type { Course, CourseItem, Learner, ScoState } from '@scormflow/db';

interface ModelItem {
  identifier?: string;
  children?: ModelItem[];
  data?: { targetID?: string; readSharedData?: boolean; writeSharedData?: boolean }[];
  sequencing?: {
    objectives?: {
      primaryObjective?: ModelObjective | null;
      objectives?: ModelObjective[];
    };
  } | null;
}

interface ModelObjective {
  objectiveID?: string | null;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number;
}

/** The manifest item of `identifier` in the course model stored at import, if it can be found. */
function modelItem(course: Course, identifier: string): ModelItem | null {
  const model = course.model as {
    manifest?: { defaultOrganization?: { items?: ModelItem[] } | null };
  } | null;
  const stack = [...(model?.manifest?.defaultOrganization?.items ?? [])];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.identifier === identifier) return item;
    stack.push(...(item.children ?? []));
  }
  return null;
}

/**
 * The current value of each shared data store in the attempt: the store of the most recently
 * updated SCO state that holds it (a store is shared by every SCO that maps it).
 */
function sharedStoreValues(states: readonly ScoState[]): Map<string, string> {
  const out = new Map<string, string>();
  const ordered = [...states].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  for (const s of ordered) {
    const state = s.state as CmiState;
    const count = state.counts['adl.data'] ?? 0;
    for (let i = 0; i < count; i++) {
      const id = state.values[`adl.data.${i}.id`];
      const store = state.values[`adl.data.${i}.store`];
      if (id !== undefined && store !== undefined) out.set(id, store);
    }
  }
  return out;
}

/**
 * What the LMS knows when it launches a SCO of an attempt: the learner, the item's manifest data
 * (mastery score, data from LMS, time limits, completion threshold), the scaled passing score and
 * objectives of its sequencing, its shared data stores with their current values, and the state
 * its previous session ended with (resume).
 * @see SCORM 2004 4th Ed RTE 4.2 (LMS-initialised elements), CAM 3.4.1.12 (item extensions)
 * @see SCORM 1.2 RTE 3.4 and CAM 2.3.5 (adlcp:masteryscore, datafromlms, maxtimeallowed)
 */
export function launchContextFor(input: {
  course: Course;
  item: CourseItem;
  learner: Learner;
  previous: ScoState | null;
  attemptStates: readonly ScoState[];
}): LaunchContext {
  const { course, item, learner, previous } = input;
  const data = item.data as {
    masteryScore?: number;
    maxTimeAllowed?: string;
    timeLimitAction?: string;
    dataFromLms?: string;
    completionThreshold?: { completedByMeasure?: boolean; minProgressMeasure?: number } | number;
  };
  const ctx: { -readonly [K in keyof LaunchContext]: LaunchContext[K] } = {
    learnerId: learner.externalId,
    learnerName: learner.name ?? '',
    credit: 'credit',
    mode: 'normal',
  };
  if (typeof data.masteryScore === 'number') ctx.masteryScore = data.masteryScore;
  if (typeof data.maxTimeAllowed === 'string') ctx.maxTimeAllowed = data.maxTimeAllowed;
  if (typeof data.timeLimitAction === 'string') ctx.timeLimitAction = data.timeLimitAction;
  if (typeof data.dataFromLms === 'string') ctx.launchData = data.dataFromLms;
  const threshold = data.completionThreshold;
  if (typeof threshold === 'number') ctx.completionThreshold = threshold;
  else if (threshold?.completedByMeasure && typeof threshold.minProgressMeasure === 'number') {
    ctx.completionThreshold = threshold.minProgressMeasure;
  }

  const model = course.scormVersion === '1.2' ? null : modelItem(course, item.identifier);
  const objectives = model?.sequencing?.objectives;
  const primary = objectives?.primaryObjective;
  if (primary?.satisfiedByMeasure && typeof primary.minNormalizedMeasure === 'number') {
    ctx.scaledPassingScore = primary.minNormalizedMeasure;
  }
  const ids: (string | LaunchObjective)[] = [];
  for (const o of [primary, ...(objectives?.objectives ?? [])]) {
    if (o?.objectiveID && !ids.includes(o.objectiveID)) ids.push(o.objectiveID);
  }
  if (ids.length > 0) ctx.objectives = ids;
  if (model?.data && model.data.length > 0) {
    const values = sharedStoreValues(input.attemptStates);
    ctx.sharedData = model.data
      .filter(
        (d): d is { targetID: string; readSharedData?: boolean; writeSharedData?: boolean } =>
          typeof d.targetID === 'string',
      )
      .map((d): SharedDataStore => {
        const store = values.get(d.targetID);
        return {
          id: d.targetID,
          readSharedData: d.readSharedData !== false,
          writeSharedData: d.writeSharedData === true,
          ...(store === undefined ? {} : { store }),
        };
      });
  }
  if (previous) ctx.resume = previous.state as CmiState;
  return ctx;
}
