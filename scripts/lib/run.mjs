// Small process helpers shared by the start and test launchers (Node built-ins only,
// since they run before `npm install` has happened).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export function log(msg) {
  console.log(`\x1b[36m[studio]\x1b[0m ${msg}`);
}

/** Runs a command to completion with inherited output; throws on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts, env: { ...process.env, ...opts.env } });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${res.status ?? res.signal}`);
}

/** Like run, but returns the exit code instead of throwing. */
export function runStatus(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts, env: { ...process.env, ...opts.env } });
  return res.status ?? 1;
}

export function commandExists(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Installs npm dependencies when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const marker = path.join(root, "node_modules/.package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  log("Installing npm dependencies (npm ci)…");
  // The launcher needs tsx and the build tools (devDependencies) even when the caller sets NODE_ENV=production.
  run("npm", ["ci", "--include=dev", "--no-audit", "--no-fund"]);
}

let aptUpdated = false;
/** Installs Debian packages when a command they provide is missing. */
export function ensureAptPackages(packages) {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0 && !commandExists("sudo")) {
    throw new Error(`Missing system packages: ${packages.join(", ")}. Install them with apt-get.`);
  }
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (args) => run(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args, { env: { DEBIAN_FRONTEND: "noninteractive" } });
  log(`Installing Debian packages: ${packages.join(", ")}…`);
  if (!aptUpdated) {
    apt(["update", "-qq"]);
    aptUpdated = true;
  }
  apt(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
}

/** Starts a long-running child; returns it. */
export function start(cmd, args, opts = {}) {
  return spawn(cmd, args, { stdio: "inherit", cwd: root, ...opts, env: { ...process.env, ...opts.env } });
}

/**
 * Starts the production Next.js server in its own process group, so that
 * stopping it also stops what it started (its job worker); `npx` in between
 * would not pass signals on.
 */
export function startNextServer(port, opts = {}) {
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const args = [nextBin, "start", "-p", String(port), ...(opts.host ? ["-H", opts.host] : [])];
  return spawn(process.execPath, args, { cwd: root, detached: true, stdio: opts.stdio ?? "inherit", env: { ...process.env, ...opts.env } });
}

/** Stops a server started by startNextServer and everything in its group; waits for it to exit. */
export async function stopServer(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** True when something already listens on the port (a leftover server would answer for us). */
export async function portInUse(port) {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const sock = net.connect({ port: Number(port), host: "127.0.0.1" });
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });
}

export async function waitForHttp(url, { timeoutMs = 120_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Newest modification time under the given paths (files only), for "is the build stale?". */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p)) if (entry !== "node_modules" && !entry.startsWith(".")) visit(path.join(p, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach((p) => visit(path.join(root, p)));
  return newest;
}

/** A stable random secret stored in data/, so sessions survive restarts with zero set-up. */
export function localAuthSecret() {
  const file = path.join(root, "data", ".auth-secret");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.getRandomValues(new Uint8Array(32)).reduce((s, b) => s + b.toString(16).padStart(2, "0"), ""), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}
