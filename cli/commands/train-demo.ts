/**
 * `train-demo`: trains the small chat model the app ships in models/demo/.
 * Seeded and resumable: progress is checkpointed to data/train-demo/checkpoint.bin
 * (params + AdamW state); rerunning the same command continues where it stopped,
 * and once all steps are done it only exports and evaluates.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { ggufFromHf } from "@/lib/engine/models/export-gguf";
import { createRng } from "@/lib/numerics/rng";
import { specialIds, toTokenizerJson, vocabSize } from "@/lib/train/bpe-train";
import type { BpeModel } from "@/lib/train/bpe-train";
import { deserializeCheckpoint, serializeCheckpoint } from "@/lib/train/checkpoint";
import type { DemoData, DemoOptions } from "@/lib/train/demo-setup";
import { buildDemoData, DEMO_DEFAULTS, demoHyper, demoModelConfig, formatDuration } from "@/lib/train/demo-setup";
import { evaluate } from "@/lib/train/eval";
import { CHATML_TEMPLATE, hfModelFiles } from "@/lib/train/export-hf";
import type { GradEngine } from "@/lib/train/grad-engine";
import { LocalGradEngine } from "@/lib/train/grad-engine";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { engineModelFromParams } from "@/lib/train/model/engine-model";
import { initParams } from "@/lib/train/model/init";
import { modelCard } from "@/lib/train/model-card";
import { ParallelGradEngine } from "@/lib/train/parallel/parallel-engine";
import { NonFiniteLossError, Trainer } from "@/lib/train/trainer";

/** Flags that may change when resuming; all others shape the model or data and must match the checkpoint. */
const RUNTIME_FLAGS = new Set<keyof DemoOptions>(["steps", "threads", "evalPerFamily", "samples"]);

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parseOptions(argv: string[]) {
  const numeric = Object.keys(DEMO_DEFAULTS) as (keyof DemoOptions)[];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(numeric.map((k) => [kebab(k), { type: "string" as const }])),
      out: { type: "string", default: "models/demo" },
      "data-dir": { type: "string", default: "data/train-demo" },
      "save-every": { type: "string", default: "100" },
      "log-every": { type: "string", default: "10" },
      fresh: { type: "boolean", default: false },
    },
    strict: true,
  });
  const given: Partial<DemoOptions> = {};
  for (const k of numeric) {
    const raw = (values as Record<string, string | boolean | undefined>)[kebab(k)];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (!Number.isFinite(v) || (Number.isInteger(DEMO_DEFAULTS[k]) && !Number.isInteger(v))) {
      throw new Error(`--${kebab(k)} must be a ${Number.isInteger(DEMO_DEFAULTS[k]) ? "whole " : ""}number, got ${raw}`);
    }
    given[k] = v;
  }
  const int = (name: string, raw: string | boolean | undefined) => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${raw}`);
    return v;
  };
  return {
    given,
    out: String(values.out),
    dataDir: String(values["data-dir"]),
    saveEvery: int("save-every", values["save-every"]),
    logEvery: int("log-every", values["log-every"]),
    fresh: Boolean(values.fresh),
  };
}

async function writeAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${file}.tmp`, bytes);
  await rename(`${file}.tmp`, file);
}

/** Token strings by id and "a b" merges, for the GGUF tokenizer metadata. */
function ggufVocab(bpe: BpeModel) {
  const tokens: string[] = [];
  const types: number[] = [];
  for (const [tok, id] of bpe.vocab) [tokens[id], types[id]] = [tok, 1];
  for (const [tok, id] of bpe.special) [tokens[id], types[id]] = [tok, 3];
  return {
    model: "gpt2" as const, pre: "gpt-2", tokens, tokenTypes: types, merges: bpe.merges.map(([a, b]) => `${a} ${b}`),
    bosId: bpe.special.get("<|im_start|>")!, eosId: bpe.special.get("<|im_end|>")!, chatTemplate: CHATML_TEMPLATE,
  };
}

interface Segment {
  fromStep: number;
  toStep: number;
  steps: number;
  threads: number;
}

