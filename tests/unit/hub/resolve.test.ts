import { createHash } from "node:crypto";
import { readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHubModelId } from "@/lib/hub/model-id";
import type { HubSettings } from "@/lib/hub/settings";
import { resolveHubModel, type HubDownloadProgress } from "@/lib/hub/snapshot";
import { loadModelFromPath } from "@/lib/model-files/load";
import { startFakeHub, type FakeHub } from "../../support/fake-hub";
import { testHubSettings, tinyHubModels } from "../../support/hub-fixtures";
import { engineGreedy } from "../engine/golden/compare";

const models = await tinyHubModels();
const caches: string[] = [];
let hub: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub();
});
afterAll(async () => {
  await hub?.close();
  models.cleanup();
  for (const c of caches) rmSync(c, { recursive: true, force: true });
});

function settings(overrides: Partial<HubSettings> = {}): HubSettings {
  const s = testHubSettings(hub.url, overrides);
  caches.push(s.cacheDir);
  return s;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const gitSha1 = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const prompt = [5, 9, 12, 3];
const reference = engineGreedy((await loadModelFromPath(models.dir)).model, prompt, 8).ids;
const resolve = (id: string, s: HubSettings, onProgress?: (p: HubDownloadProgress) => void) => resolveHubModel(parseHubModelId(id), s, { onProgress });
const leftovers = (repoDir: string) => readdirSync(path.join(repoDir, "blobs")).filter((n) => n.includes("."));

describe("resolveHubModel against a stand-in Hub", () => {
  it("downloads a HF folder into huggingface_hub's cache layout, and the engine runs it", async () => {
    const commit = hub.addRepo("tiny/llama", models.folder);
    const s = settings();
    const progress: HubDownloadProgress[] = [];
    const dir = await resolve("hf:tiny/llama", s, (p) => progress.push({ ...p }));
    const repoDir = path.join(s.cacheDir, "models--tiny--llama");
    expect(dir).toBe(path.join(repoDir, "snapshots", commit));
    expect(readFileSync(path.join(repoDir, "refs", "main"), "utf8")).toBe(commit);
    // LFS files are blobs named by sha256, git files by their blob sha1; snapshots hold relative links.
    expect(readlinkSync(path.join(dir, "model.safetensors"))).toBe(`../../blobs/${sha256(models.folder["model.safetensors"])}`);
    expect(readlinkSync(path.join(dir, "config.json"))).toBe(`../../blobs/${gitSha1(models.folder["config.json"])}`);
    expect(leftovers(repoDir)).toEqual([]);
    // The weights came from the CDN after a 302; the small files from resolve/<commit> itself.
    expect(hub.requests.some((r) => r.server === "cdn" && r.method === "GET")).toBe(true);
    expect(hub.requests.some((r) => r.server === "hub" && r.path === `/tiny/llama/resolve/${commit}/config.json`)).toBe(true);
    const total = Object.entries(models.folder).filter(([n]) => n !== "special_tokens_map.json").reduce((t, [, b]) => t + b.length, 0);
    expect(progress.at(-1)).toMatchObject({ bytes: total, totalBytes: total });
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1].bytes)).toBe(true);
    const loaded = await loadModelFromPath(dir);
    expect(loaded.tokenizer).not.toBeNull();
    expect(engineGreedy(loaded.model, prompt, 8).ids).toEqual(reference);
  });

  it("downloads one GGUF file of a repo at a pinned commit, and needs no network for it afterwards", async () => {
    const commit = hub.addRepo("tiny/gguf", { "tiny.gguf": models.gguf, "other.gguf": Buffer.from("not fetched"), "README.md": "# tiny" });
    const s = settings();
    const file = await resolve(`hf:tiny/gguf/tiny.gguf@${commit}`, s);
    expect(file).toBe(path.join(s.cacheDir, "models--tiny--gguf", "snapshots", commit, "tiny.gguf"));
    expect(hub.requests.some((r) => r.path.includes("other.gguf") || r.path.includes("README.md"))).toBe(false);
    const loaded = await loadModelFromPath(file);
    expect(loaded.kind).toBe("gguf");
    expect(engineGreedy(loaded.model, prompt, 8).ids).toEqual(reference);
    const before = hub.requests.length;
    expect(await resolve(`hf:tiny/gguf/tiny.gguf@${commit}`, s)).toBe(file);
    expect(hub.requests.length).toBe(before);
  });

  it("resolves a sharded folder from its index and reports nothing when everything is cached", async () => {
    hub.addRepo("tiny/sharded", models.sharded);
    const s = settings();
    const dir = await resolve("hf:tiny/sharded", s);
    expect(readdirSync(dir).sort()).toEqual(
      ["config.json", "generation_config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json"]
        .filter((f) => f in models.sharded),
    );
    expect(engineGreedy((await loadModelFromPath(dir)).model, prompt, 8).ids).toEqual(reference);
    const again: HubDownloadProgress[] = [];
    expect(await resolve("hf:tiny/sharded", s, (p) => again.push(p))).toBe(dir);
    expect(again).toEqual([]);
  });

  it("reuses a blob another revision already downloaded instead of fetching it again", async () => {
    const s = settings();
    hub.addRepo("tiny/moving", models.folder);
    await resolve("hf:tiny/moving", s);
    const newCommit = hub.addRepo("tiny/moving", { ...models.folder, "README.md": "new commit" });
    const cdnBefore = hub.requests.filter((r) => r.server === "cdn").length;
    const dir = await resolve("hf:tiny/moving", s);
    expect(path.basename(dir)).toBe(newCommit);
    expect(hub.requests.filter((r) => r.server === "cdn").length).toBe(cdnBefore);
  });
});

describe("offline and unreachable", () => {
  it("serves a complete snapshot without any request when HF_HUB_OFFLINE is set, and falls back to it when the Hub is down", async () => {
    const local = await startFakeHub();
    const commit = local.addRepo("tiny/offline", models.folder);
    const s: HubSettings = { ...settings(), endpoint: local.url };
    const dir = await resolve("hf:tiny/offline", s);
    await local.close();
    const count = local.requests.length;
    expect(await resolve("hf:tiny/offline", { ...s, offline: true })).toBe(dir);
    expect(local.requests.length).toBe(count);
    // Online mode with the server gone: the file list cannot be fetched, so the cached snapshot is used.
    expect(await resolve("hf:tiny/offline", s)).toBe(dir);
    expect(path.basename(dir)).toBe(commit);
    expect(engineGreedy((await loadModelFromPath(dir)).model, prompt, 8).ids).toEqual(reference);
  });

  it("fails with a clear message when offline or unreachable and the model is not cached", async () => {
    const s = settings();
    await expect(resolve("hf:tiny/llama", { ...s, offline: true })).rejects.toThrow(/hf:tiny\/llama: HF_HUB_OFFLINE is set and the model is not fully in the cache/);
    const gone = await startFakeHub();
    await gone.close();
    await expect(resolve("hf:tiny/llama", { ...s, endpoint: gone.url })).rejects.toThrow(
      new RegExp(`hf:tiny/llama: cannot reach ${gone.url}: ECONNREFUSED; hf:tiny/llama is not in the cache`),
    );
  });
});
