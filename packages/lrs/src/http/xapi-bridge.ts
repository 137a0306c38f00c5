/**
 * The statement helpers the HTTP layer takes from `@scormflow/xapi`, gathered in one module so
 * that the rest of the LRS names a single seam.
 */
export {
  formatStatement,
  mergeActivityDefinition,
  parseAcceptLanguage,
  statementsEquivalent,
} from '@scormflow/xapi';
