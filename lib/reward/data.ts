/**
 * Turns prompt groups into the compact form the trainer loops over, and
 * checks that a data set is worth training on before any compute is spent.
 */
import type { IndexedPairs } from "@/lib/reward/loss";
import { createRng } from "@/lib/numerics/rng";
import {
  RewardError,
  lookupFeatures,
  type FeatureSource,
  type PreferencePair,
  type PromptGroup,
  type RewardErrorCode,
} from "@/lib/reward/types";

/** A prompt group with completions resolved to feature vectors and local indexes. */
export interface CompiledGroup extends IndexedPairs {
  promptId: string;
  /** Completion ids, index-aligned with `features`. */
  ids: string[];
  features: Float32Array[];
}

/** Outcome of {@link validateTrainingData}; `reason` is shown to the user as is. */
export type DataCheck = { ok: true; trainPairs: number; valPairs: number } | { ok: false; code: RewardErrorCode; reason: string };

/** Fewest training pairs a run accepts by default; below this val accuracy is noise. */
export const DEFAULT_MIN_PAIRS = 50;

function countPairs(groups: readonly PromptGroup[]): number {
  return groups.reduce((n, g) => n + g.pairs.length, 0);
}

/**
 * Refuses data that cannot give a meaningful reward model: too few pairs, no
 * validation pairs (early stopping needs them), a pair comparing a completion
 * with itself, or every pair from a single annotator (the model would learn
 * one person's taste). Pairs without an annotatorId cannot be attributed and
 * do not trigger the single-annotator refusal.
 */
export function validateTrainingData(
  trainGroups: readonly PromptGroup[],
  valGroups: readonly PromptGroup[],
  minPairs = DEFAULT_MIN_PAIRS,
): DataCheck {
  const trainPairs = countPairs(trainGroups);
  const valPairs = countPairs(valGroups);
  if (trainPairs < minPairs) {
    return { ok: false, code: "insufficient_pairs", reason: `need at least ${minPairs} training pairs, got ${trainPairs}` };
  }
  if (valPairs === 0) {
    return { ok: false, code: "no_validation", reason: "no validation pairs: early stopping and best-weight selection need a held-out set" };
  }
  const annotators = new Set<string>();
  let unattributed = 0;
  for (const group of [...trainGroups, ...valGroups]) {
    for (const pair of group.pairs) {
      if (pair.chosenId === pair.rejectedId) {
        return { ok: false, code: "invalid_pair", reason: `pair for prompt ${pair.promptId} compares ${pair.chosenId} with itself` };
      }
      if (pair.annotatorId === undefined) unattributed++;
      else annotators.add(pair.annotatorId);
    }
  }
  if (unattributed === 0 && annotators.size === 1) {
    const [only] = annotators;
    return { ok: false, code: "single_annotator", reason: `every pair comes from one annotator (${only}); collect rankings from at least two` };
  }
  return { ok: true, trainPairs, valPairs };
}

/**
 * Resolves every completion's features once and indexes pairs locally.
 * Checks length and finiteness here so the hot loop never has to.
 */
export function compileGroups(groups: readonly PromptGroup[], source: FeatureSource, dim: number): CompiledGroup[] {
  const compiled: CompiledGroup[] = [];
  const checked = new Set<Float32Array>();
  for (const group of groups) {
    if (group.pairs.length === 0) continue;
    const index = new Map<string, number>();
    const ids: string[] = [];
    const features: Float32Array[] = [];
    const localIndex = (id: string): number => {
      let i = index.get(id);
      if (i !== undefined) return i;
      const x = lookupFeatures(source, id);
      if (!x) throw new RewardError("missing_features", `no cached features for completion ${id}`);
      if (!checked.has(x)) {
        checkVector(x, id, dim);
        checked.add(x);
      }
      i = ids.length;
      index.set(id, i);
      ids.push(id);
      features.push(x);
      return i;
    };
    compiled.push({ promptId: group.promptId, ids, features, ...indexPairs(group.pairs, localIndex) });
  }
  return compiled;
}

/**
 * A group's pairs as local completion indexes; `localIndex` numbers each
 * completion id on first sight (and resolves whatever the trainer needs for it).
 */
export function indexPairs(pairs: readonly PreferencePair[], localIndex: (completionId: string) => number): IndexedPairs {
  const n = pairs.length;
  const out: IndexedPairs = { chosen: new Int32Array(n), rejected: new Int32Array(n), margins: new Float64Array(n) };
  pairs.forEach((pair, p) => {
    out.chosen[p] = localIndex(pair.chosenId);
    out.rejected[p] = localIndex(pair.rejectedId);
    out.margins[p] = pair.margin ?? 0;
  });
  return out;
}

function checkVector(x: Float32Array, id: string, dim: number): void {
  if (x.length !== dim) {
    throw new RewardError("invalid_features", `features of completion ${id} have length ${x.length}, expected ${dim}`);
  }
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(x[i])) {
      throw new RewardError("invalid_features", `features of completion ${id} contain ${x[i]} at index ${i}`);
    }
  }
}

/** Distinct completions over all groups, each once (for standardisation and centring). */
export function uniqueFeatures(groups: readonly CompiledGroup[]): Float32Array[] {
  const seen = new Map<string, Float32Array>();
  for (const g of groups) g.ids.forEach((id, i) => seen.set(id, g.features[i]));
  return [...seen.values()];
}

/** Feature dimension of the first completion found, to size the head. */
export function inferDim(groups: readonly PromptGroup[], source: FeatureSource): number {
  for (const group of groups) {
    for (const pair of group.pairs) {
      const x = lookupFeatures(source, pair.chosenId);
      if (!x) throw new RewardError("missing_features", `no cached features for completion ${pair.chosenId}`);
      return x.length;
    }
  }
  throw new RewardError("insufficient_pairs", "no pairs to train on");
}

/**
 * Deterministic train/validation split by prompt: a prompt's pairs never
 * straddle the split, since completions of one prompt share most of their
 * features and would leak the answer into validation.
 */
export function splitGroupsByPrompt(
  groups: readonly PromptGroup[],
  valFraction: number,
  seed: number,
): { train: PromptGroup[]; val: PromptGroup[] } {
  if (!(valFraction > 0 && valFraction < 1)) {
    throw new RewardError("invalid_config", `valFraction must be in (0, 1), got ${valFraction}`);
  }
  const order = createRng(seed).shuffle([...groups]);
  const nVal = Math.max(1, Math.round(order.length * valFraction));
  return { train: order.slice(nVal), val: order.slice(0, nVal) };
}
