export type {
  Bridge,
  BridgeCommit,
  BridgeEventName,
  BridgeFailure,
  BridgeLogEntry,
  BridgeOptions,
  BridgeStatus,
  BridgeTerminate,
  FrameOpenOptions,
  OpenedSession,
} from './bridge.js';
export { createBridge } from './bridge.js';
export type { BridgeErrorCode } from './errors.js';
export { BRIDGE_ERROR_CODES, BridgeError, isBridgeError } from './errors.js';
export type { FrameRuntime } from './frame.js';
export { startFrame } from './frame.js';
export type { GuardedApi } from './guard-api.js';
export { guardApi } from './guard-api.js';
export type { FrameHandoff, FrameMessage } from './handoff.js';
export { decodeHandoff, encodeHandoff, HANDOFF_PREFIX } from './handoff.js';
