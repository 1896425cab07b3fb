/**
 * The ranking state read under a project's rank scale (lib/ranking/rubric.ts).
 * "full" is the tier list as is; under "best" the first tier holds the best
 * response(s) and every other response is "the rest", which share rank 2.
 */
import { describeProgress, responseLabel } from "./announce";
import { isComplete, toRanks, type RankingState } from "./state";
import type { RankScale } from "./rubric";

/** The responses picked as best (the first tier; several when tied). */
export function bestIds(state: RankingState): readonly string[] {
  return state.tiers.find((t) => t.length > 0) ?? [];
}

/** Whether the ranking can be submitted: every response placed, or a best one picked. */
export function isCompleteFor(state: RankingState, scale: RankScale): boolean {
  return scale === "best" ? bestIds(state).length > 0 : isComplete(state);
}

/** Dense ranks to submit: the tiers for "full"; best = 1 and the rest = 2 for "best". */
export function ranksFor(state: RankingState, scale: RankScale): Record<string, number> {
  if (scale === "full") return toRanks(state.tiers);
  const best = new Set(bestIds(state));
  return Object.fromEntries(state.shown.map((id) => [id, best.has(id) ? 1 : 2]));
}

/** "2 of 4 ranked", or for best-only "Best: Response B" / "No best response picked yet". */
export function describeProgressFor(state: RankingState, scale: RankScale): string {
  if (scale === "full") return describeProgress(state);
  const best = bestIds(state);
  return best.length ? `Best: ${best.map((id) => responseLabel(state.shown, id)).join(", ")}` : "No best response picked yet";
}
