import { promptGroups } from "@/lib/stats/types";
import type { Ranks, RankingsByPrompt } from "@/lib/stats/types";

/**
 * Kendall's tau-b between two rankings over the completions both contain.
 * tau-b corrects the denominator for ties on either side, so two identical
 * rankings with ties still score 1. Returns null when it is undefined: fewer
 * than two shared items, or one side ties everything.
 */
export function kendallTau(a: Ranks, b: Ranks): number | null {
  const ids = Object.keys(a).filter((id) => Object.hasOwn(b, id));
  return kendallTauArrays(
    ids.map((id) => a[id]!),
    ids.map((id) => b[id]!),
  );
}

/** tau-b on paired numeric arrays x[i] ↔ y[i]; O(n²), fine for K completions. */
export function kendallTauArrays(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`x and y must have equal length, got ${x.length} and ${y.length}`);
  let concordant = 0;
  let discordant = 0;
  let untiedX = 0; // pairs not tied in x
  let untiedY = 0; // pairs not tied in y
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx !== 0) untiedX++;
      if (dy !== 0) untiedY++;
      const s = dx * dy;
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  const denom = Math.sqrt(untiedX * untiedY);
  return denom === 0 ? null : (concordant - discordant) / denom;
}

export type ConsensusTau = {
  /** Mean tau-b over the prompts where it was defined; null when none were. */
  meanTau: number | null;
  /** Number of prompts that contributed. */
  prompts: number;
};

/**
 * Each annotator's tau-b to the leave-one-out consensus: for every prompt the
 * annotator ranked, the consensus is the mean rank the *other* annotators gave
 * each completion (leaving the annotator out so they do not agree with
 * themselves). Completions no other annotator ranked are skipped.
 */
export function tauToConsensus(rankingsByPrompt: RankingsByPrompt): Record<string, ConsensusTau> {
  const sums = new Map<string, { total: number; prompts: number }>();
  for (const group of promptGroups(rankingsByPrompt)) {
    for (const target of group) {
      const acc = sums.get(target.annotatorId) ?? { total: 0, prompts: 0 };
      sums.set(target.annotatorId, acc);
      const others = group.filter((r) => r.annotatorId !== target.annotatorId);
      const consensus = meanRanks(others.map((r) => r.ranks));
      const tau = kendallTau(target.ranks, consensus);
      if (tau === null) continue;
      acc.total += tau;
      acc.prompts += 1;
    }
  }
  const out: Record<string, ConsensusTau> = {};
  for (const id of [...sums.keys()].sort()) {
    const s = sums.get(id)!;
    out[id] = { meanTau: s.prompts === 0 ? null : s.total / s.prompts, prompts: s.prompts };
  }
  return out;
}

/** Mean rank per completion over the rankings that include it. */
export function meanRanks(rankings: readonly Ranks[]): Ranks {
  const total: Record<string, number> = {};
  const count: Record<string, number> = {};
  for (const ranks of rankings) {
    for (const [id, r] of Object.entries(ranks)) {
      total[id] = (total[id] ?? 0) + r;
      count[id] = (count[id] ?? 0) + 1;
    }
  }
  const out: Ranks = {};
  for (const id of Object.keys(total)) out[id] = total[id]! / count[id]!;
  return out;
}
