import type { ActivityDefinition, InteractionComponent, LanguageMap } from './types.js';

function mergeMaps(a: LanguageMap | undefined, b: LanguageMap | undefined): LanguageMap | undefined {
  if (a === undefined) return b === undefined ? undefined : { ...b };
  if (b === undefined) return { ...a };
  return { ...a, ...b };
}

function mergeComponents(
  stored: InteractionComponent[] | undefined,
  incoming: InteractionComponent[] | undefined,
): InteractionComponent[] | undefined {
  if (incoming === undefined) return stored?.map((c) => ({ ...c }));
  const byId = new Map((stored ?? []).map((c) => [c.id, c]));
  return incoming.map((c) => {
    const description = mergeMaps(byId.get(c.id)?.description, c.description);
    return description === undefined ? { id: c.id } : { id: c.id, description };
  });
}

/**
 * The canonical definition of an Activity after a statement brings `incoming`: language maps
 * (`name`, `description`, and each interaction component's `description`, matched by id) are
 * merged language by language so that every language ever received is kept and the newest text
 * of a language wins; `type`, `moreInfo`, `interactionType` and `correctResponsesPattern` are
 * replaced when `incoming` has them; a component list in `incoming` replaces the stored list
 * (keeping stored descriptions of the same ids); extensions are merged key by key. Pure: neither
 * argument is modified.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2441-when-the-objecttype-is-activity
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#25-activities-resource
 */
export function mergeActivityDefinition(
  stored: ActivityDefinition | undefined,
  incoming: ActivityDefinition,
): ActivityDefinition {
  const s = stored ?? {};
  const out: ActivityDefinition = {};
  const name = mergeMaps(s.name, incoming.name);
  if (name !== undefined) out.name = name;
  const description = mergeMaps(s.description, incoming.description);
  if (description !== undefined) out.description = description;
  for (const k of ['type', 'moreInfo', 'interactionType'] as const) {
    const v = incoming[k] ?? s[k];
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  const crp = incoming.correctResponsesPattern ?? s.correctResponsesPattern;
  if (crp !== undefined) out.correctResponsesPattern = [...crp];
  for (const k of ['choices', 'scale', 'source', 'target', 'steps'] as const) {
    const list = mergeComponents(s[k], incoming[k]);
    if (list !== undefined) out[k] = list;
  }
  if (s.extensions !== undefined || incoming.extensions !== undefined) {
    out.extensions = { ...s.extensions, ...incoming.extensions };
  }
  return out;
}
