import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FileSource, PackagerVersion } from '@scormflow/manifest';
import { analyzePackage, createPackage, memorySource } from '@scormflow/manifest';
import { directorySource, openPackage, writeZip } from '@scormflow/manifest/node';
import { type CliIo, CliUsageError, parse } from './run.js';
import { createStyle } from './style.js';
import { zipEntries } from './zip-entries.js';

const VERSIONS = ['1.2', '2004-4th'] as const satisfies readonly PackagerVersion[];

/** `scormflow package <dir|file.html> -o course.zip`: HTML content to a SCORM package. */
export async function packageCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string', short: 'o' },
    title: { type: 'string' },
    version: { type: 'string', default: '1.2' },
    launch: { type: 'string' },
    'no-tracking': { type: 'boolean', default: false },
  });
  const input = positionals[0];
  if (!input || positionals.length > 1)
    throw new CliUsageError('package takes exactly one folder or HTML file.');
  if (!values.out) throw new CliUsageError('package needs an output file: -o course.zip');
  const version = values.version as PackagerVersion;
  if (!VERSIONS.includes(version)) {
    throw new CliUsageError(`--version must be one of ${VERSIONS.join(', ')}, not "${values.version}".`);
  }
  const s = createStyle();
  const info = await stat(input).catch(() => null);
  if (!info) {
    io.stderr(`${s.red('error')} ${input}: no such file or folder.\n`);
    return 2;
  }
  let source: FileSource;
  let launch = values.launch;
  if (info.isDirectory()) {
    const opened = await directorySource(input);
    if (!opened.ok) {
      for (const d of opened.diagnostics) io.stderr(`${s.red(d.severity)} ${d.code}: ${d.message}\n`);
      return 2;
    }
    source = opened.source;
  } else {
    const name = basename(input);
    source = memorySource({ [name]: new Uint8Array(await readFile(input)) });
    launch ??= name;
  }
  const outcome = await createPackage(source, {
    version,
    ...(values.title !== undefined ? { title: values.title } : {}),
    ...(launch !== undefined ? { launch } : {}),
    tracking: values['no-tracking'] ? 'none' : 'launch',
  });
  if (!outcome.ok) {
    io.stderr(`${s.red('error')} ${outcome.error.code}: ${outcome.error.message}\n`);
    return 1;
  }
  const out = resolve(values.out);
  await writeZip(out, zipEntries(outcome.value.files));
  await source.close?.();

  // The package we write must pass our own validator without a single warning.
  const reopened = await openPackage(out);
  if (!reopened.ok)
    throw new Error(`The written package cannot be read back: ${reopened.diagnostics[0]?.message}`);
  const analysis = await analyzePackage(reopened.source);
  await reopened.source.close?.();
  const problems = analysis.diagnostics.filter((d) => d.severity !== 'info');
  io.stdout(
    `${s.green('✓')} ${out}\n  ${s.dim('title')}   ${outcome.value.title}\n  ${s.dim('version')} SCORM ${version}\n  ${s.dim('launch')}  ${outcome.value.launch}\n  ${s.dim('files')}   ${outcome.value.files.length}\n`,
  );
  for (const d of problems) io.stderr(`${s.yellow(d.severity)} ${d.code}: ${d.message}\n`);
  return problems.length === 0 ? 0 : 1;
}
