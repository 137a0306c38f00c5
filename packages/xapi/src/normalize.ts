import type { Activity, ContextActivities, Statement, SubStatement } from './types.js';

function arrays(ca: ContextActivities): ContextActivities {
  const out: ContextActivities = {};
  for (const k of ['parent', 'grouping', 'category', 'other'] as const) {
    const v = ca[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v : [v as Activity];
  }
  return out;
}

function normalizeBody<S extends Statement | SubStatement>(s: S): S {
  let out = s;
  if (s.context?.contextActivities !== undefined) {
    out = { ...out, context: { ...s.context, contextActivities: arrays(s.context.contextActivities) } };
  }
  if (s.object.objectType === 'SubStatement') {
    out = { ...out, object: normalizeBody(s.object) };
  }
  return out;
}

/**
 * The statement as an LRS returns it: every context activity property (of the statement and of a
 * SubStatement object) is an array, even when a single Activity was sent. Nothing else changes,
 * so an LRS can apply it before storing without altering what `format=exact` must return.
 * Pure: the argument is not modified.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2462-contextactivities-property
 */
export function normalizeStatement(statement: Statement): Statement {
  return normalizeBody(statement);
}
