// `npm test`: installs what the tests need (npm packages; Debian's chromium and
// postgresql when missing), then type-checks, lints, and runs every unit,
// integration and browser test — on SQLite and again on a throw-away
// PostgreSQL server started here. Exits non-zero if anything fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, postgresInstalled, startPostgres } from "./lib/postgres.mjs";
import { spawn } from "node:child_process";
import { commandExists, ensureAptPackages, ensureNodeModules, log, portInUse, root, runStatus, startNextServer, stopServer, waitForHttp } from "./lib/run.mjs";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const missing = [];
if (!fs.existsSync(chromiumPath)) missing.push("chromium");
if (!postgresInstalled()) missing.push("postgresql");
if (!commandExists("runuser")) missing.push("util-linux");
ensureAptPackages(missing);
ensureNodeModules();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "studio-test-run-"));
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(name, fn) {
  log(`── ${name}`);
  let ok = false;
  try {
    ok = fn();
  } catch (err) {
    console.error(err);
  }
  results.push({ name, ok });
  if (!ok) log(`✗ ${name} failed`);
  return ok;
}

function countVitest(file) {
  if (!fs.existsSync(file)) return false;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  return r.numFailedTests === 0 && r.numTotalTests > 0;
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return false;
  const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
  totals.passed += s.expected + s.flaky;
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
  return s.unexpected === 0 && s.expected > 0;
}

const npx = (args, env = {}) => runStatus("npx", args, { env });

step("type-check (tsc --noEmit)", () => npx(["tsc", "--noEmit"]) === 0);
step("lint (eslint, with the pure-core import boundaries)", () => npx(["eslint", "."]) === 0);

step("unit + integration tests on SQLite", () => {
  const out = path.join(tmp, "vitest-sqlite.json");
  const code = npx(["vitest", "run", "--exclude", "tests/integration/reliability/**", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  return countVitest(out) && code === 0;
});

let pg;
try {
  pg = await startPostgres();
  log(`PostgreSQL test server on port ${pg.port}`);
} catch (err) {
  console.error(err);
  results.push({ name: "start PostgreSQL", ok: false });
}

if (pg) {
  step("integration tests on PostgreSQL", () => {
    const out = path.join(tmp, "vitest-pg.json");
    const code = npx(["vitest", "run", "tests/integration", "--exclude", "tests/integration/reliability/**", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], { TEST_DATABASE_URL: pg.url });
    return countVitest(out) && code === 0;
  });
}

const port = process.env.E2E_PORT ?? "3100";
const baseURL = `http://127.0.0.1:${port}`;
const appEnv = { NEXTAUTH_SECRET: "test-secret-not-for-production", NEXTAUTH_URL: baseURL, NODE_ENV: "production" };
const built = step("production build (next build)", () => npx(["next", "build"], appEnv) === 0);

// These start production servers of their own (kill them, back them up, cut their database).
if (built) {
  step("reliability tests (production server: load, SIGKILL, backup under load, PostgreSQL outage)", () => {
    const out = path.join(tmp, "vitest-reliability.json");
    const code = npx(["vitest", "run", "tests/integration/reliability", "--no-file-parallelism", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
    return countVitest(out) && code === 0;
  });
}

function startWorker(env) {
  const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
  return spawn(process.execPath, [tsx, "--conditions=react-server", "cli/index.ts", "worker", "--poll-ms", "250"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
}

async function browserSuite(label, dbEnv) {
  const env = { ...appEnv, ...dbEnv };
  const studio = (args) => npx(["tsx", "--conditions=react-server", "cli/index.ts", ...args], env);
  if (studio(["migrate"]) !== 0 || studio(["seed", "--demo", "--quiet"]) !== 0) {
    results.push({ name: `browser tests on ${label}: prepare database`, ok: false });
    return;
  }
  if (await portInUse(port)) {
    console.error(`Port ${port} is already in use; stop whatever listens there (or set E2E_PORT).`);
    results.push({ name: `browser tests on ${label}: port ${port} free`, ok: false });
    return;
  }
  const server = startNextServer(port, { host: "127.0.0.1", env, stdio: ["ignore", "ignore", "inherit"] });
  // On PostgreSQL jobs run in separate worker processes, as in a real deployment.
  const worker = dbEnv.DATABASE_URL ? startWorker(env) : null;
  try {
    await waitForHttp(`${baseURL}/api/health`, { child: server });
    const health = await (await fetch(`${baseURL}/api/health`)).json();
    if (health.dialect !== (dbEnv.DATABASE_URL ? "postgres" : "sqlite")) throw new Error(`server runs on ${health.dialect}, expected ${label}`);
    step(`browser tests on ${label} (Playwright + Chromium)`, () => {
      const out = path.join(tmp, `playwright-${label}.json`);
      const code = npx(["playwright", "test", "--reporter=list,json"], { ...env, E2E_BASE_URL: baseURL, PLAYWRIGHT_JSON_OUTPUT_FILE: out, CHROMIUM_PATH: chromiumPath });
      return countPlaywright(out) && code === 0;
    });
  } catch (err) {
    console.error(err);
    results.push({ name: `browser tests on ${label}: server start`, ok: false });
  } finally {
    await stopServer(server);
    if (worker) await stopServer(worker);
  }
}

// The browser suite generates completions with a tiny random-weight model
// (fast, and independent of the demo model's training run).
const tinyModel = path.join(tmp, "tiny-model");
fs.mkdirSync(tinyModel);
if (npx(["tsx", "tests/support/tiny-model.ts", tinyModel]) !== 0) results.push({ name: "write the tiny test model", ok: false });
appEnv.MODEL_PATH = tinyModel;
// Model versions the browser suite registers are written here, not into the checkout's data/.
appEnv.STUDIO_DATA_DIR = path.join(tmp, "data");

if (built) {
  await browserSuite("SQLite", { SQLITE_PATH: path.join(tmp, "e2e.db"), DATABASE_URL: "" });
  if (pg) await browserSuite("PostgreSQL", { DATABASE_URL: createDatabase(pg, "studio_e2e") });
}

pg?.stop();
fs.rmSync(tmp, { recursive: true, force: true });

console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "✓" : "✗"} ${r.name}`);
const failedSteps = results.filter((r) => !r.ok).length;
console.log(`\n${totals.passed} passed, ${totals.failed + failedSteps} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
