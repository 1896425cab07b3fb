/**
 * The trainer's weights as an engine model in memory: the engine's forward
 * must be the trainer's forward (float32 tolerance), for tied and untied heads
 * and grouped-query attention, and the same as loading the exported HF folder.
 */
import { describe, expect, it } from "vitest";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { modelFromHf } from "@/lib/engine/models/load";
import type { CausalLM } from "@/lib/engine/models/types";
import { hfModelFiles } from "@/lib/train/export-hf";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { engineModelFromParams } from "@/lib/train/model/engine-model";
import { LlamaTrainModel } from "@/lib/train/model/model";
import { noisyParams, tiny } from "./tiny-llama";

// Larger than the gradient-check model: 16-dim heads of 4, a 23-token vocabulary, 16 positions.
const small = (over: Partial<LlamaTrainConfig> = {}) => tiny({ vocabSize: 23, dim: 16, hiddenDim: 24, maxSeqLen: 16, ...over });
const params = (c: LlamaTrainConfig, seed: number) => Float32Array.from(noisyParams(c, seed));

const seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];

/** Logits (T, V) of every position of `tokens`, one engine forward over the whole sequence. */
function engineLogits(model: CausalLM, tokens: number[]): Float32Array {
  const T = tokens.length;
  const session = model.createSession({ slots: 1 });
  return session.forward(Int32Array.from(tokens), new Int32Array(T), Int32Array.from(tokens, (_, i) => i), T, "all").slice();
}

/** Summed next-token cross-entropy of positions 0..T-2 from logits (T, V). */
function crossEntropy(logits: Float32Array, tokens: number[], V: number): number {
  let loss = 0;
  for (let t = 0; t + 1 < tokens.length; t++) {
    const row = logits.subarray(t * V, t * V + V);
    const max = Math.max(...row);
    loss += Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) + max - row[tokens[t + 1]!]!;
  }
  return loss;
}

describe("engineModelFromParams", () => {
  for (const [label, cfg] of [
    ["tied head, grouped-query attention", small()],
    ["untied head, multi-head attention", small({ tieEmbeddings: false, nKvHeads: 4 })],
  ] as const) {
    it(`runs the trainer's forward: same loss and final-norm hidden states within float32 tolerance (${label})`, () => {
      const p = params(cfg, 7);
      const trainer = new LlamaTrainModel(cfg, p, new Float32Array(p.length));
      const want = trainer.forwardBackward(seq.slice(0, -1), seq.slice(1), 0).loss;
      const model = engineModelFromParams(cfg, p);
      const T = seq.length;
      const session = model.createSession({ slots: 1 });
      const logits = session.forward(Int32Array.from(seq), new Int32Array(T), Int32Array.from(seq, (_, i) => i), T, "all").slice();
      // Loss summed over 9 positions with logits of size ~10: float32 sums differ in the 5th digit.
      expect(Math.abs(crossEntropy(logits, seq, cfg.vocabSize) - want)).toBeLessThan(1e-3 * Math.max(1, want));
      const hidden = trainer.forwardHidden(seq);
      const h = new Float32Array(cfg.dim);
      let worst = 0;
      for (let t = 0; t < T; t++) {
        session.hidden!(h, t);
        for (let i = 0; i < cfg.dim; i++) worst = Math.max(worst, Math.abs(h[i]! - hidden[t * cfg.dim + i]!));
      }
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it("decoding one token at a time through the engine's KV cache gives the training forward's loss", () => {
    const cfg = small();
    const p = params(cfg, 9);
    const want = new LlamaTrainModel(cfg, p, new Float32Array(p.length)).forwardBackward(seq.slice(0, -1), seq.slice(1), 0).loss;
    const session = engineModelFromParams(cfg, p).createSession({ slots: 1 });
    const V = cfg.vocabSize;
    const logits = new Float32Array(seq.length * V);
    seq.forEach((tok, t) => logits.set(session.forward(Int32Array.of(tok), Int32Array.of(0), Int32Array.of(t), 1, "last"), t * V));
    expect(Math.abs(crossEntropy(logits, seq, V) - want)).toBeLessThan(1e-3 * Math.max(1, want));
  });

  it("gives bit-identical logits to the engine loading the exported HF folder", () => {
    const cfg = small({ tieEmbeddings: false });
    const p = params(cfg, 8);
    const ids = { endOfText: 20, imStart: 21, imEnd: 22 };
    const files = hfModelFiles(cfg, p, { model: { type: "BPE", vocab: {}, merges: [] } }, ids);
    const fromFolder = modelFromHf(JSON.parse(files.get("config.json") as string), readSafetensors(files.get("model.safetensors") as Uint8Array).tensors);
    const inMemory = engineModelFromParams(cfg, p, ids);
    expect(inMemory.config.eosTokenIds).toEqual([ids.imEnd]);
    expect(Array.from(engineLogits(inMemory, seq))).toEqual(Array.from(engineLogits(fromFolder, seq)));
  });

  it("refuses a parameter buffer that does not fit the config, naming both sizes", () => {
    const cfg = small();
    expect(() => engineModelFromParams(cfg, new Float32Array(10))).toThrow(`params have 10 values, the config needs ${paramCount(cfg)}`);
  });
});
