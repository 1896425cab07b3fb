// Starts a throw-away PostgreSQL cluster on a loopback port in a temp folder,
// for the test suite. PostgreSQL refuses to run as root, so when we are root
// the cluster belongs to the `postgres` system user the Debian package creates.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function findPgBin() {
  const candidates = [];
  const root = "/usr/lib/postgresql";
  if (fs.existsSync(root)) {
    for (const v of fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(root, v, "bin"));
  }
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  return null;
}

export function postgresInstalled() {
  return findPgBin() !== null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function asPgUser(bin, args, opts = {}) {
  const isRoot = process.getuid?.() === 0;
  const cmd = isRoot ? "runuser" : bin;
  const fullArgs = isRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  return execFileSync(cmd, fullArgs, { stdio: ["ignore", "pipe", "pipe"], ...opts });
}

/** Starts a cluster and returns { url, stop() }. */
export async function startPostgres() {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-pg-"));
  const dataDir = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  asPgUser(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  asPgUser(path.join(bin, "pg_ctl"), ["-D", dataDir, "-o", opts, "-l", path.join(dir, "log"), "-w", "start"]);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const stop = () => {
    spawnSync(process.getuid?.() === 0 ? "runuser" : path.join(bin, "pg_ctl"),
      process.getuid?.() === 0 ? ["-u", "postgres", "--", path.join(bin, "pg_ctl"), "-D", dataDir, "-m", "immediate", "stop"] : ["-D", dataDir, "-m", "immediate", "stop"],
      { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  /** Stops and restarts the server on the same port (for outage tests). */
  const pgctl = (action) => asPgUser(path.join(bin, "pg_ctl"), ["-D", dataDir, "-o", opts, "-l", path.join(dir, "log"), "-w", "-m", "fast", action]);
  return { url: `${base}/postgres`, base, port, dir, stop, pgctl };
}

/** Creates a fresh database on the cluster and returns its URL. */
export function createDatabase(cluster, name) {
  const bin = findPgBin();
  asPgUser(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres", name]);
  return `${cluster.base}/${name}`;
}
