/**
 * The model leaderboard: a project's model versions side by side on three
 * signals, each computed from the completions the versions wrote for the
 * same prompts (the blind comparison slots):
 *
 * - human: Bradley–Terry Elo from the annotators' rankings (a completion
 *   stands for its version; pairs of one version are skipped), with 95%
 *   percentile-bootstrap intervals (seeded, so a page shows the same numbers);
 * - rm: the newest reward model's predicted win rate against the other
 *   versions: mean over prompts of the mean over pairs of sigmoid(s_a − s_b);
 * - verifier: the share of the version's completions its prompt's verifier accepts.
 *
 * Each version with a parent is also checked for reward over-optimisation
 * (./over-optimisation.ts). Pure: the caller loads the data.
 */
import { createRng } from "@/lib/numerics/rng";
import { bootstrapElos, bradleyTerry, quantile } from "./bradley-terry";
import { comparisonsFromRankings } from "./comparisons";
import { MIN_EVIDENCE, overOptimisation, type DifferenceEvidence, type OverOptimisation, type ParentEvidence } from "./over-optimisation";
import type { Comparison, Ranking } from "./types";

export interface LeaderboardVersion {
  id: string;
  name: string;
  parentId: string | null;
}

/** A completion written by a version (imported or hand-written ones have none and are left out). */
export interface VersionCompletion {
  id: string;
  promptId: string;
  versionId: string;
}

export interface ModelLeaderboardInput {
  /** The first one (the project's base) is pinned at Elo 1000 when humans compared it. */
  versions: readonly LeaderboardVersion[];
  completions: readonly VersionCompletion[];
  rankings: readonly Ranking[];
  /** Completion id → score of the newest ready reward model; null when there is none. */
  rmScores: ReadonlyMap<string, number> | null;
  /** Completion id → the verifier accepts it, for completions of prompts that have a verifier. */
  verdicts: ReadonlyMap<string, boolean>;
}

export interface ModelLeaderboardOptions {
  /** Bootstrap resamples (default 200). */
  rounds?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
  /** Paired evidence below which the over-optimisation flag stays down (default MIN_EVIDENCE). */
  minEvidence?: number;
}

export interface ModelLeaderboardRow {
  versionId: string;
  name: string;
  parentId: string | null;
  completions: number;
  human: { elo: number; lower: number; upper: number; comparisons: number } | null;
  rm: { winRate: number; prompts: number } | null;
  verifier: { accuracy: number; correct: number; total: number } | null;
  /** Evidence against the parent version (null without a parent on the board). */
  parent: ParentEvidence | null;
  overOptimisation: OverOptimisation;
}

type ByPrompt = Map<string, string[]>;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** versionId → promptId → completion ids. */
function groupCompletions(completions: readonly VersionCompletion[]): Map<string, ByPrompt> {
  const out = new Map<string, ByPrompt>();
  for (const c of completions) {
    const byPrompt = out.get(c.versionId) ?? new Map<string, string[]>();
    byPrompt.set(c.promptId, [...(byPrompt.get(c.promptId) ?? []), c.id]);
    out.set(c.versionId, byPrompt);
  }
  return out;
}

/** Mean over prompts where both sides have scored completions of the mean over their pairs of sigmoid(s_a − s_b). */
export function rmWinRate(scores: ReadonlyMap<string, number>, a: ByPrompt, b: ByPrompt): { winRate: number; prompts: number } | null {
  let sum = 0;
  let prompts = 0;
  for (const [promptId, aIds] of a) {
    const sa = aIds.flatMap((id) => (scores.has(id) ? [scores.get(id)!] : []));
    const sb = (b.get(promptId) ?? []).flatMap((id) => (scores.has(id) ? [scores.get(id)!] : []));
    if (sa.length === 0 || sb.length === 0) continue;
    let p = 0;
    for (const x of sa) for (const y of sb) p += sigmoid(x - y);
    sum += p / (sa.length * sb.length);
    prompts++;
  }
  return prompts === 0 ? null : { winRate: sum / prompts, prompts };
}

/** Every version's completions but `versionId`'s, by prompt. */
function others(groups: Map<string, ByPrompt>, versionId: string): ByPrompt {
  const out: ByPrompt = new Map();
  for (const [v, byPrompt] of groups) {
    if (v === versionId) continue;
    for (const [promptId, ids] of byPrompt) out.set(promptId, [...(out.get(promptId) ?? []), ...ids]);
  }
  return out;
}

/** Human comparisons between versions: each ranking restricted to completions with a version. */
function versionComparisons(rankings: readonly Ranking[], versionOf: ReadonlyMap<string, string>): Comparison[] {
  const attributed = rankings.map((r) => ({ ...r, ranks: Object.fromEntries(Object.entries(r.ranks).filter(([id]) => versionOf.has(id))) }));
  return comparisonsFromRankings(attributed, (_, id) => versionOf.get(id)!);
}

