import type { LlamaTrainConfig } from "./model/config";
import { DecodeSession } from "./model/decode";
import type { Rng } from "@/lib/numerics/rng";

export interface SampleOptions {
  /** 0 = greedy. */
  temperature: number;
  maxNewTokens: number;
  stopIds: readonly number[];
}

/** Picks a token from logits: argmax at temperature 0, else softmax(logits / temperature) with the seeded rng. */
export function pickToken(logits: Float32Array, temperature: number, rng: Rng): number {
  if (!(temperature >= 0)) throw new Error(`temperature must be >= 0, got ${temperature}`);
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0) return best;
  const max = logits[best]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i]! - max) / temperature);
  let r = rng.next() * sum;
  for (let i = 0; i < logits.length; i++) {
    r -= Math.exp((logits[i]! - max) / temperature);
    if (r <= 0) return i;
  }
  return best;
}

/**
 * Generates a continuation of promptIds with the trainer's own decoder
 * (evaluation during training; the app uses lib/engine/generate). Returns the
 * new ids without the stop token.
 */
export class TrainSampler {
  private readonly session: DecodeSession;

  constructor(readonly config: LlamaTrainConfig, params: Float32Array) {
    this.session = new DecodeSession(config, params);
  }

  generate(promptIds: readonly number[], opts: SampleOptions, rng: Rng): number[] {
    const s = this.session;
    s.reset();
    if (promptIds.length === 0) throw new Error("prompt must have at least one token");
    let logits = s.logits;
    for (const id of promptIds) logits = s.step(id);
    const out: number[] = [];
    while (out.length < opts.maxNewTokens && s.position < this.config.maxSeqLen) {
      const next = pickToken(logits, opts.temperature, rng);
      if (opts.stopIds.includes(next)) break;
      out.push(next);
      if (s.position >= this.config.maxSeqLen) break;
      logits = s.step(next);
    }
    return out;
  }
}
