/**
 * The per-tensor types of each file type, worked out by hand from llama.cpp's
 * rules (src/llama-quant.cpp; summarized in lib/engine/formats/gguf/recipe.ts).
 */
import { describe, expect, it } from "vitest";
import type { TensorSpec } from "@/lib/engine/formats/gguf/recipe";
import { tensorTypes, useMoreBits } from "@/lib/engine/formats/gguf/recipe";

/** GGUF tensor list of a dense Llama: dim d, hidden h, kv dim kv, vocab 320. */
function llamaTensors(nLayers: number, d: number, h: number, kv: number, tied: boolean): TensorSpec[] {
  const t: TensorSpec[] = [{ name: "token_embd.weight", shape: [320, d] }];
  for (let i = 0; i < nLayers; i++) {
    const b = `blk.${i}.`;
    t.push(
      { name: b + "attn_norm.weight", shape: [d] },
      { name: b + "attn_q.weight", shape: [d, d] },
      { name: b + "attn_k.weight", shape: [kv, d] },
      { name: b + "attn_v.weight", shape: [kv, d] },
      { name: b + "attn_output.weight", shape: [d, d] },
      { name: b + "ffn_norm.weight", shape: [d] },
      { name: b + "ffn_gate.weight", shape: [h, d] },
      { name: b + "ffn_up.weight", shape: [h, d] },
      { name: b + "ffn_down.weight", shape: [d, h] },
    );
  }
  t.push({ name: "output_norm.weight", shape: [d] });
  if (!tied) t.push({ name: "output.weight", shape: [320, d] });
  return t;
}

function typesByName(tensors: TensorSpec[], ...args: Parameters<typeof tensorTypes> extends [unknown, ...infer R] ? R : never) {
  const types = tensorTypes(tensors, ...args);
  return new Map(tensors.map((t, i) => [t.name, types[i]]));
}

describe("use_more_bits (which layers Q4_K_M gives more bits)", () => {
  it("is the first and last eighth and every third layer between", () => {
    const on = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => useMoreBits(i, n));
    expect(on(8)).toEqual([0, 3, 6, 7]); // n/8 = 1, 7n/8 = 7, (i - 1) % 3 == 2
    expect(on(4)).toEqual([2, 3]); // n/8 = 0, 7n/8 = 3 (3.5 truncated), i % 3 == 2
    // Qwen3-0.6B: 28 layers -> n/8 = 3, 7n/8 = 24
    expect(on(28)).toEqual([0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24, 25, 26, 27]);
  });
});

describe("Q4_K_M recipe", () => {
  const tensors = llamaTensors(8, 256, 512, 128, false);
  const types = typesByName(tensors, "Q4_K_M", 8);

  it("gives attn_v and ffn_down Q6_K in layers 0, 3, 6 and 7, Q4_K in the others", () => {
    for (let i = 0; i < 8; i++) {
      const more = [0, 3, 6, 7].includes(i);
      expect(types.get(`blk.${i}.attn_v.weight`)).toBe(more ? "Q6_K" : "Q4_K");
      expect(types.get(`blk.${i}.ffn_down.weight`)).toBe(more ? "Q6_K" : "Q4_K");
      for (const p of ["attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up"]) expect(types.get(`blk.${i}.${p}.weight`)).toBe("Q4_K");
      expect(types.get(`blk.${i}.attn_norm.weight`)).toBe("F32");
    }
  });

  it("gives the output Q6_K and an untied token embedding Q4_K; a tied embedding Q6_K", () => {
    expect(types.get("output.weight")).toBe("Q6_K");
    expect(types.get("token_embd.weight")).toBe("Q4_K");
    expect(types.get("output_norm.weight")).toBe("F32");
    const tied = typesByName(llamaTensors(8, 256, 512, 128, true), "Q4_K_M", 8);
    expect(tied.get("token_embd.weight")).toBe("Q6_K");
  });

  it("falls back for rows that are not whole 256-blocks: Q4_K -> Q5_0, Q6_K -> Q8_0, output -> Q8_0, and F32 below 32", () => {
    // SmolLM2-135M's width: dim 576 = 2.25 * 256
    const t = typesByName(llamaTensors(8, 576, 1536, 192, false), "Q4_K_M", 8);
    expect(t.get("blk.1.attn_q.weight")).toBe("Q5_0");
    expect(t.get("blk.0.attn_v.weight")).toBe("Q8_0"); // Q6_K, then its fallback
    expect(t.get("blk.1.ffn_down.weight")).toBe("Q4_K"); // rows of hidden = 1536 = 6 * 256
    expect(t.get("blk.0.ffn_down.weight")).toBe("Q6_K");
    expect(t.get("output.weight")).toBe("Q8_0");
    const odd = typesByName([{ name: "w.weight", shape: [4, 100] }], "Q4_K_M", 1);
    expect(odd.get("w.weight")).toBe("F32");
  });

  it("treats GPT-2's fused attn_qkv like attn_v and never quantizes position embeddings", () => {
    const t = typesByName(
      [
        { name: "token_embd.weight", shape: [320, 256] },
        { name: "position_embd.weight", shape: [128, 256] },
        ...[0, 1, 2, 3].map((i) => ({ name: `blk.${i}.attn_qkv.weight`, shape: [768, 256] })),
      ],
      "Q4_K_M", 4,
    );
    expect(t.get("position_embd.weight")).toBe("F32");
    expect(t.get("token_embd.weight")).toBe("Q6_K"); // tied: no output.weight
    expect([0, 1, 2, 3].map((i) => t.get(`blk.${i}.attn_qkv.weight`))).toEqual(["Q4_K", "Q4_K", "Q6_K", "Q6_K"]);
  });
});

describe("other file types", () => {
  const tensors = llamaTensors(4, 256, 512, 128, false);

  it("Q6_K: every matrix Q6_K, norms F32", () => {
    const t = typesByName(tensors, "Q6_K", 4);
    for (const s of tensors) expect(t.get(s.name)).toBe(s.shape.length === 1 ? "F32" : "Q6_K");
  });

  it("Q8_0, F16 and F32: every matrix that type, norms F32", () => {
    for (const ft of ["Q8_0", "F16", "F32"] as const) {
      const t = typesByName(tensors, ft, 4);
      for (const s of tensors) expect(t.get(s.name)).toBe(s.shape.length === 1 ? "F32" : ft);
    }
  });
});
