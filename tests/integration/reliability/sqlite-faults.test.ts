/**
 * Reliability of annotation on the embedded SQLite set-up, against the real
 * production server (`next start`), checked on the database afterwards:
 * a bounded concurrent load, a SIGKILL of the server mid-load, and a backup
 * taken under load. Latencies are printed, never asserted (HOUSE_STYLE 11).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudioClient } from "./support/http";
import { checkInvariants, expireLeases, type InvariantReport } from "./support/invariants";
import { retryPending, runAnnotators, summarize, type Ack } from "./support/load";
import { freePort, hasProductionBuild, prepareDatabase, startServer, studio, type RunningServer } from "./support/server";
import { createAnnotators, createLoadProject, signInDemoAdmin } from "./support/studio-setup";

const N = 3;
const built = hasProductionBuild();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "studio-reliability-"));
const db = { SQLITE_PATH: path.join(tmp, "studio.db"), DATABASE_URL: "" as const };
const log = path.join(tmp, "server.log");
let port = 0;
let server: RunningServer | undefined;
let admin: StudioClient;
/** 11 annotators shared by the tests; each test has its own project. */
let people: StudioClient[] = [];

beforeAll(async () => {
  if (!built) return;
  prepareDatabase(db);
  port = await freePort();
  server = await startServer({ port, db, logFile: log });
  admin = await signInDemoAdmin(server.baseUrl);
  people = await createAnnotators(admin, { count: 11, tag: "sqlite" });
});

