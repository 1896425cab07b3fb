/**
 * What a pair says about each of its sides beyond the text: who wrote it (a
 * model, or an annotator's rewrite) and its aspect ratings. Present only when
 * there is something to say, so pairs of projects without rewrites or aspects
 * are what they were.
 */
import type { PreferencePair, PromptGroup, RankingRecord } from "@/lib/datasets/types";

type Sides = Pick<PreferencePair, "chosenSource" | "rejectedSource" | "chosenRatings" | "rejectedRatings">;

/**
 * Aspect → mean rating of completion `id` over `raters` who rated that aspect
 * (one rater in raw mode: their own ratings), aspects in name order; undefined
 * when nobody rated it.
 */
export function meanAspectRatings(raters: readonly RankingRecord[], id: string): Record<string, number> | undefined {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of raters) {
    for (const [aspect, value] of Object.entries(r.aspectRatings?.[id] ?? {})) {
      const s = sums.get(aspect) ?? { sum: 0, n: 0 };
      sums.set(aspect, { sum: s.sum + value, n: s.n + 1 });
    }
  }
  if (sums.size === 0) return undefined;
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([aspect, s]) => [aspect, s.sum / s.n]));
}

export function pairSides(group: PromptGroup, chosen: string, rejected: string, raters: readonly RankingRecord[]): Sides {
  const human = (id: string) => group.rewrites !== undefined && Object.hasOwn(group.rewrites, id);
  const chosenRatings = meanAspectRatings(raters, chosen);
  const rejectedRatings = meanAspectRatings(raters, rejected);
  return {
    ...(human(chosen) ? { chosenSource: "human" as const } : {}),
    ...(human(rejected) ? { rejectedSource: "human" as const } : {}),
    ...(chosenRatings ? { chosenRatings } : {}),
    ...(rejectedRatings ? { rejectedRatings } : {}),
  };
}
