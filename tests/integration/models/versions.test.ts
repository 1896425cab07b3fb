import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runVersions } from "@/cli/commands/versions";
import { getDb } from "@/db/client";
import { ensureBaseVersion, getProjectVersion, listModelVersions } from "@/db/queries/model-versions";
import { createProject } from "@/db/queries/projects";
import { promptContentHash } from "@/db/queries/prompts";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { loadModelFromPath } from "@/lib/model-files/load";
import { registerTrainedVersion, versionDir, versionModelPath, versionsRoot } from "@/lib/model-files/version-store";
import { pairsSha256, type TrainingCard } from "@/lib/models/card";
import { listTree, useTempDataDir } from "../../support/data-dir";
import { setupTestDatabase, testDialect } from "../../support/test-db";
import { tinyModelFiles, writeTinyModel } from "../../support/tiny-model";

const dataDir = useTempDataDir();
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(async () => cleanup());

const card: TrainingCard = {
  data: { exportOptions: { mode: "raw", split: "train" }, pairs: 2, pairsSha256: pairsSha256([{ promptId: "p", chosenId: "a", rejectedId: "b" }, { promptId: "p", chosenId: "a", rejectedId: "c" }]) },
  hyperParameters: { beta: 0.1, lr: 1e-5 },
  metrics: { valLoss: 0.61 },
};

