import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runGenerate } from "@/cli/commands/generate";
import { formatDownloadBar, stderrDownloadProgress } from "@/cli/download-progress";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { resetEnvCache } from "@/lib/env";
import { GenerationWorkerPool } from "@/lib/model-files/worker-pool";
import { startFakeHub, type FakeHub } from "../../support/fake-hub";
import { tinyHubModels } from "../../support/hub-fixtures";

const models = await tinyHubModels();
const saved = { ...process.env };
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-cli-cache-"));
let hub: FakeHub;

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

beforeAll(async () => {
  hub = await startFakeHub();
  hub.addRepo("t/cli", { "tiny.gguf": models.gguf });
  setEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cacheDir, HF_HUB_OFFLINE: undefined, HF_TOKEN: undefined });
});
afterAll(async () => {
  setEnv({ HF_ENDPOINT: saved.HF_ENDPOINT, HF_HUB_CACHE: saved.HF_HUB_CACHE, HF_HUB_OFFLINE: saved.HF_HUB_OFFLINE, HF_TOKEN: saved.HF_TOKEN });
  await hub?.close();
  models.cleanup();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += a.join(" ") + "\n"));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += a.join(" ") + "\n"));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await runGenerate(args), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

describe("hf: ids in the CLI and the worker", () => {
  it("studio generate --model hf:… downloads with progress on stderr, then generates; a second run prints no progress", async () => {
    const args = ["--model", "hf:t/cli/tiny.gguf", "--prompt-ids", "5,9,12", "--temperature", "0", "--max-new-tokens", "4", "--json"];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(first.err).toContain("downloading tiny.gguf");
    expect(first.err).toMatch(/downloaded \d+\.\d MB/);
    const json = JSON.parse(first.out);
    expect(json.model).toMatch(/models--t--cli\/snapshots\/[0-9a-f]{40}\/tiny\.gguf$/);
    expect(json.completions[0].tokenCount).toBeGreaterThan(0);
    const second = await cli(args);
    expect(second.code).toBe(0);
    expect(second.err).toBe("");
    expect(JSON.parse(second.out).completions[0].ids).toEqual(json.completions[0].ids);
  });

  it("studio generate fails with the Hub's reason for a file that is not in the repo", async () => {
    await expect(cli(["--model", "hf:t/cli/nope.gguf", "--prompt-ids", "1"])).rejects.toThrow("hf:t/cli/nope.gguf: no such file nope.gguf in t/cli (revision main)");
  });

  it("a worker thread loads an hf: id from the cache with HF_HUB_OFFLINE and the Hub gone", async () => {
    await hub.close();
    setEnv({ HF_HUB_OFFLINE: "1" });
    const pool = await GenerationWorkerPool.start({ modelPath: "hf:t/cli/tiny.gguf", size: 1 });
    try {
      const ids: number[][] = [];
      for await (const e of pool.generate({ promptIds: [5, 9, 12], configs: [parseDecodingConfig({ temperature: 0, max_new_tokens: 4 })] })) if (e.type === "done") ids.push(e.result.ids);
      expect(ids[0].length).toBeGreaterThan(0);
    } finally {
      await pool.close();
      setEnv({ HF_HUB_OFFLINE: undefined });
    }
  });

  it("draws the bar from bytes done over the total", () => {
    expect(formatDownloadBar({ file: "model.safetensors", fileBytes: 5e6, fileSize: 8e6, bytes: 6e6, totalBytes: 24e6 }, 8)).toBe(
      "downloading model.safetensors [##------]  25%  6.0/24.0 MB",
    );
    let tty = "";
    const out = { isTTY: true, write: (s: string) => ((tty += s), true) } as unknown as NodeJS.WriteStream;
    const show = stderrDownloadProgress(out);
    show({ file: "a", fileBytes: 0, fileSize: 10, bytes: 0, totalBytes: 10 });
    show({ file: "a", fileBytes: 10, fileSize: 10, bytes: 10, totalBytes: 10 });
    expect(tty).toBe("\rdownloading a [--------------------]   0%  0.0/0.0 MB\x1b[K\rdownloading a [####################] 100%  0.0/0.0 MB\x1b[K\n");
  });
});
