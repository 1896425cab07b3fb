/**
 * Starts the production build (`next start`) on a loopback port against a
 * database of its own, for the reliability tests and the load bench. The
 * server is its own process group, so SIGKILL takes it down at once, like a
 * power cut for the process (the OS keeps what SQLite already wrote).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

/** True when a production build exists (`npm test` builds before its browser suite). */
export function hasProductionBuild(): boolean {
  return fs.existsSync(path.join(root, ".next/BUILD_ID"));
}

export type DbEnv = { SQLITE_PATH: string; DATABASE_URL: "" } | { DATABASE_URL: string };

function appEnv(db: DbEnv, port?: number): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.TEST_DATABASE_URL;
  return {
    ...base,
    ...db,
    NODE_ENV: "production",
    NEXTAUTH_SECRET: "reliability-test-secret",
    NEXTAUTH_URL: `http://127.0.0.1:${port ?? 3000}`,
    // No job worker: the load projects arrive with their completions, and the demo generation must not eat the CPU.
    RUN_JOBS_IN_SERVER: "false",
  };
}

/** Runs a studio CLI command (migrate, seed, backup, restore) against `db`; throws with its output on failure. */
export function studio(db: DbEnv, args: string[]): string {
  const res = spawnSync(bin("tsx"), ["--conditions=react-server", "cli/index.ts", ...args], { cwd: root, env: appEnv(db), encoding: "utf8" });
  if (res.status !== 0) throw new Error(`studio ${args.join(" ")} exited with ${res.status ?? res.signal}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

export function prepareDatabase(db: DbEnv): void {
  studio(db, ["migrate"]);
  studio(db, ["seed", "--demo", "--quiet"]);
}

/** A free port in 3300–3399 (3100 belongs to the e2e suite), picked at random to dodge parallel runs. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 3300 + Math.floor(Math.random() * 100);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port in 3300-3399");
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** SIGKILL: no shutdown hooks, no flush — the crash case. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(opts: { port: number; db: DbEnv; logFile: string; readyTimeoutMs?: number }): Promise<RunningServer> {
  const log = fs.openSync(opts.logFile, "a");
  const child: ChildProcess = spawn(bin("next"), ["start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: root,
    env: appEnv(opts.db, opts.port),
    stdio: ["ignore", log, log],
    detached: true,
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const server: RunningServer = { baseUrl, pid: child.pid!, crash: () => killGroup("SIGKILL"), stop: () => killGroup("SIGTERM").then(() => killGroup("SIGKILL")) };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${opts.logFile}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) })).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await server.stop();
  throw new Error(`${baseUrl} was not ready in time; see ${opts.logFile}`);
}
