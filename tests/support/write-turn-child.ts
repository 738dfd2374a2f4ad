// A stand-in cluster worker for tests/integration/cluster-write-turn.test.ts: a forked process with
// an IPC channel that writes a real libSQL file through the app's write queue, holding the cluster's
// write turn as a web worker does (server/node.ts). The test's process plays the primary.
// Each write appends "enter <tag>" and "leave <tag>" to MARKS_FILE around its transaction's work,
// so the test sees from one file whether two processes ever held the turn at once.
import { appendFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { shareFileWriteTurn, writeTransaction } from '../../app/platform/write-queue';
import { openDatabase } from '../../db/client';
import { connectToPrimaryWriteTurn } from '../../server/cluster-write-turn';

interface WriteCommand {
  test: 'write';
  /** One transaction per tag, all started in this tick (so the later ones queue behind the first in this process). */
  tags: string[];
  holdMs: number;
  /** Throw inside the transaction after its work (it rolls back; the turn must still move on). */
  fail?: boolean;
}

const marks = process.env.MARKS_FILE!;
const { db } = await openDatabase(process.env.DATABASE_URL!);
shareFileWriteTurn(connectToPrimaryWriteTurn({ timeoutMs: 20_000 }));
const tell = (message: Record<string, unknown>) => process.send?.({ test: true, pid: process.pid, ...message });

process.on('message', (raw: unknown) => {
  const command = raw as WriteCommand | null;
  if (command?.test !== 'write') return;
  for (const tag of command.tags) {
    writeTransaction(db, async (tx) => {
      appendFileSync(marks, `enter ${tag}\n`);
      await tx.run(sql`insert into write_turn_marks (tag, pid) values (${tag}, ${process.pid})`);
      tell({ entered: tag });
      if (command.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, command.holdMs));
      appendFileSync(marks, `leave ${tag}\n`);
      if (command.fail) throw new Error(`${tag} failed on purpose`);
    }).then(
      () => tell({ done: tag, ok: true }),
      (error: unknown) => tell({ done: tag, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  }
});
process.on('disconnect', () => process.exit(0));
tell({ ready: true });
