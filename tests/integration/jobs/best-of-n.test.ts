import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { createProject } from "@/db/queries/projects";
import { bestOfNJob } from "@/lib/jobs/kinds/best-of-n";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";
import { rewardHeadToSafetensors } from "@/lib/model-files/reward-head-file";
import type { RewardHead } from "@/lib/reward";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { testDialect } from "../../support/test-db";

const tinyModel = useTestDatabaseWithTinyModel();

async function runJob(id: string) {
  const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
  for (let i = 0; i < 600 && !["succeeded", "failed"].includes((await getJob({ id }))!.status); i++) await new Promise((r) => setTimeout(r, 100));
  await runner.stop();
  return (await getJob({ id }))!;
}

describe(`best-of-N on ${testDialect}`, () => {
  it("refuses without a trained reward model, then samples N answers and lists them best first by the reward model", async () => {
    const project = await createProject({ name: "bon", completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: tinyModel.modelDir(), decodingPresets: [] });
    const payload = { projectId: project.id, prompt: "What is 17 + 25?", n: 5, temperature: 1.0, maxNewTokens: 8 };
    const refused = await runJob((await enqueueJob({ job: bestOfNJob, payload, projectId: project.id })).id);
    expect(refused.status).toBe("failed");
    expect(refused.error).toContain("no trained reward model");

    // A linear head on the tiny model's 32-dim hidden state, stored as the app stores trained heads.
    const dim = 32;
    const head: RewardHead = {
      config: { kind: "linear", inputDim: dim, hidden: 0, activation: "gelu" } as RewardHead["config"],
      mean: new Float32Array(dim),
      std: new Float32Array(dim).fill(1),
      params: { w: Float32Array.from({ length: dim }, (_, i) => Math.sin(i)), b: new Float32Array(1) },
    };
    const { db, t } = getDb();
    await db.insert(t.rewardModels).values({ projectId: project.id, version: 1, config: {}, status: "ready", weights: Buffer.from(rewardHeadToSafetensors(head, {})) });
    const done = await runJob((await enqueueJob({ job: bestOfNJob, payload, projectId: project.id })).id);
    expect(done.error).toBeNull();
    const samples = (done.result as { samples: { text: string; score: number }[] }).samples;
    expect(samples).toHaveLength(5);
    for (let i = 1; i < samples.length; i++) expect(samples[i - 1].score).toBeGreaterThanOrEqual(samples[i].score);
    expect(new Set(samples.map((s) => s.score)).size).toBeGreaterThan(1);
  });
});
