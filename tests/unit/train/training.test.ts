import { describe, expect, it } from "vitest";
import { specialIds, toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { encodeSft } from "@/lib/train/chat-format";
import { hfTokenizer } from "@/lib/train/export-hf";
import { deserializeCheckpoint, serializeCheckpoint } from "@/lib/train/checkpoint";
import { LocalGradEngine } from "@/lib/train/grad-engine";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";
import { generateCorpus } from "@/lib/tasks";
import type { TrainHyper } from "@/lib/train/trainer";
import { NonFiniteLossError, Trainer } from "@/lib/train/trainer";

const items = generateCorpus(11, 400);
const bpe = trainBpe(items.flatMap((x) => [x.prompt, x.response]), 200);
const tokenizer = hfTokenizer(toTokenizerJson(bpe), 64, specialIds(bpe));
const data = items.map((x) => encodeSft(tokenizer, [{ role: "user", content: x.prompt }], x.response));
const config: LlamaTrainConfig = {
  vocabSize: vocabSize(bpe), dim: 32, nLayers: 2, nHeads: 4, nKvHeads: 2, hiddenDim: 64, maxSeqLen: 64, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
};
const hyper = (over: Partial<TrainHyper> = {}): TrainHyper => ({
  seed: 5, batchSize: 4, gradAccum: 1, clipNorm: 1,
  adamw: { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 },
  schedule: { peakLr: 1e-2, minLr: 1e-3, warmupSteps: 5, totalSteps: 40 },
  ...over,
});

function makeTrainer(h: TrainHyper, params = initParams(config, createRng(9)) as Float32Array, examples = data) {
  return new Trainer(config, h, new LocalGradEngine(config, Float32Array.from(params)), examples);
}

async function run(t: Trainer, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await t.trainStep()).loss);
  return losses;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("Trainer", () => {
  it("drives the response loss well below its starting value in 40 steps", async () => {
    // 24 corpus examples: a tiny model can fit them in a few dozen steps, so the test is fast and decisive.
    const fast = { peakLr: 1e-2, minLr: 1e-3, warmupSteps: 5, totalSteps: 40 };
    const losses = await run(makeTrainer(hyper({ batchSize: 8, schedule: fast }), undefined, data.slice(0, 24)), 40);
    expect(losses[0]).toBeGreaterThan(Math.log(config.vocabSize) - 1); // starts near uniform
    // At least 2 nats lower: the model's perplexity on responses drops more than 7×.
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 3)) - 2);
  });

  it("resumed from a serialized checkpoint, follows the uninterrupted loss curve exactly", async () => {
    const straight = await run(makeTrainer(hyper()), 12);
    const first = makeTrainer(hyper());
    const head = await run(first, 6);
    const bytes = serializeCheckpoint({
      header: { model: config, hyper: first.hyper, step: first.step, adamT: first.optimizer.t, lossHistory: head, extra: {} },
      params: first.engine.params, m: first.optimizer.m, v: first.optimizer.v,
    });
    const ck = deserializeCheckpoint(bytes);
    const second = makeTrainer(ck.header.hyper, ck.params);
    second.step = ck.header.step;
    second.optimizer.t = ck.header.adamT;
    second.optimizer.m.set(ck.m);
    second.optimizer.v.set(ck.v);
    const tail = await run(second, 6);
    expect([...ck.header.lossHistory, ...tail]).toEqual(straight);
  });

  it("gives the same update for batch 4 × 1 and batch 2 × 2 accumulation", async () => {
    const a = makeTrainer(hyper({ batchSize: 4, gradAccum: 1 }));
    const b = makeTrainer(hyper({ batchSize: 2, gradAccum: 2 }));
    const [la] = await run(a, 1);
    const [lb] = await run(b, 1);
    expect(lb).toBeCloseTo(la!, 5);
    for (let i = 0; i < a.engine.params.length; i += 13) expect(b.engine.params[i]).toBeCloseTo(a.engine.params[i]!, 5);
  });

  it("names a seed the RNG cannot take before any step", () => {
    expect(() => makeTrainer(hyper({ seed: -1 }))).toThrow("seed must be a non-negative safe integer, got -1");
  });

  it("stops with NonFiniteLossError on a NaN loss and leaves the params untouched", async () => {
    const t = makeTrainer(hyper());
    await run(t, 2);
    t.engine.params[0] = NaN; // poison the embedding row of token 0 … and every row via the norm:
    t.engine.params.fill(NaN, 0, config.vocabSize * config.dim);
    const before = Float32Array.from(t.engine.params);
    await expect(t.trainStep()).rejects.toThrow(NonFiniteLossError);
    await expect(t.trainStep()).rejects.toThrow(/step 2.*last good checkpoint/);
    expect(Array.from(t.engine.params)).toEqual(Array.from(before));
    expect(t.step).toBe(2);
  });
});

describe("checkpoint format", () => {
  it("round-trips and rejects a truncated file", () => {
    const t = makeTrainer(hyper());
    const ck = {
      header: { model: config, hyper: t.hyper, step: 3, adamT: 3, lossHistory: [1, 2, 3], extra: { note: "x" } },
      params: t.engine.params, m: t.optimizer.m.map((_, i) => i), v: t.optimizer.v.map((_, i) => 2 * i),
    };
    const bytes = serializeCheckpoint(ck);
    const back = deserializeCheckpoint(bytes);
    expect(back.header).toEqual(ck.header);
    expect(Array.from(back.m.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(back.params)).toEqual(Array.from(ck.params));
    expect(() => deserializeCheckpoint(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    expect(() => deserializeCheckpoint(new Uint8Array(32))).toThrow(/bad magic/);
  });

  it("refuses a version 1 checkpoint (batches from the old generator), saying how to start over", () => {
    const t = makeTrainer(hyper());
    const bytes = serializeCheckpoint({
      header: { model: config, hyper: t.hyper, step: 0, adamT: 0, lossHistory: [], extra: {} },
      params: t.engine.params, m: t.optimizer.m, v: t.optimizer.v,
    });
    new DataView(bytes.buffer).setUint32(8, 1, true);
    expect(() => deserializeCheckpoint(bytes)).toThrow(/version 1 .*old random generator.*--fresh/);
    new DataView(bytes.buffer).setUint32(8, 3, true);
    expect(() => deserializeCheckpoint(bytes)).toThrow("checkpoint version 3 is not supported (expected 2)");
  });

  it("reads from a Node Buffer at an unaligned offset", () => {
    const t = makeTrainer(hyper());
    const bytes = serializeCheckpoint({
      header: { model: config, hyper: t.hyper, step: 0, adamT: 0, lossHistory: [], extra: {} },
      params: t.engine.params, m: t.optimizer.m, v: t.optimizer.v,
    });
    const padded = Buffer.alloc(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(deserializeCheckpoint(padded.subarray(3)).params.subarray(0, 50))).toEqual(Array.from(t.engine.params.subarray(0, 50)));
  });
});
