/**
 * The rule codes a validation issue carries, each with the Data document section it enforces and,
 * where the ADL LRS Conformance Test Suite names one, its requirement id.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md
 * @see https://github.com/adlnet/lrs-conformance-test-suite (test/v1_0_3, requirement ids XAPI-nnnnn)
 */
export const RULES = {
  NULL_VALUE: { requirement: 'XAPI-00001', section: 'Data 2.2' },
  EMPTY_OBJECT: { requirement: 'XAPI-00001', section: 'Data 2.2, 4.2' },
  UNKNOWN_PROPERTY: { requirement: 'XAPI-00010', section: 'Data 2.2' },
  MISSING_PROPERTY: { requirement: 'XAPI-00010', section: 'Data 2.2' },
  WRONG_TYPE: { requirement: 'XAPI-00006', section: 'Data 2.2' },
  INVALID_STRING: { requirement: 'XAPI-00007', section: 'Data 2.2' },
  INVALID_UUID: { requirement: 'XAPI-00030', section: 'Data 2.4.1' },
  INVALID_IRI: { requirement: 'XAPI-00011', section: 'Data 4.4' },
  INVALID_TIMESTAMP: { requirement: 'XAPI-00123', section: 'Data 4.5' },
  INVALID_DURATION: { requirement: 'XAPI-00077', section: 'Data 4.6' },
  INVALID_LANGUAGE_TAG: { requirement: 'XAPI-00121', section: 'Data 4.2' },
  INVALID_OBJECT_TYPE: { requirement: 'XAPI-00046', section: 'Data 2.4.4' },
  OBJECT_TYPE_REQUIRED: { requirement: 'XAPI-00065', section: 'Data 2.4.4.2, 2.4.4.3' },
  IFI_COUNT: { requirement: 'XAPI-00034', section: 'Data 2.4.2.1' },
  INVALID_MBOX: { requirement: 'XAPI-00038', section: 'Data 2.4.2.3' },
  INVALID_MBOX_SHA1SUM: { requirement: 'XAPI-00039', section: 'Data 2.4.2.3' },
  GROUP_MEMBER_REQUIRED: { requirement: 'XAPI-00037', section: 'Data 2.4.2.2' },
  GROUP_MEMBER_NOT_AGENT: { requirement: 'XAPI-00036', section: 'Data 2.4.2.2' },
  INVALID_INTERACTION_TYPE: { requirement: 'XAPI-00049', section: 'Data 2.4.4.1' },
  INTERACTION_TYPE_REQUIRED: { requirement: 'XAPI-00064', section: 'Data 2.4.4.1' },
  INTERACTION_COMPONENT_NOT_ALLOWED: {
    requirement: undefined,
    section: 'Data 2.4.4.1 (interaction components table)',
  },
  DUPLICATE_COMPONENT_ID: { requirement: 'XAPI-00058', section: 'Data 2.4.4.1' },
  INVALID_RESPONSE_PATTERN: { requirement: undefined, section: 'Data 2.4.4.1 (response patterns)' },
  SUBSTATEMENT_PROPERTY: { requirement: 'XAPI-00070', section: 'Data 2.4.4.3' },
  NESTED_SUBSTATEMENT: { requirement: 'XAPI-00071', section: 'Data 2.4.4.3' },
  SCORE_SCALED_RANGE: { requirement: 'XAPI-00083', section: 'Data 2.4.5.1' },
  SCORE_RAW_RANGE: { requirement: 'XAPI-00082', section: 'Data 2.4.5.1' },
  SCORE_MIN_MAX: { requirement: 'XAPI-00081', section: 'Data 2.4.5.1' },
  INVALID_EXTENSION_KEY: { requirement: 'XAPI-00118', section: 'Data 4.1' },
  INVALID_MEDIA_TYPE: { requirement: 'XAPI-00105', section: 'Data 2.4.11' },
  INVALID_LENGTH: { requirement: 'XAPI-00102', section: 'Data 2.4.11' },
  INVALID_SHA2: { requirement: 'XAPI-00103', section: 'Data 2.4.11' },
  CONTEXT_REVISION_NOT_ALLOWED: { requirement: 'XAPI-00084', section: 'Data 2.4.6' },
  CONTEXT_PLATFORM_NOT_ALLOWED: { requirement: 'XAPI-00085', section: 'Data 2.4.6' },
  CONTEXT_TEAM_NOT_GROUP: { requirement: 'XAPI-00088', section: 'Data 2.4.6' },
  VOIDING_OBJECT_NOT_STATEMENTREF: { requirement: 'XAPI-00017', section: 'Data 2.3.2' },
  AUTHORITY_GROUP: { requirement: 'XAPI-00098', section: 'Data 2.4.9' },
  INVALID_VERSION: { requirement: 'XAPI-00101', section: 'Data 2.4.10' },
} as const;

/** A stable rule code. */
export type RuleCode = keyof typeof RULES;
