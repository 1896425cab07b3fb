/**
 * The import page's routes: upload (validated whole before anything is
 * written, with a preview and every bad line), start (in the request or as a
 * job), discard; admins only, every input parsed, the upload size bounded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { getJob } from "@/db/queries/jobs";
import { createProject, type ProjectRow } from "@/db/queries/projects";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { INLINE_IMPORT_BYTES } from "@/lib/dataset-files/app-imports";
import { uploadDir } from "@/lib/dataset-files/uploads";
import type { ImportRunView } from "@/lib/datasets/import-types";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase, testDialect } from "../../support/test-db";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));

const imports = await import("@/app/api/projects/[id]/imports/route");
const one = await import("@/app/api/projects/[id]/imports/[importId]/route");

let cleanup: () => Promise<void>;
let dir: string;
let admin: SessionUser;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-routes-"));
  process.env.IMPORT_DIR = path.join(dir, "uploads");
  process.env.IMPORT_MAX_UPLOAD_BYTES = String(3 * 1024 * 1024);
  resetEnvCache();
  const u = await createUser({ email: "admin@import.test", name: "Admin", role: "admin", passwordHash: null });
  admin = { id: u.id, email: u.email, name: u.name, role: "admin", sessionId: "s" };
});
afterAll(async () => {
  delete process.env.IMPORT_DIR;
  delete process.env.IMPORT_MAX_UPLOAD_BYTES;
  resetEnvCache();
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const newProject = () => createProject({ name: `routes-${Math.random().toString(36).slice(2)}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
const HH = fs.readFileSync("tests/fixtures/preference/hh-sample.jsonl");

async function upload(project: ProjectRow, body: Buffer | Uint8Array | string, query = "", contentType = "application/octet-stream") {
  const req = new Request(`http://test/api/projects/${project.id}/imports?${query}`, { method: "POST", body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]), headers: { "content-type": contentType } });
  const res = await imports.POST(req, { params: Promise.resolve({ id: project.id }) });
  return { status: res.status, body: (await res.json()) as { import: ImportRunView; error?: { message: string } } };
}

async function start(project: ProjectRow, importId: string, body: unknown) {
  const req = new Request(`http://test/api/projects/${project.id}/imports/${importId}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const res = await one.POST(req, { params: Promise.resolve({ id: project.id, importId }) });
  return { status: res.status, body: (await res.json()) as { import: ImportRunView; job: { id: string } | null; error?: { message: string; details?: unknown } } };
}

const rankingsOf = (project: ProjectRow) => getDb().db.$count(getDb().t.rankings, eq(getDb().t.rankings.projectId, project.id));

describe(`import routes on ${testDialect}`, () => {
  it("answers 403 to a researcher and 401 to nobody, before reading the file", async () => {
    const project = await newProject();
    session.user = { ...admin, role: "researcher" };
    expect((await upload(project, HH)).status).toBe(403);
    session.user = null;
    expect((await upload(project, HH)).status).toBe(401);
    session.user = admin;
  });

  it("detects the format, previews the first records as stored, then imports in the request", async () => {
    session.user = admin;
    const project = await newProject();
    const up = await upload(project, gzipSync(HH), "name=hh-sample.jsonl.gz");
    expect(up.status).toBe(200);
    expect(up.body.import).toMatchObject({ status: "uploaded", format: "hh", fileName: "hh-sample.jsonl.gz", records: 17, invalid: 0, lines: 17 });
    expect(up.body.import.report!.preview).toHaveLength(5);
    expect(up.body.import.report!.preview[2]).toEqual({ line: 3, item: { kind: "pair", pair: { prompt: [{ role: "user", content: "Say nothing at all." }], chosen: "", rejected: "Okay! Here is nothing: nothing." } } });
    // The demo model's tokenizer is read (not its weights) to count prompt tokens against its 64-token context.
    expect(up.body.import.report!.warnings.join(" ")).toMatch(/record\(s\) have a prompt longer than the 64-token context of model demo/);
    expect(await rankingsOf(project)).toBe(0);
    const started = await start(project, up.body.import.id, {});
    expect(started.status).toBe(200);
    expect(started.body.job).toBeNull();
    expect(started.body.import).toMatchObject({ status: "done", stored: { rankings: 17, prompts: 15 } });
    expect(await rankingsOf(project)).toBe(17);
    expect(fs.readdirSync(uploadDir())).toEqual([]);
  });

  it("lists every bad line before anything is written, and imports the rest only when told to skip them", async () => {
    const project = await newProject();
    const text = `${HH.toString().split("\n").slice(0, 3).join("\n")}\n{"chosen":"no human turn"}\nnot json\n`;
    const up = await upload(project, text, "format=hh");
    expect(up.body.import).toMatchObject({ records: 3, invalid: 2 });
    expect(up.body.import.report!.errors.map((e) => e.line)).toEqual([4, 5]);
    expect(up.body.import.report!.badLines).toBe("4–5");
    const refused = await start(project, up.body.import.id, { skipInvalid: false });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toMatch(/^The file has 2 bad line\(s\) \(4–5\)/);
    expect(await rankingsOf(project)).toBe(0);
    const done = await start(project, up.body.import.id, { skipInvalid: true });
    expect(done.body.import).toMatchObject({ status: "done", stored: { rankings: 3, skippedInvalid: 2 } });
    expect((await start(project, up.body.import.id, { skipInvalid: true })).status).toBe(409);
  });

  it("runs a large upload as a job, which the page follows by its id", async () => {
    const project = await newProject();
    const line = (i: number) => JSON.stringify({ prompt: `Question number ${i} ${"x".repeat(200)}`, chosen: `yes ${i}`, rejected: `no ${i}` });
    const big = Array.from({ length: Math.ceil(INLINE_IMPORT_BYTES / 200) }, (_, i) => line(i)).join("\n");
    const up = await upload(project, big, "format=trl-standard");
    const started = await start(project, up.body.import.id, {});
    expect(started.body.import.status).toBe("importing");
    expect(await getJob({ id: started.body.job!.id })).toMatchObject({ kind: "import-preferences", status: "queued", progressTotal: up.body.import.lines, projectId: project.id });
  });

  it("refuses JSON bodies, oversized uploads, unknown formats and stray query fields, and discards an upload", async () => {
    const project = await newProject();
    expect((await upload(project, '{"name":"x"}', "", "application/json")).status).toBe(400);
    expect((await upload(project, new Uint8Array(3 * 1024 * 1024 + 1))).status).toBe(413);
    expect((await upload(project, HH, "format=csv")).status).toBe(400);
    expect((await upload(project, HH, "evil=1")).status).toBe(400);
    expect((await upload(project, "just text\n")).body.error!.message).toMatch(/^line 1: not a record of any importable format/);
    const waiting = fs.readdirSync(uploadDir()).length;
    const up = await upload(project, HH);
    expect(fs.readdirSync(uploadDir())).toHaveLength(waiting + 1);
    const req = new Request(`http://test/x`, { method: "DELETE" });
    expect((await one.DELETE(req, { params: Promise.resolve({ id: project.id, importId: up.body.import.id }) })).status).toBe(200);
    expect((await start(project, up.body.import.id, {})).status).toBe(404);
    expect(fs.readdirSync(uploadDir())).toHaveLength(waiting);
  });
});
