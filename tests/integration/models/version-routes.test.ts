import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { enqueueJob } from "@/db/queries/jobs";
import { ensureBaseVersion } from "@/db/queries/model-versions";
import { createProject, getProjectById } from "@/db/queries/projects";
import { promptContentHash } from "@/db/queries/prompts";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { familyByName, generateCorpus } from "@/lib/tasks";
import { registerTrainedVersion, versionDir } from "@/lib/model-files/version-store";
import type { Role } from "@/lib/users/roles";
import { useTempDataDir } from "../../support/data-dir";
import { setupTestDatabase, testDialect } from "../../support/test-db";
import { tinyModelFiles } from "../../support/tiny-model";

useTempDataDir();
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const versions = await import("@/app/api/projects/[id]/versions/route");
const slots = await import("@/app/api/projects/[id]/versions/slots/route");
const download = await import("@/app/api/projects/[id]/versions/[versionId]/download/route");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(async () => cleanup());

async function as(role: Role) {
  const u = await createUser({ email: `${role}-${Math.random()}@x.test`, name: role, role, passwordHash: null });
  session.user = { id: u.id, email: u.email, name: u.name, role, sessionId: "s" };
  return u;
}

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const call = <P extends Record<string, string>>(handler: (req: Request, ctx: { params: Promise<P> }) => Promise<Response>, url: string, params: P, init?: RequestInit) =>
  handler(new Request(`http://test${url}`, init), { params: Promise.resolve(params) });

