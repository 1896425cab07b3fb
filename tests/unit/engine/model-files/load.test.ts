import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "@/lib/engine/generate";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { plainTextIds } from "@/lib/engine/tokenizer/conversation";
import { loadModelFromPath } from "@/lib/model-files/load";
import { GenerationWorkerPool } from "@/lib/model-files/worker-pool";
import { engineGreedy } from "../golden/compare";
import { randomLlama } from "../golden/random-model";

const dir = mkdtempSync(path.join(tmpdir(), "model-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const m = randomLlama({ arch: "LlamaForCausalLM", dim: 32, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 64, vocab: 300, ctx: 64, tied: false, seed: 21 });
const entries = [...m.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, data: tensorToFloat32(t) }));
const ref = engineGreedy(
  // The reference runs on the in-memory weights.
  (await import("@/lib/engine/models/load")).modelFromHf(m.config, m.tensors),
  [1, 7, 8],
  10,
).ids;

function hfFolder(name: string, sharded: boolean, extra: Record<string, unknown> = {}): string {
  const d = path.join(dir, name);
  mkdirSync(d);
  writeFileSync(path.join(d, "config.json"), JSON.stringify(m.config));
  for (const [file, json] of Object.entries(extra)) writeFileSync(path.join(d, file), JSON.stringify(json));
  if (!sharded) {
    writeFileSync(path.join(d, "model.safetensors"), writeSafetensors(entries));
    return d;
  }
  const half = Math.ceil(entries.length / 2);
  const shards = [entries.slice(0, half), entries.slice(half)];
  const weightMap: Record<string, string> = {};
  shards.forEach((s, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeFileSync(path.join(d, file), writeSafetensors(s));
    for (const e of s) weightMap[e.name] = file;
  });
  writeFileSync(path.join(d, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return d;
}

describe("loadModelFromPath", () => {
  it("loads an HF folder with one safetensors file and with shards, giving the same greedy ids", async () => {
    for (const sharded of [false, true]) {
      const loaded = await loadModelFromPath(hfFolder(`hf-${sharded}`, sharded));
      expect(loaded.kind).toBe("hf");
      expect(loaded.tokenizer).toBeNull();
      expect(engineGreedy(loaded.model, [1, 7, 8], 10).ids).toEqual(ref);
    }
  });

  it("takes EOS ids from generation_config.json", async () => {
    const loaded = await loadModelFromPath(hfFolder("hf-gen", false, { "generation_config.json": { eos_token_id: [2, 5] } }));
    expect(loaded.eosIds).toEqual([2, 5]);
  });

  it("loads a .gguf file with its tokenizer metadata", async () => {
    const file = path.join(dir, "m.gguf");
    writeFileSync(file, ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(300), dtype: "F32" }));
    const loaded = await loadModelFromPath(file);
    expect(loaded.kind).toBe("gguf");
    expect(loaded.tokenizer?.vocabSize).toBe(300);
    expect(loaded.eosIds).toContain(2);
    expect(engineGreedy(loaded.model, [1, 7, 8], 10).ids).toEqual(ref);
    const ids = plainTextIds(loaded.tokenizer!, "hi");
    expect(ids[0]).toBe(1); // BOS added
  });

  it("names the file and the problem for bad paths and broken folders", async () => {
    await expect(loadModelFromPath(path.join(dir, "nope"))).rejects.toThrow(/nope: no such file or folder/);
    const d = path.join(dir, "broken");
    mkdirSync(d);
    await expect(loadModelFromPath(d)).rejects.toThrow(/config.json is missing/);
    writeFileSync(path.join(d, "config.json"), "{not json");
    await expect(loadModelFromPath(d)).rejects.toThrow(/config.json: not valid JSON/);
    writeFileSync(path.join(d, "config.json"), JSON.stringify(m.config));
    await expect(loadModelFromPath(d)).rejects.toThrow(/neither model.safetensors nor model.safetensors.index.json/);
    writeFileSync(path.join(d, "model.safetensors"), writeSafetensors(entries).subarray(0, 1000));
    await expect(loadModelFromPath(d)).rejects.toThrow(/model.safetensors: .*(truncated|does not fit)/);
  });
});

describe("GenerationWorkerPool", () => {
  it("generates off the main thread with the same results as in-process, and aborts", async () => {
    const file = path.join(dir, "pool.gguf");
    writeFileSync(file, ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(300), dtype: "F32" }));
    const pool = await GenerationWorkerPool.start({ modelPath: file, size: 1 });
    try {
      expect(pool.info).toMatchObject({ family: "llama", vocabSize: 300, hasTokenizer: true });
      const configs = [parseDecodingConfig({ temperature: 0, max_new_tokens: 10 }), parseDecodingConfig({ temperature: 1, seed: 3, max_new_tokens: 6 })];
      const viaPool: number[][] = [];
      for await (const e of pool.generate({ promptIds: [1, 7, 8], configs })) if (e.type === "done") viaPool[e.seq] = e.result.ids;
      const local = await loadModelFromPath(file);
      const inProcess: number[][] = [];
      for await (const e of generate({ model: local.model, tokenizer: local.tokenizer, promptIds: [1, 7, 8], configs, eosIds: local.eosIds })) {
        if (e.type === "done") inProcess[e.seq] = e.result.ids;
      }
      expect(viaPool).toEqual(inProcess);

      const ac = new AbortController();
      let reason = "";
      let n = 0;
      for await (const e of pool.generate({ promptIds: [1], configs: [parseDecodingConfig({ temperature: 0, max_new_tokens: 60, stop_token_ids: [] })] }, ac.signal)) {
        if (e.type === "token" && ++n === 2) ac.abort();
        if (e.type === "done") reason = e.result.finishReason;
      }
      expect(reason).toBe("abort");
      await expect(async () => {
        for await (const _ of pool.generate({ promptIds: [999], configs })) void _;
      }).rejects.toThrow(/outside the vocabulary/);
    } finally {
      await pool.close();
    }
  });
});

const fixture = path.resolve(import.meta.dirname, "../../../..", "../shared/fixtures/stories260K");

describe("convertHfFolderToGguf", () => {
  it.skipIf(!existsSync(fixture))("converts the stories260K HF folder to a GGUF that reproduces the reference greedy ids", async () => {
    const { convertHfFolderToGguf } = await import("@/lib/model-files/convert");
    const out = path.join(dir, "stories.gguf");
    const res = await convertHfFolderToGguf(path.join(fixture, "hf"), out, { dtype: "F32" });
    expect(res.placeholderVocab).toBe(true);
    const loaded = await loadModelFromPath(out);
    const ref = JSON.parse(readFileSync(path.join(fixture, "reference.json"), "utf8")) as { greedy_ids: number[] };
    expect(engineGreedy(loaded.model, [1], 50).ids).toEqual(ref.greedy_ids.slice(0, 50));
  });
});