afterAll(async () => {
  await server?.stop();
  if (process.env.KEEP_RELIABILITY_TMP) console.log(`[reliability] kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
});

/** The invariants every scenario must keep, whatever else it checks. */
function expectNoLabelLost(report: InvariantReport): void {
  expect(report.ackedMissing, "acknowledged but not stored").toEqual([]);
  expect(report.ackedTwice, "stored twice").toEqual([]);
  expect(report.promptsOverN, "prompts over N").toEqual([]);
  expect(report.halfWritten, "half-written rankings").toEqual([]);
  expect(report.integrity).toBe("ok");
}

const noServerErrors = (outcomes: Record<string, number>) => Object.keys(outcomes).filter((k) => / 5\d\d$/.test(k));

describe.skipIf(!built)("annotation reliability on SQLite (production server)", () => {
  it("stores every acknowledged ranking exactly once under 10 concurrent annotators, never more than N per prompt", async () => {
    const projectId = await createLoadProject(admin, { prompts: 30, completions: 3, rankingsPerPrompt: N });
    const result = await runAnnotators({ annotators: people.slice(0, 10), projectId, submitsPerAnnotator: 20, deadlineMs: 90_000 });
    console.log(`[load] 10 annotators × ≤20 submits\n${summarize(result)}`);
    const report = await checkInvariants(db, { projectId, rankingsPerPrompt: N, acked: result.acked });
    expect(result.acked.length).toBeGreaterThan(0);
    expect(noServerErrors(result.outcomes)).toEqual([]);
    expectNoLabelLost(report);
    expect(report.rankings).toBe(report.acknowledged);
    // The queue ran dry with capacity to spare, so every prompt got exactly its N rankings.
    expect(report.promptsAtN).toBe(30);
  });

  it("loses no acknowledged ranking when the server is SIGKILLed mid-load, and expired leases return the work", async () => {
    const projectId = await createLoadProject(admin, { prompts: 20, completions: 3, rankingsPerPrompt: N });
    let killed: Promise<void> | undefined;
    const phase1 = await runAnnotators({
      annotators: people.slice(0, 8),
      projectId,
      submitsPerAnnotator: 20,
      deadlineMs: 90_000,
      onAck: (ackedSoFar) => {
        if (ackedSoFar.length >= 15 && !killed) killed = server!.crash();
      },
    });
    await killed;
    expect(phase1.pending.length + (phase1.outcomes["next no-answer"] ?? 0), "requests cut off by the kill").toBeGreaterThan(0);
    console.log(`[crash] before the kill\n${summarize(phase1)}; ${phase1.pending.length} submissions unanswered`);
    server = await startServer({ port, db, logFile: log });

    // The ranking screen re-sends an unanswered submission with the same key: stored once, whichever way it went.
    const retried = await retryPending(phase1.pending, 30_000);
    expect(retried.statuses.every((s) => s === 200), `retry statuses ${retried.statuses}`).toBe(true);
    const acked: Ack[] = [...phase1.acked, ...retried.acked];
    const afterCrash = await checkInvariants(db, { projectId, rankingsPerPrompt: N, acked });
    expectNoLabelLost(afterCrash);
    expect(afterCrash.storedNotAcked).toBe(0);

    // Four annotators take a task and walk away (closed tab, or their answer died with the server).
    // Their leases block those prompts' last slots until they expire; once they have, three
    // annotators who never held one must be able to finish every prompt.
    for (const walkedAway of people.slice(0, 4)) expect((await walkedAway.request("POST", `/api/projects/${projectId}/tasks/next`)).status).toBe(200);
    const aged = await expireLeases(db, projectId);
    expect(aged).toBeGreaterThanOrEqual(4);
    const phase2 = await runAnnotators({ annotators: people.slice(8, 11), projectId, submitsPerAnnotator: 20, deadlineMs: 90_000 });
    console.log(`[crash] after restart: ${retried.acked.length} retried, ${aged} leases aged\n${summarize(phase2)}`);
    expect(noServerErrors(phase2.outcomes)).toEqual([]);
    const final = await checkInvariants(db, { projectId, rankingsPerPrompt: N, acked: [...acked, ...phase2.acked] });
    expectNoLabelLost(final);
    expect(final.storedNotAcked).toBe(0);
    expect(final.promptsAtN).toBe(20);
  });

  it("takes a consistent backup under load that restores, passes the invariants and serves again", async () => {
    const projectId = await createLoadProject(admin, { prompts: 20, completions: 3, rankingsPerPrompt: N });
    const backupFile = path.join(tmp, "backup.db");
    let ackedAtStart: Ack[] | undefined;
    let backup: Promise<unknown> | undefined;
    const load = await runAnnotators({
      annotators: people.slice(0, 8),
      projectId,
      submitsPerAnnotator: 20,
      deadlineMs: 90_000,
      onAck: (ackedSoFar) => {
        if (ackedSoFar.length < 10 || backup) return;
        ackedAtStart = [...ackedSoFar];
        // Async, so the annotators keep submitting while the copy runs.
        backup = promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "cli/index.ts", "backup", "--out", backupFile], { env: { ...process.env, ...db } });
      },
    });
    await backup;
    expect(fs.existsSync(backupFile)).toBe(true);
    console.log(`[backup] taken after ${ackedAtStart!.length} acknowledged rankings\n${summarize(load)}`);

    // A live database is never overwritten, and a file that is not ours is refused.
    expect(() => studio(db, ["restore", "--from", backupFile])).toThrow(/open in another process/);
    fs.writeFileSync(path.join(tmp, "junk.db"), "not a database");
    const restoredDb = { SQLITE_PATH: path.join(tmp, "restored.db"), DATABASE_URL: "" as const };
    expect(() => studio(restoredDb, ["restore", "--from", path.join(tmp, "junk.db")])).toThrow(/not a readable SQLite database/);
    studio(restoredDb, ["restore", "--from", backupFile]);

    // Everything acknowledged before the backup began is in it; nothing in it was never acknowledged.
    const restored = await checkInvariants(restoredDb, { projectId, rankingsPerPrompt: N, acked: ackedAtStart! });
    expectNoLabelLost(restored);
    const inBackupButLater = (await checkInvariants(restoredDb, { projectId, rankingsPerPrompt: N, acked: load.acked })).storedNotAcked;
    expect(inBackupButLater).toBe(0);

    // The restored database serves: the same people (same sessions) finish the project on it.
    const restoredServer = await startServer({ port: await freePort(), db: restoredDb, logFile: path.join(tmp, "restored.log") });
    try {
      const moved = people.map((p) => p.withBaseUrl(restoredServer.baseUrl));
      const finish = await runAnnotators({ annotators: moved, projectId, submitsPerAnnotator: 20, deadlineMs: 90_000 });
      expect(noServerErrors(finish.outcomes)).toEqual([]);
      const storedBefore = restored.rankings;
      const final = await checkInvariants(restoredDb, { projectId, rankingsPerPrompt: N, acked: finish.acked });
      expect(final.ackedMissing).toEqual([]);
      expect(final.rankings).toBe(storedBefore + finish.acked.length);
      expect(final.promptsOverN).toEqual([]);
      expect(final.halfWritten).toEqual([]);
      expect(final.promptsAtN).toBe(20);
    } finally {
      await restoredServer.stop();
    }
  });
});

if (!built) {
  describe("annotation reliability on SQLite", () => {
    it.skip("needs a production build (.next/BUILD_ID); `npm test` runs these after `next build`", () => {});
  });
}
