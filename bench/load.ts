/**
 * Load + fault bench for annotation: N simulated annotators loop
 * get-task → submit against a running server (loopback only), then the
 * database is checked: every acknowledged ranking stored exactly once, no
 * prompt over its N rankings, nothing half-written. Prints throughput and
 * submit latency percentiles beside autocannon's figures for a trivial
 * signed-in read on the same server (the ceiling the submit path is under).
 *
 *   npx tsx bench/load.ts --serve --sqlite /tmp/bench.db --annotators 50 --requests 20
 *   npx tsx bench/load.ts --serve --sqlite /tmp/bench.db --kill-after-ms 4000
 *   npx tsx bench/load.ts --base-url http://127.0.0.1:3350 --sqlite data/studio.db   (a server you started)
 *
 * --requests is the most rankings each annotator submits; --max-seconds bounds the whole run.
 * --serve starts `next start` from the existing .next build on the base URL's
 * port (migrating and seeding the database first); --kill-after-ms needs it,
 * since the bench SIGKILLs that server mid-load, restarts it and finishes.
 * The flow is stateful (each submit needs the ids the previous answer gave),
 * so the annotators use fetch with their own latency recording; autocannon
 * measures only the stateless baseline.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { assertLoopback, type StudioClient } from "../tests/integration/reliability/support/http";
import { checkInvariants } from "../tests/integration/reliability/support/invariants";
import { retryPending, runAnnotators, summarize, type Ack, type LoadResult } from "../tests/integration/reliability/support/load";
import { hasProductionBuild, prepareDatabase, startServer, type DbEnv, type RunningServer } from "../tests/integration/reliability/support/server";
import { addAnnotatorsAsMembers, createAnnotators, createLoadProject, signInDemoAdmin } from "../tests/integration/reliability/support/studio-setup";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string", default: "http://127.0.0.1:3350" },
    annotators: { type: "string", default: "50" },
    requests: { type: "string", default: "20" },
    prompts: { type: "string" },
    "rankings-per-prompt": { type: "string", default: "3" },
    "kill-after-ms": { type: "string" },
    "max-seconds": { type: "string", default: "180" },
    sqlite: { type: "string" },
    serve: { type: "boolean", default: false },
  },
});

function int(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${value}`);
  return n;
}

const baseUrl = values["base-url"]!;
assertLoopback(baseUrl);
const annotators = int("annotators", values.annotators, 1, 500);
const requests = int("requests", values.requests, 1, 10_000);
const n = int("rankings-per-prompt", values["rankings-per-prompt"], 1, 20);
// Enough prompts that the queue does not run dry before the request budget is spent.
const prompts = values.prompts ? int("prompts", values.prompts, 1, 100_000) : Math.ceil((annotators * requests) / n) + 10;
const killAfterMs = values["kill-after-ms"] ? int("kill-after-ms", values["kill-after-ms"], 1, 600_000) : undefined;
const deadlineMs = int("max-seconds", values["max-seconds"], 1, 3600) * 1000;
const db: DbEnv | undefined = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : values.sqlite ? { SQLITE_PATH: path.resolve(values.sqlite), DATABASE_URL: "" } : undefined;
if (!db) throw new Error("give --sqlite PATH (or DATABASE_URL) so the stored rankings can be checked");
if (killAfterMs && !values.serve) throw new Error("--kill-after-ms needs --serve: the bench only kills a server it started");

async function serve(): Promise<RunningServer | undefined> {
  if (!values.serve) return undefined;
  if (!hasProductionBuild()) throw new Error("--serve needs a production build: npx next build");
  return startServer({ port: Number(new URL(baseUrl).port), db: db!, logFile: path.join(os.tmpdir(), "studio-bench-load.log") });
}

/** autocannon on GET /api/me (session check + one indexed read): the server's ceiling for a trivial request. */
async function baseline(client: StudioClient): Promise<string> {
  const name = "autocannon";
  const autocannon = (await import(name)).default as (o: object) => Promise<{ requests: { average: number }; latency: { p50: number; p97_5: number; p99: number }; non2xx: number }>;
  const r = await autocannon({ url: `${baseUrl}/api/me`, connections: Math.min(annotators, 50), duration: 5, headers: { cookie: client.cookieHeader() } });
  return `autocannon GET /api/me (${Math.min(annotators, 50)} connections, 5 s): ${r.requests.average.toFixed(1)} req/s, latency ms p50 ${r.latency.p50}  p97.5 ${r.latency.p97_5}  p99 ${r.latency.p99}, non-2xx ${r.non2xx}`;
}

async function main(): Promise<number> {
  if (values.serve) prepareDatabase(db!);
  let server = await serve();
  try {
    const admin = await signInDemoAdmin(baseUrl);
    const projectId = await createLoadProject(admin, { prompts, completions: 3, rankingsPerPrompt: n, name: `bench ${new Date().toISOString()}` });
    const setupStarted = performance.now();
    const clients = await createAnnotators(admin, { count: annotators, tag: `bench-${Date.now()}` });
    await addAnnotatorsAsMembers(admin, projectId);
    console.log(`${annotators} annotators invited and signed in in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; ${prompts} prompts, N = ${n}`);

    let killed: Promise<void> | undefined;
    const timer = killAfterMs ? setTimeout(() => (killed = server!.crash()), killAfterMs) : undefined;
    const first = await runAnnotators({ annotators: clients, projectId, submitsPerAnnotator: requests, deadlineMs });
    clearTimeout(timer);
    const results: LoadResult[] = [first];
    const acked: Ack[] = [...first.acked];
    console.log(`\n${killed ? "before the kill" : "load"}:\n${summarize(first)}`);
    if (killed) {
      await killed;
      server = await serve();
      const retried = await retryPending(first.pending, 60_000);
      acked.push(...retried.acked);
      console.log(`\nrestarted; ${first.pending.length} unanswered submissions re-sent with their keys → ${JSON.stringify(retried.statuses)}`);
      const rest = await runAnnotators({ annotators: clients, projectId, submitsPerAnnotator: requests, deadlineMs });
      results.push(rest);
      acked.push(...rest.acked);
      console.log(`\nafter the restart:\n${summarize(rest)}`);
    }
    console.log(`\n${await baseline(admin)}`);

    const report = await checkInvariants(db!, { projectId, rankingsPerPrompt: n, acked });
    console.log(`\nacknowledged ${report.acknowledged}, stored ${report.rankings} (stored without an acknowledgement: ${report.storedNotAcked})`);
    const problems = [
      ...report.ackedMissing.map((k) => `acknowledged but not stored: ${k}`),
      ...report.ackedTwice.map((k) => `stored twice: ${k}`),
      ...report.promptsOverN.map((p) => `more than N rankings: ${p}`),
      ...report.halfWritten,
      ...(report.integrity === "ok" || report.integrity.startsWith("n/a") ? [] : [`integrity: ${report.integrity}`]),
      ...results.flatMap((r) => Object.entries(r.outcomes).filter(([k]) => / 5\d\d$/.test(k)).map(([k, c]) => `${c} × ${k}`)),
    ];
    console.log(problems.length ? `\nFAILED invariants:\n  ${problems.slice(0, 20).join("\n  ")}` : "\nall invariants hold: every acknowledged ranking stored exactly once, ≤ N per prompt, none half-written");
    return problems.length ? 1 : 0;
  } finally {
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
