/**
 * Training throughput of lib/train on the demo model shape, next to the peak
 * of the same matmul kernel measured in this run (so the share is honest on
 * a loaded machine). Usage: npx tsx bench/train.ts [--steps 20] [--threads 1,2]
 */
import { parseArgs } from "node:util";
import { createRng } from "@/lib/numerics/rng";
import { buildDemoData, DEMO_DEFAULTS, demoHyper, demoModelConfig } from "@/lib/train/demo-setup";
import type { GradEngine } from "@/lib/train/grad-engine";
import { LocalGradEngine, scoredCount } from "@/lib/train/grad-engine";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { headDim } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { matmul } from "@/lib/engine/kernels/matmul";
import { ParallelGradEngine } from "@/lib/train/parallel/parallel-engine";
import { batchIndices, Trainer } from "@/lib/train/trainer";

/** GFLOP/s of the forward matmul kernel on a (T,n)@(m,n)^T shape like the MLP's, single thread. */
function peakMatmul(seconds: number): number {
  const [T, n, m] = [32, 96, 256];
  const rng = createRng(1);
  const x = Float32Array.from({ length: T * n }, () => rng.normal());
  const w = Float32Array.from({ length: m * n }, () => rng.normal());
  const out = new Float32Array(T * m);
  for (let i = 0; i < 200; i++) matmul(out, x, w, T, n, m); // warm-up (JIT)
  let iters = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 100; i++) matmul(out, x, w, T, n, m);
    iters += 100;
  }
  return (iters * 2 * T * n * m) / ((performance.now() - t0) / 1000) / 1e9;
}

/** Training FLOPs for one sequence: forward matmuls + attention + LM head on scored rows, backward = 2× forward. */
function flopsPerSequence(c: LlamaTrainConfig, T: number, scored: number): number {
  const hd = headDim(c);
  const perLayer = c.dim * (c.nHeads * hd) * 2 + c.dim * (c.nKvHeads * hd) * 2 + 3 * c.dim * c.hiddenDim;
  const linear = 2 * T * c.nLayers * perLayer;
  const attn = c.nLayers * c.nHeads * hd * 2 * (T * (T + 1)); // q·k and p·v over the causal triangle
  const head = 2 * scored * c.vocabSize * c.dim;
  return 3 * (linear + attn + head);
}

async function main() {
  const { values } = parseArgs({ options: { steps: { type: "string", default: "20" }, threads: { type: "string", default: "1,2" } } });
  const steps = Number(values.steps);
  const opts = { ...DEMO_DEFAULTS, corpusSize: 5000 };
  const demo = buildDemoData(opts);
  const config = demoModelConfig(opts, demo.bpe.vocab.size + demo.bpe.special.size);
  console.log(`model: dim ${config.dim}, ${config.nLayers} layers, vocab ${config.vocabSize}; batch ${opts.batch}`);
  for (const threads of String(values.threads).split(",").map(Number)) {
    // Peak is measured right before and after each training run and averaged: on a shared machine the
    // available CPU drifts, and the share is only meaningful against the same conditions.
    const peakBefore = peakMatmul(2);
    const params = initParams(config, createRng(opts.seed)) as Float32Array;
    const engine: GradEngine = threads > 1 ? new ParallelGradEngine(config, params, threads) : new LocalGradEngine(config, params);
    const trainer = new Trainer(config, demoHyper(opts), engine, demo.data);
    await trainer.trainStep(); // warm-up (JIT, worker start)
    let tokens = 0;
    let flops = 0;
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const r = await trainer.trainStep();
      tokens += r.tokens;
    }
    const secs = (performance.now() - t0) / 1000;
    // Re-derive FLOPs from the batches the timed steps drew (step s trains on batchIndices(seed, s)).
    for (let s = 1; s <= steps; s++) {
      for (const i of batchIndices(opts.seed, s, opts.batch * opts.accum, demo.data.length)) {
        const ex = demo.data[i]!;
        flops += flopsPerSequence(config, ex.tokens.length, scoredCount(ex));
      }
    }
    await engine.close();
    const peak = (peakBefore + peakMatmul(2)) / 2;
    const achieved = flops / secs / 1e9;
    console.log(`peak (plain matmul, 1 thread, mean of before/after): ${peak.toFixed(2)} GFLOP/s`);
    console.log(
      `train, ${threads} thread(s): ${(tokens / secs).toFixed(0)} tokens/s | ${achieved.toFixed(2)} GFLOP/s | ` +
        `${((100 * achieved) / (peak * threads)).toFixed(0)}% of ${threads}× single-thread matmul peak`,
    );
  }
}

await main();
