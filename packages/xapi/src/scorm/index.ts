export type { MappedInteraction } from './interactions.js';
export { mapInteraction } from './interactions.js';
export type { ScormStatementContext, StatementsFromLearningEventsOptions } from './statements.js';
export {
  SCORM_PROFILE,
  SCORM_STATEMENT_NAMESPACE,
  scormStatementId,
  statementsFromLearningEvents,
} from './statements.js';
export { uuidV5 } from './uuid-v5.js';
