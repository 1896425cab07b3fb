/**
 * Shared data model for rankings. Both lib/stats and lib/datasets build on it so
 * an export and the agreement figures in its dataset card count the same thing.
 */

/** Completion id → dense rank; 1 is best, equal numbers are ties. */
export type Ranks = Record<string, number>;

/** One annotator's ranking of the K completions shown for one prompt. */
export type Ranking = {
  annotatorId: string;
  promptId: string;
  ranks: Ranks;
};

/**
 * One pairwise outcome for Bradley–Terry: `outcome` is the score of `a`
 * (1 = a won, 0 = b won, 0.5 = tie), so ties count half a win each way.
 */
export type Comparison = {
  a: string;
  b: string;
  outcome: 0 | 0.5 | 1;
};

/** Sign of the preference between two ranks: 1 when x is better (lower rank), -1 when worse, 0 on a tie. */
export function preferenceSign(rankX: number, rankY: number): -1 | 0 | 1 {
  if (rankX < rankY) return 1;
  if (rankX > rankY) return -1;
  return 0;
}

/** Groups rankings by prompt id, keeping input order inside each group. */
export function groupByPrompt<T extends { promptId: string }>(rankings: Iterable<T>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rankings) {
    const group = groups.get(r.promptId);
    if (group) group.push(r);
    else groups.set(r.promptId, [r]);
  }
  return groups;
}

/** Completion ids ranked in both rankings, sorted so results do not depend on key order. */
export function sharedIds(a: Ranks, b: Ranks): string[] {
  return Object.keys(a)
    .filter((id) => Object.hasOwn(b, id))
    .sort();
}

/** Rankings grouped by prompt: a Map or record keyed by prompt id, or a plain list of groups. */
export type RankingsByPrompt =
  | ReadonlyMap<string, readonly Ranking[]>
  | Record<string, readonly Ranking[]>
  | Iterable<readonly Ranking[]>;

/** The groups of a RankingsByPrompt, whichever shape it came in. */
export function promptGroups(input: RankingsByPrompt): Iterable<readonly Ranking[]> {
  if (input instanceof Map) return input.values();
  if (Symbol.iterator in input) return input as Iterable<readonly Ranking[]>;
  return Object.values(input as Record<string, readonly Ranking[]>);
}
