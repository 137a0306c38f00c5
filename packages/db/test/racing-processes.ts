import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What one racing process reports. */
export interface RaceReport {
  won: number[];
  conflicts: number;
}

/**
 * Starts `writers` processes on the same database that race to commit seqs 1..`rounds` of item I1 of
 * one attempt (see `commit-racer.ts`), releases them together and collects their reports.
 */
export async function raceCommitsInProcesses(options: {
  url: string;
  tenantId: string;
  attemptId: string;
  rounds: number;
  writers: number;
}): Promise<RaceReport[]> {
  const script = fileURLToPath(new URL('./commit-racer.ts', import.meta.url));
  const children: ChildProcess[] = [];
  const message = (child: ChildProcess) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Record<string, unknown>));
      child.once('exit', (code) => reject(new Error(`racer exited with ${code} before reporting`)));
    });
  try {
    for (let i = 0; i < options.writers; i++) {
      children.push(
        fork(script, [options.url, options.tenantId, options.attemptId, String(options.rounds), String(i)], {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          execArgv: ['--conditions=@scormflow/source', '--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    await Promise.all(children.map(message));
    const reports = children.map(message);
    for (const child of children) child.send('go');
    const results = await Promise.all(reports);
    return results.map((r) => {
      if (typeof r.error === 'string') throw new Error(`racer failed: ${r.error}`);
      return r as unknown as RaceReport;
    });
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}
