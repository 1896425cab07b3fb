/**
 * Rankings → preference pairs, InstructGPT style: a ranking of K completions
 * yields every strictly ordered pair, at most C(K, 2).
 */
import { bradleyTerry } from "@/lib/stats/bradley-terry";
import { preferenceSign } from "@/lib/stats/types";
import type { Comparison } from "@/lib/stats/types";
import { pairSides } from "@/lib/datasets/pair-sides";
import type { AnyIterable, PreferencePair, PromptGroup, RankingRecord } from "@/lib/datasets/types";

export type PairMode = "raw" | "majority" | "bradley-terry";

export type PairOptions = {
  /**
   * raw: one pair list per annotator. majority: one pair per completion pair,
   * in the direction most annotators chose (exact splits dropped).
   * bradley-terry: one ordering per prompt from a Bradley–Terry fit of all its rankings.
   * Default raw.
   */
  mode?: PairMode;
  /** drop (default) leaves ties out; keep emits them with `tie: true`. */
  ties?: "drop" | "keep";
  /** Attach `margin` to each pair. Default false. */
  margin?: boolean;
};

/** One annotator's view of a completion pair (x, y): sign 1 = x better, and how much. */
type Vote = { sign: -1 | 0 | 1; margin: number };

/**
 * Margin of a preference: the rating difference when the annotator rated
 * both completions (ratings carry strength of preference, ranks do not),
 * otherwise the rank distance.
 */
function voteOf(r: RankingRecord, x: string, y: string): Vote | undefined {
  const rx = r.ranks[x];
  const ry = r.ranks[y];
  if (rx === undefined || ry === undefined) return undefined;
  const sign = preferenceSign(rx, ry);
  const gx = r.ratings?.[x];
  const gy = r.ratings?.[y];
  const margin = gx !== undefined && gy !== undefined ? Math.abs(gx - gy) : Math.abs(rx - ry);
  return { sign, margin: sign === 0 ? 0 : margin };
}

function votesFor(rankings: readonly RankingRecord[], x: string, y: string): Vote[] {
  return rankings.flatMap((r) => voteOf(r, x, y) ?? []);
}

/** Share of voters who chose `sign` (1: x over y, 0: tie). Zero when nobody compared the pair. */
function agreementOf(votes: readonly Vote[], sign: -1 | 0 | 1): number {
  return votes.length === 0 ? 0 : votes.filter((v) => v.sign === sign).length / votes.length;
}

/** Completion ids ranked by anyone on this prompt, sorted for stable output. */
function rankedIds(rankings: readonly RankingRecord[]): string[] {
  return [...new Set(rankings.flatMap((r) => Object.keys(r.ranks)))].sort();
}

function makePair(
  group: PromptGroup,
  better: string,
  worse: string,
  /** `ranking`: the pair's own ranking in raw mode; `raters`: whose aspect ratings describe the sides (raw mode: that annotator; else everyone). */
  extra: { sign: -1 | 0 | 1; agreement: number; margin: number; ranking?: RankingRecord; raters?: readonly RankingRecord[] },
  opts: PairOptions,
): PreferencePair {
  const text = (id: string) => {
    const t = group.completions[id];
    if (t === undefined) throw new RangeError(`completion "${id}" of prompt "${group.promptId}" has no text`);
    return t;
  };
  const context = (id: string) => group.contexts?.[id];
  const [chosenContext, rejectedContext] = [context(better), context(worse)];
  const ranking = extra.ranking;
  return {
    promptId: group.promptId,
    prompt: group.prompt,
    chosenId: better,
    rejectedId: worse,
    chosen: text(better),
    rejected: text(worse),
    ...(chosenContext ? { chosenContext } : {}),
    ...(rejectedContext ? { rejectedContext } : {}),
    ...(ranking ? { annotatorId: ranking.annotatorId } : {}),
    ...(ranking?.extra ? { extra: ranking.extra } : {}),
    ...(extra.sign === 0 ? { tie: true as const } : {}),
    ...(opts.margin ? { margin: extra.margin } : {}),
    agreement: extra.agreement,
    ...pairSides(group, better, worse, extra.raters ?? group.rankings),
  };
}

/** The rankings a group writes: those of `emit`, in its order, when set (see PromptGroup.emit); else all. */
export function emittedRankings(group: PromptGroup): RankingRecord[] {
  if (group.emit === undefined) return group.rankings;
  const byAnnotator = new Map(group.rankings.map((r) => [r.annotatorId, r]));
  return group.emit.flatMap((id) => byAnnotator.get(id) ?? []);
}

