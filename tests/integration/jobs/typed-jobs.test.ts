import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db/client";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { defineJob, jobKind } from "@/lib/jobs/define";
import { bestOfNJob, bestOfNOptionsSchema } from "@/lib/jobs/kinds/best-of-n";
import { startJobRunner } from "@/lib/jobs/runner";
import { setupTestDatabase, testDialect } from "../../support/test-db";

/** A kind only this file runs: multiplies a count, with a default the handler must receive filled in. */
const multiplyJob = jobKind({ kind: "multiply-test", payload: z.object({ count: z.number().int(), factor: z.number().default(2) }) });
const received: unknown[] = [];
const multiplyDefinition = defineJob({
  ...multiplyJob,
  handler: async (payload) => {
    received.push(payload);
    return { value: payload.count * payload.factor };
  },
});

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(async () => cleanup());

async function waitForFinished(ids: string[]) {
  for (let i = 0; i < 300; i++) {
    const jobs = await Promise.all(ids.map((id) => getJob({ id })));
    if (jobs.every((j) => j && ["succeeded", "failed", "cancelled"].includes(j.status))) return jobs.map((j) => j!);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("jobs did not finish");
}

describe(`typed jobs on ${testDialect}`, () => {
  it("refuses to queue a payload its kind's schema rejects, naming the field, and writes nothing", async () => {
    // @ts-expect-error count must be a number: the payload is typed by the kind's schema.
    const bad = enqueueJob({ job: multiplyJob, payload: { count: "three" } });
    await expect(bad).rejects.toThrow(/^cannot queue a multiply-test job: payload\.count: /);
    await expect(bad).rejects.toMatchObject({ code: "bad_request" });
    const { db, t } = getDb();
    expect((await db.select().from(t.jobs)).filter((j) => j.kind === "multiply-test")).toEqual([]);
  });

  it("stores best-of-N's payload with the defaults of its one schema filled in", async () => {
    const job = await enqueueJob({ job: bestOfNJob, payload: { projectId: "p1", prompt: "  What is 2 + 2?  " } });
    expect(job.kind).toBe("best-of-n");
    expect(job.payload).toEqual({ projectId: "p1", prompt: "What is 2 + 2?", n: 8, temperature: 1, maxNewTokens: 64 });
    // The route's body is the same schema without projectId, so it cannot drift to other defaults.
    expect(bestOfNOptionsSchema.parse({ prompt: "x" })).toEqual({ prompt: "x", n: 8, temperature: 1, maxNewTokens: 64 });
    expect(bestOfNOptionsSchema.safeParse({ prompt: "x", projectId: "p1" }).success).toBe(false);
  });

  it("fails a stored payload that no longer fits, naming the field, then runs the next job with its parsed payload", async () => {
    const { db, t } = getDb();
    // Written as an older schema would have: count as a string.
    const [stale] = await db.insert(t.jobs).values({ kind: "multiply-test", payload: { count: "3" }, status: "queued", updatedAt: new Date() }).returning();
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await enqueueJob({ job: multiplyJob, payload: { count: 21 } });
    const runner = startJobRunner({ jobs: [multiplyDefinition], pollMs: 20, log: () => {} });
    const [failed, succeeded] = await waitForFinished([stale.id, fresh.id]);
    await runner.stop();
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^the stored payload does not fit the multiply-test job: payload\.count: /);
    expect(succeeded.status).toBe("succeeded");
    expect(succeeded.result).toEqual({ value: 42 });
    expect(received).toEqual([{ count: 21, factor: 2 }]);
  });

  it("refuses to start a worker that is given one kind twice", () => {
    expect(() => startJobRunner({ jobs: [multiplyDefinition, multiplyDefinition], log: () => {} })).toThrow(/job kind "multiply-test" is defined twice/);
  });
});
