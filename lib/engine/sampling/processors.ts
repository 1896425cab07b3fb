import { check } from "@/lib/engine/errors";
import type { DecodingConfig } from "./config";

/** The token history a processor may look at. */
export interface SamplingContext {
  promptIds: readonly number[];
  generatedIds: readonly number[];
}

/**
 * Scratch for `applyPenalties`, sized to the vocab once so the per-token path
 * never allocates. `counts` is all zeros between calls.
 */
export class PenaltyScratch {
  readonly counts: Uint32Array;
  constructor(readonly vocabSize: number) {
    this.counts = new Uint32Array(vocabSize);
  }
}

function checkId(id: number, vocab: number): void {
  check(Number.isInteger(id) && id >= 0 && id < vocab, `token id must be in [0, ${vocab}), got ${id}`);
}

/**
 * Applies the penalties in place to `logits` (vocab):
 * - repetition penalty, HF RepetitionPenaltyLogitsProcessor semantics: each
 *   distinct token of prompt + generated has its logit divided by the penalty if
 *   positive, multiplied if negative (once, however often it occurs);
 * - frequency and presence penalties, OpenAI semantics over the generated
 *   tokens only: logit -= count * frequency + (count > 0) * presence.
 */
export function applyPenalties(
  logits: Float32Array,
  ctx: SamplingContext,
  config: Pick<DecodingConfig, "repetitionPenalty" | "frequencyPenalty" | "presencePenalty">,
  scratch: PenaltyScratch,
): void {
  const vocab = logits.length;
  check(scratch.vocabSize === vocab, `penalty scratch is sized for ${scratch.vocabSize} tokens, logits have ${vocab}`);
  const { repetitionPenalty: rep, frequencyPenalty: freq, presencePenalty: pres } = config;
  if (rep !== 1) {
    // counts doubles as a "seen" mark here so each token is penalized once.
    const counts = scratch.counts;
    for (const ids of [ctx.promptIds, ctx.generatedIds]) {
      for (const id of ids) {
        checkId(id, vocab);
        if (counts[id] !== 0) continue;
        counts[id] = 1;
        const l = logits[id];
        logits[id] = l < 0 ? l * rep : l / rep;
      }
    }
    clearCounts(counts, ctx);
  }
  if (freq !== 0 || pres !== 0) {
    const counts = scratch.counts;
    for (const id of ctx.generatedIds) {
      checkId(id, vocab);
      counts[id] += 1;
    }
    for (const id of ctx.generatedIds) {
      const c = counts[id];
      if (c === 0) continue; // already applied for an earlier duplicate
      logits[id] -= c * freq + pres;
      counts[id] = 0;
    }
  }
}

function clearCounts(counts: Uint32Array, ctx: SamplingContext): void {
  for (const id of ctx.promptIds) counts[id] = 0;
  for (const id of ctx.generatedIds) counts[id] = 0;
}

/**
 * out = log_softmax(logits), both (vocab). -Infinity entries stay -Infinity.
 * Sums in float64 so a 50k vocab loses no precision.
 */
export function logSoftmax(out: Float32Array, logits: Float32Array): void {
  check(out.length === logits.length, `logSoftmax: out has ${out.length} entries, logits ${logits.length}`);
  const norm = normalizer(logits);
  for (let i = 0; i < logits.length; i++) out[i] = logProb(logits, i, norm);
}

/** log(sum(exp(logits))), stable; refuses NaN and +Infinity and an all -Infinity row. */
export function logSumExp(logits: Float32Array): number {
  const { max, logSum } = normalizer(logits);
  return max + logSum;
}

/** The two halves of logsumexp, kept apart so huge logits don't swallow log(sum). */
export interface Normalizer {
  max: number;
  logSum: number;
}

/** log_softmax(logits)[id] from a precomputed normalizer. */
export function logProb(logits: Float32Array, id: number, norm: Normalizer): number {
  return logits[id] - norm.max - norm.logSum;
}

/** max and log(sum(exp(logits - max))); refuses NaN, +Infinity and an all -Infinity row. */
export function normalizer(logits: Float32Array): Normalizer {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i];
    if (l > max) max = l;
    else if (l !== l) check(false, `logits contain NaN at id ${i}`);
  }
  check(max !== Infinity, "logits contain +Infinity");
  check(max !== -Infinity, "logits are all -Infinity (no token can be chosen)");
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
  return { max, logSum: Math.log(sum) };
}

/**
 * out = log_softmax(penalized logits), both (vocab): what one beam's scores are
 * under `config` (beam search applies the penalties per beam, with that beam's
 * generated ids, and no temperature or filters).
 */
export function penalizedLogSoftmax(
  out: Float32Array,
  logits: Float32Array,
  ctx: SamplingContext,
  config: Pick<DecodingConfig, "repetitionPenalty" | "frequencyPenalty" | "presencePenalty">,
  scratch: PenaltyScratch,
): void {
  check(out.length === logits.length, `penalizedLogSoftmax: out has ${out.length} entries, logits ${logits.length}`);
  out.set(logits);
  applyPenalties(out, ctx, config, scratch);
  logSoftmax(out, out); // in place is safe: each entry reads only itself after the normalizer
}
