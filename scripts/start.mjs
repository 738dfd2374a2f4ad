// `npm start`: the whole system on the embedded default (libSQL file, in-process cache and limits).
// Builds if needed, migrates and seeds an empty database, starts the web app and the Node service,
// prints the URL and demo logins. Ctrl-C stops both.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = {
  ...process.env,
  PORT: process.env.PORT ?? "3000",
  HOST: process.env.HOST ?? "127.0.0.1",
  DATABASE_URL: process.env.DATABASE_URL ?? "file:data/app.db",
  NODE_ENV: process.env.NODE_ENV ?? "development",
};
// Plain http on 127.0.0.1 for the demo; production sits behind TLS and keeps Secure cookies.
if (env.NODE_ENV !== "production") env.COOKIE_SECURE ??= "false";
const tsx = ["--import", "tsx"];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildFile = path.join(root, "build/node/index.js");
if (!existsSync(buildFile) || newestMtime(path.join(root, "app")) > statSync(buildFile).mtimeMs) {
  console.log("[start] building the app…");
  const r = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs"), "node"], { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const prep = spawnSync(process.execPath, [...tsx, path.join(root, "scripts/prepare-db.ts"), ...process.argv.slice(2)], {
  cwd: root, stdio: "inherit", env,
});
if (prep.status !== 0) process.exit(prep.status ?? 1);

const children = [
  ["web", spawn(process.execPath, [...tsx, path.join(root, "server/node.ts")], { cwd: root, stdio: "inherit", env })],
  ["service", spawn(process.execPath, [...tsx, path.join(root, "service/main.ts")], { cwd: root, stdio: "inherit", env })],
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const [, child] of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map(([, c]) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r))))).then(() => process.exit(code));
}
for (const [name, child] of children) {
  child.once("exit", (code) => {
    if (!stopping) {
      console.error(`[start] ${name} exited with ${code}; stopping`);
      stop(code ?? 1);
    }
  });
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

const url = `http://${env.HOST}:${env.PORT}`;
// Print the banner once the web app answers, so the URL printed is one that works.
async function announceWhenReady() {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const r = await fetch(`${url}/status.json`, { signal: AbortSignal.timeout(1000) });
      await r.body?.cancel();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (stopping) return;
  console.log(`
  Client Updater is running at ${url}
  Demo logins (password: demo-pass-2026):
    admin@demo.test            admin, both companies
    area.ncr@demo.test         area manager, NCR
    branch.mnla01@demo.test    branch officer, MNLA01
    tele.fcash@demo.test       FCASH tele agent
    viewer@demo.test           viewer
  Status: ${url}/status    Stop: Ctrl-C
`);
}
announceWhenReady();
