/**
 * Large imports from the app run as a typed job: progress in lines, cancel
 * (which sweeps what was stored), and restart-safety (a job taken over after
 * its worker died resumes after the last stored line, without doubling).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { iterateExportGroups } from "@/db/queries/export-data";
import { createImportRun, getImportRun, updateImportRun, type ImportRunRow } from "@/db/queries/import-runs";
import { enqueueJob, getJob, requestJobCancel } from "@/db/queries/jobs";
import { createProject, type ProjectRow } from "@/db/queries/projects";
import { executeImportRun } from "@/lib/dataset-files/import-run";
import { uploadDir } from "@/lib/dataset-files/uploads";
import { exportPairs } from "@/lib/datasets/pipeline";
import { resetEnvCache } from "@/lib/env";
import { importPreferencesDefinition } from "@/lib/jobs/handlers/import-preferences";
import { importPreferencesJob } from "@/lib/jobs/kinds/import-preferences";
import { startJobRunner } from "@/lib/jobs/runner";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-job-"));
  process.env.IMPORT_DIR = path.join(dir, "uploads");
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.IMPORT_DIR;
  resetEnvCache();
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An upload as the import page leaves it: the file in the upload folder and a validated run. */
async function upload(project: ProjectRow, records: number): Promise<ImportRunRow> {
  fs.mkdirSync(uploadDir(), { recursive: true });
  const file = path.join(uploadDir(), `${crypto.randomUUID()}.upload`);
  fs.writeFileSync(file, Array.from({ length: records }, (_, i) => JSON.stringify({ prompt: `Q${i}`, chosen: `yes ${i}`, rejected: `no ${i}` })).join("\n") + "\n");
  return createImportRun({ projectId: project.id, format: "trl-standard", fileName: "pairs.jsonl", uploadPath: file, status: "uploaded", lines: records, records });
}

const newProject = () => createProject({ name: `job-${Math.random().toString(36).slice(2)}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
const rankings = async (project: ProjectRow) => getDb().db.$count(getDb().t.rankings, eq(getDb().t.rankings.projectId, project.id));

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const v = await read();
    if (done(v)) return v;
  }
  throw new Error("timed out");
}

const finished = (id: string) => until(() => getJob({ id }), (j) => ["succeeded", "failed", "cancelled"].includes(j?.status ?? ""));

describe(`the import-preferences job on ${testDialect}`, () => {
  it("stores the upload, reports lines read of the lines counted, and deletes the upload", async () => {
    const project = await newProject();
    const run = await upload(project, 1200);
    const job = await enqueueJob({ job: importPreferencesJob, payload: { runId: run.id }, projectId: project.id });
    const runner = startJobRunner({ jobs: [importPreferencesDefinition], pollMs: 20, log: () => {} });
    try {
      const done = await finished(job.id);
      expect(done).toMatchObject({ status: "succeeded", progressDone: 1200, progressTotal: 1200 });
      expect(done!.result).toMatchObject({ rankings: 1200, prompts: 1200 });
    } finally {
      await runner.stop();
    }
    expect(await getImportRun({ id: run.id })).toMatchObject({ status: "done", uploadPath: null });
    expect(fs.existsSync(run.uploadPath!)).toBe(false);
    expect(await rankings(project)).toBe(1200);
  });

  it("cancelled while running, sweeps what it stored and deletes the upload", async () => {
    const project = await newProject();
    const run = await upload(project, 20_000);
    const job = await enqueueJob({ job: importPreferencesJob, payload: { runId: run.id }, projectId: project.id });
    const runner = startJobRunner({ jobs: [importPreferencesDefinition], pollMs: 20, log: () => {} });
    try {
      await until(() => getJob({ id: job.id }), (j) => (j?.progressDone ?? 0) > 0);
      await requestJobCancel({ id: job.id });
      const end = await finished(job.id);
      expect(end!.status).toBe("cancelled");
      // Stopped part-way: batches yield to the event loop, so the cancel is seen at the next one.
      expect(end!.progressDone).toBeLessThan(20_000);
    } finally {
      await runner.stop();
    }
    expect((await getImportRun({ id: run.id }))!.status).toBe("cancelled");
    expect(await rankings(project)).toBe(0);
    expect(fs.existsSync(run.uploadPath!)).toBe(false);
  });

  it("taken over after its worker died, resumes after the last stored line without doubling a record", async () => {
    const project = await newProject();
    const run = await upload(project, 1500);
    const job = await enqueueJob({ job: importPreferencesJob, payload: { runId: run.id }, projectId: project.id });
    await updateImportRun({ id: run.id, jobId: job.id });
    // The first worker stored two batches, then died: its job is "running" with a lease that has run out.
    const stop = new AbortController();
    await executeImportRun({ runId: run.id, file: run.uploadPath!, maxBytes: 1e9, skipInvalid: false, signal: stop.signal, onProgress: (p) => (p.stored.rankings >= 1000 ? stop.abort(new Error("worker died")) : undefined) }).catch(() => undefined);
    const { db, t } = getDb();
    await db.update(t.jobs).set({ status: "running", leaseOwner: "dead-worker", leaseExpiresAt: new Date(Date.now() - 1000), attempts: 1 }).where(eq(t.jobs.id, job.id));
    expect(await rankings(project)).toBe(1000);
    const runner = startJobRunner({ jobs: [importPreferencesDefinition], pollMs: 20, log: () => {} });
    try {
      expect((await finished(job.id))!.status).toBe("succeeded");
    } finally {
      await runner.stop();
    }
    expect(await rankings(project)).toBe(1500);
    const chosen: string[] = [];
    for await (const p of exportPairs(iterateExportGroups({ projectId: project.id, order: "rankings" }))) chosen.push(p.chosen);
    expect(chosen).toEqual(Array.from({ length: 1500 }, (_, i) => `yes ${i}`));
  });
});
