export type { AnalyzePackageOptions, PackageAnalysis, PackageKind } from './analyze-package.js';
export { analyzePackage } from './analyze-package.js';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CODES, diagnostic, isValid } from './diagnostics.js';
export type { DoctorResult } from './doctor.js';
export { doctorPackage } from './doctor.js';
export type { FileSource, FileSourceEntry } from './file-source.js';
export { memorySource } from './file-source.js';
export { hrefToPath, isAbsoluteReference, mergeParameters, resolveAgainstBases } from './launch-url.js';
export type {
  CompletionThreshold,
  Item,
  Manifest,
  ManifestMetadata,
  Organization,
  Prerequisites,
  Resource,
  ResourceFile,
  ScormType,
  ScormVersion,
  SharedDataMap,
  SourcePosition,
} from './model.js';
export type { NamespaceFamily } from './namespaces.js';
export { NAMESPACES, namespaceFamily } from './namespaces.js';
export type {
  PackagedFile,
  PackagerError,
  PackagerOptions,
  PackagerOutcome,
  PackagerResult,
  PackagerVersion,
} from './packager.js';
export { createPackage, LAUNCHER_FILE } from './packager.js';
export type { ParseManifestOptions, ParseManifestResult } from './parse-manifest.js';
export { parseManifest, statedVersion } from './parse-manifest.js';
export type {
  AdlObjectiveMapInfo,
  AuxiliaryResource,
  ChildActivitySet,
  ConditionCombination,
  ConditionOperator,
  ConstrainedChoiceConsiderations,
  ControlMode,
  ControlModeFlag,
  DeliveryControls,
  ExitConditionAction,
  LimitConditions,
  Objective,
  ObjectiveMapInfo,
  Objectives,
  PostConditionAction,
  PreConditionAction,
  RandomizationControls,
  RandomizationTiming,
  RollupAction,
  RollupCondition,
  RollupConsideration,
  RollupConsiderations,
  RollupRule,
  RollupRuleCondition,
  RollupRules,
  RuleCondition,
  Sequencing,
  SequencingDefinition,
  SequencingRule,
  SequencingRuleCondition,
  SequencingRules,
} from './sequencing.js';
export {
  CHILD_ACTIVITY_SETS,
  CONTROL_MODE_FLAGS,
  canonicalObjectiveId,
  defaultSequencing,
  EXIT_CONDITION_ACTIONS,
  emptySequencingDefinition,
  POST_CONDITION_ACTIONS,
  PRE_CONDITION_ACTIONS,
  ROLLUP_ACTIONS,
  ROLLUP_RULE_CONDITIONS,
  resolveSequencing,
  SEQUENCING_DEFAULTS,
  SEQUENCING_RULE_CONDITIONS,
} from './sequencing.js';
export { flattenItems, launchableItems } from './tree.js';
