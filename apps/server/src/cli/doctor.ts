import { resolve } from 'node:path';
import { doctorPackage } from '@scormflow/manifest';
import { openPackage, writeZip } from '@scormflow/manifest/node';
import { type CliIo, CliUsageError, parse } from './run.js';
import { createStyle } from './style.js';
import { zipEntries } from './zip-entries.js';

/** `scormflow doctor <zip|dir> -o fixed.zip`: repair mechanical faults and say what changed. */
export async function doctorCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string', short: 'o' } });
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new CliUsageError('doctor takes exactly one package path.');
  if (!values.out) throw new CliUsageError('doctor needs an output file: -o fixed.zip');
  const s = createStyle();
  const opened = await openPackage(input);
  if (!opened.ok) {
    for (const d of opened.diagnostics) io.stderr(`${s.red(d.severity)} ${s.bold(d.code)}: ${d.message}\n`);
    io.stderr(`${s.red('✗')} the package cannot be read, so it cannot be repaired.\n`);
    return 2;
  }
  try {
    const result = await doctorPackage(opened.source);
    const out = resolve(values.out);
    await writeZip(out, zipEntries(result.files));
    if (result.changes.length === 0) io.stdout(`${s.dim('Nothing to repair.')}\n`);
    for (const c of result.changes) io.stdout(`${s.green('fixed')} ${s.bold(c.code)}: ${c.message}\n`);
    const left = result.remaining.filter((d) => d.severity !== 'info');
    for (const d of left) {
      const tag = d.severity === 'error' ? s.red('error') : s.yellow('warning');
      io.stdout(
        `${tag} ${s.bold(d.code)}: ${d.message}\n${d.hint ? `    ${s.dim(`hint: ${d.hint}`)}\n` : ''}`,
      );
    }
    const errors = left.filter((d) => d.severity === 'error').length;
    io.stdout(
      `\n${errors === 0 ? s.green('✓') : s.red('✗')} wrote ${out}: ${result.changes.length} repair${result.changes.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'} left\n`,
    );
    return errors === 0 ? 0 : 1;
  } finally {
    await opened.source.close?.();
  }
}
