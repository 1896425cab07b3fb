import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { listRewardModels, listRewardScores } from "@/db/queries/reward-models";
import type { SessionUser } from "@/lib/auth/session";
import type { JobContext } from "@/lib/jobs/define";
import { trainRewardDefinition } from "@/lib/jobs/handlers/train-reward";
import { trainRewardJob, trainRewardOptionsSchema } from "@/lib/jobs/kinds/train-reward";
import { JobCancelled } from "@/lib/jobs/runner";
import { featuresToBytes } from "@/lib/model-files/features";
import { getDb } from "@/db/client";
import { eq } from "drizzle-orm";
import { seedPreferenceProject } from "../../support/preference-seed";
import { setupTestDatabase, testDialect } from "../../support/test-db";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const routes = await import("@/app/api/projects/[id]/reward-models/route");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(async () => cleanup());

/** 40 prompts where the completion with the larger first feature wins, for two annotators. */
async function linearProject() {
  const prompts = Array.from({ length: 40 }, (_, i) => ({ text: `q${i}`, completions: [{ text: `a${i}` }, { text: `b${i}` }, { text: `c${i}` }], ranks: [[1, 2, 3], [1, 2, 3]] }));
  const seeded = await seedPreferenceProject({ annotators: 2, prompts });
  const { db, t } = getDb();
  for (const ids of seeded.completionIds) {
    for (const [j, id] of ids.entries()) {
      const x = Float32Array.from({ length: 8 }, (_, d) => (d === 0 ? 3 - j : Math.sin(d * 7 + j)));
      await db.update(t.completions).set({ features: featuresToBytes(x) }).where(eq(t.completions.id, id));
    }
  }
  return seeded;
}

const post = (id: string, body: unknown) =>
  routes.POST(new Request(`http://test/api/projects/${id}/reward-models`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({ id }) });

describe(`reward-model routes and cancellation on ${testDialect}`, () => {
  it("queues one training job, names a bad field, and refuses a second run while one is open", async () => {
    const seeded = await linearProject();
    session.user = { id: seeded.users[0].id, email: "r@t", name: "R", role: "researcher", sessionId: "s" };
    const bad = await post(seeded.project.id, { head: "transformer" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^body\.head/);
    const ok = await post(seeded.project.id, { head: "mlp", epochs: 3 });
    expect(ok.status).toBe(200);
    const { job } = await ok.json();
    expect(job.kind).toBe("train-reward");
    expect(job.payload.options.head).toBe("mlp");
    expect((await post(seeded.project.id, {})).status).toBe(409);
    session.user = { ...session.user, role: "annotator" };
    expect((await post(seeded.project.id, {})).status).toBe(403);
  });

  it("marks the version cancelled when the run is cancelled mid-training, keeping none half-scored", async () => {
    const seeded = await linearProject();
    const options = trainRewardOptionsSchema.parse({ epochs: 50, patience: 50, minPairs: 20 });
    const job = await enqueueJob({ job: trainRewardJob, payload: { projectId: seeded.project.id, options }, projectId: seeded.project.id });
    const controller = new AbortController();
    const ctx: JobContext = {
      job: (await getJob({ id: job.id }))!,
      signal: controller.signal,
      progress: async (u) => {
        // Cancel as soon as the first epoch is reported, as the runner does when a cancel is requested.
        if (u.result?.stage === "training") controller.abort(new JobCancelled("cancelled"));
        if (controller.signal.aborted) throw controller.signal.reason;
      },
    };
    await expect(trainRewardDefinition.handler({ projectId: seeded.project.id, options }, ctx)).rejects.toBeInstanceOf(JobCancelled);
    const [model] = await listRewardModels({ projectId: seeded.project.id });
    expect(model.status).toBe("cancelled");
  });

  it("refuses non-finite features with the reason and leaves the previous version and its scores alone", async () => {
    const seeded = await linearProject();
    const options = trainRewardOptionsSchema.parse({ epochs: 5, minPairs: 20 });
    const run = async () => {
      const job = await enqueueJob({ job: trainRewardJob, payload: { projectId: seeded.project.id, options }, projectId: seeded.project.id });
      const ctx: JobContext = { job: (await getJob({ id: job.id }))!, signal: new AbortController().signal, progress: async () => {} };
      return trainRewardDefinition.handler({ projectId: seeded.project.id, options }, ctx);
    };
    await run();
    const [v1] = await listRewardModels({ projectId: seeded.project.id });
    const before = await listRewardScores({ rewardModelId: v1.id });
    const { db, t } = getDb();
    await db.update(t.completions).set({ features: featuresToBytes(new Float32Array(8).fill(Number.NaN)) }).where(eq(t.completions.id, seeded.completionIds[0][0]));
    await expect(run()).rejects.toThrow(/features of 1 completion\(s\) are not finite/);
    const models = await listRewardModels({ projectId: seeded.project.id });
    expect(models.map((m) => [m.version, m.status])).toEqual([[1, "ready"]]);
    expect(await listRewardScores({ rewardModelId: v1.id })).toEqual(before);
  });
});
