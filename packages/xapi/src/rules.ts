/**
 * The rule codes a validation issue carries, each with the Data document section it enforces and,
 * where the ADL LRS Conformance Test Suite names one, its requirement id.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md
 * @see https://github.com/adlnet/lrs-conformance-test-suite (test/v1_0_3, requirement ids XAPI-nnnnn)
 */
export const RULES = {
  NOT_AN_OBJECT: { requirement: 'XAPI-00006', section: 'Data 2.2' },
  NULL_VALUE: { requirement: 'XAPI-00001', section: 'Data 2.2' },
  UNKNOWN_PROPERTY: { requirement: 'XAPI-00008', section: 'Data 2.2' },
  MISSING_PROPERTY: { requirement: 'XAPI-00003', section: 'Data 2.2' },
  WRONG_TYPE: { requirement: 'XAPI-00006', section: 'Data 2.2' },
  EMPTY_OBJECT: { requirement: 'XAPI-00001', section: 'Data 2.2' },
  INVALID_UUID: { requirement: 'XAPI-00027', section: 'Data 2.4.1' },
  INVALID_IRI: { requirement: 'XAPI-00007', section: 'Data 4.4' },
  INVALID_TIMESTAMP: { requirement: 'XAPI-00123', section: 'Data 4.5' },
  INVALID_DURATION: { requirement: 'XAPI-00124', section: 'Data 4.6' },
  INVALID_LANGUAGE_TAG: { requirement: 'XAPI-00013', section: 'Data 4.2' },
  INVALID_OBJECT_TYPE: { requirement: 'XAPI-00009', section: 'Data 2.4' },
  IFI_COUNT: { requirement: 'XAPI-00038', section: 'Data 2.4.2.3' },
  INVALID_MBOX: { requirement: 'XAPI-00040', section: 'Data 2.4.2.3' },
  INVALID_MBOX_SHA1SUM: { requirement: 'XAPI-00041', section: 'Data 2.4.2.3' },
  INVALID_ACCOUNT: { requirement: 'XAPI-00043', section: 'Data 2.4.2.4' },
  GROUP_MEMBER_REQUIRED: { requirement: 'XAPI-00034', section: 'Data 2.4.2.2' },
  GROUP_MEMBER_NOT_AGENT: { requirement: 'XAPI-00035', section: 'Data 2.4.2.2' },
  INVALID_INTERACTION_TYPE: { requirement: 'XAPI-00009', section: 'Data 2.4.4.1' },
  INTERACTION_COMPONENT_NOT_ALLOWED: { requirement: 'XAPI-00062', section: 'Data 2.4.4.1' },
  INTERACTION_TYPE_REQUIRED: { requirement: 'XAPI-00062', section: 'Data 2.4.4.1' },
  DUPLICATE_COMPONENT_ID: { requirement: 'XAPI-00063', section: 'Data 2.4.4.1' },
  INVALID_RESPONSE_PATTERN: { requirement: undefined, section: 'Data 2.4.4.1' },
  SUBSTATEMENT_PROPERTY: { requirement: 'XAPI-00055', section: 'Data 2.4.4.3' },
  NESTED_SUBSTATEMENT: { requirement: 'XAPI-00056', section: 'Data 2.4.4.3' },
  SCORE_SCALED_RANGE: { requirement: 'XAPI-00073', section: 'Data 2.4.5.1' },
  SCORE_RAW_RANGE: { requirement: 'XAPI-00074', section: 'Data 2.4.5.1' },
  SCORE_MIN_MAX: { requirement: 'XAPI-00075', section: 'Data 2.4.5.1' },
  INVALID_EXTENSION_KEY: { requirement: 'XAPI-00120', section: 'Data 4.1' },
  INVALID_MEDIA_TYPE: { requirement: 'XAPI-00104', section: 'Data 2.4.11' },
  INVALID_LENGTH: { requirement: 'XAPI-00105', section: 'Data 2.4.11' },
  INVALID_SHA2: { requirement: 'XAPI-00106', section: 'Data 2.4.11' },
  CONTEXT_REVISION_NOT_ALLOWED: { requirement: 'XAPI-00078', section: 'Data 2.4.6' },
  CONTEXT_PLATFORM_NOT_ALLOWED: { requirement: 'XAPI-00079', section: 'Data 2.4.6' },
  CONTEXT_TEAM_NOT_GROUP: { requirement: 'XAPI-00077', section: 'Data 2.4.6' },
  VOIDING_OBJECT_NOT_STATEMENTREF: { requirement: 'XAPI-00023', section: 'Data 2.3.2' },
  AUTHORITY_GROUP: { requirement: 'XAPI-00098', section: 'Data 2.4.9' },
  INVALID_VERSION: { requirement: 'XAPI-00101', section: 'Data 2.4.10' },
  INVALID_STRING: { requirement: 'XAPI-00007', section: 'Data 2.2' },
} as const;

/** A stable rule code. */
export type RuleCode = keyof typeof RULES;