async function newProject() {
  return createProject({ name: `versions-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [{ name: "greedy", config: { temperature: 0 } }] });
}

describe(`model versions on ${testDialect}`, () => {
  it("gives a project one base version on first use and attributes its generated completions to it, not imported ones", async () => {
    const project = await newProject();
    const { db, t } = getDb();
    const [prompt] = await db.insert(t.prompts).values({ projectId: project.id, text: "q", contentHash: promptContentHash({ text: "q" }) }).returning();
    const [generated, imported] = await db.insert(t.completions).values([
      { promptId: prompt.id, text: "sampled", modelId: "demo", presetName: "greedy", seed: 7 },
      { promptId: prompt.id, text: "from a file", modelId: "imported", presetName: "imported" },
    ]).returning();
    const bases = await Promise.all([ensureBaseVersion({ projectId: project.id }), ensureBaseVersion({ projectId: project.id }), listModelVersions({ projectId: project.id })]);
    const base = bases[0];
    expect(bases[1].id).toBe(base.id);
    expect(bases[2].map((v) => [v.id, v.name, v.kind])).toEqual([[base.id, "base", "base"]]);
    const rows = await db.select().from(t.completions);
    expect(rows.find((r) => r.id === generated.id)!.versionId).toBe(base.id);
    expect(rows.find((r) => r.id === imported.id)!.versionId).toBeNull();
  });

  it("registers a trained policy as an HF folder, a GGUF and a model card the engine loads", async () => {
    const project = await newProject();
    const base = await ensureBaseVersion({ projectId: project.id });
    const row = await registerTrainedVersion({ projectId: project.id, name: "dpo-1", parentId: base.id, method: "dpo", files: tinyModelFiles({ seed: 2 }), card });
    expect(row).toMatchObject({ name: "dpo-1", kind: "trained", parentId: base.id, method: "dpo" });
    expect(row.card).toMatchObject({ name: "dpo-1", method: "dpo", parent: { id: base.id, name: "base" }, ...card });
    expect(await getProjectVersion({ projectId: project.id, id: row.id })).toEqual(row);
    const dir = versionDir(row);
    expect(dir.startsWith(path.join(dataDir, "versions", project.id))).toBe(true);
    expect(Object.keys(row.files!).sort()).toEqual(listTree(dir).filter((f) => f !== "hf"));
    const readme = fs.readFileSync(path.join(dir, "hf", "README.md"), "utf8");
    expect(readme).toContain(card.data!.pairsSha256);
    expect(readme).toContain('from version "base"');
    const gguf = readGguf(fs.readFileSync(path.join(dir, "model.gguf")));
    expect(gguf.metadata["general.name"]).toBe("dpo-1");
    const loaded = await loadModelFromPath(versionModelPath(row));
    expect(loaded.tokenizer).not.toBeNull();
    expect(loaded.model.config.nLayers).toBe(2);
  });

  it("leaves no version row and no folder when the files are not a model", async () => {
    const project = await newProject();
    const files = tinyModelFiles();
    // A config that disagrees with the tensors: the GGUF conversion, after the HF files are written, fails.
    files.set("config.json", JSON.stringify({ ...JSON.parse(files.get("config.json") as string), hidden_size: 48 }));
    await expect(registerTrainedVersion({ projectId: project.id, name: "broken", parentId: null, method: "dpo", files, card })).rejects.toThrow();
    expect((await listModelVersions({ projectId: project.id })).map((v) => v.name)).toEqual(["base"]);
    expect(listTree(path.join(versionsRoot(), project.id))).toEqual([]);
    expect(listTree(path.join(versionsRoot(), ".tmp"))).toEqual([]);
  });

  it("registers nothing when the run is cancelled while its version is being written", async () => {
    const project = await newProject();
    const controller = new AbortController();
    // Cancelled just after the call: its checks are under way, the files get written, then it stops before the row.
    const pending = registerTrainedVersion({ projectId: project.id, name: "cancelled", parentId: null, method: "dpo", files: tinyModelFiles(), card, signal: controller.signal });
    controller.abort(new Error("cancelled by the user"));
    await expect(pending).rejects.toThrow("cancelled by the user");
    expect((await listModelVersions({ projectId: project.id })).map((v) => v.name)).toEqual(["base"]);
    expect(listTree(path.join(versionsRoot(), project.id))).toEqual([]);
    expect(listTree(path.join(versionsRoot(), ".tmp"))).toEqual([]);
  });

  it("keeps one version and one folder when two runs register the same name at once", async () => {
    const project = await newProject();
    const results = await Promise.allSettled([1, 2].map((seed) => registerTrainedVersion({ projectId: project.id, name: "grpo", parentId: null, method: "grpo", files: tinyModelFiles({ seed }), card })));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason)).toContain('This project already has a model version named "grpo"');
    const versions = await listModelVersions({ projectId: project.id });
    expect(versions.map((v) => v.name)).toEqual(["base", "grpo"]);
    expect(fs.readdirSync(path.join(versionsRoot(), project.id))).toEqual([versions[1].id]);
    expect(listTree(path.join(versionsRoot(), ".tmp"))).toEqual([]);
  });

  it("refuses the name base, a name in use, a parent of another project and a file name with a folder, before writing anything", async () => {
    const [project, other] = [await newProject(), await newProject()];
    const otherBase = await ensureBaseVersion({ projectId: other.id });
    const files = tinyModelFiles();
    const register = (over: Partial<Parameters<typeof registerTrainedVersion>[0]>) => registerTrainedVersion({ projectId: project.id, name: "v", parentId: null, method: "sft", files, card, ...over });
    await expect(register({ name: "Base" })).rejects.toThrow(/"base" is the project's own model/);
    await expect(register({ parentId: otherBase.id })).rejects.toThrow("Model version not found");
    await expect(register({ files: new Map([...files, ["../escape.json", "{}"]]) })).rejects.toThrow('"../escape.json" is not a plain file name');
    await expect(register({ method: "DPO!" })).rejects.toThrow(/short lower-case word/);
    await register({ name: "v" });
    await expect(register({ name: "v" })).rejects.toThrow('This project already has a model version named "v"');
    expect(fs.readdirSync(path.join(versionsRoot(), project.id))).toHaveLength(1);
  });

  it("registers a folder trained elsewhere with `studio versions add` and lists it", async () => {
    const project = await newProject();
    const folder = writeTinyModel();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await runVersions(["add", "--project", project.name, "--name", "sft-a", "--from", folder, "--parent", "nope"])).toBe(2);
      expect(err.mock.calls.flat().join("\n")).toContain('--parent: the project has no version "nope" (it has base)');
      expect(await runVersions(["add", "--project", project.name, "--name", "sft-a", "--from", folder, "--parent", "base", "--method", "sft", "--gguf", "q8_0"])).toBe(0);
      log.mockClear();
      expect(await runVersions(["list", "--project", project.id])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0]).split("\t").slice(0, 3))).toEqual([["base", "base", ""], ["sft-a", "trained", "sft"]]);
    } finally {
      log.mockRestore();
      err.mockRestore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const [, v] = await listModelVersions({ projectId: project.id });
    expect(readGguf(fs.readFileSync(path.join(versionDir(v), "model.gguf"))).tensors.get("blk.0.attn_q.weight")?.dtype).toBe("Q8_0");
  });
});
