/**
 * Entry of the IIFE bundle served as `/runtime.js`: exposes `window.ScormFlow` and, in a content
 * frame whose name carries a handoff, starts frame mode at once so that the SCO's own scripts
 * find its API.
 */
import { createBridge } from './bridge.js';
import { startFrame } from './frame.js';

const w = globalThis as unknown as Record<string, unknown>;
w.ScormFlow = { createBridge, startFrame, frame: startFrame() };
