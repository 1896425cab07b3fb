import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { enqueueJob } from "@/db/queries/jobs";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { runJobToEnd } from "../../support/run-job";
import { testDialect } from "../../support/test-db";
import { writeTinyModel } from "../../support/tiny-model";

const tiny = useTestDatabaseWithTinyModel();

async function generateOn(modelId: string) {
  // Stored directly, as a project saved before the API checked paths (or edited in the database) would be.
  const project = await createProject({ name: `path-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId, decodingPresets: [{ name: "g", config: { temperature: 0, max_new_tokens: 4 } }] });
  await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "Hi?" }, { text: "Bye?" }] });
  const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 2 });
  const done = await runJobToEnd(job.id);
  const { db, t } = getDb();
  const completions = (await db.select().from(t.completions)).filter((c) => c.modelId === modelId);
  return { done, completions };
}

describe(`model paths of generation jobs on ${testDialect}`, () => {
  it("generates from a model inside the models folder", async () => {
    const { done, completions } = await generateOn(tiny.modelDir());
    expect(done.status).toBe("succeeded");
    expect(completions).toHaveLength(4);
  });

  it("fails the job, naming the link, when the model is a symlink in the models folder that leads outside it", async () => {
    const elsewhere = writeTinyModel();
    try {
      const link = path.join(tiny.modelsRoot(), "looks-local");
      fs.symlinkSync(elsewhere, link);
      const { done, completions } = await generateOn(link);
      expect(done.status).toBe("failed");
      expect(done.error).toBe(`${link} leads outside the models folder (${tiny.modelsRoot()}) through a symbolic link`);
      expect(completions).toHaveLength(0);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("fails the job when the stored path is outside the models folder", async () => {
    const elsewhere = writeTinyModel();
    try {
      const { done } = await generateOn(elsewhere);
      expect(done.status).toBe("failed");
      expect(done.error).toMatch(/a model path must lie inside the models folder/);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
