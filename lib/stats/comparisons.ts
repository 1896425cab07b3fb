import { preferenceSign } from "@/lib/stats/types";
import type { Comparison, Ranking } from "@/lib/stats/types";

/**
 * Rankings → pairwise outcomes for {@link bradleyTerry}: every completion pair
 * of every ranking becomes one comparison (a tie scores 0.5). `itemOf` maps a
 * completion to the thing being rated, e.g. the model that wrote it for a
 * Chatbot-Arena-style model leaderboard; by default the completion itself.
 * Pairs mapping to the same item (a model against itself) are skipped: they
 * say nothing about relative strength.
 */
export function comparisonsFromRankings(
  rankings: Iterable<Ranking>,
  itemOf: (promptId: string, completionId: string) => string = (_, id) => id,
): Comparison[] {
  const out: Comparison[] = [];
  for (const r of rankings) {
    const ids = Object.keys(r.ranks).sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = itemOf(r.promptId, ids[i]!);
        const b = itemOf(r.promptId, ids[j]!);
        if (a === b) continue;
        const sign = preferenceSign(r.ranks[ids[i]!]!, r.ranks[ids[j]!]!);
        out.push({ a, b, outcome: sign === 1 ? 1 : sign === -1 ? 0 : 0.5 });
      }
    }
  }
  return out;
}