interface Finished {
  segments: Segment[];
  config: LlamaTrainConfig;
  params: Float32Array;
  lossHistory: number[];
  tokensPerSecond: number;
  trainSeconds: number;
  tokensSeen: number;
}

async function exportAndEvaluate(opts: DemoOptions, demo: DemoData, run: Finished, outDir: string, command: string): Promise<void> {
  const { bpe, tokenizer } = demo;
  const files = hfModelFiles(run.config, run.params, toTokenizerJson(bpe), specialIds(bpe));
  try {
    const st = files.get("model.safetensors") as Uint8Array;
    const config = JSON.parse(files.get("config.json") as string) as unknown;
    files.set("model.gguf", ggufFromHf(config, readSafetensors(st).tensors, { vocab: ggufVocab(bpe), dtype: "F32", name: "rlhf-studio-demo" }));
  } catch (err) {
    console.warn(`GGUF export skipped: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(`evaluating ${demo.evalItems.length} held-out prompts (greedy + ${opts.samples} samples at T=1.0)…`);
  // The trained weights run on the engine, in memory (the files are written below).
  const model = engineModelFromParams(run.config, run.params, specialIds(bpe));
  const report = await evaluate(model, tokenizer, demo.evalItems, {
    samplesPerPrompt: opts.samples, temperature: 1.0, maxNewTokens: 32, seed: opts.seed,
  });
  for (const f of report.families) {
    console.log(`  ${f.family.padEnd(16)} greedy ${(100 * f.greedyAccuracy).toFixed(0).padStart(3)}%  samples ${(100 * f.sampleAccuracy).toFixed(0).padStart(3)}%  mixed ${(100 * f.mixedShare).toFixed(0).padStart(3)}%`);
  }
  const h = run.lossHistory;
  const tail = h.slice(-50);
  files.set("README.md", modelCard({
    command, options: opts, config: run.config, trainExamples: demo.data.length, stepsDone: h.length,
    finalLoss: tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length), firstLoss: h[0] ?? NaN,
    tokensPerSecond: run.tokensPerSecond, trainSeconds: run.trainSeconds, tokensSeen: run.tokensSeen, report, segments: run.segments, files: [...files.keys(), "README.md"].sort(),
  }));
  await mkdir(outDir, { recursive: true });
  for (const [name, content] of files) await writeAtomic(path.join(outDir, name), content);
  console.log(`wrote ${[...files.keys()].join(", ")} to ${outDir}`);
}

export async function runTrainDemo(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions(argv);
  } catch (err) {
    console.error(`train-demo: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const ckptPath = path.join(args.dataDir, "checkpoint.bin");
  await mkdir(args.dataDir, { recursive: true });
  const resume = !args.fresh && existsSync(ckptPath) ? deserializeCheckpoint(await readFile(ckptPath)) : null;
  let opts: DemoOptions = { ...DEMO_DEFAULTS, ...args.given };
  if (resume) {
    const saved = resume.header.extra.options as DemoOptions;
    for (const [k, v] of Object.entries(args.given) as [keyof DemoOptions, number][]) {
      if (!RUNTIME_FLAGS.has(k) && saved[k] !== v) {
        console.error(`train-demo: --${kebab(k)} ${v} differs from the checkpoint (${saved[k]}); pass --fresh to start over`);
        return 2;
      }
    }
    opts = { ...saved, ...Object.fromEntries(Object.entries(args.given).filter(([k]) => RUNTIME_FLAGS.has(k as keyof DemoOptions))) };
  }
  const command = `npm run train:demo -- ${Object.entries(opts).filter(([k, v]) => v !== DEMO_DEFAULTS[k as keyof DemoOptions]).map(([k, v]) => `--${kebab(k)} ${v}`).join(" ")}`.trim();

  const t0 = Date.now();
  const demo = buildDemoData(opts);
  const config = demoModelConfig(opts, vocabSize(demo.bpe));
  const hyper = demoHyper(opts);
  const initial = resume ? resume.params : (initParams(config, createRng(opts.seed)) as Float32Array);
  const engine: GradEngine = opts.threads > 1 ? new ParallelGradEngine(config, initial, opts.threads) : new LocalGradEngine(config, initial);
  const trainer = new Trainer(config, hyper, engine, demo.data);
  const lossHistory = resume ? [...resume.header.lossHistory] : [];
  const baseSeconds = resume ? Number(resume.header.extra.trainSeconds ?? 0) : 0;
  let tRun = Date.now();
  const trainSeconds = () => baseSeconds + (Date.now() - tRun) / 1000;
  let tokensSeen = resume ? Number(resume.header.extra.tokensSeen ?? 0) : 0;
  // One entry per invocation, so the model card can say if --steps changed on a resume (the LR schedule follows it).
  const savedOpts = resume?.header.extra.options as DemoOptions | undefined;
  const earlier = (resume?.header.extra.segments as Segment[] | undefined) ??
    (resume && savedOpts ? [{ fromStep: 0, toStep: resume.header.step, steps: savedOpts.steps, threads: savedOpts.threads }] : []);
  const segments = [...earlier, { fromStep: resume?.header.step ?? 0, toStep: resume?.header.step ?? 0, steps: opts.steps, threads: opts.threads }];
  if (resume) {
    trainer.step = resume.header.step;
    trainer.optimizer.m.set(resume.m);
    trainer.optimizer.v.set(resume.v);
    trainer.optimizer.t = resume.header.adamT;
    console.log(`resuming from ${ckptPath} at step ${trainer.step}`);
  }
  console.log(`data: ${demo.data.length} examples, vocab ${config.vocabSize}, setup ${((Date.now() - t0) / 1000).toFixed(1)}s; ${command}`);

  const save = async () => {
    const bytes = serializeCheckpoint({
      header: { model: config, hyper, step: trainer.step, adamT: trainer.optimizer.t, lossHistory, extra: { options: opts, trainSeconds: trainSeconds(), tokensSeen, segments } },
      params: engine.params, m: trainer.optimizer.m, v: trainer.optimizer.v,
    });
    await writeAtomic(ckptPath, bytes);
  };
  let stop = false;
  const onSigint = () => {
    console.log("\ninterrupted: saving a checkpoint after this step");
    stop = true;
  };
  process.once("SIGINT", onSigint);
  try {
    const startStep = trainer.step;
    tRun = Date.now();
    let tokensRun = 0;
    while (trainer.step < opts.steps && !stop) {
      const r = await trainer.trainStep();
      lossHistory.push(r.loss);
      segments[segments.length - 1]!.toStep = r.step;
      tokensRun += r.tokens;
      tokensSeen += r.tokens;
      const elapsed = (Date.now() - tRun) / 1000;
      if (r.step % args.logEvery === 0 || r.step === opts.steps) {
        const tps = tokensRun / elapsed;
        const eta = (elapsed / (r.step - startStep)) * (opts.steps - r.step);
        console.log(`step ${r.step}/${opts.steps} | loss ${r.loss.toFixed(4)} | lr ${r.lr.toExponential(2)} | grad ${r.gradNorm.toFixed(2)} | ${tps.toFixed(0)} tok/s | elapsed ${formatDuration(trainSeconds())} | ETA ${formatDuration(eta)}`);
      }
      if (r.step % args.saveEvery === 0 || r.step === opts.steps || stop) await save();
    }
    const runSeconds = (Date.now() - tRun) / 1000;
    if (stop) return 130;
    const total = trainSeconds();
    // NaN when this invocation only exported (all steps were done): the card then gives the overall average only.
    const tokensPerSecond = runSeconds > 1 && tokensRun > 0 ? tokensRun / runSeconds : NaN;
    await exportAndEvaluate(opts, demo, { segments, config, params: engine.params, lossHistory, tokensPerSecond, trainSeconds: total, tokensSeen }, args.out, command);
    return 0;
  } catch (err) {
    if (err instanceof NonFiniteLossError) {
      console.error(`train-demo: ${err.message}. Last good checkpoint: ${ckptPath}`);
      return 1;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
    await engine.close();
  }
}
