// A loopback HTTP endpoint that accepts every request and never answers: a store that hangs.
// Stopped by its handle (close), which also drops the connections it is holding open.
import http from 'node:http';
import { getFreePort } from './ports';

export interface HangingServer {
  url: string;
  /** Requests received so far (each one left hanging). */
  received: () => number;
  close: () => Promise<void>;
}

export async function startHangingServer(): Promise<HangingServer> {
  let received = 0;
  const server = http.createServer(() => {
    received++; // never respond
  });
  const port = await getFreePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
