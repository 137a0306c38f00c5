export { agentKey } from './agent-key.js';
export { statementsEquivalent } from './equivalent.js';
export type { XapiErrorCode } from './errors.js';
export { isXapiError, XAPI_ERROR_CODES, XapiError } from './errors.js';
export type { StatementFormat } from './format.js';
export { formatStatement, parseAcceptLanguage, STATEMENT_FORMATS, selectLanguage } from './format.js';
export {
  isDuration,
  isIri,
  isMailtoIri,
  isMediaType,
  isSha1Hex,
  isSha2Hex,
  isUuid,
  parseTimestamp,
  validateLanguageTag,
} from './formats.js';
export { mergeActivityDefinition } from './merge.js';
export { normalizeStatement } from './normalize.js';
export { responsePatternProblem } from './response-patterns.js';
export type { RuleCode } from './rules.js';
export { RULES } from './rules.js';
export type {
  About,
  Account,
  Activity,
  ActivityDefinition,
  Actor,
  Agent,
  AnonymousGroup,
  Attachment,
  Context,
  ContextActivities,
  Extensions,
  Group,
  IdentifiedGroup,
  InteractionComponent,
  InteractionType,
  InverseFunctionalIdentifier,
  JsonValue,
  LanguageMap,
  Person,
  Result,
  Score,
  Statement,
  StatementObject,
  StatementRef,
  SubStatement,
  Verb,
} from './types.js';
export { INTERACTION_TYPES, VERBS, XAPI_VERSION } from './types.js';
export type { ValidateStatementOptions, Validation, ValidationIssue } from './validate.js';
export { validateAgent, validateStatement } from './validate.js';
