/**
 * The dependency-direction rules of ARCHITECTURE.md ("Dependency direction"), as data.
 *
 * A pure package runs in browsers, workers and Node alike: its shipped source may import no Node
 * built-in, use no Node-only global, and import only the internal packages listed here.
 */
export interface PureRule {
  /** Folder of the package, relative to the repository root. */
  readonly dir: string;
  /** Internal packages (or subpaths) this package may import. */
  readonly allowedInternal: readonly string[];
  /** Source folders exempt from the purity rule (e.g. a separate Node entry). */
  readonly exempt: readonly string[];
}

export const PURE_PACKAGES: readonly PureRule[] = [
  { dir: 'packages/manifest', allowedInternal: [], exempt: ['src/node'] },
  { dir: 'packages/cmi', allowedInternal: [], exempt: [] },
  { dir: 'packages/xapi', allowedInternal: ['@scormflow/cmi'], exempt: [] },
];

/** Globals that exist only in Node (or in Node-flavoured bundles) and break in a browser. */
export const NODE_ONLY_GLOBALS = [
  'Buffer',
  'process',
  '__dirname',
  '__filename',
  'require',
  'global',
] as const;
