import type { Diagnostic, PackageAnalysis } from '@scormflow/manifest';
import { analyzePackage } from '@scormflow/manifest';
import { openPackage } from '@scormflow/manifest/node';
import type { Style } from './style.js';

/** The machine-readable result of `scormflow validate --json`. */
export interface ValidateReport {
  valid: boolean;
  kind: 'scorm' | 'cmi5' | 'xapi' | 'unknown';
  version: '1.2' | '2004-2nd' | '2004-3rd' | '2004-4th' | null;
  title: string;
  itemCount: number;
  scoCount: number;
  diagnostics: {
    code: string;
    severity: Diagnostic['severity'];
    message: string;
    file: string | null;
    line: number | null;
    column: number | null;
    hint: string | null;
  }[];
}

/** Exit codes of `scormflow validate`. */
export const VALIDATE_EXIT = { valid: 0, invalid: 1, unreadable: 2 } as const;

/** Opens and checks a package (zip file or folder); `null` analysis when it could not be read. */
export async function inspectPackage(
  path: string,
): Promise<{ analysis: PackageAnalysis | null; diagnostics: Diagnostic[] }> {
  const opened = await openPackage(path);
  if (!opened.ok) return { analysis: null, diagnostics: [...opened.diagnostics] };
  try {
    const analysis = await analyzePackage(opened.source);
    return { analysis, diagnostics: [...opened.diagnostics, ...analysis.diagnostics] };
  } finally {
    await opened.source.close?.();
  }
}

export function toReport(
  analysis: PackageAnalysis | null,
  diagnostics: readonly Diagnostic[],
): ValidateReport {
  return {
    valid: analysis !== null && !diagnostics.some((d) => d.severity === 'error'),
    kind: analysis?.kind ?? 'unknown',
    version: analysis?.version ?? null,
    title: analysis?.title ?? '',
    itemCount: analysis?.itemCount ?? 0,
    scoCount: analysis?.scoCount ?? 0,
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.file ?? null,
      line: d.line ?? null,
      column: d.column ?? null,
      hint: d.hint ?? null,
    })),
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Human-readable rendering of a validation report. */
export function formatReport(path: string, report: ValidateReport, s: Style, readable: boolean): string {
  const lines: string[] = [];
  const kind = report.kind === 'scorm' && report.version ? `SCORM ${report.version}` : report.kind;
  lines.push(`${s.bold(path)}`);
  if (readable) {
    lines.push(
      `  ${s.dim('title')}  ${report.title || s.dim('(none)')}`,
      `  ${s.dim('kind')}   ${kind}`,
      `  ${s.dim('items')}  ${report.itemCount} (${report.scoCount} SCO${report.scoCount === 1 ? '' : 's'})`,
    );
  }
  const sorted = [...report.diagnostics].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  if (sorted.length > 0) lines.push('');
  for (const d of sorted) {
    const tag =
      d.severity === 'error'
        ? s.red('error')
        : d.severity === 'warning'
          ? s.yellow('warning')
          : s.blue('info');
    const where = d.file
      ? s.dim(` ${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`)
      : '';
    lines.push(`  ${tag} ${s.bold(d.code)}${where}`);
    lines.push(`    ${d.message}`);
    if (d.hint) lines.push(`    ${s.dim(`hint: ${d.hint}`)}`);
  }
  const count = (sev: string) => report.diagnostics.filter((d) => d.severity === sev).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const tally = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info`;
  lines.push('');
  if (!readable) lines.push(`${s.red('✗ unreadable')}  ${tally}`);
  else if (report.valid) lines.push(`${s.green('✓ valid')}  ${tally}`);
  else lines.push(`${s.red('✗ invalid')}  ${tally}`);
  return lines.join('\n');
}
