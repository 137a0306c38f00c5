/**
 * The IMS Simple Sequencing definition model as bound in SCORM 2004 (imsss, adlseq), with the
 * default of every absent attribute applied. A sequencing engine consumes `Sequencing`; the parser
 * keeps what the manifest stated explicitly in `SequencingDefinition` so that a
 * `<sequencingCollection>` entry and a referencing `<sequencing IDRef>` can be merged exactly.
 *
 * @see SCORM 2004 4th Edition SN, section 3 (Sequencing Definition Model)
 * @see SCORM 2004 4th Edition CAM, section 5 (SCORM Sequencing Information Model and XML binding)
 * @see IMS Simple Sequencing Information and Behavior Model v1.0, section 5
 */

/** Sequencing control modes. @see SCORM 2004 4th Ed SN 3.2 */
export interface ControlMode {
  readonly choice: boolean;
  readonly choiceExit: boolean;
  readonly flow: boolean;
  readonly forwardOnly: boolean;
  readonly useCurrentAttemptObjectiveInfo: boolean;
  readonly useCurrentAttemptProgressInfo: boolean;
  /** The control modes the manifest stated explicitly (everything else is the spec default). */
  readonly explicit: readonly ControlModeFlag[];
}

export type ControlModeFlag = Exclude<keyof ControlMode, 'explicit'>;

/** The control mode attributes, in the order of the binding. @see SCORM 2004 4th Ed CAM 5.1.1.1 */
export const CONTROL_MODE_FLAGS = [
  'choice',
  'choiceExit',
  'flow',
  'forwardOnly',
  'useCurrentAttemptObjectiveInfo',
  'useCurrentAttemptProgressInfo',
] as const satisfies readonly ControlModeFlag[];

/** Conditions usable in sequencing rules. @see SCORM 2004 4th Ed SN 3.4.2, Table 3.4.2a */
export const SEQUENCING_RULE_CONDITIONS = [
  'satisfied',
  'objectiveStatusKnown',
  'objectiveMeasureKnown',
  'objectiveMeasureGreaterThan',
  'objectiveMeasureLessThan',
  'completed',
  'activityProgressKnown',
  'attempted',
  'attemptLimitExceeded',
  'timeLimitExceeded',
  'outsideAvailableTimeRange',
  'always',
] as const;
export type SequencingRuleCondition = (typeof SEQUENCING_RULE_CONDITIONS)[number];

/** @see SCORM 2004 4th Ed SN 3.4.3, Table 3.4.3a */
export const PRE_CONDITION_ACTIONS = [
  'skip',
  'disabled',
  'hiddenFromChoice',
  'stopForwardTraversal',
] as const;
export const EXIT_CONDITION_ACTIONS = ['exit'] as const;
export const POST_CONDITION_ACTIONS = [
  'exitParent',
  'exitAll',
  'retry',
  'retryAll',
  'continue',
  'previous',
] as const;
export type PreConditionAction = (typeof PRE_CONDITION_ACTIONS)[number];
export type ExitConditionAction = (typeof EXIT_CONDITION_ACTIONS)[number];
export type PostConditionAction = (typeof POST_CONDITION_ACTIONS)[number];

export type ConditionOperator = 'noOp' | 'not';
export type ConditionCombination = 'all' | 'any';

/** One rule condition. @see SCORM 2004 4th Ed CAM 5.1.1.2.1.1 (ruleCondition) */
export interface RuleCondition {
  /** An objectiveID of the same activity; null means the primary objective. */
  readonly referencedObjective: string | null;
  /** Default 0.0; used by objectiveMeasureGreaterThan / LessThan. */
  readonly measureThreshold: number;
  /** Default `noOp`. */
  readonly operator: ConditionOperator;
  readonly condition: SequencingRuleCondition;
}

/** A pre-, exit- or post-condition rule. @see SCORM 2004 4th Ed SN 3.4 */
export interface SequencingRule<A extends string> {
  /** Default `all`. */
  readonly conditionCombination: ConditionCombination;
  readonly conditions: readonly RuleCondition[];
  readonly action: A;
}

export interface SequencingRules {
  readonly preConditionRules: readonly SequencingRule<PreConditionAction>[];
  readonly exitConditionRules: readonly SequencingRule<ExitConditionAction>[];
  readonly postConditionRules: readonly SequencingRule<PostConditionAction>[];
}

