import { describe, expect, it } from "vitest";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import { modelFromHf } from "@/lib/engine/models/load";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { tokenizerFromJson } from "@/lib/engine/tokenizer/index";
import { toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { promptIds } from "@/lib/engine/tokenizer";
import { encodeSft } from "@/lib/train/chat-format";
import { hfModelFiles, hfTokenizer } from "@/lib/train/export-hf";
import { paramsFromTensors, trainConfigFromHf } from "@/lib/train/hf-import";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { LlamaTrainModel } from "@/lib/train/model/model";
import { createRng } from "@/lib/numerics/rng";
import { generateCorpus } from "@/lib/tasks";

describe("writeSafetensors", () => {
  it("round-trips through the engine's reader with 8-byte-aligned data", () => {
    const a = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
    const b = Float32Array.of(7);
    const bytes = writeSafetensors([{ name: "a", shape: [2, 3], data: a }, { name: "b", shape: [1], data: b }], { format: "pt" });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const f = readSafetensors(bytes);
    expect(f.metadata).toEqual({ format: "pt" });
    expect(f.tensors.get("a")!.shape).toEqual([2, 3]);
    expect(Array.from(tensorToFloat32(f.tensors.get("a")!))).toEqual(Array.from(a));
    expect(Array.from(tensorToFloat32(f.tensors.get("b")!))).toEqual([7]);
  });

  it("rejects a shape that does not match the data, naming the tensor", () => {
    expect(() => writeSafetensors([{ name: "w", shape: [2, 2], data: new Float32Array(3) }])).toThrow(/w has shape \[2, 2\] \(4 values\) but 3 values/);
  });

  it("rejects duplicate names", () => {
    const t = { name: "x", shape: [1], data: new Float32Array(1) };
    expect(() => writeSafetensors([t, t])).toThrow(/appears twice/);
  });
});

describe("HF model folder export", () => {
  const bpe = trainBpe(generateCorpus(2, 500).flatMap((x) => [x.prompt, x.response]), 120);
  const config: LlamaTrainConfig = {
    vocabSize: vocabSize(bpe), dim: 16, nLayers: 2, nHeads: 4, nKvHeads: 2, hiddenDim: 24, maxSeqLen: 32, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: false,
  };
  const params = initParams(config, createRng(4), new Float32Array(paramCount(config))) as Float32Array;
  for (let i = 0; i < params.length; i++) params[i] *= 10; // larger weights make a layout mistake visible in the logits
  const ids = { endOfText: bpe.special.get("<|endoftext|>")!, imStart: bpe.special.get("<|im_start|>")!, imEnd: bpe.special.get("<|im_end|>")! };
  const files = hfModelFiles(config, params, toTokenizerJson(bpe), ids);
  const configJson = JSON.parse(files.get("config.json") as string) as Record<string, unknown>;
  const tensors = readSafetensors(files.get("model.safetensors") as Uint8Array).tensors;

  it("writes config, generation config, tokenizer files and HF tensor names", () => {
    expect([...files.keys()].sort()).toEqual(
      ["config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"].sort(),
    );
    expect(configJson).toMatchObject({ architectures: ["LlamaForCausalLM"], num_key_value_heads: 2, tie_word_embeddings: false, eos_token_id: ids.imEnd });
    expect(tensors.has("lm_head.weight")).toBe(true);
    expect(tensors.get("model.layers.1.self_attn.k_proj.weight")!.shape).toEqual([8, 16]);
  });

  it("imports back to the same config and params", () => {
    expect(trainConfigFromHf(configJson)).toEqual(config);
    expect(Array.from(paramsFromTensors(config, tensors))).toEqual(Array.from(params));
  });

  it("loads in the engine and gives the trainer's loss on a chat prompt", () => {
    const model = modelFromHf(configJson, tensors);
    const prompt = promptIds(hfTokenizer(toTokenizerJson(bpe), config.maxSeqLen, ids), [{ role: "user", content: "What is 3 + 4?" }]);
    const T = prompt.length, V = config.vocabSize;
    const logits = model.createSession({ slots: 1 }).forward(Int32Array.from(prompt), new Int32Array(T), Int32Array.from(prompt, (_, i) => i), T, "all");
    let loss = 0;
    for (let t = 0; t + 1 < T; t++) {
      const row = logits.subarray(t * V, t * V + V);
      const max = Math.max(...row);
      loss += Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0)) + max - row[prompt[t + 1]!]!;
    }
    const trainer = new LlamaTrainModel(config, params, new Float32Array(params.length));
    const want = trainer.forwardBackward(prompt.slice(0, -1), prompt.slice(1), 0).loss;
    // Weights ×10 give logits in the hundreds: float32 agreement to ~1e-5 relative.
    expect(Math.abs(loss - want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
  });

  it("ships a chat template the engine renders to the training prompt format", () => {
    const tok = tokenizerFromJson(JSON.parse(files.get("tokenizer.json") as string), JSON.parse(files.get("tokenizer_config.json") as string));
    expect(tok.applyChatTemplate([{ role: "user", content: "Sort: b a" }], { addGenerationPrompt: true })).toBe("<|im_start|>user\nSort: b a<|im_end|>\n<|im_start|>assistant\n");
    expect(tok.eosIds).toContain(ids.imEnd);
    // Training data (encoded with the in-memory tokenizer) is what the exported folder's tokenizer gives.
    const messages = [{ role: "user", content: "Sort: b a" }];
    expect(encodeSft(tok, messages, "a b")).toEqual(encodeSft(hfTokenizer(toTokenizerJson(bpe), config.maxSeqLen, ids), messages, "a b"));
  });
});
