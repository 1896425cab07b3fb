import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { claimNextJob, enqueueJob, gaveUpMessage, getJob } from "@/db/queries/jobs";
import { DEFAULT_MAX_ATTEMPTS, defineJob, jobKind } from "@/lib/jobs/define";
import { CRASH_LEASE_MS, crashJob } from "../../support/crash-worker";
import { runJobToEnd } from "../../support/run-job";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("job kinds' attempt limit", () => {
  it("defaults to a few attempts and refuses a limit below one", () => {
    expect(jobKind({ kind: "a", payload: z.object({}) }).maxAttempts).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(DEFAULT_MAX_ATTEMPTS).toBe(3);
    expect(defineJob({ ...jobKind({ kind: "b", payload: z.object({}), maxAttempts: 5 }), handler: async () => {} }).maxAttempts).toBe(5);
    expect(() => jobKind({ kind: "c", payload: z.object({}), maxAttempts: 0 })).toThrow('job kind "c": maxAttempts must be an integer >= 1, got 0');
  });
});

describe(`jobs whose worker keeps dying on ${testDialect}`, () => {
  it("stop as failed with the reason once every allowed attempt lost its lease, and the queue moves on", async () => {
    const flaky = jobKind({ kind: "lease-expiry-test", payload: z.object({ n: z.number() }), maxAttempts: 2 });
    const poisoned = await enqueueJob({ job: flaky, payload: { n: 1 } });
    const healthy = await enqueueJob({ job: flaky, payload: { n: 2 } });
    // Two workers claim it in turn and die: neither renews its lease.
    for (const owner of ["dead-1", "dead-2"]) {
      expect((await claimNextJob({ owner, leaseMs: 1, kinds: [flaky] }))?.id).toBe(poisoned.id);
      await sleep(10);
    }
    const ran: number[] = [];
    const done = await runJobToEnd(healthy.id, { jobs: [defineJob({ ...flaky, handler: async (p) => void ran.push(p.n) })] });
    expect(done.status).toBe("succeeded");
    expect(ran).toEqual([2]);
    const failed = await getJob({ id: poisoned.id });
    expect(failed).toMatchObject({ status: "failed", attempts: 2, error: "gave up after 2 attempts; the worker stopped while running it each time", leaseOwner: null });
    expect(gaveUpMessage(1)).toBe("gave up after 1 attempt; the worker stopped while running it each time");
  });

  it("stop as failed after maxAttempts real worker processes died running it", { timeout: 120_000 }, async () => {
    const job = await enqueueJob({ job: crashJob, payload: {} });
    const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
    const exits: (number | null)[] = [];
    // Worker processes one after the other, each started after the last one died, until the job ends (or too many tries).
    for (let i = 0; i < crashJob.maxAttempts + 2; i++) {
      await sleep(CRASH_LEASE_MS + 50);
      const child = spawnSync(process.execPath, [tsx, "--conditions=react-server", "tests/support/crash-worker.ts", "1500"], { env: process.env, encoding: "utf8", timeout: 60_000 });
      exits.push(child.status);
      if ((await getJob({ id: job.id }))?.status !== "running") break;
    }
    const row = await getJob({ id: job.id });
    expect(exits).toEqual([137, 137, 137, 0]);
    expect(row).toMatchObject({ status: "failed", attempts: 3, error: "gave up after 3 attempts; the worker stopped while running it each time" });
  });
});
