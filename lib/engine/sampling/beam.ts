import { check } from "@/lib/engine/errors";
import type { DecodingConfig } from "./config";

/** Options of one beam search; mirror the DecodingConfig fields of the same names. */
export interface BeamSearchOptions {
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean;
  eosIds: number[];
  maxNewTokens: number;
}

/** What the generation loop does next: new beam i continues beam parents[i] with tokens[i]. */
export interface BeamStep {
  parents: number[];
  tokens: number[];
  done: boolean;
}

/** A finished hypothesis: generated ids without the prompt and without the final eos. */
export interface BeamHypothesis {
  ids: number[];
  /** sumLogprobs / max(1, ids.length) ** lengthPenalty; higher is better. */
  score: number;
  /** Sum of the token logprobs, the eos token's included when `eos`. */
  sumLogprobs: number;
  /** True when it ended with an eos token, false when it hit maxNewTokens. */
  eos: boolean;
}

interface Beam {
  ids: number[];
  sum: number;
}

/**
 * Beam search bookkeeping with HF BeamSearchScorer semantics:
 * - each step ranks parent_sum + logprob over every (live beam, token) and
 *   walks the best numBeams·(1 + #eos) candidates: an eos candidate ranked
 *   within the first numBeams closes a hypothesis, others continue as beams
 *   until numBeams beams are filled;
 * - a hypothesis scores sum_logprobs / gen_len ** length_penalty, gen_len
 *   counting the generated tokens before the eos (HF's generated_len; clamped
 *   to 1 so an immediate eos does not divide by zero);
 * - at most numBeams hypotheses are kept; at maxNewTokens the live beams are
 *   closed as hypotheses too;
 * - earlyStopping true stops as soon as numBeams hypotheses exist; false uses
 *   the exact bound (HF's "never"): stop only when no live beam can still beat
 *   the worst kept hypothesis. HF's own `false` is a cheaper heuristic that can
 *   stop a little earlier; this one never loses a better hypothesis.
 * Logprobs must be log-softmax outputs (all <= 0): the bound relies on sums
 * never increasing. Ties break by lower beam index, then lower token id.
 */
export class BeamSearch {
  private readonly opts: BeamSearchOptions;
  private readonly eos: Set<number>;
  private readonly width: number;
  private beams: Beam[] = [{ ids: [], sum: 0 }];
  private readonly hyps: BeamHypothesis[] = [];
  private finished = false;
  // Candidate scratch, best first: (score, beam, token).
  private readonly candScore: Float64Array;
  private readonly candBeam: Int32Array;
  private readonly candToken: Int32Array;

  constructor(opts: BeamSearchOptions) {
    const { numBeams, lengthPenalty, earlyStopping, eosIds, maxNewTokens } = opts;
    check(Number.isSafeInteger(numBeams) && numBeams >= 1, `num_beams must be an integer >= 1, got ${numBeams}`);
    check(Number.isFinite(lengthPenalty), `length_penalty must be a finite number, got ${lengthPenalty}`);
    check(typeof earlyStopping === "boolean", `early_stopping must be a boolean, got ${String(earlyStopping)}`);
    check(Number.isSafeInteger(maxNewTokens) && maxNewTokens >= 1, `max_new_tokens must be an integer >= 1, got ${maxNewTokens}`);
    for (const id of eosIds) check(Number.isSafeInteger(id) && id >= 0, `eos ids must be integers >= 0, got ${id}`);
    this.opts = { ...opts, eosIds: [...eosIds] };
    this.eos = new Set(eosIds);
    // Enough candidates that numBeams of them are not eos, whatever each beam's eos tokens do.
    this.width = numBeams * (1 + this.eos.size);
    this.candScore = new Float64Array(this.width);
    this.candBeam = new Int32Array(this.width);
    this.candToken = new Int32Array(this.width);
  }

  /**
   * The beam search a DecodingConfig asks for: the model's eos ids plus the
   * config's stopTokenIds all end a hypothesis.
   */
  static fromConfig(config: DecodingConfig, modelEosIds: readonly number[]): BeamSearch {
    const { numBeams, lengthPenalty, earlyStopping, maxNewTokens, stopTokenIds } = config;
    const eosIds = [...new Set([...modelEosIds, ...stopTokenIds])];
    return new BeamSearch({ numBeams, lengthPenalty, earlyStopping, eosIds, maxNewTokens });
  }

