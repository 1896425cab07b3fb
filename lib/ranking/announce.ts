/**
 * Human labels and screen-reader messages. Completions are called "Response A, B, …" by shown
 * position: neutral names that carry no hint of which model wrote them.
 */
import { rankOf, rankedCount, tiedWith, type RankingState } from "./state";

export function responseLabel(shown: readonly string[], id: string): string {
  const i = shown.indexOf(id);
  if (i < 0) return "Response";
  return i < 26 ? `Response ${String.fromCharCode(65 + i)}` : `Response ${i + 1}`;
}

/** "Response B: rank 2, tied with Response A." or "Response B: not ranked." */
export function describePlacement(state: RankingState, id: string): string {
  const label = responseLabel(state.shown, id);
  const rank = rankOf(state, id);
  if (rank === null) return `${label}: not ranked.`;
  const ties = tiedWith(state, id).map((x) => responseLabel(state.shown, x));
  return ties.length > 0 ? `${label}: rank ${rank}, tied with ${ties.join(", ")}.` : `${label}: rank ${rank}.`;
}

export function describeProgress(state: RankingState): string {
  return `${rankedCount(state)} of ${state.shown.length} ranked`;
}

/** The ranking as one line, e.g. "A > B = C > D", for the summary above the submit button. */
export function describeOrder(state: RankingState): string {
  const letter = (id: string) => responseLabel(state.shown, id).replace("Response ", "");
  return state.tiers
    .filter((t) => t.length > 0)
    .map((t) => t.map(letter).join(" = "))
    .join(" > ");
}

/** Long completions start collapsed so K of them fit on a screen; ~12 lines or ~1200 characters. */
export function isLongText(text: string, maxLines = 12, maxChars = 1200): boolean {
  return text.length > maxChars || text.split("\n").length > maxLines;
}
