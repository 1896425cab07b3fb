/**
 * The engine's Q4_K_M / Q6_K files equal llama-quantize's: llama.cpp's own
 * llama_model_quantize (the library node-llama-cpp ships, through
 * tests/unit/engine/tensor/ggml-peer.ts) turns an F32 GGUF into the same tensor
 * types and the same bytes as ggufFromHf and convertGguf. Skipped, saying why,
 * where the peer is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import type { GgufFile } from "@/lib/engine/formats/gguf/read";
import { GGUF_FILE_TYPES } from "@/lib/engine/formats/gguf/recipe";
import { convertGguf } from "@/lib/engine/formats/gguf/requantize";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import type { RandomModel } from "../golden/random-model";
import { randomGpt2, randomLlama } from "../golden/random-model";
import { ggmlPeer } from "../tensor/ggml-peer";

const { peer, reason } = ggmlPeer();
if (!peer) console.warn(`skipping the llama-quantize comparison: ${reason}`);
const dir = mkdtempSync(path.join(tmpdir(), "gguf-llama-quantize-"));
afterAll(() => {
  peer?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const VOCAB = 320;
// Small on purpose (the quantizers are reference code); 8 layers where the layer pattern matters.
const spec = { arch: "LlamaForCausalLM", nLayers: 4, nHeads: 4, nKvHeads: 2, hidden: 256, vocab: VOCAB, ctx: 64 } as const;
const MODELS: [string, RandomModel][] = [
  ["llama, 8 layers, untied", randomLlama({ ...spec, nLayers: 8, dim: 256, tied: false, seed: 21 })],
  ["llama, tied", randomLlama({ ...spec, dim: 256, tied: true, seed: 22 })],
  ["llama, dim 288 (Q5_0 / Q8_0 fallbacks)", randomLlama({ ...spec, dim: 288, hidden: 512, tied: false, seed: 23 })],
  ["qwen2 with biases", randomLlama({ ...spec, arch: "Qwen2ForCausalLM", dim: 256, tied: false, seed: 24 })],
  ["gpt2 (fused attn_qkv)", randomGpt2({ dim: 256, nLayers: 4, nHeads: 4, vocab: VOCAB, ctx: 64, seed: 25 })],
];

function expectSameTensors(ours: GgufFile, theirs: GgufFile): void {
  expect([...ours.tensors.keys()].sort()).toEqual([...theirs.tensors.keys()].sort());
  for (const [name, t] of theirs.tensors) {
    const o = ours.tensors.get(name)!;
    expect(`${name}: ${o.dtype} ${JSON.stringify(o.shape)}`).toBe(`${name}: ${t.dtype} ${JSON.stringify(t.shape)}`);
    expect(Buffer.from(o.bytes).equals(t.bytes), `${name} (${t.dtype}) bytes`).toBe(true);
  }
}

describe.skipIf(!peer)("Q4_K_M and Q6_K files equal llama-quantize's", () => {
  const cases = [
    ...MODELS.map(([name, m]) => ["Q4_K_M", name, m] as const),
    ...MODELS.slice(1, 3).map(([name, m]) => ["Q6_K", name, m] as const),
  ];
  it.each(cases)("%s, %s: every tensor's type and bytes", (fileType, name, m) => {
    const f32 = ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(VOCAB), dtype: "F32" });
    const f32File = path.join(dir, `${name.replace(/\W+/g, "-")}.f32.gguf`);
    const theirFile = f32File.replace(".f32.", `.${fileType}.`);
    writeFileSync(f32File, f32);
    peer!.quantizeModel(f32File, theirFile, GGUF_FILE_TYPES[fileType].fileTypeId);
    const theirs = readGguf(readFileSync(theirFile), theirFile);
    expect(theirs.metadata["general.file_type"]).toBe(GGUF_FILE_TYPES[fileType].fileTypeId);
    const fromHf = readGguf(ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(VOCAB), dtype: fileType }));
    expect(fromHf.metadata["general.file_type"]).toBe(GGUF_FILE_TYPES[fileType].fileTypeId);
    expectSameTensors(fromHf, theirs);
    // GGUF -> GGUF conversion: the same tensors
    if (name === MODELS[1][0]) expectSameTensors(readGguf(convertGguf(readGguf(f32), fileType)), theirs);
  });
});
