// The sync's writer thread (batch-writer.ts starts it): its own connection to the database file,
// one chunk at a time, each in one write transaction. The parent holds the process's write turn
// while a chunk runs here, so this connection never meets another write of the same process.
import { parentPort, workerData } from 'node:worker_threads';
import { openClient } from '../../db/client';
import { writeBatchInTransaction } from './batch-transaction';
import type { WriterRequest, WriterReply, WriterSetup } from './batch-writer';

const setup = workerData as WriterSetup;
const port = parentPort!;
const opened = openClient(setup.url);
// The parent waits for this before it gives the thread any chunk (and writes them itself if it fails).
opened.then(
  () => port.postMessage('ready'),
  (error: unknown) => port.postMessage({ failed: error instanceof Error ? error.message : String(error) }),
);

port.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    void opened.then((client) => client.close()).finally(() => port.postMessage('closed'));
    return;
  }
  void opened
    .then((client) => writeBatchInTransaction(client, request.rows, setup.context, setup.sync, request.counters))
    .then(
      (result): WriterReply => ({ id: request.id, result }),
      (error: unknown): WriterReply => ({
        id: request.id,
        error: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) },
      }),
    )
    .then((reply) => port.postMessage(reply));
});
