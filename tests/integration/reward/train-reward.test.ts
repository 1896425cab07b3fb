import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { getRewardModel, listRewardModels, listRewardScores } from "@/db/queries/reward-models";
import type { JobKind, JobPayloadSchema } from "@/lib/jobs/define";
import { featurizeJob } from "@/lib/jobs/kinds/featurize";
import { trainRewardJob, trainRewardOptionsSchema } from "@/lib/jobs/kinds/train-reward";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";
import { featuresToBytes } from "@/lib/model-files/features";
import { openRewardScorer } from "@/lib/model-files/reward-file";
import { rewardHeadFromSafetensors } from "@/lib/model-files/reward-head-file";
import { loadTrainableBackbone } from "@/lib/model-files/trainable-backbone";
import { createScorer } from "@/lib/reward";
import { seedPreferenceProject, type SeedPrompt } from "../../support/preference-seed";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { testDialect } from "../../support/test-db";

const tinyModel = useTestDatabaseWithTinyModel();

const FILLER = ["river", "stone", "cloud", "green", "quick", "table", "music", "north", "paper", "light", "sugar", "wheel"];

/** Seeded LCG so the project is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Hashed bag of words (32 buckets): a stand-in backbone that "sees" words, as a real one would. */
function bagOfWords(text: string): Float32Array {
  const x = new Float32Array(32);
  for (const w of text.split(/\W+/).filter(Boolean)) {
    let h = 2166136261;
    for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    x[(h >>> 0) % 32] += 1;
  }
  return x;
}

/** Prompts whose completions hold 2, 1 and 0 "apple"s; every annotator ranks by that count: the rule a reward model should find. */
function rulePrompts(n: number, seed = 1): SeedPrompt[] {
  const r = rng(seed);
  const words = (k: number) => Array.from({ length: k }, () => FILLER[Math.floor(r() * FILLER.length)]).join(" ");
  return Array.from({ length: n }, (_, i) => {
    const texts = [2, 1, 0].map((apples) => `${words(3)} ${"apple ".repeat(apples)}${words(3)} #${i}`);
    return { text: `Prompt ${i}: say something`, completions: texts.map((text, j) => ({ text, preset: ["greedy", "t0.7", "t1.2"][j] })), ranks: [[1, 2, 3], [1, 2, 3], [1, 2, 3]] };
  });
}

async function cacheSyntheticFeatures(completionIds: string[][], texts: string[][]) {
  const { db, t } = getDb();
  const { eq } = await import("drizzle-orm");
  for (let p = 0; p < completionIds.length; p++) {
    for (let c = 0; c < completionIds[p].length; c++) {
      await db.update(t.completions).set({ features: featuresToBytes(bagOfWords(texts[p][c])) }).where(eq(t.completions.id, completionIds[p][c]));
    }
  }
}

