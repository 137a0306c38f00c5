/** The browser runtime the player and frame-mode content load from `GET /runtime.js`. */
export interface RuntimeScript {
  /** The IIFE that defines `window.ScormFlow`. */
  code: string;
  /** A short hex hash of `code`: the `?v=` of its immutable URL and its ETag. */
  hash: string;
}

/** Where the app gets its runtime script; called once and remembered. */
export type RuntimeScriptSource = () => Promise<RuntimeScript>;

/**
 * The `@scormflow/runtime-bridge` bundle, loaded on first use: an app that never serves a player
 * never loads it.
 * @see ../../../../packages/runtime-bridge/README.md
 */
export const bridgeRuntimeScript: RuntimeScriptSource = async () => {
  const { runtimeBundle } = await import('@scormflow/runtime-bridge/bundle');
  return runtimeBundle();
};

/** `source` called once; a failed load is retried on the next call. */
export function memoRuntimeScript(source: RuntimeScriptSource): RuntimeScriptSource {
  let pending: Promise<RuntimeScript> | null = null;
  return () => {
    if (!pending) {
      pending = source();
      pending.catch(() => {
        pending = null;
      });
    }
    return pending;
  };
}
