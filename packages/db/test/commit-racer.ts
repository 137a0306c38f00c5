/**
 * A separate process that races other processes to commit the next seq of one SCO until `rounds`
 * commits are stored, then reports which seqs it won. Started by `racing-processes.ts`.
 */
import { openDatabase } from '../src/index.js';

const [url, tenantId, attemptId, rounds, writer] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const target = Number(rounds);
const db = openDatabase(url, { maxConnections: 2, busyTimeoutMs: 30_000 });
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

process.once('message', async () => {
  const won: number[] = [];
  let conflicts = 0;
  try {
    for (;;) {
      const current = (await db.repos.scoStates.get(tenantId, attemptId, 'I1'))?.seq ?? 0;
      if (current >= target) break;
      const result = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', current + 1, {
        state: { writer, seq: current + 1 },
        diff: { writer },
        summary: { totalTimeCs: current + 1 },
      });
      if (result.ok) won.push(current + 1);
      else if (result.error === 'SEQ_CONFLICT') conflicts++;
      else throw new Error(result.error);
    }
    await send({ won, conflicts });
  } catch (error) {
    await send({ error: String((error as Error).stack ?? error) });
  } finally {
    await db.close();
    process.exit(0);
  }
});

await db.ping();
await send({ ready: true });
