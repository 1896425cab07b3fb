/**
 * What the research page shows, computed from a project's rankings, its
 * completions' decoding presets and one reward model's scores. Pure: the
 * caller loads the data.
 */
import { pairsForPrompt } from "@/lib/datasets/pairs";
import type { PromptGroup } from "@/lib/datasets/types";
import { bootstrapIntervals, bradleyTerry } from "@/lib/stats/bradley-terry";
import { comparisonsFromRankings } from "@/lib/stats/comparisons";

export type CompletionView = { id: string; text: string; preset: string; reward: number | null; humanRank: number | null; rmRank: number | null };
export type PromptView = { promptId: string; prompt: string; rankings: number; completions: CompletionView[] };
export type Disagreement = { promptId: string; prompt: string; humanChoice: CompletionView; rmChoice: CompletionView; agreement: number; voters: number };
export type PresetDistribution = { preset: string; n: number; mean: number; min: number; q1: number; median: number; q3: number; max: number };
export type LeaderboardRow = { preset: string; elo: number; lower: number; upper: number; comparisons: number };

export interface ResearchInput {
  groups: PromptGroup[];
  presetOf: ReadonlyMap<string, string>;
  scores: ReadonlyMap<string, number>;
}

/** Dense ranks (1 best) of values, higher first when `desc`; ties share a rank. */
function denseRanks(values: Map<string, number>, desc: boolean): Map<string, number> {
  const levels = [...new Set(values.values())].sort((a, b) => (desc ? b - a : a - b));
  return new Map([...values].map(([id, v]) => [id, levels.indexOf(v) + 1]));
}

const promptText = (g: PromptGroup) => g.prompt.map((m) => m.content).join("\n");

/** Each prompt's completions with the mean human rank (as a dense order) beside the reward-model order. */
export function promptViews(input: ResearchInput): PromptView[] {
  return input.groups.map((g) => {
    const mean = new Map<string, number>();
    for (const id of Object.keys(g.completions)) {
      const ranks = g.rankings.flatMap((r) => (r.ranks[id] === undefined ? [] : [r.ranks[id]]));
      if (ranks.length) mean.set(id, ranks.reduce((s, x) => s + x, 0) / ranks.length);
    }
    const rewards = new Map(Object.keys(g.completions).flatMap((id) => (input.scores.has(id) ? [[id, input.scores.get(id)!] as const] : [])));
    const human = denseRanks(mean, false);
    const rm = denseRanks(rewards, true);
    const completions = Object.entries(g.completions).map(([id, text]) => ({
      id, text, preset: input.presetOf.get(id) ?? "unknown", reward: rewards.get(id) ?? null, humanRank: human.get(id) ?? null, rmRank: rm.get(id) ?? null,
    }));
    completions.sort((a, b) => (a.humanRank ?? 99) - (b.humanRank ?? 99) || a.id.localeCompare(b.id));
    return { promptId: g.promptId, prompt: promptText(g), rankings: g.rankings.length, completions };
  });
}

/** Pairs where at least two annotators agree (≥ minAgreement of them) and the reward model prefers the other side, largest reward gap first. */
export function disagreements(input: ResearchInput, views: PromptView[], minAgreement = 0.75): Disagreement[] {
  const byPrompt = new Map(views.map((v) => [v.promptId, v]));
  const out: (Disagreement & { gap: number })[] = [];
  for (const g of input.groups) {
    if (g.rankings.length < 2) continue;
    const view = byPrompt.get(g.promptId)!;
    const find = (id: string) => view.completions.find((c) => c.id === id)!;
    for (const p of pairsForPrompt(g, { mode: "majority" })) {
      const voters = g.rankings.filter((r) => r.ranks[p.chosenId] !== undefined && r.ranks[p.rejectedId] !== undefined).length;
      const [c, r] = [find(p.chosenId), find(p.rejectedId)];
      if (voters < 2 || p.agreement < minAgreement || c.reward === null || r.reward === null || c.reward >= r.reward) continue;
      out.push({ promptId: g.promptId, prompt: view.prompt, humanChoice: c, rmChoice: r, agreement: p.agreement, voters, gap: r.reward - c.reward });
    }
  }
  return out.sort((a, b) => b.gap - a.gap).map(({ gap: _gap, ...d }) => d);
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}

/** Reward distribution per decoding preset (five-number summary and mean). */
export function rewardByPreset(input: ResearchInput): PresetDistribution[] {
  const byPreset = new Map<string, number[]>();
  for (const [id, s] of input.scores) {
    const preset = input.presetOf.get(id) ?? "unknown";
    byPreset.set(preset, [...(byPreset.get(preset) ?? []), s]);
  }
  return [...byPreset].map(([preset, xs]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { preset, n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0], q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s[s.length - 1] };
  }).sort((a, b) => b.median - a.median);
}

/** Decoding presets ranked from human rankings: Bradley–Terry Elo with 95% bootstrap intervals. */
export function presetLeaderboard(input: ResearchInput, rounds = 200): LeaderboardRow[] {
  const rankings = input.groups.flatMap((g) => g.rankings);
  const comparisons = comparisonsFromRankings(rankings, (_, id) => input.presetOf.get(id) ?? "unknown");
  if (comparisons.length === 0) return [];
  const fit = bradleyTerry(comparisons);
  const ci = bootstrapIntervals(comparisons, { rounds, seed: 0 });
  const count = new Map<string, number>();
  for (const c of comparisons) for (const x of [c.a, c.b]) count.set(x, (count.get(x) ?? 0) + 1);
  return Object.entries(fit.elo)
    .map(([preset, elo]) => ({ preset, elo, lower: ci[preset]?.lower ?? elo, upper: ci[preset]?.upper ?? elo, comparisons: count.get(preset) ?? 0 }))
    .sort((a, b) => b.elo - a.elo);
}
