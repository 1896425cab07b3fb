import { createRng } from "@/lib/numerics/rng";
import type { Comparison } from "@/lib/stats/types";

export type BradleyTerryOptions = {
  /**
   * Pseudo-count of virtual ties added to every pair that was compared at
   * least once. Without it an item that never lost has no finite maximum
   * likelihood strength and MM drifts forever. Default 0.1; 0 gives the plain MLE.
   */
  prior?: number;
  /** Item whose Elo is pinned to 1000; default: the mean Elo is 1000. */
  reference?: string;
  /** Stop when no log-strength moves more than this between iterations. Default 1e-10. */
  tolerance?: number;
  /** Iteration cap. Default 10_000. */
  maxIterations?: number;
};

export type BradleyTerryFit = {
  /** Item → strength, normalised to geometric mean 1. */
  strengths: Record<string, number>;
  /** Item → 400·log10(strength), shifted so the reference (or the mean) is 1000. */
  elo: Record<string, number>;
  iterations: number;
  converged: boolean;
};

type Tally = { items: string[]; wins: Float64Array; games: Map<number, Map<number, number>> };

/**
 * Bradley–Terry strengths from pairwise outcomes by the MM algorithm
 * (Hunter 2004): p_i ← W_i / Σ_j n_ij / (p_i + p_j), where W_i counts wins
 * (a tie is half a win for each side) and n_ij the games between i and j.
 * Reported on the Elo scale the way Chatbot Arena does: 400·log10(p),
 * anchored at 1000. Items in disconnected groups are not comparable; their
 * relative level is then set only by the normalisation.
 */
export function bradleyTerry(comparisons: readonly Comparison[], opts: BradleyTerryOptions = {}): BradleyTerryFit {
  const prior = opts.prior ?? 0.1;
  const tolerance = opts.tolerance ?? 1e-10;
  const maxIterations = opts.maxIterations ?? 10_000;
  if (!(prior >= 0)) throw new RangeError(`prior must be >= 0, got ${prior}`);
  const { items, wins, games } = tally(comparisons, prior);
  if (opts.reference !== undefined && !items.includes(opts.reference)) {
    throw new RangeError(`reference must be one of the compared items, got "${opts.reference}"`);
  }
  let p: Float64Array = new Float64Array(items.length).fill(1);
  let iterations = 0;
  let converged = items.length === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    const next = mmStep(p, wins, games);
    converged = maxLogChange(p, next) < tolerance;
    p = next;
  }
  const strengths: Record<string, number> = {};
  items.forEach((id, i) => (strengths[id] = p[i]!));
  return { strengths, elo: toElo(strengths, opts.reference), iterations, converged };
}

function tally(comparisons: readonly Comparison[], prior: number): Tally {
  const items = [...new Set(comparisons.flatMap((c) => [c.a, c.b]))].sort();
  const index = new Map(items.map((id, i) => [id, i] as const));
  const wins = new Float64Array(items.length);
  const games = new Map<number, Map<number, number>>();
  const addGames = (i: number, j: number, w: number) => {
    const row = games.get(i) ?? new Map<number, number>();
    row.set(j, (row.get(j) ?? 0) + w);
    games.set(i, row);
  };
  for (const c of comparisons) {
    if (c.a === c.b) throw new RangeError(`a comparison needs two different items, got "${c.a}" twice`);
    if (c.outcome !== 0 && c.outcome !== 0.5 && c.outcome !== 1) {
      throw new RangeError(`outcome must be 0, 0.5 or 1, got ${String(c.outcome)}`);
    }
    const i = index.get(c.a)!;
    const j = index.get(c.b)!;
    wins[i]! += c.outcome;
    wins[j]! += 1 - c.outcome;
    addGames(i, j, 1);
    addGames(j, i, 1);
  }
  if (prior > 0) {
    // A virtual tie of weight `prior` per compared pair: prior/2 wins each side, prior games.
    for (const [i, row] of games) {
      for (const j of row.keys()) {
        row.set(j, row.get(j)! + prior);
        wins[i]! += prior / 2;
      }
    }
  }
  return { items, wins, games };
}