function rawPairs(group: PromptGroup, opts: PairOptions): PreferencePair[] {
  const out: PreferencePair[] = [];
  for (const r of emittedRankings(group)) {
    // Best first; equal ranks by id so ties come out in a stable order.
    const ids = Object.keys(r.ranks).sort((p, q) => r.ranks[p]! - r.ranks[q]! || (p < q ? -1 : p > q ? 1 : 0));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const vote = voteOf(r, ids[i]!, ids[j]!)!;
        if (vote.sign === 0 && opts.ties !== "keep") continue;
        const agreement = agreementOf(votesFor(group.rankings, ids[i]!, ids[j]!), vote.sign);
        const pair = makePair(group, ids[i]!, ids[j]!, { ...vote, agreement, ranking: r, raters: [r] }, opts);
        out.push(r.weight === undefined ? pair : { ...pair, weight: r.weight });
      }
    }
  }
  return out;
}

function majorityPairs(group: PromptGroup, opts: PairOptions): PreferencePair[] {
  const out: PreferencePair[] = [];
  const ids = rankedIds(group.rankings);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const votes = votesFor(group.rankings, ids[i]!, ids[j]!);
      const sign = pluralityOf(votes);
      if (sign === undefined || (sign === 0 && opts.ties !== "keep")) continue;
      const agreeing = votes.filter((v) => v.sign === sign);
      const margin = agreeing.reduce((s, v) => s + v.margin, 0) / agreeing.length;
      const [better, worse] = sign === -1 ? [ids[j]!, ids[i]!] : [ids[i]!, ids[j]!];
      out.push(makePair(group, better, worse, { sign, margin, agreement: agreeing.length / votes.length }, opts));
    }
  }
  return out;
}

/** The outcome (x wins, y wins, tie) with strictly the most votes; undefined on an exact split. */
function pluralityOf(votes: readonly Vote[]): -1 | 0 | 1 | undefined {
  const count = (s: -1 | 0 | 1) => votes.filter((v) => v.sign === s).length;
  const tally = ([1, -1, 0] as const).map((s) => [s, count(s)] as const).sort((a, b) => b[1] - a[1]);
  return tally[0]![1] > tally[1]![1] ? tally[0]![0] : undefined;
}

function bradleyTerryPairs(group: PromptGroup, opts: PairOptions): PreferencePair[] {
  const ids = rankedIds(group.rankings);
  const comparisons: Comparison[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      for (const v of votesFor(group.rankings, ids[i]!, ids[j]!)) {
        comparisons.push({ a: ids[i]!, b: ids[j]!, outcome: v.sign === 1 ? 1 : v.sign === -1 ? 0 : 0.5 });
      }
    }
  }
  const { elo } = bradleyTerry(comparisons);
  // Round so completions the data cannot tell apart (symmetric votes) tie instead of differing by float noise.
  const score = (id: string) => Math.round((elo[id] ?? 1000) * 1e6) / 1e6;
  const order = [...ids].sort((p, q) => score(q) - score(p) || (p < q ? -1 : 1));
  const levels = [...new Set(order.map(score))];
  const btRank = (id: string) => levels.indexOf(score(id)) + 1;
  const out: PreferencePair[] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const [x, y] = [order[i]!, order[j]!];
      const sign = preferenceSign(btRank(x), btRank(y));
      if (sign === 0 && opts.ties !== "keep") continue;
      const agreement = agreementOf(votesFor(group.rankings, x, y), sign);
      out.push(makePair(group, x, y, { sign, agreement, margin: btRank(y) - btRank(x) }, opts));
    }
  }
  return out;
}

/** A ranking filed under another prompt would be paired with the wrong texts: a caller bug, so it throws. */
export function assertOwnRankings(group: PromptGroup): void {
  const stray = group.rankings.find((r) => r.promptId !== group.promptId);
  if (stray) {
    throw new RangeError(`ranking by "${stray.annotatorId}" is for prompt "${stray.promptId}", not "${group.promptId}"`);
  }
}

/** All pairs of one prompt under `opts`. */
export function pairsForPrompt(group: PromptGroup, opts: PairOptions = {}): PreferencePair[] {
  assertOwnRankings(group);
  const mode = opts.mode ?? "raw";
  // Majority and Bradley–Terry pairs belong to a prompt, not to one ranking: a group split by `emit` would write them twice.
  if (group.emit !== undefined && mode !== "raw") throw new RangeError(`mode ${mode} needs whole prompt groups, got one limited to some rankings (emit)`);
  switch (mode) {
    case "raw":
      return rawPairs(group, opts);
    case "majority":
      return majorityPairs(group, opts);
    case "bradley-terry":
      return bradleyTerryPairs(group, opts);
    default:
      throw new RangeError(`mode must be raw, majority or bradley-terry, got ${String(opts.mode)}`);
  }
}

/** Streams prompt groups into pairs, one group in memory at a time. */
export async function* rankingsToPairs(
  groups: AnyIterable<PromptGroup>,
  opts: PairOptions = {},
): AsyncGenerator<PreferencePair> {
  for await (const group of groups) yield* pairsForPrompt(group, opts);
}
