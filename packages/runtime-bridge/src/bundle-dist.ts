/**
 * `@scormflow/runtime-bridge/bundle` as published: the build stores the IIFE and its hash in this
 * module, so serving `/runtime.js` needs no bundler at run time.
 */

declare const __SCORMFLOW_RUNTIME_CODE__: string;
declare const __SCORMFLOW_RUNTIME_HASH__: string;

/** The minified IIFE and a short hash of its content. */
export interface RuntimeBundle {
  code: string;
  /** 12 hex digits of the SHA-256 of `code`: for a cache-busting URL or an ETag. */
  hash: string;
}

const BUNDLE: RuntimeBundle = { code: __SCORMFLOW_RUNTIME_CODE__, hash: __SCORMFLOW_RUNTIME_HASH__ };

/**
 * The minified IIFE of `/runtime.js` (it sets `window.ScormFlow`) and a 12-hex-digit content hash.
 * @see SCORM 2004 4th Edition RTE 3.3 (the API instance the content discovers)
 */
export function runtimeBundle(): Promise<RuntimeBundle> {
  return Promise.resolve(BUNDLE);
}
