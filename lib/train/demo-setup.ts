import type { Tokenizer } from "@/lib/engine/tokenizer";
import type { BpeModel } from "./bpe-train";
import { specialIds, toTokenizerJson, trainBpe } from "./bpe-train";
import type { SftExample } from "./chat-format";
import { encodeSft } from "./chat-format";
import { hfTokenizer } from "./export-hf";
import type { LlamaTrainConfig } from "./model/config";
import type { TrainHyper } from "./trainer";
import { deriveSeed } from "@/lib/numerics/rng";
import type { TaskItem } from "@/lib/tasks";
import { generateCorpus } from "@/lib/tasks";

/** Everything that determines the demo run; stored in the checkpoint and the model card. */
export interface DemoOptions {
  seed: number;
  steps: number;
  corpusSize: number;
  merges: number;
  dim: number;
  layers: number;
  heads: number;
  kvHeads: number;
  hidden: number;
  maxSeqLen: number;
  batch: number;
  accum: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  clip: number;
  threads: number;
  evalPerFamily: number;
  samples: number;
}

export const DEMO_DEFAULTS: DemoOptions = {
  seed: 1234, steps: 5000, corpusSize: 100000, merges: 800,
  dim: 96, layers: 4, heads: 4, kvHeads: 2, hidden: 256, maxSeqLen: 64,
  batch: 16, accum: 1, lr: 3e-3, minLr: 3e-4, warmup: 60, weightDecay: 0.1, clip: 1,
  threads: 2, evalPerFamily: 40, samples: 4,
};

export interface DemoData {
  items: TaskItem[];
  bpe: BpeModel;
  /** The engine tokenizer of the exported folder (tokenizer.json + tokenizer_config.json), built in memory. */
  tokenizer: Tokenizer;
  data: SftExample[];
  /** Held-out prompts from another seed (small fact tables will overlap with training by design). */
  evalItems: TaskItem[];
}

/** Builds corpus → tokenizer → encoded SFT examples, all from opts.seed. */
export function buildDemoData(o: DemoOptions): DemoData {
  const items = generateCorpus(o.seed, o.corpusSize);
  const bpe = trainBpe(items.flatMap((x) => [`user\n${x.prompt}`, `assistant\n${x.response}`]), o.merges);
  const tokenizer = hfTokenizer(toTokenizerJson(bpe), o.maxSeqLen, specialIds(bpe));
  const data = items.map((x) => encodeSft(tokenizer, [{ role: "user", content: x.prompt }], x.response)).filter((e) => e.tokens.length <= o.maxSeqLen);
  const evalItems = generateCorpus(deriveSeed(o.seed, 0x5eed), o.evalPerFamily * 9);
  return { items, bpe, tokenizer, data, evalItems };
}

export function demoModelConfig(o: DemoOptions, vocabSize: number): LlamaTrainConfig {
  return {
    vocabSize, dim: o.dim, nLayers: o.layers, nHeads: o.heads, nKvHeads: o.kvHeads, hiddenDim: o.hidden,
    maxSeqLen: o.maxSeqLen, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
  };
}

export function demoHyper(o: DemoOptions): TrainHyper {
  return {
    seed: o.seed, batchSize: o.batch, gradAccum: o.accum, clipNorm: o.clip,
    adamw: { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: o.weightDecay },
    schedule: { peakLr: o.lr, minLr: o.minLr, warmupSteps: o.warmup, totalSteps: o.steps },
  };
}

/** "12m05s" for progress lines. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(r).padStart(2, "0")}s`;
}
