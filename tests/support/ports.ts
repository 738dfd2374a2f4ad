import net from 'node:net';

// Free ports for test servers. We probe candidates from a per-worker slice of
// 20000-32767: below Linux's ephemeral range (32768-60999), so outgoing connections
// cannot grab a port between our probe and the server's bind, and parallel vitest
// workers (VITEST_POOL_ID) start in different slices. A random start inside the slice
// keeps two concurrent test runs on one machine apart. See docs/decisions/022.

const RANGE_START = 20000;
const RANGE_END = 32767;
const SLICE_SIZE = 250;
const SLICE_COUNT = Math.floor((RANGE_END - RANGE_START + 1) / SLICE_SIZE);
const handedOut = new Set<number>();

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that was free a moment ago and not yet handed out by this process. */
export async function getFreePort(): Promise<number> {
  const workerId = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) || 0;
  const sliceStart = RANGE_START + (workerId % SLICE_COUNT) * SLICE_SIZE;
  const offset = Math.floor(Math.random() * SLICE_SIZE);
  for (let i = 0; i < SLICE_SIZE; i++) {
    const port = sliceStart + ((offset + i) % SLICE_SIZE);
    if (!handedOut.has(port) && (await isPortFree(port))) {
      handedOut.add(port);
      return port;
    }
  }
  return osAssignedPort();
}

/** Fallback: let the kernel pick (bind port 0), then release it. */
export function osAssignedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const PORT_CLASH = /address already in use|EADDRINUSE/i;

/**
 * Starts something on `port`, or on a fresh free port when none is given, retrying with
 * another port if the server lost the race for it ("Address already in use").
 */
export async function startOnFreePort<T>(port: number | undefined, start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  if (port) return start(port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await getFreePort());
    } catch (error) {
      if (attempt >= attempts || !PORT_CLASH.test(String((error as Error).message))) throw error;
    }
  }
}