/** @see SCORM 2004 4th Ed SN 3.5 (Limit Conditions) */
export interface LimitConditions {
  /** Null when absent: no limit on attempts. */
  readonly attemptLimit: number | null;
  /** An ISO 8601 duration (`PT1H`), null when absent. */
  readonly attemptAbsoluteDurationLimit: string | null;
  /**
   * The IMS SS limits SCORM does not require an LMS to enforce (SN 3.5: "optional"), kept so that
   * nothing the manifest states is lost. Durations are ISO 8601, time limits `xs:dateTime`.
   */
  readonly attemptExperiencedDurationLimit: string | null;
  readonly activityAbsoluteDurationLimit: string | null;
  readonly activityExperiencedDurationLimit: string | null;
  readonly beginTimeLimit: string | null;
  readonly endTimeLimit: string | null;
}

/** @see SCORM 2004 4th Ed CAM 5.1.1.4 (auxiliaryResource) */
export interface AuxiliaryResource {
  readonly auxiliaryResourceID: string;
  readonly purpose: string;
}

/** @see SCORM 2004 4th Ed SN 3.6.2, Table 3.6.2a */
export const ROLLUP_RULE_CONDITIONS = [
  'satisfied',
  'objectiveStatusKnown',
  'objectiveMeasureKnown',
  'completed',
  'activityProgressKnown',
  'attempted',
  'attemptLimitExceeded',
  'timeLimitExceeded',
  'outsideAvailableTimeRange',
] as const;
export type RollupRuleCondition = (typeof ROLLUP_RULE_CONDITIONS)[number];
/** @see SCORM 2004 4th Ed SN 3.6.3 (Rollup Actions) */
export const ROLLUP_ACTIONS = ['satisfied', 'notSatisfied', 'completed', 'incomplete'] as const;
export type RollupAction = (typeof ROLLUP_ACTIONS)[number];
/** @see SCORM 2004 4th Ed SN 3.6.1 (Rollup Child Activity Set) */
export const CHILD_ACTIVITY_SETS = ['all', 'any', 'none', 'atLeastCount', 'atLeastPercent'] as const;
export type ChildActivitySet = (typeof CHILD_ACTIVITY_SETS)[number];

export interface RollupCondition {
  /** Default `noOp`. */
  readonly operator: ConditionOperator;
  readonly condition: RollupRuleCondition;
}

/** @see SCORM 2004 4th Ed SN 3.6 (Rollup Rules) */
export interface RollupRule {
  /** Default `all`. */
  readonly childActivitySet: ChildActivitySet;
  /** Default 0. */
  readonly minimumCount: number;
  /** Default 0.0 (a fraction 0..1). */
  readonly minimumPercent: number;
  /** Default `any` (the rollupConditions default differs from ruleConditions). */
  readonly conditionCombination: ConditionCombination;
  readonly conditions: readonly RollupCondition[];
  readonly action: RollupAction;
}

export interface RollupRules {
  /** Default true. */
  readonly rollupObjectiveSatisfied: boolean;
  /** Default true. */
  readonly rollupProgressCompletion: boolean;
  /** Default 1.0. */
  readonly objectiveMeasureWeight: number;
  readonly rules: readonly RollupRule[];
}

/** An imsss mapInfo. @see SCORM 2004 4th Ed CAM 5.1.1.6.1.2 */
export interface ObjectiveMapInfo {
  readonly targetObjectiveID: string;
  /** Default true. */
  readonly readSatisfiedStatus: boolean;
  /** Default true. */
  readonly readNormalizedMeasure: boolean;
  /** Default false. */
  readonly writeSatisfiedStatus: boolean;
  /** Default false. */
  readonly writeNormalizedMeasure: boolean;
}

/** An adlseq:objectives mapInfo (SCORM 2004 4th Edition). @see SCORM 2004 4th Ed CAM 5.1.1.6.2 */
export interface AdlObjectiveMapInfo {
  readonly targetObjectiveID: string;
  /** Reads default true, writes default false. */
  readonly readRawScore: boolean;
  readonly readMinScore: boolean;
  readonly readMaxScore: boolean;
  readonly readCompletionStatus: boolean;
  readonly readProgressMeasure: boolean;
  readonly writeRawScore: boolean;
  readonly writeMinScore: boolean;
  readonly writeMaxScore: boolean;
  readonly writeCompletionStatus: boolean;
  readonly writeProgressMeasure: boolean;
}