async function projectWithTrainedVersion() {
  const project = await createProject({
    name: `vr-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo",
    decodingPresets: [{ name: "greedy", config: { temperature: 0 } }, { name: "hot", config: { temperature: 1 } }],
  });
  const base = await ensureBaseVersion({ projectId: project.id });
  const files = tinyModelFiles({ seed: 3 });
  const trained = await registerTrainedVersion({ projectId: project.id, name: "sft-1", parentId: base.id, method: "sft", files, card: { data: null, hyperParameters: { lr: 0.001 }, metrics: {} } });
  return { project, base, trained, files };
}

describe(`model version routes on ${testDialect}`, () => {
  it("lists versions, default slots and the leaderboard to staff only", async () => {
    const { project, base, trained } = await projectWithTrainedVersion();
    await as("researcher");
    const res = await call(versions.GET, `/api/projects/${project.id}/versions`, { id: project.id });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.versions.map((v: { name: string; kind: string; parentName: string | null }) => [v.name, v.kind, v.parentName])).toEqual([["base", "base", null], ["sft-1", "trained", "base"]]);
    expect(body.versions[0].origin).toBe("the project's model: demo");
    expect(body.versions[1].sizes.gguf).toBe(trained.files!["model.gguf"]);
    expect(body.slots).toEqual([{ versionId: base.id, preset: "greedy" }, { versionId: base.id, preset: "hot" }]);
    expect(body.customSlots).toBe(false);
    expect(body.leaderboard.map((r: { name: string }) => r.name).sort()).toEqual(["base", "sft-1"]);
    await as("annotator");
    expect((await call(versions.GET, `/api/projects/${project.id}/versions`, { id: project.id })).status).toBe(403);
  });

  it("lets an admin add an endpoint version, refusing private addresses, a taken name and researchers", async () => {
    const { project, base } = await projectWithTrainedVersion();
    const post = (body: unknown) => call(versions.POST, `/api/projects/${project.id}/versions`, { id: project.id }, json("POST", body));
    const source = { type: "openai", baseUrl: "https://api.example.com", model: "llama-3.1-8b" };
    await as("researcher");
    expect((await post({ name: "api", source })).status).toBe(403);
    await as("admin");
    const ok = await post({ name: "api", source, parentId: base.id });
    expect(ok.status).toBe(200);
    expect((await ok.json()).version).toMatchObject({ name: "api", kind: "endpoint", source, parentId: base.id });
    expect((await post({ name: "api", source })).status).toBe(409);
    const local = await post({ name: "local", source: { ...source, baseUrl: "http://127.0.0.1:8000" } });
    expect(local.status).toBe(400);
    expect((await local.json()).error.message).toMatch(/^body\.source\.baseUrl/);
    expect((await post({ name: "base", source })).status).toBe(400);
    expect((await post({ name: "x", source: { type: "builtin" } })).status).toBe(400);
  });

  it("sets the slots (K follows), refusing unknown presets, other projects' versions and a running generation", async () => {
    const { project, base, trained } = await projectWithTrainedVersion();
    const other = await projectWithTrainedVersion();
    const put = (s: unknown) => call(slots.PUT, `/api/projects/${project.id}/versions/slots`, { id: project.id }, json("PUT", { slots: s }));
    await as("admin");
    const wanted = [{ versionId: base.id, preset: "greedy" }, { versionId: trained.id, preset: "greedy" }, { versionId: trained.id, preset: "hot" }];
    expect((await put(wanted)).status).toBe(200);
    expect(await getProjectById({ id: project.id })).toMatchObject({ completionSlots: wanted, completionsPerPrompt: 3 });
    const badPreset = await put([{ versionId: base.id, preset: "greedy" }, { versionId: trained.id, preset: "warm" }]);
    expect(badPreset.status).toBe(400);
    expect((await badPreset.json()).error.message).toContain('slots[1]: the project has no decoding preset "warm"');
    expect((await put([{ versionId: base.id, preset: "greedy" }, { versionId: other.trained.id, preset: "greedy" }])).status).toBe(400);
    expect((await put([{ versionId: base.id, preset: "greedy" }])).status).toBe(400);
    await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id });
    expect((await put(wanted)).status).toBe(409);
    await as("researcher");
    expect((await put(wanted)).status).toBe(403);
  });

  it("streams a trained version as a tar of its HF folder and as its GGUF, audited, and nothing for base", async () => {
    const { project, base, trained, files } = await projectWithTrainedVersion();
    const other = await projectWithTrainedVersion();
    const user = await as("researcher");
    const get = (versionId: string, format?: string) =>
      call(download.GET, `/api/projects/${project.id}/versions/${versionId}/download${format ? `?format=${format}` : ""}`, { id: project.id, versionId });
    const tar = await get(trained.id);
    expect(tar.status).toBe(200);
    expect(tar.headers.get("content-disposition")).toBe('attachment; filename="sft-1.tar"');
    const bytes = Buffer.from(await tar.arrayBuffer());
    expect(bytes.length).toBe(Number(tar.headers.get("content-length")));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "untar-"));
    const untar = spawnSync("tar", ["-xf", "-", "-C", out], { input: bytes });
    expect(untar.status, String(untar.stderr)).toBe(0);
    for (const [name, content] of files) expect(fs.readFileSync(path.join(out, "sft-1", name))).toEqual(Buffer.from(content));
    expect(fs.readFileSync(path.join(out, "sft-1", "README.md"), "utf8")).toContain("# sft-1");
    fs.rmSync(out, { recursive: true, force: true });

    const gguf = await get(trained.id, "gguf");
    expect(Buffer.from(await gguf.arrayBuffer())).toEqual(fs.readFileSync(path.join(versionDir(trained), "model.gguf")));
    expect((await get(base.id)).status).toBe(404);
    expect((await get(other.trained.id)).status).toBe(404);
    expect((await get(trained.id, "zip")).status).toBe(400);
    const audit = await listAudit({ limit: 50 });
    expect(audit.filter((e) => e.action === "version.download" && e.actorId === user.id).map((e) => e.details?.format).sort()).toEqual(["gguf", "hf"]);
    await as("annotator");
    expect((await get(trained.id)).status).toBe(403);
  });

  it("builds the leaderboard from stored rankings, the newest reward model's scores and the prompts' verifiers, and flags over-optimisation", async () => {
    const { project, base, trained } = await projectWithTrainedVersion();
    const judge = await as("annotator");
    const family = familyByName("arithmetic");
    const { db, t } = getDb();
    const [rm] = await db.insert(t.rewardModels).values({ projectId: project.id, version: 1, config: {}, status: "ready" }).returning();
    for (const [i, item] of generateCorpus(11, 12, [family]).entries()) {
      const [prompt] = await db.insert(t.prompts).values({ projectId: project.id, text: item.prompt, contentHash: promptContentHash({ text: `${item.prompt}#${i}` }), verifierId: item.verifierId, metadata: { verifier: item.meta } }).returning();
      // base answers right, the trained version near-misses; people prefer base, the reward model prefers the trained one.
      const [b, d] = await db.insert(t.completions).values([
        { promptId: prompt.id, text: item.response, modelId: "demo", presetName: "greedy", seed: 1, versionId: base.id },
        { promptId: prompt.id, text: family.nearMiss(item.meta), modelId: "version:sft-1", presetName: "greedy", seed: 2, versionId: trained.id },
      ]).returning();
      await db.insert(t.rewardScores).values([{ rewardModelId: rm.id, completionId: b.id, score: 0 }, { rewardModelId: rm.id, completionId: d.id, score: 2 }]);
      await db.insert(t.rankings).values({ projectId: project.id, promptId: prompt.id, userId: judge.id, shownOrder: [b.id, d.id], ranks: { [b.id]: 1, [d.id]: 2 }, flags: {}, ratings: {}, timeSpentMs: 1000, submissionKey: crypto.randomUUID() });
    }
    await as("researcher");
    const body = await (await call(versions.GET, `/api/projects/${project.id}/versions`, { id: project.id })).json();
    expect(body.rewardModelVersion).toBe(1);
    const row = (name: string) => body.leaderboard.find((r: { name: string }) => r.name === name);
    expect(body.leaderboard.map((r: { name: string }) => r.name)).toEqual(["base", "sft-1"]);
    expect(row("base").verifier).toEqual({ accuracy: 1, correct: 12, total: 12 });
    expect(row("sft-1").verifier).toEqual({ accuracy: 0, correct: 0, total: 12 });
    expect(row("sft-1").rm.winRate).toBeCloseTo(1 / (1 + Math.exp(-2)), 10);
    expect(row("sft-1").human.comparisons).toBe(12);
    expect(row("sft-1").overOptimisation.flagged).toBe(true);
    expect(row("sft-1").overOptimisation.reasons).toHaveLength(3);
  });
});
