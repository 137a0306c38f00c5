import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

import { doctorCommand } from './doctor.js';
import { packageCommand } from './package.js';
import { serveCommand } from './serve.js';
import { createStyle } from './style.js';
import { formatReport, inspectPackage, toReport, VALIDATE_EXIT } from './validate.js';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

const USAGE = `Usage: scormflow <command> [options]

Commands:
  validate <zip|dir> [--json]           Check a SCORM, cmi5 or xAPI package and explain what is wrong.
                                        Exit code 0 valid, 1 errors, 2 unreadable.
  doctor <zip|dir> -o <fixed.zip>       Repair mechanical faults (top folder, OS litter, unlisted files).
  package <dir|file.html> -o <out.zip>  Turn HTML content into a SCORM package.
          [--title T] [--version 1.2|2004-4th] [--launch page.html] [--no-tracking]
  serve                                 Start the engine (SQLite in ./data and local files by default;
                                        configure with the variables of .env.example).
  help                                  Show this help.
`;

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(rest, io);
      case 'doctor':
        return await doctorCommand(rest, io);
      case 'package':
        return await packageCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 1 : 0;
      default:
        io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
        return 1;
    }
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr(`${err.message}\n\n${USAGE}`);
      return 1;
    }
    throw err;
  }
}

export class CliUsageError extends Error {}

/** `parseArgs` with usage errors reported as CliUsageError. */
type Parsed<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

export function parse<const T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
): Parsed<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true as const, strict: true as const });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false } });
  const path = positionals[0];
  if (!path || positionals.length > 1) throw new CliUsageError('validate takes exactly one package path.');
  const { analysis, diagnostics } = await inspectPackage(path);
  const report = toReport(analysis, diagnostics);
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(`${formatReport(path, report, createStyle(), analysis !== null)}\n`);
  if (analysis === null) return VALIDATE_EXIT.unreadable;
  return report.valid ? VALIDATE_EXIT.valid : VALIDATE_EXIT.invalid;
}