/** @see SCORM 2004 4th Ed SN 3.9 (Objective Description) */
export interface Objective {
  /** Required on every objective but the primary one, where it may be absent. */
  readonly objectiveID: string | null;
  /** Default false. */
  readonly satisfiedByMeasure: boolean;
  /** Default 1.0. */
  readonly minNormalizedMeasure: number;
  readonly mapInfo: readonly ObjectiveMapInfo[];
  /** From the matching `adlseq:objective` (same objectiveID), if any. */
  readonly adlMapInfo: readonly AdlObjectiveMapInfo[];
}

export interface Objectives {
  /** Null when the activity declares no objectives (the engine then creates an implicit one). */
  readonly primaryObjective: Objective | null;
  readonly objectives: readonly Objective[];
}

export type RandomizationTiming = 'never' | 'once' | 'onEachNewAttempt';

/** @see SCORM 2004 4th Ed SN 3.10 (Selection and Randomization) */
export interface RandomizationControls {
  /** Default `never`. */
  readonly randomizationTiming: RandomizationTiming;
  /** Null when absent: select all children. */
  readonly selectCount: number | null;
  /** Default false. */
  readonly reorderChildren: boolean;
  /** Default `never`. */
  readonly selectionTiming: RandomizationTiming;
}

/** @see SCORM 2004 4th Ed SN 3.11 (Delivery Controls) */
export interface DeliveryControls {
  /** Default true. */
  readonly tracked: boolean;
  /** Default false. */
  readonly completionSetByContent: boolean;
  /** Default false. */
  readonly objectiveSetByContent: boolean;
}

/** @see SCORM 2004 4th Ed CAM 5.1.1.10 (adlseq:constrainedChoiceConsiderations) */
export interface ConstrainedChoiceConsiderations {
  /** Default false. */
  readonly preventActivation: boolean;
  /** Default false. */
  readonly constrainChoice: boolean;
}

export type RollupConsideration = 'always' | 'ifAttempted' | 'ifNotSkipped' | 'ifNotSuspended';

/** @see SCORM 2004 4th Ed CAM 5.1.1.11 (adlseq:rollupConsiderations) */
export interface RollupConsiderations {
  /** Each default `always`. */
  readonly requiredForSatisfied: RollupConsideration;
  readonly requiredForNotSatisfied: RollupConsideration;
  readonly requiredForCompleted: RollupConsideration;
  readonly requiredForIncomplete: RollupConsideration;
  /** Default true. */
  readonly measureSatisfactionIfActive: boolean;
}