async function runJob<S extends JobPayloadSchema>(kind: JobKind<string, S>, payload: z.input<S>, projectId: string) {
  const job = await enqueueJob({ job: kind, payload, projectId });
  const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
  try {
    for (let i = 0; i < 1200; i++) {
      const j = await getJob({ id: job.id });
      if (j && ["succeeded", "failed", "cancelled"].includes(j.status)) return j;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${job.id} did not finish`);
  } finally {
    await runner.stop();
  }
}

describe(`reward model training on ${testDialect}`, () => {
  it("learns a rule that decides every preference and scores every completion", async () => {
    // 150 prompts keep the held-out split large enough that one unlucky split cannot dip below 90%.
    const prompts = rulePrompts(150);
    const seeded = await seedPreferenceProject({ annotators: 3, prompts });
    await cacheSyntheticFeatures(seeded.completionIds, prompts.map((p) => p.completions.map((c) => c.text)));
    const options = trainRewardOptionsSchema.parse({ epochs: 60, lr: 0.01, patience: 20 });
    const job = await runJob(trainRewardJob, { projectId: seeded.project.id, options }, seeded.project.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe("succeeded");
    const [model] = await listRewardModels({ projectId: seeded.project.id });
    expect(model.status).toBe("ready");
    expect(model.version).toBe(1);
    const metrics = model.metrics as { test: { accuracy: number; pairs: number }; history: unknown[] };
    console.log(`[reward] held-out accuracy on the rule-decided project: ${metrics.test.accuracy.toFixed(3)} over ${metrics.test.pairs} pairs`);
    expect(metrics.test.pairs).toBeGreaterThan(0);
    expect(metrics.test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(metrics.history.length).toBeGreaterThan(0);
    expect((model.dataSnapshot as { rankings: number }).rankings).toBe(prompts.length * 3);
    const scores = await listRewardScores({ rewardModelId: model.id });
    expect(scores.size).toBe(prompts.length * 3);
    // The stored weights reload into a head that gives the stored scores.
    const full = await getRewardModel({ id: model.id });
    const head = rewardHeadFromSafetensors(new Uint8Array(full!.weights!));
    const id = seeded.completionIds[0][0];
    expect(createScorer(head)(bagOfWords(prompts[0].completions[0].text))).toBeCloseTo(scores.get(id)!, 4);
    // A second run is version 2; the first stays as it was.
    const again = await runJob(trainRewardJob, { projectId: seeded.project.id, options: { ...options, epochs: 2 } }, seeded.project.id);
    expect(again.status).toBe("succeeded");
    expect((await listRewardModels({ projectId: seeded.project.id })).map((m) => [m.version, m.status])).toEqual([[2, "ready"], [1, "ready"]]);
  });

  it("refuses with the reason when there are too few pairs", async () => {
    const prompts = rulePrompts(4, 2);
    const seeded = await seedPreferenceProject({ annotators: 3, prompts });
    await cacheSyntheticFeatures(seeded.completionIds, prompts.map((p) => p.completions.map((c) => c.text)));
    const job = await runJob(trainRewardJob, { projectId: seeded.project.id, options: trainRewardOptionsSchema.parse({}) }, seeded.project.id);
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/need at least 50 training pairs/);
    expect(await listRewardModels({ projectId: seeded.project.id })).toEqual([]);
  });

  it("caches the tiny model's final hidden state for every completion", async () => {
    const prompts = rulePrompts(2, 3);
    const seeded = await seedPreferenceProject({ annotators: 3, prompts, modelId: tinyModel.modelDir() });
    const job = await runJob(featurizeJob, { projectId: seeded.project.id }, seeded.project.id);
    expect(job.error).toBeNull();
    expect(job.progressDone).toBe(6);
    const { db, t } = getDb();
    const rows = (await db.select().from(t.completions)).filter((c) => seeded.completionIds.flat().includes(c.id));
    expect(rows.every((r) => r.features?.byteLength === 32 * 4)).toBe(true);
    // Different completions give different states.
    expect(Buffer.compare(rows[0].features!, rows[1].features!)).not.toBe(0);
  });

  it("fine-tunes the backbone's top layer (mode b), stores scores, and the weights reload to the same scores", async () => {
    const prompts = rulePrompts(40, 4);
    const seeded = await seedPreferenceProject({ annotators: 3, prompts, modelId: tinyModel.modelDir() });
    const options = trainRewardOptionsSchema.parse({ mode: "finetune", trainLayers: 1, epochs: 3, lr: 1e-3, minPairs: 20 });
    const job = await runJob(trainRewardJob, { projectId: seeded.project.id, options }, seeded.project.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe("succeeded");
    const [model] = await listRewardModels({ projectId: seeded.project.id });
    expect(model.status).toBe("ready");
    expect((model.config as { mode: string }).mode).toBe("finetune");
    const metrics = model.metrics as { test: { accuracy: number; pairs: number }; history: unknown[] };
    expect(metrics.test.pairs).toBeGreaterThan(0);
    expect(metrics.history.length).toBeGreaterThan(0);
    const scores = await listRewardScores({ rewardModelId: model.id });
    expect(scores.size).toBe(prompts.length * 3);
    const full = await getRewardModel({ id: model.id });
    const scorer = await openRewardScorer(tinyModel.modelDir(), new Uint8Array(full!.weights!));
    for (const c of [0, 2]) {
      const stored = scores.get(seeded.completionIds[5][c])!;
      expect(scorer.score([{ role: "user", content: prompts[5].text }], prompts[5].completions[c].text)).toBeCloseTo(stored, 4);
    }
    // Completions get different rewards (the model is not constant).
    expect(new Set([...scores.values()].map((s) => s.toFixed(6))).size).toBeGreaterThan(10);
  });

  it("refuses to fine-tune a backbone that is not a Hugging Face folder, saying why", async () => {
    const file = `${tinyModel.modelDir()}/config.json`;
    await expect(loadTrainableBackbone(file)).rejects.toThrow(/needs a Hugging Face folder/);
    await expect(loadTrainableBackbone(`${tinyModel.modelDir()}/nope`)).rejects.toThrow(/no such model file or folder/);
  });

  it("reports agreement with the verifier on held-out pairs when prompts carry one", async () => {
    // "What is a + b?" with the right sum ranked first: the head learns which answer wins, and the verifier agrees.
    const r = rng(5);
    const prompts: SeedPrompt[] = Array.from({ length: 80 }, (_, i) => {
      const sum = 2 + Math.floor(r() * 3);
      const texts = [sum, sum + 5, sum + 9].map((n) => `${FILLER[i % FILLER.length]} ${n === sum ? "apple" : "pear"} ${n}`);
      return { text: `What is ${sum - 1} + 1? (#${i})`, completions: texts.map((text) => ({ text })), ranks: [[1, 2, 3], [1, 2, 3]] };
    });
    const seeded = await seedPreferenceProject({ annotators: 2, prompts });
    await cacheSyntheticFeatures(seeded.completionIds, prompts.map((p) => p.completions.map((c) => c.text)));
    const { db, t } = getDb();
    const { eq } = await import("drizzle-orm");
    for (const [i, id] of seeded.promptIds.entries()) {
      const a = Number(/What is (\d+)/.exec(prompts[i].text)![1]);
      await db.update(t.prompts).set({ verifierId: "int-equals-arith", metadata: { verifier: { a, b: 1, op: "+" } } }).where(eq(t.prompts.id, id));
    }
    const options = trainRewardOptionsSchema.parse({ epochs: 40, lr: 0.01, patience: 10, minPairs: 20 });
    const job = await runJob(trainRewardJob, { projectId: seeded.project.id, options }, seeded.project.id);
    expect(job.error).toBeNull();
    const [model] = await listRewardModels({ projectId: seeded.project.id });
    const verifier = (model.metrics as { test: { verifier: { pairs: number; accuracy: number } | null } }).test.verifier;
    expect(verifier).not.toBeNull();
    expect(verifier!.pairs).toBeGreaterThan(0);
    expect(verifier!.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
