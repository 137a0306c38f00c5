import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const IMPORT_RE =
  /(?:^|[^\w$.])(?:import|export)\s*(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|(?:^|[^\w$.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w$.])require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Removes comments and string/template contents so that globals are only found in code. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:])\/\/.*$/gm, (m, p1: string) => p1 + ' '.repeat(m.length - p1.length))
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Finds the imports and Node-only globals of one source file that a pure package must not use.
 * `allowedInternal` lists the `@scormflow/*` specifiers (or prefixes) the package may import.
 */
export function scanPureSource(
  file: string,
  source: string,
  allowedInternal: readonly string[],
  nodeOnlyGlobals: readonly string[],
): Violation[] {
  const out: Violation[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    const line = lineOf(source, m.index ?? 0);
    if (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0] ?? '')) {
      out.push({ file, line, message: `imports the Node built-in "${spec}"` });
    } else if (spec.startsWith('@scormflow/')) {
      const ok = allowedInternal.some((a) => spec === a || spec.startsWith(`${a}/`));
      if (!ok) out.push({ file, line, message: `imports the internal package "${spec}", which it must not` });
    }
  }
  const code = codeOnly(source);
  for (const g of nodeOnlyGlobals) {
    const re = new RegExp(`(?<![\\w$.'"])${g}(?=\\s*[.([])`, 'g');
    for (const m of code.matchAll(re)) {
      out.push({ file, line: lineOf(code, m.index ?? 0), message: `uses the Node-only global "${g}"` });
    }
  }
  return out;
}
