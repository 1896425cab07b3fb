import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db/client";
import { claimNextJob, enqueueJob, getJob, requestJobCancel } from "@/db/queries/jobs";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { jobKind } from "@/lib/jobs/define";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { waitForJob } from "../../support/run-job";
import { testDialect } from "../../support/test-db";

const tinyModel = useTestDatabaseWithTinyModel();

const presets = [
  { name: "greedy", config: { temperature: 0, max_new_tokens: 8 } },
  { name: "t1.0-k20", config: { temperature: 1.0, top_k: 20, max_new_tokens: 8 } },
  { name: "beam2", config: { temperature: 0, num_beams: 2, max_new_tokens: 6 } },
];

async function projectWithPrompts(n: number) {
  const project = await createProject({ name: `gen-${Math.random()}`, completionsPerPrompt: 3, rankingsPerPrompt: 1, modelId: tinyModel.modelDir(), decodingPresets: presets });
  await importPrompts({ projectId: project.id, source: "test", prompts: Array.from({ length: n }, (_, i) => ({ text: `What is ${i} + ${i}?` })) });
  return project;
}


describe(`generation jobs on ${testDialect}`, () => {
  it("fills K completions per prompt with the built-in engine, recording each preset's config and seed", async () => {
    const project = await projectWithPrompts(3);
    const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 3 });
    const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
    const done = await waitForJob(job.id, ["succeeded", "failed"]);
    await runner.stop();
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(done.progressDone).toBe(3);
    const { db, t } = getDb();
    const rows = await db.select().from(t.completions);
    const mine = rows.filter((r) => r.modelId === tinyModel.modelDir());
    expect(mine.length).toBe(9);
    for (const c of mine) {
      const cfg = parseDecodingConfig(c.decodingConfig);
      expect(cfg.seed).toBe(c.seed);
      expect(["greedy", "t1.0-k20", "beam2"]).toContain(c.presetName);
      expect(c.tokenCount).toBeGreaterThan(0);
      expect(["stop", "length", "stop_string"]).toContain(c.finishReason);
    }
  });

  it("cancels a queued job at once and resumes the remaining prompts in a new job", async () => {
    const project = await projectWithPrompts(2);
    const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 2 });
    expect((await requestJobCancel({ id: job.id }))?.status).toBe("cancelled");
    const again = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 2 });
    const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
    expect((await waitForJob(again.id, ["succeeded", "failed"])).status).toBe("succeeded");
    await runner.stop();
    expect((await getJob({ id: job.id }))?.status).toBe("cancelled");
  });

  it("lets another worker take over a job whose worker stopped renewing its lease", async () => {
    const project = await projectWithPrompts(1);
    const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 1 });
    // A worker claims it with a short lease and then "dies" (never runs or renews it).
    const dead = await claimNextJob({ owner: "dead-worker", leaseMs: 1, kinds: [generateJob] });
    expect(dead?.id).toBe(job.id);
    await new Promise((r) => setTimeout(r, 20));
    const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
    const done = await waitForJob(job.id, ["succeeded", "failed"]);
    await runner.stop();
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(2);
  });

  it("never lets two workers claim the same job", async () => {
    const project = await projectWithPrompts(1);
    const noopJob = jobKind({ kind: "noop-test", payload: z.object({}) });
    await enqueueJob({ job: noopJob, payload: {}, projectId: project.id });
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => claimNextJob({ owner: `w${i}`, leaseMs: 60_000, kinds: [noopJob] })));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