  /** Number of live beams the next `step` expects logprobs for. */
  get liveBeams(): number {
    return this.finished ? 0 : this.beams.length;
  }

  /**
   * Advances one token. `logprobs[i]` is the log-softmax (vocab) after live beam
   * i (a single array on the first step). Returns, for each new live beam, its
   * parent beam index and its token; the caller reorders its KV caches
   * accordingly. Once `done`, call `best()`.
   */
  step(logprobs: Float32Array[]): BeamStep {
    check(!this.finished, "beam search is done; call best()");
    check(logprobs.length === this.beams.length, `expected logprobs for ${this.beams.length} live beams, got ${logprobs.length}`);
    const count = this.collect(logprobs);
    const { numBeams } = this.opts;
    const next: Beam[] = [];
    const parents: number[] = [];
    const tokens: number[] = [];
    for (let r = 0; r < count && next.length < numBeams; r++) {
      const parent = this.beams[this.candBeam[r]];
      const token = this.candToken[r];
      const sum = this.candScore[r];
      if (this.eos.has(token)) {
        if (r < numBeams) this.addHypothesis(parent.ids.slice(), sum, true);
        continue;
      }
      next.push({ ids: [...parent.ids, token], sum });
      parents.push(this.candBeam[r]);
      tokens.push(token);
    }
    this.beams = next;
    this.finished = this.isDone();
    return { parents, tokens, done: this.finished };
  }

  /** Fills the candidate scratch with the best `width` (score, beam, token) triples; returns how many. */
  private collect(logprobs: Float32Array[]): number {
    const vocab = logprobs[0].length;
    const { candScore, candBeam, candToken, width } = this;
    let count = 0;
    for (let b = 0; b < logprobs.length; b++) {
      const lp = logprobs[b];
      check(lp.length === vocab && vocab > 0, `beam ${b} has ${lp.length} logprobs, expected ${vocab}`);
      const base = this.beams[b].sum;
      for (let v = 0; v < vocab; v++) {
        const s = base + lp[v];
        // Strict >: a later (beam, token) never displaces an equal earlier one.
        if (!(s > -Infinity) || (count === width && !(s > candScore[count - 1]))) continue;
        let i = count < width ? count++ : count - 1;
        while (i > 0 && candScore[i - 1] < s) {
          candScore[i] = candScore[i - 1];
          candBeam[i] = candBeam[i - 1];
          candToken[i] = candToken[i - 1];
          i--;
        }
        candScore[i] = s;
        candBeam[i] = b;
        candToken[i] = v;
      }
    }
    return count;
  }

  private score(sum: number, genLen: number): number {
    return sum / Math.max(1, genLen) ** this.opts.lengthPenalty;
  }

  private addHypothesis(ids: number[], sum: number, eos: boolean): void {
    const { hyps } = this;
    const score = this.score(sum, ids.length);
    const full = hyps.length >= this.opts.numBeams;
    if (full && !(score > hyps[hyps.length - 1].score)) return;
    let i = hyps.length;
    while (i > 0 && hyps[i - 1].score < score) i--;
    hyps.splice(i, 0, { ids, score, sumLogprobs: sum, eos });
    if (hyps.length > this.opts.numBeams) hyps.pop();
  }

  private isDone(): boolean {
    const { numBeams, earlyStopping, lengthPenalty, maxNewTokens } = this.opts;
    if (this.beams.length === 0) return true;
    const len = this.beams[0].ids.length;
    if (len >= maxNewTokens) {
      for (const beam of this.beams) this.addHypothesis(beam.ids, beam.sum, false);
      return true;
    }
    if (this.hyps.length < numBeams) return false;
    if (earlyStopping) return true;
    // Sums only fall, so the best live beam's best possible future score is its
    // sum over the length that flatters it most: the longest when length_penalty > 0.
    const best = this.beams[0].sum;
    const highest = this.score(best, lengthPenalty > 0 ? maxNewTokens : len);
    return this.hyps[this.hyps.length - 1].score >= highest;
  }

  /** Finished hypotheses, best first (at most numBeams). */
  best(): BeamHypothesis[] {
    return this.hyps.map((h) => ({ ...h, ids: [...h.ids] }));
  }
}
