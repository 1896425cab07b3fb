/**
 * Identical completions (the same text once surrounding whitespace is
 * trimmed, so they render the same) are shown once and tied automatically:
 * the ranking screen shows the first of each group, and every judgement of
 * it (rank, flags, ratings) is copied to the others before submitting, so
 * the stored ranking gives them all one rank. The server refuses a ranking
 * that splits a group.
 *
 * Why not re-sample at generation: greedy presets and small models repeat
 * themselves, re-sampling would change the stored seed/config that makes
 * every completion reproducible, and imported completions never pass through
 * generation. Two presets writing the same text is also data (the preset
 * leaderboard counts both).
 */

export type IdenticalGroup = {
  /** The completion shown (the first of the group in shown order). */
  id: string;
  /** The other completions with the same text, hidden; they share `id`'s rank. */
  duplicates: string[];
};

const sameTextKey = (text: string) => text.trim();

/** Groups completions by text, in shown order of each group's first member. */
export function groupIdentical(completions: readonly { id: string; text: string }[]): IdenticalGroup[] {
  const byText = new Map<string, IdenticalGroup>();
  for (const c of completions) {
    const key = sameTextKey(c.text);
    const group = byText.get(key);
    if (group) group.duplicates.push(c.id);
    else byText.set(key, { id: c.id, duplicates: [] });
  }
  return [...byText.values()];
}

/** A copy of `record` where each shown completion's entry is also filed under its hidden duplicates. */
export function copyToDuplicates<T>(record: Readonly<Record<string, T>>, groups: readonly IdenticalGroup[]): Record<string, T> {
  const out: Record<string, T> = { ...record };
  for (const g of groups) {
    if (!Object.hasOwn(record, g.id)) continue;
    for (const d of g.duplicates) out[d] = record[g.id]!;
  }
  return out;
}

/** Server side: a ranking that gives identical completions different ranks, named, or null. */
export function identicalRankProblem(ranks: Readonly<Record<string, number>>, completions: readonly { id: string; text: string }[]): string | null {
  for (const g of groupIdentical(completions)) {
    const rank = ranks[g.id];
    const split = g.duplicates.find((d) => ranks[d] !== rank);
    if (split !== undefined) return `ranks.${split}: its text is identical to ${g.id}, so it must share that rank (${rank}), got ${ranks[split]}`;
  }
  return null;
}
