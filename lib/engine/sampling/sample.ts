import { check } from "@/lib/engine/errors";
import { validateDecodingConfig } from "./config";
import type { DecodingConfig } from "./config";
import { Candidates, keepMinP, keepTopK, keepTopP, keepTypical } from "./filters";
import { applyPenalties, logProb, normalizer, PenaltyScratch } from "./processors";
import type { SamplingContext } from "./processors";
import type { Rng } from "@/lib/numerics/rng";

/** One chosen token and its log-probability under the raw (unprocessed) logits. */
export interface Sampled {
  id: number;
  logprob: number;
}

/**
 * Samples token ids for one vocab size with scratch buffers allocated once, so
 * the per-token path allocates nothing but its result. Order (HF's): penalties
 * (repetition, then frequency/presence), then temperature, top-k, top-p, min-p,
 * typical-p, then one draw from the survivors. Greedy (argmax after penalties,
 * lowest id on ties, no draw) when temperature is 0.
 */
export class Sampler {
  private readonly work: Float32Array;
  private readonly candidates: Candidates;
  private readonly penalties: PenaltyScratch;
  private config: DecodingConfig;

  constructor(readonly vocabSize: number, config: DecodingConfig) {
    check(Number.isInteger(vocabSize) && vocabSize > 0, `vocab size must be a positive integer, got ${vocabSize}`);
    this.config = this.checkConfig(config);
    this.work = new Float32Array(vocabSize);
    this.candidates = new Candidates(vocabSize);
    this.penalties = new PenaltyScratch(vocabSize);
  }

  /** Switches config (validated once here, not per token). */
  setConfig(config: DecodingConfig): void {
    if (config !== this.config) this.config = this.checkConfig(config);
  }

  private checkConfig(config: DecodingConfig): DecodingConfig {
    validateDecodingConfig(config);
    check(config.numBeams === 1, `sampleNext decodes one beam; use BeamSearch for num_beams ${config.numBeams}`);
    return config;
  }

  /** Chooses the next token. Draws exactly one rng value when sampling, none when greedy. */
  sample(logits: Float32Array, ctx: SamplingContext, rng: Rng): Sampled {
    check(logits.length === this.vocabSize, `logits have ${logits.length} entries, expected vocab size ${this.vocabSize}`);
    const config = this.config;
    const raw = normalizer(logits); // also refuses NaN / +Infinity
    const work = this.work;
    work.set(logits);
    applyPenalties(work, ctx, config, this.penalties);
    const id = config.temperature === 0 ? argmax(work) : this.draw(work, rng);
    return { id, logprob: logProb(logits, id, raw) };
  }

  private draw(work: Float32Array, rng: Rng): number {
    const config = this.config;
    if (config.temperature !== 1) {
      // Shifting by the max first changes no probability but keeps a tiny
      // temperature from overflowing float32 to +Infinity; tokens that
      // underflow to -Infinity had probability 0 at this temperature anyway.
      const t = config.temperature;
      const max = work[argmax(work)];
      for (let i = 0; i < work.length; i++) work[i] = (work[i] - max) / t;
    }
    const c = this.candidates;
    c.reset(work);
    check(c.n > 0, "every token is masked (-Infinity) after the penalties");
    keepTopK(c, config.topK);
    keepTopP(c, config.topP);
    keepMinP(c, config.minP);
    keepTypical(c, config.typicalP);
    const total = c.expWeights();
    const u = rng.next() * total;
    let cum = 0;
    for (let i = 0; i < c.n; i++) {
      cum += c.weightById[c.ids[i]];
      if (u < cum) return c.ids[i];
    }
    return c.ids[c.n - 1]; // u landed in the rounding gap at the very top
  }
}

/** Index of the largest value, lowest index on ties; -Infinity entries are never chosen unless all are. */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

let shared: Sampler | undefined;

/**
 * Copies `logits` (vocab), applies the penalties, temperature and filters of
 * `config`, and samples with `rng` (greedy argmax when temperature is 0).
 * Returns the chosen id and its log-softmax under the RAW logits. Reuses one
 * cached Sampler per vocab size; hold a `Sampler` yourself to control that.
 */
export function sampleNext(logits: Float32Array, ctx: SamplingContext, config: DecodingConfig, rng: Rng): Sampled {
  if (shared === undefined || shared.vocabSize !== logits.length) shared = new Sampler(logits.length, config);
  else shared.setConfig(config);
  return shared.sample(logits, ctx, rng);
}
