/**
 * An import stores batches in their own transactions, tagged with its run:
 * a run that stops part-way is swept whole or resumed after its last stored
 * line, exports never see half of one, and two imports never run into one
 * project at once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { iterateExportGroups } from "@/db/queries/export-data";
import { beginImportRun, createImportRun, getImportRun, type ImportRunRow } from "@/db/queries/import-runs";
import { createProject, type ProjectRow } from "@/db/queries/projects";
import { exportPairs } from "@/lib/datasets/pipeline";
import { abandonImport, executeImportRun, sweepAbandonedImports } from "@/lib/dataset-files/import-run";
import { scanImportFile } from "@/lib/dataset-files/scan";
import { importFormatSchema } from "@/lib/datasets/registry";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-life-"));
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const N = 9;
/** Nine TRL pairs: prompt i, chosen "yes i", rejected "no i" (prompts 0 and 5 are the same text). */
function pairsFile(name: string): string {
  const file = path.join(dir, name);
  const line = (i: number) => JSON.stringify({ prompt: `Question ${i % 5 === 0 ? 0 : i}?`, chosen: `yes ${i}`, rejected: `no ${i}` });
  fs.writeFileSync(file, Array.from({ length: N }, (_, i) => line(i)).join("\n") + "\n");
  return file;
}

async function newRun(project: ProjectRow, file: string): Promise<ImportRunRow> {
  return createImportRun({ projectId: project.id, format: "trl-standard", fileName: path.basename(file), status: "uploaded", lines: N, records: N });
}

const newProject = () => createProject({ name: `life-${Math.random().toString(36).slice(2)}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });

async function counts(project: ProjectRow) {
  const { db, t } = getDb();
  return {
    prompts: await db.$count(t.prompts, eq(t.prompts.projectId, project.id)),
    rankings: await db.$count(t.rankings, eq(t.rankings.projectId, project.id)),
    importUsers: await db.$count(t.users, like(t.users.email, "%@import.invalid")),
  };
}

/** Runs an import that throws once `stopAfter` rankings are stored (a crash, a cancel, a dead database). */
async function interrupted(run: ImportRunRow, file: string, stopAfter: number): Promise<Error> {
  const stop = new AbortController();
  try {
    await executeImportRun({ runId: run.id, file, maxBytes: 1e6, skipInvalid: false, batchRecords: 2, signal: stop.signal, onProgress: (p) => (p.stored.rankings >= stopAfter ? stop.abort(new Error("stopped")) : undefined) });
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the import to stop");
}

async function exportedChosen(project: ProjectRow): Promise<string[]> {
  const out: string[] = [];
  for await (const p of exportPairs(iterateExportGroups({ projectId: project.id, order: "rankings" }))) out.push(p.chosen);
  return out;
}

describe(`import runs on ${testDialect}`, () => {
  it("sweeps away everything a failed import had stored, pseudo-users included", async () => {
    const project = await newProject();
    const before = await counts(project);
    const file = pairsFile("swept.jsonl");
    const run = await newRun(project, file);
    expect((await interrupted(run, file, 4)).message).toBe("stopped");
    expect((await counts(project)).rankings).toBeGreaterThanOrEqual(4);
    await abandonImport({ runId: run.id, status: "failed", error: "stopped" });
    expect(await counts(project)).toEqual(before);
    expect((await getImportRun({ id: run.id }))!.status).toBe("failed");
  });

  it("keeps a stopped run out of exports, and resumes it after its last stored line without doubling a record", async () => {
    const project = await newProject();
    const file = pairsFile("resumed.jsonl");
    const run = await newRun(project, file);
    await interrupted(run, file, 4);
    expect(await exportedChosen(project)).toEqual([]);
    const stored = await executeImportRun({ runId: run.id, file, maxBytes: 1e6, skipInvalid: false, batchRecords: 2 });
    expect(stored.rankings).toBe(N);
    expect(stored.prompts).toBe(8);
    expect(await exportedChosen(project)).toEqual(Array.from({ length: N }, (_, i) => `yes ${i}`));
  });

  it("refuses a second import into a project while one is running", async () => {
    const project = await newProject();
    const file = pairsFile("busy.jsonl");
    const first = await newRun(project, file);
    await beginImportRun({ id: first.id, skipInvalid: false });
    const second = await newRun(project, file);
    await expect(executeImportRun({ runId: second.id, file, maxBytes: 1e6, skipInvalid: false })).rejects.toThrow(/Another import into this project is running/);
    await abandonImport({ runId: first.id, status: "cancelled" });
  });

  it("sweeps a run whose process died (stale heartbeat, no job) when the next import starts", async () => {
    const project = await newProject();
    const file = pairsFile("dead.jsonl");
    const run = await newRun(project, file);
    await interrupted(run, file, 2);
    const { db, t } = getDb();
    await db.update(t.importRuns).set({ updatedAt: new Date(Date.now() - 3_600_000) }).where(eq(t.importRuns.id, run.id));
    expect(await sweepAbandonedImports()).toBe(1);
    expect((await counts(project)).rankings).toBe(0);
    expect((await getImportRun({ id: run.id }))!.error).toMatch(/abandoned/);
  });

  it("refuses a gzip that inflates past the limit with a clear error", async () => {
    const file = path.join(dir, "bomb.jsonl.gz");
    fs.writeFileSync(file, gzipSync(Buffer.alloc(5_000_000, 0x20)));
    expect(fs.statSync(file).size).toBeLessThan(20_000);
    await expect(scanImportFile({ file, format: importFormatSchema.parse("trl-standard"), maxBytes: 1_000_000 })).rejects.toThrow(/inflates to more than 1000000 bytes, the import limit/);
  });
});