function interval(xs: number[]): { lower: number; upper: number } {
  const sorted = [...xs].sort((p, q) => p - q);
  return { lower: quantile(sorted, 0.025), upper: quantile(sorted, 0.975) };
}

/** Share of a version's judged completions on each prompt the verifier accepts: promptId → accuracy. */
function accuracyByPrompt(byPrompt: ByPrompt | undefined, verdicts: ReadonlyMap<string, boolean>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [promptId, ids] of byPrompt ?? []) {
    const judged = ids.filter((id) => verdicts.has(id));
    if (judged.length) out.set(promptId, judged.filter((id) => verdicts.get(id)).length / judged.length);
  }
  return out;
}

/** accuracy(version) − accuracy(parent) over the prompts both were judged on, with a paired bootstrap over those prompts. */
function verifierDifference(version: Map<string, number>, parent: Map<string, number>, rounds: number, seed: number): DifferenceEvidence | null {
  const diffs = [...version].flatMap(([promptId, acc]) => (parent.has(promptId) ? [acc - parent.get(promptId)!] : []));
  if (diffs.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const rng = createRng(seed);
  const means = Array.from({ length: rounds }, () => mean(Array.from(diffs, () => diffs[rng.int(0, diffs.length - 1)]!)));
  return { diff: mean(diffs), ...interval(means), n: diffs.length };
}

/** Elo(version) − Elo(parent) on the full fit and in every bootstrap round that saw both. */
function humanDifference(v: string, parent: string, full: Record<string, number>, rounds: Record<string, number>[], comparisons: readonly Comparison[]): DifferenceEvidence | null {
  if (full[v] === undefined || full[parent] === undefined) return null;
  const diffs = rounds.flatMap((elo) => (elo[v] !== undefined && elo[parent] !== undefined ? [elo[v] - elo[parent]] : []));
  const direct = comparisons.filter((c) => (c.a === v && c.b === parent) || (c.a === parent && c.b === v)).length;
  return { diff: full[v] - full[parent], ...interval(diffs), n: direct };
}

/** The leaderboard rows, best human Elo first (versions humans never compared last, by name). */
export function modelLeaderboard(input: ModelLeaderboardInput, opts: ModelLeaderboardOptions = {}): ModelLeaderboardRow[] {
  const rounds = opts.rounds ?? 200;
  const seed = opts.seed ?? 0;
  const groups = groupCompletions(input.completions);
  const versionOf = new Map(input.completions.map((c) => [c.id, c.versionId]));
  const comparisons = versionComparisons(input.rankings, versionOf);
  const reference = input.versions[0] && comparisons.some((c) => c.a === input.versions[0].id || c.b === input.versions[0].id) ? input.versions[0].id : undefined;
  const full = comparisons.length ? bradleyTerry(comparisons, { reference }).elo : {};
  const boot = comparisons.length ? bootstrapElos(comparisons, { rounds, seed, reference }) : [];
  const onBoard = new Set(input.versions.map((v) => v.id));
  const rows = input.versions.map((v): ModelLeaderboardRow => {
    const mine = groups.get(v.id) ?? new Map<string, string[]>();
    const accuracy = accuracyByPrompt(mine, input.verdicts);
    const judged = [...mine.values()].flat().filter((id) => input.verdicts.has(id));
    const correct = judged.filter((id) => input.verdicts.get(id)).length;
    const parentId = v.parentId && onBoard.has(v.parentId) ? v.parentId : null;
    const parent: ParentEvidence | null = parentId
      ? {
          rmWinRate: input.rmScores ? (rmWinRate(input.rmScores, mine, groups.get(parentId) ?? new Map())?.winRate ?? null) : null,
          human: humanDifference(v.id, parentId, full, boot, comparisons),
          verifier: verifierDifference(accuracy, accuracyByPrompt(groups.get(parentId), input.verdicts), rounds, seed),
        }
      : null;
    return {
      versionId: v.id,
      name: v.name,
      parentId: v.parentId,
      completions: [...mine.values()].reduce((n, ids) => n + ids.length, 0),
      human: full[v.id] === undefined ? null : { elo: full[v.id], ...interval(boot.flatMap((e) => (e[v.id] === undefined ? [] : [e[v.id]]))), comparisons: comparisons.filter((c) => c.a === v.id || c.b === v.id).length },
      rm: input.rmScores ? rmWinRate(input.rmScores, mine, others(groups, v.id)) : null,
      verifier: judged.length ? { accuracy: correct / judged.length, correct, total: judged.length } : null,
      parent,
      overOptimisation: parent ? overOptimisation(parent, opts.minEvidence ?? MIN_EVIDENCE) : { flagged: false, reasons: [] },
    };
  });
  return rows.sort((a, b) => (b.human?.elo ?? -Infinity) - (a.human?.elo ?? -Infinity) || a.name.localeCompare(b.name));
}