/** One MM update, renormalised to geometric mean 1 so strengths stay finite. */
function mmStep(p: Float64Array, wins: Float64Array, games: Map<number, Map<number, number>>): Float64Array {
  const next = new Float64Array(p.length);
  let logSum = 0;
  for (let i = 0; i < p.length; i++) {
    let denom = 0;
    for (const [j, n] of games.get(i) ?? []) denom += n / (p[i]! + p[j]!);
    // An item that never won has no finite MLE; keep it tiny but positive so logs stay defined.
    next[i] = denom === 0 ? p[i]! : Math.max(wins[i]! / denom, 1e-300);
    logSum += Math.log(next[i]!);
  }
  const scale = Math.exp(logSum / p.length);
  for (let i = 0; i < p.length; i++) next[i]! /= scale;
  return next;
}

function maxLogChange(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Math.log(b[i]!) - Math.log(a[i]!)));
  return m;
}

/** 400·log10(strength), shifted so `reference` (or the mean over items) sits at 1000. */
export function toElo(strengths: Record<string, number>, reference?: string): Record<string, number> {
  const raw = Object.entries(strengths).map(([id, s]) => [id, 400 * Math.log10(s)] as const);
  if (raw.length === 0) return {};
  const anchor =
    reference !== undefined
      ? raw.find(([id]) => id === reference)![1]
      : raw.reduce((sum, [, e]) => sum + e, 0) / raw.length;
  return Object.fromEntries(raw.map(([id, e]) => [id, 1000 + e - anchor]));
}

export type BootstrapOptions = BradleyTerryOptions & {
  /** Number of resamples. */
  rounds: number;
  /** Seed of the resampling RNG; the same seed gives the same intervals. */
  seed: number;
};

export type EloInterval = { elo: number; lower: number; upper: number };

/**
 * The Elo fits of `rounds` bootstrap resamples: the comparisons drawn with
 * replacement, refit each time. A round whose resample lacks the reference
 * item is skipped. Callers take quantiles per item (bootstrapIntervals) or of
 * differences between items, from the same rounds.
 */
export function bootstrapElos(comparisons: readonly Comparison[], opts: BootstrapOptions): Record<string, number>[] {
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) {
    throw new RangeError(`rounds must be a positive integer, got ${opts.rounds}`);
  }
  const rng = createRng(opts.seed);
  const out: Record<string, number>[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const resample = Array.from({ length: comparisons.length }, () => comparisons[rng.int(0, comparisons.length - 1)]!);
    // Anchoring such a round at the mean instead would mix two scales in one interval.
    const hasReference = opts.reference === undefined || resample.some((c) => c.a === opts.reference || c.b === opts.reference);
    if (hasReference) out.push(bradleyTerry(resample, opts).elo);
  }
  return out;
}

/**
 * 95% percentile-bootstrap intervals on the Elo scale: resample the
 * comparisons with replacement `rounds` times, refit, and take the 2.5% and
 * 97.5% quantiles per item. `elo` is the fit on the full data. An item
 * missing from a resample is left out of that round's quantiles for it; a
 * round whose resample lacks the reference item is skipped.
 */
export function bootstrapIntervals(
  comparisons: readonly Comparison[],
  opts: BootstrapOptions,
): Record<string, EloInterval> {
  const rounds = bootstrapElos(comparisons, opts);
  const full = bradleyTerry(comparisons, opts).elo;
  const out: Record<string, EloInterval> = {};
  for (const id of Object.keys(full)) {
    const xs = rounds.flatMap((elo) => (elo[id] === undefined ? [] : [elo[id]])).sort((p, q) => p - q);
    out[id] = { elo: full[id]!, lower: quantile(xs, 0.025), upper: quantile(xs, 0.975) };
  }
  return out;
}

/** Linear-interpolation quantile of sorted values (NumPy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