/** The complete, resolved sequencing definition of one activity. */
export interface Sequencing {
  /** The collection entry this was merged with (`IDRef`), if any. */
  readonly idRef: string | null;
  readonly controlMode: ControlMode;
  readonly sequencingRules: SequencingRules;
  readonly limitConditions: LimitConditions;
  readonly auxiliaryResources: readonly AuxiliaryResource[];
  readonly rollupRules: RollupRules;
  readonly objectives: Objectives;
  readonly randomizationControls: RandomizationControls;
  readonly deliveryControls: DeliveryControls;
  readonly constrainedChoiceConsiderations: ConstrainedChoiceConsiderations;
  readonly rollupConsiderations: RollupConsiderations;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What one `<imsss:sequencing>` element states explicitly: attribute groups hold only the
 * attributes present; list-valued parts are undefined when their element is absent.
 */
export interface SequencingDefinition {
  /** `ID`, for entries of `<imsss:sequencingCollection>`. */
  readonly id: string | null;
  /** `IDRef`, on an item's or organization's sequencing. */
  readonly idRef: string | null;
  readonly controlMode: Partial<Writable<Omit<ControlMode, 'explicit'>>>;
  readonly preConditionRules?: SequencingRule<PreConditionAction>[];
  readonly exitConditionRules?: SequencingRule<ExitConditionAction>[];
  readonly postConditionRules?: SequencingRule<PostConditionAction>[];
  readonly limitConditions: Partial<Writable<LimitConditions>>;
  readonly auxiliaryResources?: AuxiliaryResource[];
  readonly rollupRules: Partial<Writable<Omit<RollupRules, 'rules'>>> & { rules?: RollupRule[] };
  readonly objectives?: { primaryObjective: Objective | null; objectives: Objective[] };
  /** `adlseq:objectives`: extra map info for objectives, joined to them by objectiveID on resolution. */
  readonly adlObjectives?: { objectiveID: string; mapInfo: AdlObjectiveMapInfo[] }[];
  readonly randomizationControls: Partial<Writable<RandomizationControls>>;
  readonly deliveryControls: Partial<Writable<DeliveryControls>>;
  readonly constrainedChoiceConsiderations: Partial<Writable<ConstrainedChoiceConsiderations>>;
  readonly rollupConsiderations: Partial<Writable<RollupConsiderations>>;
}

/**
 * An empty definition (no element stated anything).
 *
 * @see SCORM 2004 4th Ed CAM 5.1.1 (`<sequencing>`)
 */
export function emptySequencingDefinition(): SequencingDefinition {
  return {
    id: null,
    idRef: null,
    controlMode: {},
    limitConditions: {},
    rollupRules: {},
    randomizationControls: {},
    deliveryControls: {},
    constrainedChoiceConsiderations: {},
    rollupConsiderations: {},
  };
}

/** The spec default of every definition element. @see SCORM 2004 4th Ed SN 3.1, Table 3.1a */
export const SEQUENCING_DEFAULTS = deepFreeze({
  controlMode: {
    choice: true,
    choiceExit: true,
    flow: false,
    forwardOnly: false,
    useCurrentAttemptObjectiveInfo: true,
    useCurrentAttemptProgressInfo: true,
  },
  limitConditions: {
    attemptLimit: null,
    attemptAbsoluteDurationLimit: null,
    attemptExperiencedDurationLimit: null,
    activityAbsoluteDurationLimit: null,
    activityExperiencedDurationLimit: null,
    beginTimeLimit: null,
    endTimeLimit: null,
  },
  rollupRules: { rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 1 },
  randomizationControls: {
    randomizationTiming: 'never',
    selectCount: null,
    reorderChildren: false,
    selectionTiming: 'never',
  },
  deliveryControls: { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
  constrainedChoiceConsiderations: { preventActivation: false, constrainChoice: false },
  rollupConsiderations: {
    requiredForSatisfied: 'always',
    requiredForNotSatisfied: 'always',
    requiredForCompleted: 'always',
    requiredForIncomplete: 'always',
    measureSatisfactionIfActive: true,
  },
} as const) satisfies {
  controlMode: Omit<ControlMode, 'explicit'>;
  limitConditions: LimitConditions;
  rollupRules: Omit<RollupRules, 'rules'>;
  randomizationControls: RandomizationControls;
  deliveryControls: DeliveryControls;
  constrainedChoiceConsiderations: ConstrainedChoiceConsiderations;
  rollupConsiderations: RollupConsiderations;
};

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(value);
}

const NO_RULES: readonly never[] = Object.freeze([]);

/**
 * Resolves a sequencing definition into the full model: defaults, then the referenced
 * `<sequencingCollection>` entry, then the element's own content.
 *
 * Merge rule (as the ADL reference implementation applies CAM 5.1.1 `IDRef`): the collection entry
 * is applied first and the referencing element second. Attributes of the single-occurrence
 * elements (controlMode, limitConditions, rollupRules, randomizationControls, deliveryControls,
 * adlseq considerations) override one by one; a list-valued element the referencing element
 * declares itself (each kind of condition rule, the rollup rule list, objectives, auxiliary
 * resources) replaces the collection's list of that kind when it holds at least one valid entry, and
 * is inherited otherwise; `<objectives>` replaces the collection's objectives whenever present.
 *
 * @see SCORM 2004 4th Ed CAM 5.1.1 (`<sequencing>` ID / IDRef, `<sequencingCollection>`)
 */
export function resolveSequencing(
  own: SequencingDefinition | null,
  referenced: SequencingDefinition | null = null,
): Sequencing {
  const layers: SequencingDefinition[] = [];
  if (referenced !== null) layers.push(referenced);
  if (own !== null) layers.push(own);
  const explicit: ControlModeFlag[] = [];
  for (const flag of CONTROL_MODE_FLAGS) {
    if (layers.some((layer) => layer.controlMode[flag] !== undefined)) explicit.push(flag);
  }
  const rollup = merged(layers, 'rollupRules', SEQUENCING_DEFAULTS.rollupRules as Omit<RollupRules, 'rules'>);
  let rules: readonly RollupRule[] = NO_RULES;
  for (const layer of layers) if (layer.rollupRules.rules?.length) rules = layer.rollupRules.rules;
  const objectives = pick(layers, 'objectives');
  const adl = pick(layers, 'adlObjectives') ?? [];
  return {
    idRef: own?.idRef ?? null,
    controlMode: {
      ...merged(layers, 'controlMode', SEQUENCING_DEFAULTS.controlMode as Omit<ControlMode, 'explicit'>),
      explicit,
    },
    sequencingRules: {
      preConditionRules: pick(layers, 'preConditionRules') ?? NO_RULES,
      exitConditionRules: pick(layers, 'exitConditionRules') ?? NO_RULES,
      postConditionRules: pick(layers, 'postConditionRules') ?? NO_RULES,
    },
    limitConditions: merged(
      layers,
      'limitConditions',
      SEQUENCING_DEFAULTS.limitConditions as LimitConditions,
    ),
    auxiliaryResources: pick(layers, 'auxiliaryResources') ?? NO_RULES,
    rollupRules: {
      rollupObjectiveSatisfied: rollup.rollupObjectiveSatisfied,
      rollupProgressCompletion: rollup.rollupProgressCompletion,
      objectiveMeasureWeight: rollup.objectiveMeasureWeight,
      rules,
    },
    objectives: {
      primaryObjective: withAdl(objectives?.primaryObjective ?? null, adl),
      objectives: (objectives?.objectives ?? []).map((o) => withAdl(o, adl)!),
    },
    randomizationControls: merged(
      layers,
      'randomizationControls',
      SEQUENCING_DEFAULTS.randomizationControls as RandomizationControls,
    ),
    deliveryControls: merged(
      layers,
      'deliveryControls',
      SEQUENCING_DEFAULTS.deliveryControls as DeliveryControls,
    ),
    constrainedChoiceConsiderations: merged(
      layers,
      'constrainedChoiceConsiderations',
      SEQUENCING_DEFAULTS.constrainedChoiceConsiderations as ConstrainedChoiceConsiderations,
    ),
    rollupConsiderations: merged(
      layers,
      'rollupConsiderations',
      SEQUENCING_DEFAULTS.rollupConsiderations as RollupConsiderations,
    ),
  };
}

/** The last layer's value of a list-valued part; a rule list counts only when it holds a rule. */
function pick<K extends keyof SequencingDefinition>(
  layers: readonly SequencingDefinition[],
  key: K,
): SequencingDefinition[K] | undefined {
  let value: SequencingDefinition[K] | undefined;
  for (const layer of layers) {
    const v = layer[key];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0 && key !== 'adlObjectives')) value = v;
  }
  return value;
}

