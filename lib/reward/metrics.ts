/**
 * Held-out evaluation of a reward model: strict pairwise accuracy, accuracy
 * by annotator agreement and by label margin, calibration of σ(Δr), and
 * agreement with a programmatic verifier.
 */
import { createScorer, type RewardHead } from "@/lib/reward/head";
import { sigmoid, softplus } from "@/lib/reward/loss";
import { RewardError, lookupFeatures, type FeatureSource, type PreferencePair } from "@/lib/reward/types";

/** One held-out pair with the model's rewards. */
export interface ScoredPair {
  rChosen: number;
  rRejected: number;
  margin?: number;
  agreement?: number;
  /** Whether a verifier ranks the chosen completion higher; undefined when it has no opinion. */
  verifierPrefersChosen?: boolean;
}

/** Accuracy over pairs whose value lies in [lo, hi) (the last bucket includes hi). */
export interface BucketAccuracy {
  lo: number;
  hi: number;
  n: number;
  /** null when the bucket is empty. */
  accuracy: number | null;
}

/** Predicted P(first ≻ second) against the observed frequency, in [lo, hi). */
export interface CalibrationBin {
  lo: number;
  hi: number;
  n: number;
  meanPredicted: number | null;
  observed: number | null;
}

/** Everything {@link computePairMetrics} reports. */
export interface PairMetrics {
  pairs: number;
  /** Strict: r_chosen > r_rejected. A tie counts as wrong, as in TRL. */
  accuracy: number;
  ties: number;
  /** Mean per-pair Bradley–Terry loss (with margins). */
  meanLoss: number;
  byAgreement: BucketAccuracy[];
  byMargin: BucketAccuracy[];
  calibration: CalibrationBin[];
  /** Expected calibration error: Σ (n_b / N) |observed_b − predicted_b|. */
  ece: number;
  verifier: { pairs: number; accuracy: number } | null;
}

/** Bucket edges and bin count; defaults suit agreement in [0, 1] and integer margins. */
export interface MetricsOptions {
  agreementEdges?: number[];
  marginEdges?: number[];
  calibrationBins?: number;
}

export const DEFAULT_AGREEMENT_EDGES = [0, 0.6, 0.8, 1];
export const DEFAULT_MARGIN_EDGES = [0, 1, 2, 3, Number.POSITIVE_INFINITY];

const isCorrect = (p: ScoredPair): boolean => p.rChosen > p.rRejected;

function bucketAccuracy(pairs: readonly ScoredPair[], value: (p: ScoredPair) => number | undefined, edges: number[]): BucketAccuracy[] {
  const buckets = edges.slice(0, -1).map((lo, i) => ({ lo, hi: edges[i + 1], n: 0, correct: 0 }));
  for (const p of pairs) {
    const v = value(p);
    if (v === undefined) continue;
    const last = buckets.length - 1;
    const b = buckets.findIndex((bk, i) => v >= bk.lo && (v < bk.hi || (i === last && v === bk.hi)));
    if (b < 0) continue;
    buckets[b].n++;
    if (isCorrect(p)) buckets[b].correct++;
  }
  return buckets.map(({ lo, hi, n, correct }) => ({ lo, hi, n, accuracy: n ? correct / n : null }));
}

/**
 * Calibration bins over p = σ(r_chosen − r_rejected). Every pair is counted
 * in both orientations — (p, outcome 1) and (1 − p, outcome 0) — because
 * held-out pairs always list the winner first, so one orientation alone
 * would have an observed frequency of 1 everywhere.
 */
function calibration(pairs: readonly ScoredPair[], bins: number): { bins: CalibrationBin[]; ece: number } {
  const n = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const add = (p: number, y: number): void => {
    const b = Math.min(bins - 1, Math.floor(p * bins));
    n[b]++;
    sumP[b] += p;
    sumY[b] += y;
  };
  for (const pair of pairs) {
    const p = sigmoid(pair.rChosen - pair.rRejected);
    add(p, 1);
    add(1 - p, 0);
  }
  const total = pairs.length * 2;
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const meanPredicted = n[b] ? sumP[b] / n[b] : null;
    const observed = n[b] ? sumY[b] / n[b] : null;
    if (n[b]) ece += (n[b] / total) * Math.abs((observed as number) - (meanPredicted as number));
    out.push({ lo: b / bins, hi: (b + 1) / bins, n: n[b], meanPredicted, observed });
  }
  return { bins: out, ece };
}

