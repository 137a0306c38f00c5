export type {
  Scorm12Api,
  Scorm12ApiOptions,
  Scorm2004Api,
  Scorm2004ApiOptions,
  ScormApiOptions,
  ScormSession,
} from './api.js';
export { createScorm12Api, createScorm2004Api } from './api.js';
export type { CommitDiff, CommitError, CommitErrorCode, CommitResult } from './commit.js';
export { applyCommit, COMMIT_ERROR_CODES } from './commit.js';
export type { CmiDiagnostic, DeviationCode } from './engine.js';
export { DEVIATIONS } from './engine.js';
export { ERRORS_12, ERRORS_2004 } from './error-codes.js';
export type { CmiErrorCode } from './errors.js';
export { CMI_ERROR_CODES, CmiError, isCmiError } from './errors.js';
export type {
  InteractionData,
  LearningEvent,
  LearningEventType,
  ObjectiveData,
  ScoreData,
} from './events.js';
export { eventsFromCommit } from './events.js';
export { EVALUATED_ELEMENTS_2004, evaluateCompletion2004, evaluateSuccess2004 } from './model-2004.js';
export { evaluateStatus12 } from './session.js';
export type {
  CmiState,
  LaunchContext,
  LaunchObjective,
  LmsComment,
  NavValidity,
  ScormVersion,
  SharedDataStore,
} from './state.js';
export { createInitialState } from './state.js';
export type { InteractionType12, LenientOptions } from './types/scorm12.js';
export {
  formatTimespan,
  isCMIDecimal,
  isCMIFeedback,
  isCMIIdentifier,
  isCMIString,
  isCMITime,
  isCMITimespan,
  parseTimespan,
  VOCAB_12,
} from './types/scorm12.js';
export type { InteractionType2004, ResponseKind } from './types/scorm2004.js';
export {
  formatTimeInterval,
  isCharacterString,
  isLanguageType,
  isLocalizedString,
  isLongIdentifier,
  isReal107,
  isResponse,
  isShortIdentifier,
  isTime,
  isTimeInterval,
  parseTimeInterval,
  SPM_2004,
  VOCAB_2004,
} from './types/scorm2004.js';
