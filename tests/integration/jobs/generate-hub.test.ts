import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { claimNextJob, enqueueJob, getJob } from "@/db/queries/jobs";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { resetEnvCache } from "@/lib/env";
import { generateDefinition } from "@/lib/jobs/handlers/generate";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";
import { startFakeHub, type FakeHub } from "../../support/fake-hub";
import { tinyHubModels } from "../../support/hub-fixtures";
import { setupTestDatabase, testDialect } from "../../support/test-db";

const models = await tinyHubModels();
const saved = { ...process.env };
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-job-cache-"));
let hub: FakeHub;
let cleanup: () => Promise<void>;
const TOKEN = "hf_jobSecret42";

beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  hub = await startFakeHub();
  hub.addRepo("t/job-model", models.folder);
  hub.addRepo("t/gated", { "g.gguf": models.gguf }, { token: "hf_theRightOne" });
  Object.assign(process.env, { HF_ENDPOINT: hub.url, HF_HUB_CACHE: cacheDir, HF_TOKEN: TOKEN });
  resetEnvCache();
});
afterAll(async () => {
  for (const k of ["HF_ENDPOINT", "HF_HUB_CACHE", "HF_TOKEN"]) if (saved[k] === undefined) delete process.env[k];
  resetEnvCache();
  await hub?.close();
  await cleanup();
  models.cleanup();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const presets = [{ name: "greedy", config: { temperature: 0, max_new_tokens: 4 } }];

async function projectOn(modelId: string) {
  const project = await createProject({ name: `hub-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId, decodingPresets: presets });
  await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "What is 1 + 1?" }, { text: "Hello?" }] });
  return project;
}

async function runToEnd(projectId: string) {
  const job = await enqueueJob({ job: generateJob, projectId, payload: { projectId }, progressTotal: 2 });
  const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
  try {
    for (let i = 0; i < 600; i++) {
      const row = await getJob({ id: job.id });
      if (row && (row.status === "succeeded" || row.status === "failed")) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the job never finished");
  } finally {
    await runner.stop();
  }
}

describe(`generation jobs on Hub models (${testDialect})`, () => {
  it("downloads the project's hf: model with its progress on the job, then writes completions", async () => {
    const project = await projectOn("hf:t/job-model");
    await enqueueJob({ job: generateJob, projectId: project.id, payload: { projectId: project.id }, progressTotal: 2 });
    // Claimed here and run in-process, so every progress report can be recorded.
    const job = (await claimNextJob({ owner: "test", leaseMs: 600_000, kinds: ["generate"] }))!;
    const updates: { done: number; total?: number; result?: Record<string, unknown> }[] = [];
    const result = await generateDefinition.handler({ projectId: project.id }, { job, signal: new AbortController().signal, progress: async (u) => void updates.push(u) });
    expect(result).toMatchObject({ prompts: 2 });
    const downloads = updates.filter((u) => u.result?.stage === "download");
    const total = downloads[0]?.result?.totalBytes as number;
    expect(total).toBeGreaterThan(0);
    expect(downloads.at(-1)?.result).toMatchObject({ stage: "download", bytes: total, totalBytes: total });
    // The prompt counts stay the job's own progress while the model downloads.
    expect(downloads.every((u) => u.done === 0 && u.total === 2)).toBe(true);
    const { db, t } = getDb();
    const rows = (await db.select().from(t.completions)).filter((c) => c.modelId === "hf:t/job-model");
    expect(rows).toHaveLength(4);
    expect(rows.every((c) => (c.tokenCount ?? 0) > 0)).toBe(true);
  });

  it("fails the job with a message naming the id when the Hub has no such repo", async () => {
    const project = await projectOn("hf:t/no-such-model");
    const row = await runToEnd(project.id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe(`hf:t/no-such-model: no such model repo t/no-such-model on ${hub.url}`);
  });

  it("fails the job saying the token lacks access to a gated model, without storing the token", async () => {
    const project = await projectOn("hf:t/gated/g.gguf");
    const row = await runToEnd(project.id);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/^hf:t\/gated\/g\.gguf: HF_TOKEN has no access to t\/gated/);
    expect(row.error).not.toContain(TOKEN);
    expect(fs.existsSync(path.join(cacheDir, "models--t--gated"))).toBe(false);
  });
});
