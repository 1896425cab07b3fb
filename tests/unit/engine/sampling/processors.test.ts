import { describe, expect, it } from "vitest";
import { applyPenalties, logSoftmax, logSumExp, penalizedLogSoftmax, PenaltyScratch } from "@/lib/engine/sampling";

const penalize = (
  logits: number[],
  promptIds: number[],
  generatedIds: number[],
  p: { repetitionPenalty?: number; frequencyPenalty?: number; presencePenalty?: number },
) => {
  const out = Float32Array.from(logits);
  const scratch = new PenaltyScratch(logits.length);
  applyPenalties(out, { promptIds, generatedIds }, { repetitionPenalty: 1, frequencyPenalty: 0, presencePenalty: 0, ...p }, scratch);
  expect(Array.from(scratch.counts).every((c) => c === 0)).toBe(true); // scratch left clean for the next token
  return Array.from(out);
};

describe("applyPenalties", () => {
  it("repetition penalty divides positive and multiplies negative logits of prompt and generated tokens, once each (HF)", () => {
    // token 0 in the prompt (2 -> 1), token 1 twice in generated (-1 -> -2), token 3 (3 -> 1.5), token 2 unseen.
    expect(penalize([2, -1, 0.5, 3], [0, 0], [1, 1, 3], { repetitionPenalty: 2 })).toEqual([1, -2, 0.5, 1.5]);
  });

  it("repetition penalty below 1 rewards repeats", () => {
    expect(penalize([2, -1, 0.5], [0, 1], [], { repetitionPenalty: 0.5 })).toEqual([4, -0.5, 0.5]);
  });

  it("frequency penalty subtracts count × penalty over generated tokens only (OpenAI)", () => {
    expect(penalize([2, -1, 0.5, 3], [0], [1, 1, 3], { frequencyPenalty: 0.5 })).toEqual([2, -2, 0.5, 2.5]);
  });

  it("presence penalty subtracts the penalty once per generated token present (OpenAI)", () => {
    expect(penalize([2, -1, 0.5, 3], [0], [1, 1, 3], { presencePenalty: 0.25 })).toEqual([2, -1.25, 0.5, 2.75]);
  });

  it("applies the repetition penalty before frequency and presence", () => {
    // token 1: -1 * 2 = -2, then -(2 * 0.5 + 0.25) = -3.25; token 3: 3 / 2 = 1.5, then -(0.5 + 0.25) = 0.75.
    expect(penalize([2, -1, 0.5, 3], [0], [1, 1, 3], { repetitionPenalty: 2, frequencyPenalty: 0.5, presencePenalty: 0.25 }))
      .toEqual([1, -3.25, 0.5, 0.75]);
  });

  it("negative frequency and presence penalties encourage repeats", () => {
    expect(penalize([0, 0], [], [1], { frequencyPenalty: -1, presencePenalty: -0.5 })).toEqual([0, 1.5]);
  });

  it("refuses token ids outside the vocab", () => {
    expect(() => penalize([0, 0], [2], [], { repetitionPenalty: 1.5 })).toThrow("token id must be in [0, 2), got 2");
    expect(() => penalize([0, 0], [], [-1], { frequencyPenalty: 1 })).toThrow("token id must be in [0, 2), got -1");
  });
});

describe("logSoftmax", () => {
  it("matches log(exp(x) / sum(exp(x))) and keeps -Infinity", () => {
    const logits = Float32Array.of(1, 2, 3, -Infinity);
    const out = new Float32Array(4);
    logSoftmax(out, logits);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(out[0]).toBeCloseTo(1 - Math.log(z), 6);
    expect(out[2]).toBeCloseTo(3 - Math.log(z), 6);
    expect(out[3]).toBe(-Infinity);
  });

  it("is stable for huge logits", () => {
    const out = new Float32Array(2);
    logSoftmax(out, Float32Array.of(1e30, 1e30));
    expect(out[0]).toBeCloseTo(-Math.LN2, 6);
  });

  it("refuses NaN, +Infinity and an all-masked row", () => {
    expect(() => logSumExp(Float32Array.of(0, Number.NaN))).toThrow("logits contain NaN at id 1");
    expect(() => logSumExp(Float32Array.of(Number.NaN, 0))).toThrow("logits contain NaN at id 0");
    expect(() => logSumExp(Float32Array.of(0, Infinity))).toThrow("+Infinity");
    expect(() => logSumExp(Float32Array.of(-Infinity))).toThrow("all -Infinity");
  });
});

describe("penalizedLogSoftmax", () => {
  it("gives a beam's log-probs after its own penalties", () => {
    const out = new Float32Array(3);
    const config = { repetitionPenalty: 2, frequencyPenalty: 0, presencePenalty: 0 };
    penalizedLogSoftmax(out, Float32Array.of(2, 1, 0), { promptIds: [], generatedIds: [0] }, config, new PenaltyScratch(3));
    const z = Math.log(Math.exp(1) + Math.exp(1) + Math.exp(0)); // 2 / 2 = 1
    expect(Array.from(out).map((x) => Number(x.toFixed(5)))).toEqual([1 - z, 1 - z, -z].map((x) => Number(x.toFixed(5))));
  });
});
