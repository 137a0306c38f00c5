/**
 * xAPI 1.0.3 statement types, exactly as the Data document names its properties.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statements
 */

/** The xAPI version this package implements. */
export const XAPI_VERSION = '1.0.3';

/**
 * A map of RFC 5646 language tags to strings.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#42-language-maps
 */
export type LanguageMap = { [languageTag: string]: string };

/** A JSON value, as extensions may hold any. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Extension values keyed by IRI.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#41-extensions
 */
export type Extensions = { [iri: string]: JsonValue };

/**
 * An account on an existing system.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2424-account-object
 */
export interface Account {
  homePage: string;
  name: string;
}

/** The inverse functional identifier properties of an Agent or identified Group (exactly one). */
export interface InverseFunctionalIdentifier {
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
}

/**
 * An individual.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2421-when-the-actor-objecttype-is-agent
 */
export interface Agent extends InverseFunctionalIdentifier {
  objectType?: 'Agent';
  name?: string;
}

/**
 * A group without an identifier: its members are the group.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2422-when-the-actor-objecttype-is-group
 */
export interface AnonymousGroup {
  objectType: 'Group';
  name?: string;
  member: Agent[];
}

/**
 * A group with exactly one inverse functional identifier; `member` optional.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2422-when-the-actor-objecttype-is-group
 */
export interface IdentifiedGroup extends InverseFunctionalIdentifier {
  objectType: 'Group';
  name?: string;
  member?: Agent[];
}

/** A Group, anonymous or identified. */
export type Group = AnonymousGroup | IdentifiedGroup;

/** The actor of a statement. */
export type Actor = Agent | Group;

/**
 * The verb: an IRI and its display.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#243-verb
 */
export interface Verb {
  id: string;
  display?: LanguageMap;
}

/**
 * The interaction types of the Data document.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#interaction-activities
 */
export const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;

/** One of {@link INTERACTION_TYPES}. */
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/**
 * One entry of an interaction component list (`choices`, `scale`, `source`, `target`, `steps`).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#interaction-components
 */
export interface InteractionComponent {
  id: string;
  description?: LanguageMap;
}

/**
 * Metadata of an Activity.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#activity-definition
 */
export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  type?: string;
  moreInfo?: string;
  interactionType?: InteractionType;
  correctResponsesPattern?: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
  extensions?: Extensions;
}

/**
 * An Activity object.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2441-when-the-objecttype-is-activity
 */
export interface Activity {
  objectType?: 'Activity';
  id: string;
  definition?: ActivityDefinition;
}

/**
 * A reference to another statement by id.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statement-references
 */
export interface StatementRef {
  objectType: 'StatementRef';
  id: string;
}

/**
 * A score.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2451-score
 */
export interface Score {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

/**
 * A measured outcome.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#245-result
 */
export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: Extensions;
}

/**
 * Activities related to the statement's object.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2462-contextactivities-property
 */
export interface ContextActivities {
  parent?: Activity | Activity[];
  grouping?: Activity | Activity[];
  category?: Activity | Activity[];
  other?: Activity | Activity[];
}

/**
 * Context of a statement.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#246-context
 */
export interface Context {
  registration?: string;
  instructor?: Agent | Group;
  team?: Group;
  contextActivities?: ContextActivities;
  revision?: string;
  platform?: string;
  language?: string;
  statement?: StatementRef;
  extensions?: Extensions;
}

/**
 * An attachment's metadata (its content travels as a multipart part or at `fileUrl`).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2411-attachments
 */
export interface Attachment {
  usageType: string;
  display: LanguageMap;
  description?: LanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

/**
 * A statement used as the object of another statement.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#substatements
 */
export interface SubStatement {
  objectType: 'SubStatement';
  actor: Actor;
  verb: Verb;
  object: Activity | Agent | Group | StatementRef;
  result?: Result;
  context?: Context;
  timestamp?: string;
  attachments?: Attachment[];
}

/** What a statement's `object` may be. */
export type StatementObject = Activity | Agent | Group | StatementRef | SubStatement;

/**
 * An xAPI statement.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#24-statement-properties
 */
export interface Statement {
  id?: string;
  actor: Actor;
  verb: Verb;
  object: StatementObject;
  result?: Result;
  context?: Context;
  timestamp?: string;
  stored?: string;
  authority?: Agent | Group;
  version?: string;
  attachments?: Attachment[];
}

/**
 * The combined information about an Agent, as the Agents resource returns it.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#person-properties
 */
export interface Person {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: Account[];
}

/**
 * The About resource's body.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#28-about-resource
 */
export interface About {
  version: string[];
  extensions?: Extensions;
}

/**
 * Verb IRIs used by this package: `voided` from the Data document and the ADL vocabulary verbs of
 * the SCORM profile.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#voided
 * @see https://github.com/adlnet/xapi-profiles (ADL SCORM profile, https://w3id.org/xapi/scorm)
 */
export const VERBS = {
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  resumed: 'http://adlnet.gov/expapi/verbs/resumed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  interacted: 'http://adlnet.gov/expapi/verbs/interacted',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
} as const;
