import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubFetch } from "@/lib/hub/http";
import { parseHubModelId } from "@/lib/hub/model-id";
import type { HubSettings } from "@/lib/hub/settings";
import { resolveHubModel } from "@/lib/hub/snapshot";
import { loadModelFromPath } from "@/lib/model-files/load";
import { startFakeHub, type FakeHub } from "../../support/fake-hub";
import { testHubSettings, tinyHubModels } from "../../support/hub-fixtures";

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

const resolve = (id: string, s: HubSettings) => resolveHubModel(parseHubModelId(id), s);
const sha = createHash("sha256").update(models.gguf).digest("hex");
const blobsOf = (s: HubSettings, repo: string) => path.join(s.cacheDir, `models--${repo.replace("/", "--")}`, "blobs");
const snapshotsOf = (s: HubSettings, repo: string) => path.join(s.cacheDir, `models--${repo.replace("/", "--")}`, "snapshots");
const cdnRanges = () => hub.requests.filter((r) => r.server === "cdn" && r.method === "GET").map((r) => r.range);

describe("interrupted downloads", () => {
  it("resumes a connection dropped mid-file with a Range request and verifies the whole file", async () => {
    hub.addRepo("t/drop", { "drop.gguf": models.gguf });
    hub.dropAfter("drop.gguf", 4096, 2);
    const s = settings();
    const seen = cdnRanges().length;
    const file = await resolve("hf:t/drop/drop.gguf", s);
    expect(cdnRanges().slice(seen)).toEqual([undefined, "bytes=4096-", "bytes=8192-"]);
    expect((await loadModelFromPath(file)).kind).toBe("gguf");
    expect(readdirSync(blobsOf(s, "t/drop"))).toEqual([sha]);
  });

  it("keeps the valid prefix when it gives up, names the file, and the next run resumes from it", async () => {
    hub.addRepo("t/cut", { "cut.gguf": models.gguf });
    hub.dropAfter("cut.gguf", 5000, 1);
    const s = settings({ retries: 0 });
    await expect(resolve("hf:t/cut/cut.gguf", s)).rejects.toThrow(/hf:t\/cut\/cut\.gguf: cut\.gguf: connection lost at byte 5000 of \d+ .*gave up after 1 tries\. 5000 bytes are kept/);
    expect(statSync(path.join(blobsOf(s, "t/cut"), `${sha}.incomplete`)).size).toBe(5000);
    expect(existsSync(snapshotsOf(s, "t/cut"))).toBe(false);
    const seen = cdnRanges().length;
    await resolve("hf:t/cut/cut.gguf", s);
    expect(cdnRanges().slice(seen)).toEqual(["bytes=5000-"]);
    expect(readdirSync(blobsOf(s, "t/cut"))).toEqual([sha]);
  });

  it("drops a connection that goes silent and resumes it", async () => {
    hub.addRepo("t/stall", { "stall.gguf": models.gguf });
    hub.dropAfter("stall.gguf", 6000, 1, "stall");
    const s = settings({ stallMs: 300 });
    const seen = cdnRanges().length;
    await resolve("hf:t/stall/stall.gguf", s);
    expect(cdnRanges().slice(seen)).toEqual([undefined, "bytes=6000-"]);
    expect(readdirSync(blobsOf(s, "t/stall"))).toEqual([sha]);
  });

  it("keeps what arrived when the caller aborts (a cancelled job), so the next run resumes", async () => {
    hub.addRepo("t/abort", { "abort.gguf": models.gguf });
    hub.dropAfter("abort.gguf", 7000, 1, "stall");
    const s = settings();
    const ac = new AbortController();
    const run = resolveHubModel(parseHubModelId("hf:t/abort/abort.gguf"), s, { signal: ac.signal, onProgress: (p) => p.fileBytes >= 7000 && ac.abort(new Error("cancelled by the user")) });
    await expect(run).rejects.toThrow("cancelled by the user");
    expect(statSync(path.join(blobsOf(s, "t/abort"), `${sha}.incomplete`)).size).toBe(7000);
    const seen = cdnRanges().length;
    await resolve("hf:t/abort/abort.gguf", s);
    expect(cdnRanges().slice(seen)).toEqual(["bytes=7000-"]);
  });

  it("deletes a corrupt partial file when the finished download fails its sha256, then downloads anew", async () => {
    hub.addRepo("t/badprefix", { "bp.gguf": models.gguf });
    const s = settings();
    mkdirSync(blobsOf(s, "t/badprefix"), { recursive: true });
    writeFileSync(path.join(blobsOf(s, "t/badprefix"), `${sha}.incomplete`), Buffer.alloc(3000, 7));
    await expect(resolve("hf:t/badprefix/bp.gguf", s)).rejects.toThrow(new RegExp(`bp\\.gguf: sha256 mismatch \\(expected ${sha}, got [0-9a-f]{64}\\); the download was deleted`));
    expect(readdirSync(blobsOf(s, "t/badprefix"))).toEqual([]);
    await resolve("hf:t/badprefix/bp.gguf", s);
    expect(readdirSync(blobsOf(s, "t/badprefix"))).toEqual([sha]);
  });

  it("starts over when the partial file is longer than the file", async () => {
    hub.addRepo("t/long", { "long.gguf": models.gguf });
    const s = settings();
    mkdirSync(blobsOf(s, "t/long"), { recursive: true });
    writeFileSync(path.join(blobsOf(s, "t/long"), `${sha}.incomplete`), Buffer.alloc(models.gguf.length + 10));
    await resolve("hf:t/long/long.gguf", s);
    expect(readdirSync(blobsOf(s, "t/long"))).toEqual([sha]);
  });

  it("refuses bytes that do not match the Hub's sha256 or git blob id, leaving nothing in the cache", async () => {
    hub.addRepo("t/corrupt", { ...models.folder });
    const s = settings();
    hub.corrupt("tokenizer.json");
    await expect(resolve("hf:t/corrupt", s)).rejects.toThrow(/hf:t\/corrupt: tokenizer\.json: git blob sha1 mismatch .* the download was deleted/);
    hub.corrupt("tokenizer.json", false);
    hub.corrupt("model.safetensors");
    await expect(resolve("hf:t/corrupt", s)).rejects.toThrow(/hf:t\/corrupt: model\.safetensors: sha256 mismatch/);
    hub.corrupt("model.safetensors", false);
    expect(readdirSync(blobsOf(s, "t/corrupt")).filter((n) => n.includes("."))).toEqual([]);
    const snapshot = readdirSync(snapshotsOf(s, "t/corrupt"))[0];
    expect(readdirSync(path.join(snapshotsOf(s, "t/corrupt"), snapshot))).not.toContain("model.safetensors");
  });

  it.skipIf(!existsSync("/dev/full"))("reports a full disk naming the file and deletes the partial file", async () => {
    hub.addRepo("t/full", { "full.gguf": models.gguf });
    const s = settings();
    mkdirSync(blobsOf(s, "t/full"), { recursive: true });
    // Writes to /dev/full fail with ENOSPC, as on a full disk.
    symlinkSync("/dev/full", path.join(blobsOf(s, "t/full"), `${sha}.incomplete`));
    await expect(resolve("hf:t/full/full.gguf", s)).rejects.toThrow(/hf:t\/full\/full\.gguf: full\.gguf: the disk is full while writing \d+ bytes into .*; the partial file was deleted/);
    expect(readdirSync(blobsOf(s, "t/full"))).toEqual([]);
  });
});