/** Defaults, overridden attribute by attribute by each layer in turn. */
function merged<G extends object>(
  layers: readonly SequencingDefinition[],
  key: keyof SequencingDefinition,
  defaults: G,
): G {
  let out: G | null = null;
  for (const layer of layers) {
    const part = layer[key] as object;
    for (const _ in part) {
      out ??= { ...defaults };
      Object.assign(out, part);
      break;
    }
  }
  // Untouched groups share the (frozen) defaults: most activities state only a few groups.
  return out ?? defaults;
}

function withAdl(
  o: Objective | null,
  adl: readonly { objectiveID: string; mapInfo: AdlObjectiveMapInfo[] }[],
): Objective | null {
  if (o === null) return null;
  if (adl.length === 0 && o.adlMapInfo.length === 0) return o;
  const adlMapInfo = adl.filter((a) => a.objectiveID === o.objectiveID).flatMap((a) => a.mapInfo);
  return { ...o, adlMapInfo };
}

/**
 * The form objective identifiers are compared in: they are `xs:anyURI`, whose white space collapses,
 * and percent-escapes denote the characters they encode (`obj%201` and ` obj 1 ` are the same
 * objective). Every objective identifier in the model (objectiveID, referencedObjective,
 * targetObjectiveID) is in this form.
 *
 * @see SCORM 2004 4th Ed CAM 5.1.1.6 (objectiveID, targetObjectiveID: anyURI)
 */
export function canonicalObjectiveId(raw: string): string {
  let v = raw.trim();
  if (v.includes('%')) {
    try {
      v = decodeURIComponent(v);
    } catch {
      // Keep malformed escapes as written.
    }
  }
  return /\s/.test(v) ? v.replace(/\s+/g, ' ').trim() : v;
}

/**
 * The sequencing of an activity whose manifest says nothing about it.
 *
 * @see SCORM 2004 4th Ed SN 3.1 (default values of the Sequencing Definition Model)
 */
export function defaultSequencing(): Sequencing {
  return resolveSequencing(null);
}
