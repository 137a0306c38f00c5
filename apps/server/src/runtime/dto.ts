import { type CmiState, formatTimeInterval } from '@scormflow/cmi';
import type { Attempt, CourseItem, Interaction, Launch, Learner, Objective, ScoState } from '@scormflow/db';
import { scoProgress } from './sco-summary.js';

/** An attempt as the API returns it. */
export function attemptDto(a: Attempt, learner: Pick<Learner, 'externalId' | 'name'>) {
  return {
    id: a.id,
    courseId: a.courseId,
    courseVersion: a.courseVersion,
    learner: { id: learner.externalId, name: learner.name },
    status: a.status,
    completionStatus: a.completionStatus,
    successStatus: a.successStatus,
    score: { scaled: a.scoreScaled, raw: a.scoreRaw },
    totalTime: formatTimeInterval(a.totalTimeCs),
    totalTimeSeconds: a.totalTimeCs / 100,
    currentItem: a.currentItem,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    finishedAt: a.finishedAt?.toISOString() ?? null,
  };
}

/** The run-time state of one SCO of an attempt (a SCO never launched has `launched: false`). */
export function scoRuntimeDto(item: CourseItem, stored: ScoState | undefined) {
  const state = stored?.state as CmiState | undefined;
  const v = state?.values ?? {};
  const v12 = state?.version === '1.2';
  const p = state ? scoProgress(state) : null;
  return {
    identifier: item.identifier,
    title: item.title,
    launched: stored !== undefined,
    seq: stored?.seq ?? 0,
    running: state !== undefined && !state.terminated,
    completionStatus: p?.completionStatus ?? 'not attempted',
    successStatus: p?.successStatus ?? 'unknown',
    score: { scaled: p?.scoreScaled ?? null, raw: p?.scoreRaw ?? null },
    totalTime: formatTimeInterval(p?.totalTimeCs ?? 0),
    entry: v[v12 ? 'cmi.core.entry' : 'cmi.entry'] ?? null,
    exit: v[v12 ? 'cmi.core.exit' : 'cmi.exit'] ?? null,
    location: v[v12 ? 'cmi.core.lesson_location' : 'cmi.location'] ?? null,
    suspendData: v['cmi.suspend_data'] ?? null,
    values: { ...v },
  };
}

export function objectiveDto(o: Objective) {
  return {
    item: o.itemIdentifier,
    id: o.objectiveId,
    successStatus: o.successStatus,
    completionStatus: o.completionStatus,
    score: { scaled: o.scoreScaled, raw: o.scoreRaw, min: o.scoreMin, max: o.scoreMax },
    progressMeasure: o.progressMeasure,
    description: o.description,
  };
}

export function interactionDto(i: Interaction) {
  return {
    item: i.itemIdentifier,
    index: i.idx,
    id: i.interactionId,
    type: i.type,
    description: i.description,
    learnerResponse: i.learnerResponse,
    result: i.result,
    latency: i.latency,
    timestamp: i.timestamp,
    weighting: i.weighting,
    correctResponses: i.correctResponses,
    objectiveIds: i.objectiveIds,
  };
}

export function launchDto(l: Launch) {
  return {
    id: l.id,
    item: l.itemIdentifier,
    startedAt: l.startedAt.toISOString(),
    endedAt: l.endedAt?.toISOString() ?? null,
    exit: l.exit,
    statusReached: l.statusReached,
  };
}