/** Metrics of already-scored pairs (pure arithmetic; see {@link evaluateRewardModel}). */
export function computePairMetrics(pairs: readonly ScoredPair[], options: MetricsOptions = {}): PairMetrics {
  const bins = options.calibrationBins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1)) {
    throw new RewardError("invalid_config", `calibrationBins must be a positive integer, got ${bins}`);
  }
  let correct = 0;
  let ties = 0;
  let loss = 0;
  let verifierPairs = 0;
  let verifierCorrect = 0;
  for (const p of pairs) {
    if (isCorrect(p)) correct++;
    if (p.rChosen === p.rRejected) ties++;
    loss += softplus(-(p.rChosen - p.rRejected - (p.margin ?? 0)));
    if (p.verifierPrefersChosen !== undefined) {
      verifierPairs++;
      if (p.verifierPrefersChosen === isCorrect(p) && p.rChosen !== p.rRejected) verifierCorrect++;
    }
  }
  const cal = calibration(pairs, bins);
  return {
    pairs: pairs.length,
    accuracy: pairs.length ? correct / pairs.length : 0,
    ties,
    meanLoss: pairs.length ? loss / pairs.length : 0,
    byAgreement: bucketAccuracy(pairs, (p) => p.agreement, options.agreementEdges ?? DEFAULT_AGREEMENT_EDGES),
    byMargin: bucketAccuracy(pairs, (p) => p.margin ?? 0, options.marginEdges ?? DEFAULT_MARGIN_EDGES),
    calibration: cal.bins,
    ece: cal.ece,
    verifier: verifierPairs ? { pairs: verifierPairs, accuracy: verifierCorrect / verifierPairs } : null,
  };
}

/** Inputs of {@link evaluateRewardModel}. */
export interface EvaluateOptions extends MetricsOptions {
  head: RewardHead;
  pairs: Iterable<PreferencePair>;
  features: FeatureSource;
  /**
   * Verifier score per completion (e.g. 1 = tests pass, 0 = fail). Pairs
   * whose two completions score differently are checked against the model.
   */
  verifierScores?: ReadonlyMap<string, number>;
}

/** Scores each completion once and computes {@link PairMetrics} on `pairs`. */
export function evaluateRewardModel(options: EvaluateOptions): PairMetrics {
  const score = createScorer(options.head);
  return evaluateScores({
    ...options,
    reward: (id) => {
      const x = lookupFeatures(options.features, id);
      if (!x) throw new RewardError("missing_features", `no cached features for completion ${id}`);
      return score(x);
    },
  });
}

/** {@link evaluateRewardModel} for any scorer (e.g. a fine-tuned backbone): `reward` is called once per completion. */
export function evaluateScores(options: Omit<EvaluateOptions, "head" | "features"> & { reward: (completionId: string) => number }): PairMetrics {
  const cache = new Map<string, number>();
  const reward = (id: string): number => {
    let r = cache.get(id);
    if (r === undefined) {
      r = options.reward(id);
      cache.set(id, r);
    }
    return r;
  };
  const scored: ScoredPair[] = [];
  for (const pair of options.pairs) {
    const vc = options.verifierScores?.get(pair.chosenId);
    const vr = options.verifierScores?.get(pair.rejectedId);
    scored.push({
      rChosen: reward(pair.chosenId),
      rRejected: reward(pair.rejectedId),
      margin: pair.margin,
      agreement: pair.agreement,
      verifierPrefersChosen: vc !== undefined && vr !== undefined && vc !== vr ? vc > vr : undefined,
    });
  }
  return computePairMetrics(scored, options);
}
