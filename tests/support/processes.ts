import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Child processes for tests and local stacks. Every process is started directly
// (never through npx/tsx wrappers) so the PID we hold is the server's own, writes
// straight into a log file (no pipes to drain), and sits in a registry that is
// stopped at teardown or, as a last resort, SIGKILLed when this process exits.

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** Set once the process has exited. */
  exitInfo(): ExitInfo | undefined;
  /** SIGTERM, then SIGKILL after graceMs. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnLoggedOptions {
  name: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Defaults to $TEST_LOG_DIR or <tmp>/client-updater-logs/<name>-<time>.log */
  logFile?: string;
}

/** Raised when a process exits while we are waiting for it to become ready. */
export class ProcessExitedError extends Error {}

const DEFAULT_GRACE_MS = 5000;
const running = new Map<number, ManagedProcess>();
let exitHookInstalled = false;

export function logDir(): string {
  return process.env.TEST_LOG_DIR ?? path.join(os.tmpdir(), 'client-updater-logs');
}

export function spawnLogged(options: SpawnLoggedOptions): ManagedProcess {
  installExitHook();
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const logFile = options.logFile ?? path.join(logDir(), `${options.name}-${stamp}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  child.on('error', () => {
    /* a failed spawn leaves pid undefined; reported below */
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${options.name}: "${options.command}" is missing or not executable`);
  }

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      running.delete(pid);
      resolve(exitInfo);
    });
  });

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    logFile,
    child,
    exited,
    exitInfo: () => exitInfo,
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (exitInfo) return;
      signalPid(pid, 'SIGTERM');
      if (await settlesWithin(exited, graceMs)) return;
      signalPid(pid, 'SIGKILL');
      if (!(await settlesWithin(exited, 5000))) throw new Error(`${options.name} (pid ${pid}) survived SIGKILL`);
    },
  };
  running.set(pid, managed);
  return managed;
}

/** Runs a JS/TS entry with this Node binary, e.g. `node --import tsx cli.ts`, keeping the server's own PID. */
export function spawnNodeScript(
  options: Omit<SpawnLoggedOptions, 'command' | 'args'> & {
    script: string;
    args?: string[];
    nodeArgs?: string[];
  },
): ManagedProcess {
  const { script, args = [], nodeArgs = [], ...rest } = options;
  return spawnLogged({ ...rest, command: process.execPath, args: [...nodeArgs, script, ...args] });
}

/**
 * The Node service (service/main.ts, or a test fixture built on it) as a separate process on a test
 * database: short polls and heartbeats, no scheduler, unless `env` says otherwise. One place for the
 * settings the process tests share (job workers, crash and kill tests).
 */
export function spawnService(options: {
  instanceId: string;
  databaseUrl: string;
  queues: string;
  name?: string;
  script?: string;
  env?: Record<string, string>;
}): ManagedProcess {
  return spawnNodeScript({
    name: options.name ?? `service-${options.instanceId}`,
    script: options.script ?? 'service/main.ts',
    nodeArgs: ['--import', 'tsx'],
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      SERVICE_INSTANCE_ID: options.instanceId,
      SERVICE_QUEUES: options.queues,
      SERVICE_POLL_MS: '50',
      SERVICE_HEARTBEAT_MS: '300',
      SERVICE_SCHEDULER: 'off',
      SERVICE_SHUTDOWN_GRACE_MS: '1000',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
}

export interface WaitOptions {
  timeoutMs?: number;
  /** When given, waiting fails at once if it exits, and errors include its log tail. */
  process?: ManagedProcess;
}

export function waitForPort(port: number, options: WaitOptions & { host?: string } = {}): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  return waitUntil(`a TCP connection to ${host}:${port}`, () => canConnect(host, port), options);
}

export function waitForHttp(url: string, options: WaitOptions & { accept?: (response: Response) => boolean } = {}): Promise<void> {
  const accept = options.accept ?? (() => true);
  return waitUntil(
    `an HTTP answer from ${url}`,
    async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        return accept(response);
      } catch {
        return false;
      }
    },
    options,
  );
}

/** Polls `check` until it is true; fails early if the process exits, or after the timeout. */
export async function waitUntil(what: string, check: () => Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const proc = options.process;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = proc?.exitInfo();
    if (proc && exit) {
      throw new ProcessExitedError(
        `${proc.name} (pid ${proc.pid}) exited with code ${exit.code} signal ${exit.signal} before ${what}\n${describeLog(proc.logFile)}`,
      );
    }
    if (await check()) return;
    if (Date.now() >= deadline) {
      const log = proc ? `\n${describeLog(proc.logFile)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops a PID we may not have spawned ourselves (e.g. read from a pid file). */
export async function stopPid(pid: number, graceMs = DEFAULT_GRACE_MS): Promise<void> {
  const managed = running.get(pid);
  if (managed) return managed.stop(graceMs);
  if (!signalPid(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (isPidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isPidAlive(pid)) signalPid(pid, 'SIGKILL');
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** For afterAll / teardown: stops every process this module started that is still running. */
export async function stopAllProcesses(graceMs = DEFAULT_GRACE_MS): Promise<void> {
  await Promise.all([...running.values()].map((p) => p.stop(graceMs)));
}

export function runningProcesses(): ManagedProcess[] {
  return [...running.values()];
}

/** The last `maxLines` lines of a log file, with a header naming the file. */
export function describeLog(logFile: string, maxLines = 30): string {
  const tail = readTail(logFile, 16 * 1024)
    .split('\n')
    .slice(-maxLines)
    .join('\n')
    .trimEnd();
  return `--- last lines of ${logFile} ---\n${tail || '(empty)'}`;
}

function readTail(file: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort only: 'exit' handlers cannot wait, so no graceful SIGTERM here.
  process.on('exit', () => {
    for (const { pid } of running.values()) signalPid(pid, 'SIGKILL');
  });
}