describe("what the Hub refuses", () => {
  it("names a repo, file or revision that does not exist (404)", async () => {
    hub.addRepo("t/exists", { "a.gguf": models.gguf });
    const s = settings();
    await expect(resolve("hf:t/missing", s)).rejects.toThrow(`hf:t/missing: no such model repo t/missing on ${hub.url} (a private repo also needs HF_TOKEN)`);
    await expect(resolve("hf:t/exists/b.gguf", s)).rejects.toThrow("hf:t/exists/b.gguf: no such file b.gguf in t/exists (revision main)");
    await expect(resolve("hf:t/exists@v9", s)).rejects.toThrow('hf:t/exists@v9: no revision "v9" in t/exists');
    await expect(resolve("hf:t/exists", s)).rejects.toThrow("hf:t/exists: t/exists has no config.json, so it is not a Hugging Face model folder; name one of its GGUF files, e.g. hf:t/exists/a.gguf");
  });

  it("asks for HF_TOKEN on a gated model, says when the token lacks access, and never sends it to the CDN", async () => {
    const token = "hf_secretToken123";
    hub.addRepo("t/gated", { "g.gguf": models.gguf }, { token });
    const noToken = resolve("hf:t/gated/g.gguf", settings());
    await expect(noToken).rejects.toThrow("hf:t/gated/g.gguf: the Hub needs a token for t/gated (a gated or private model): set HF_TOKEN");
    const wrong = await resolve("hf:t/gated/g.gguf", settings({ token: "hf_wrong999" })).catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(/HF_TOKEN has no access to t\/gated: for a gated model, accept its terms/);
    expect((wrong as Error).message).not.toContain("hf_wrong999");
    const seen = hub.requests.length;
    await resolve("hf:t/gated/g.gguf", settings({ token }));
    const mine = hub.requests.slice(seen);
    expect(mine.filter((r) => r.server === "hub").every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(mine.filter((r) => r.server === "cdn").length).toBeGreaterThan(0);
    expect(mine.filter((r) => r.server === "cdn").every((r) => r.authorization === undefined)).toBe(true);
  });

  it("refuses a file list holding an unsafe name before writing anything", async () => {
    hub.addRepo("t/evil", { "../../evil.gguf": "x", "ok.gguf": models.gguf });
    const s = settings();
    await expect(resolve("hf:t/evil/ok.gguf", s)).rejects.toThrow('hf:t/evil/ok.gguf: the Hub listed an unsafe file name "../../evil.gguf"');
    expect(existsSync(path.join(s.cacheDir, "models--t--evil", "blobs"))).toBe(false);
  });

  it("refuses plain http to a non-loopback host without sending anything", async () => {
    const s = settings({ endpoint: "http://198.51.100.7", token: "hf_x" });
    await expect(hubFetch(s, "http://198.51.100.7/api/models/a/b", { method: "GET" }, { label: "hf:a/b", repo: "a/b", revision: "main" })).rejects.toThrow(
      /hf:a\/b: refusing to fetch http:\/\/198\.51\.100\.7: the URL must be https/,
    );
  });
});
