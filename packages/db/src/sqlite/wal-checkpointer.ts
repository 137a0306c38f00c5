import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread, so that the connection that writes
 * never pays for copying WAL pages back into the database file inside its COMMIT.
 *
 * SQLite's default (`wal_autocheckpoint = 1000`) runs a checkpoint in whichever COMMIT makes the
 * WAL pass 1000 pages: on the engine's one connection, that is a write the event loop waits for.
 * With this checkpointer the writing connection sets `wal_autocheckpoint = 0` and a timer looks at
 * the size of the `-wal` file; past `thresholdBytes` it asks a worker thread, which holds a
 * connection of its own to the same file, for a PASSIVE checkpoint (it never blocks readers or
 * writers, and copies what no reader still needs). After a complete checkpoint the next writer
 * starts the WAL again from its beginning, and `journal_size_limit` trims the file.
 *
 * The worker starts only when the WAL first passes the threshold, so small databases (and most
 * tests) never start one. When a worker cannot run, the checkpoint runs on the writing connection.
 * @see https://www.sqlite.org/wal.html#automatic_checkpoint
 * @see https://www.sqlite.org/pragma.html#pragma_wal_checkpoint
 */
export interface WalCheckpointer {
  /** Checkpoints now (PASSIVE) and resolves with the result: WAL frames and frames copied. */
  checkpoint(): Promise<{ walFrames: number; checkpointed: number }>;
  /** Stops the timer and the worker. */
  close(): Promise<void>;
}

/** Options of `walCheckpointer`. */
export interface WalCheckpointerOptions {
  /** WAL size in bytes past which a checkpoint runs. Default 4 MiB (SQLite's 1000 pages of 4 KiB). */
  thresholdBytes?: number;
  /** Milliseconds between looks at the WAL size. Default 200. */
  intervalMs?: number;
  /** Runs a checkpoint on the writing connection: used when the worker cannot run. */
  inline: () => { walFrames: number; checkpointed: number };
}

// The worker's code, evaluated as CommonJS: it loads better-sqlite3 from the path the main thread
// resolved, opens the file and answers each request with one PASSIVE checkpoint.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (id) => {
  if (id === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, walFrames: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type WorkerAnswer = { id: number; walFrames: number; checkpointed: number } | { id: number; error: string };

/** A checkpointer of the SQLite file at `path` (its writing connection set `wal_autocheckpoint = 0`). */
export function walCheckpointer(path: string, options: WalCheckpointerOptions): WalCheckpointer {
  const threshold = options.thresholdBytes ?? 4 * 1024 * 1024;
  let worker: Worker | null = null;
  let workerFailed = false;
  let closed = false;
  let running: Promise<{ walFrames: number; checkpointed: number }> | null = null;
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve(v: { walFrames: number; checkpointed: number }): void; reject(e: Error): void }
  >();

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };

  const startWorker = (): Worker | null => {
    if (worker || workerFailed) return worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } });
      w.unref();
      w.on('message', (answer: WorkerAnswer) => {
        const entry = waiting.get(answer.id);
        if (!entry) return;
        waiting.delete(answer.id);
        if ('error' in answer) entry.reject(new Error(answer.error));
        else entry.resolve({ walFrames: answer.walFrames, checkpointed: answer.checkpointed });
      });
      w.on('error', (error) => {
        workerFailed = true;
        worker = null;
        failAll(error instanceof Error ? error : new Error(String(error)));
      });
      w.on('exit', () => {
        if (worker === w) worker = null;
        failAll(new Error('the checkpoint worker stopped'));
      });
      worker = w;
    } catch {
      workerFailed = true;
    }
    return worker;
  };

  const checkpoint = (): Promise<{ walFrames: number; checkpointed: number }> => {
    if (running) return running;
    const w = closed ? null : startWorker();
    const done = w
      ? new Promise<{ walFrames: number; checkpointed: number }>((resolve, reject) => {
          const id = nextId++;
          waiting.set(id, { resolve, reject });
          w.postMessage(id);
        }).catch(() => options.inline())
      : Promise.resolve().then(() => options.inline());
    running = done.finally(() => {
      running = null;
    });
    return running;
  };

  const look = async () => {
    if (closed || running) return;
    try {
      const { size } = await stat(`${path}-wal`);
      if (size > threshold && !closed) await checkpoint();
    } catch {
      // No WAL file yet, or the database is closing: nothing to do.
    }
  };
  const timer = setInterval(() => void look(), options.intervalMs ?? 200);
  timer.unref();

  return {
    checkpoint,
    async close() {
      closed = true;
      clearInterval(timer);
      // The worker does not hold the process open while it runs (unref), but a close must be
      // waited for: a script whose last step is `await db.close()` would otherwise end its event
      // loop with the close unsettled.
      worker?.ref();
      await running?.catch(() => {});
      const w = worker;
      worker = null;
      if (!w) return;
      // The worker closes its connection first, so that the engine's is the last one and its
      // close checkpoints and removes the WAL; a worker that does not stop in time is terminated.
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('close');
      const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 2000).unref());
      if ((await Promise.race([exited, timeout])) === 'late') await w.terminate();
    },
  };
}
