/**
 * Failing-step baseline per CTS script, measured against the current model. A script may fail at
 * most this many steps; fewer is always fine. Lower the numbers as the model improves (0 or absent
 * means the script must pass completely). SCORMFLOW_CTS_STRICT=1 ignores this table.
 */
export const KNOWN_FAILING_STEPS: Readonly<Record<string, number>> = {};
