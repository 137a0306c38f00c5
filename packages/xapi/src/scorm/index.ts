export type { MappedInteraction } from './interactions.js';
export { mapInteraction } from './interactions.js';
export type {
  ScormSessionContext,
  ScormStatementContext,
  ScormStatementMapper,
  StatementsFromLearningEventsOptions,
} from './statements.js';
export {
  SCORM_PROFILE,
  SCORM_STATEMENT_NAMESPACE,
  scormStatementId,
  scormStatementMapper,
  statementsFromLearningEvents,
} from './statements.js';
export { uuidV5 } from './uuid-v5.js';
