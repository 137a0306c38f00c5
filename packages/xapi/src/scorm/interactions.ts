/**
 * SCORM interaction data to xAPI interaction activities: interaction types, correct response
 * patterns, learner responses and the interaction components they name.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#interaction-activities
 * @see SCORM 2004 4th Edition RTE 4.2.9 (cmi.interactions), SCORM 1.2 RTE 3.4.4
 */
import type { InteractionData } from '@scormflow/cmi';
import { responsePatternProblem } from '../response-patterns.js';
import type { ActivityDefinition, InteractionComponent, InteractionType, LanguageMap } from '../types.js';
import { INTERACTION_TYPES } from '../types.js';

const TYPES: ReadonlySet<string> = new Set(INTERACTION_TYPES);

/** SCORM 1.2 lists: `a,b` or `{a,b}`, to the xAPI `[,]` delimiter. */
function list12(value: string): string[] {
  const v = value.startsWith('{') && value.endsWith('}') ? value.slice(1, -1) : value;
  return v === '' ? [] : v.split(',').map((s) => s.trim());
}

/** A SCORM 1.2 value in the xAPI response format of its interaction type. */
function from12(type: InteractionType, value: string): string {
  switch (type) {
    case 'true-false': {
      const v = value.trim().toLowerCase();
      return v === 't' || v === '1' || v === 'true'
        ? 'true'
        : v === 'f' || v === '0' || v === 'false'
          ? 'false'
          : value;
    }
    case 'choice':
    case 'sequencing':
      return list12(value).join('[,]');
    case 'matching':
    case 'performance':
      return list12(value)
        .map((pair) => pair.replace('.', '[.]'))
        .join('[,]');
    default:
      return value;
  }
}

/** A SCORM 2004 value in the xAPI response format: the delimiters agree; `order_matters` has no xAPI form for performance. */
function from2004(type: InteractionType, value: string): string {
  return type === 'performance' ? value.replace(/^\{order_matters=(?:true|false)\}/, '') : value;
}

/** The value with its leading `{case_matters=..}`, `{order_matters=..}` and `{lang=..}` flags removed. */
function stripFlags(value: string): string {
  return value.replace(/^(?:\{(?:case_matters|order_matters|lang)=[^}]*\})+/, '');
}

/** Distinct non-empty ids as components; SCORM carries no labels for them. */
function components(ids: Iterable<string>): InteractionComponent[] {
  const seen = new Set<string>();
  const out: InteractionComponent[] = [];
  for (const id of ids) {
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    out.push({ id });
  }
  return out;
}

/** The component lists an interaction's patterns and response make known, by type. */
function knownComponents(
  type: InteractionType,
  values: readonly string[],
): Pick<ActivityDefinition, 'choices' | 'scale' | 'source' | 'target' | 'steps'> {
  const items = values.flatMap((v) => stripFlags(v).split('[,]'));
  const pairs = items.map((i) => i.split('[.]'));
  switch (type) {
    case 'choice':
    case 'sequencing': {
      const choices = components(items);
      return choices.length === 0 ? {} : { choices };
    }
    case 'likert': {
      const scale = components(items);
      return scale.length === 0 ? {} : { scale };
    }
    case 'matching': {
      const source = components(pairs.map((p) => p[0] ?? ''));
      const target = components(pairs.map((p) => p[1] ?? ''));
      return {
        ...(source.length === 0 ? {} : { source }),
        ...(target.length === 0 ? {} : { target }),
      };
    }
    case 'performance': {
      const steps = components(pairs.map((p) => p[0] ?? ''));
      return steps.length === 0 ? {} : { steps };
    }
    default:
      return {};
  }
}

/** What an interaction becomes: its activity definition and its learner response in xAPI form. */
export interface MappedInteraction {
  readonly definition: ActivityDefinition;
  readonly response?: string;
}

/**
 * The xAPI activity definition of a SCORM interaction: type `cmi.interaction`, the interaction
 * type, the correct response patterns and learner response converted to xAPI delimiters (SCORM
 * 1.2 `a,b` lists and `a.b` pairs; SCORM 2004 formats already agree but for performance's
 * `order_matters` flag), and the component lists (ids only) that the patterns and the response
 * name. An interaction without a known type, or whose patterns do not fit its type's format, is
 * reported as `other` with its patterns unchanged, so the definition is always valid.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#interaction-activities
 */
export function mapInteraction(
  interaction: InteractionData,
  version: '1.2' | '2004',
  language: string,
): MappedInteraction {
  const scormType = interaction.type;
  let type: InteractionType =
    scormType !== undefined && TYPES.has(scormType) ? (scormType as InteractionType) : 'other';
  const convert = (v: string) => (version === '1.2' ? from12(type, v) : from2004(type, v));
  let patterns = interaction.correctResponses.map(convert);
  let response = interaction.response === undefined ? undefined : convert(interaction.response);
  if (type !== 'other' && patterns.some((p) => responsePatternProblem(type, p) !== null)) {
    type = 'other';
    patterns = [...interaction.correctResponses];
    response = interaction.response;
  }
  const description: LanguageMap | undefined =
    interaction.description === undefined || interaction.description === ''
      ? undefined
      : { [language]: interaction.description };
  const definition: ActivityDefinition = {
    type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
    ...(description === undefined ? {} : { description }),
    interactionType: type,
    ...(patterns.length === 0 ? {} : { correctResponsesPattern: patterns }),
    ...knownComponents(type, response === undefined ? patterns : [...patterns, response]),
  };
  return response === undefined ? { definition } : { definition, response };
}
