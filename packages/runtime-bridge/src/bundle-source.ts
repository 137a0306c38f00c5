/**
 * `@scormflow/runtime-bridge/bundle` in the workspace (tests, development): the IIFE built in
 * memory from the sources, once per process.
 */
import { buildRuntimeBundle, type RuntimeBundle } from './bundle-build.js';

export type { RuntimeBundle } from './bundle-build.js';

let cached: Promise<RuntimeBundle> | undefined;

/**
 * The minified IIFE of `/runtime.js` (it sets `window.ScormFlow`) and a 12-hex-digit content hash.
 * @see SCORM 2004 4th Edition RTE 3.3 (the API instance the content discovers)
 */
export function runtimeBundle(): Promise<RuntimeBundle> {
  if (!cached) {
    cached = buildRuntimeBundle();
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}
