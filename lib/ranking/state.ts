/**
 * Pure ranking state: an ordered list of tiers (best first); a tier with several ids is a tie.
 * Completions the annotator has not placed yet sit in `unranked`, in the order they are shown.
 *
 * Tiers may contain empty placeholders ("gaps") created by `setRank`: pressing 3 on one response
 * and then 1 on another must not renumber the first, so its slot is kept until a structural edit
 * (move, tie, drag) compacts the list. `toRanks` always returns dense ranks.
 */

export interface RankingState {
  /**
   * Every completion id in the order shown: the server's (identical ones once), then the
   * annotator's rewrites in the order they were written. Only adding or removing a rewrite changes it.
   */
  readonly shown: readonly string[];
  readonly tiers: readonly (readonly string[])[];
  readonly unranked: readonly string[];
}

export type RankingAction =
  | { type: "moveUp"; id: string }
  | { type: "moveDown"; id: string }
  | { type: "moveTo"; id: string; index: number }
  | { type: "setRank"; id: string; rank: number }
  | { type: "clearRank"; id: string }
  | { type: "tieWithPrevious"; id: string }
  | { type: "untie"; id: string }
  | { type: "allEqual" }
  | { type: "reset" };

type Location = { kind: "tier"; tier: number } | { kind: "unranked"; index: number };

export function initialRanking(shown: readonly string[]): RankingState {
  return { shown: [...shown], tiers: [], unranked: [...shown] };
}

function locate(state: RankingState, id: string): Location | null {
  const tier = state.tiers.findIndex((t) => t.includes(id));
  if (tier >= 0) return { kind: "tier", tier };
  const index = state.unranked.indexOf(id);
  return index >= 0 ? { kind: "unranked", index } : null;
}

function trimTrailingGaps(tiers: (readonly string[])[]): (readonly string[])[] {
  let end = tiers.length;
  while (end > 0 && tiers[end - 1].length === 0) end--;
  return tiers.slice(0, end);
}

/** Takes `id` out of the state, leaving its slot as a gap so other rank numbers stay put. */
function without(state: RankingState, id: string): RankingState {
  const tiers = trimTrailingGaps(state.tiers.map((t) => t.filter((x) => x !== id)));
  return { ...state, tiers, unranked: state.unranked.filter((x) => x !== id) };
}

/** Drops the gaps: used before every structural edit so "the tier above" is well defined. */
export function compact(state: RankingState): RankingState {
  return { ...state, tiers: state.tiers.filter((t) => t.length > 0) };
}

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  return [...list.slice(0, index), item, ...list.slice(index)];
}

function swap<T>(list: readonly T[], a: number, b: number): T[] {
  const copy = [...list];
  [copy[a], copy[b]] = [copy[b], copy[a]];
  return copy;
}

function assertKnown(state: RankingState, id: string): void {
  if (!state.shown.includes(id)) throw new RangeError(`unknown completion id ${JSON.stringify(id)}`);
}

/** Ids in the order they appear on screen: ranked tiers first, then the unranked ones. */
export function flatOrder(state: RankingState): string[] {
  return [...state.tiers.flat(), ...state.unranked];
}

export function rankedCount(state: RankingState): number {
  return state.tiers.reduce((n, t) => n + t.length, 0);
}

export function isComplete(state: RankingState): boolean {
  return state.shown.length > 0 && state.unranked.length === 0;
}

/** The number shown on the card's badge (its slot, gaps included), or null when unranked. */
export function rankOf(state: RankingState, id: string): number | null {
  const at = locate(state, id);
  return at?.kind === "tier" ? at.tier + 1 : null;
}

/** The other ids sharing `id`'s tier. */
export function tiedWith(state: RankingState, id: string): string[] {
  const at = locate(state, id);
  return at?.kind === "tier" ? state.tiers[at.tier].filter((x) => x !== id) : [];
}

/** Dense ranks, 1 = best, equal numbers for ties (1,1,2,3…); gaps are skipped. */
export function toRanks(tiers: readonly (readonly string[])[]): Record<string, number> {
  const ranks: Record<string, number> = {};
  let rank = 0;
  for (const tier of tiers) {
    if (tier.length === 0) continue;
    rank++;
    for (const id of tier) ranks[id] = rank;
  }
  return ranks;
}

/** Puts `id` in slot `rank` (1-based); anyone already there becomes tied with it. */
export function setRank(state: RankingState, id: string, rank: number): RankingState {
  assertKnown(state, id);
  if (!Number.isInteger(rank) || rank < 1 || rank > state.shown.length) {
    throw new RangeError(`rank must be an integer in [1, ${state.shown.length}], got ${rank}`);
  }
  const rest = without(state, id);
  const tiers = [...rest.tiers];
  while (tiers.length < rank) tiers.push([]);
  tiers[rank - 1] = [...tiers[rank - 1], id];
  return { ...rest, tiers };
}

/** Sends `id` back to the top of the unranked list, just below the ranked ones where it was. */
export function clearRank(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  if (locate(state, id)?.kind !== "tier") return state;
  const rest = without(state, id);
  return { ...rest, unranked: [id, ...rest.unranked] };
}

/**
 * One step up. A tied id leaves its tie to sit just above it; a lone id swaps with the whole tier
 * above; the first unranked id becomes the new last tier. Returns `state` itself when nothing can
 * move, so callers can tell (and announce) that the key did nothing.
 */
export function moveUp(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  const s = compact(state);
  const at = locate(s, id)!;
  if (at.kind === "unranked") {
    if (at.index > 0) return { ...s, unranked: swap(s.unranked, at.index, at.index - 1) };
    return { ...s, tiers: [...s.tiers, [id]], unranked: s.unranked.slice(1) };
  }
  const tier = s.tiers[at.tier];
  if (tier.length > 1) {
    const tiers = [...s.tiers];
    tiers[at.tier] = tier.filter((x) => x !== id);
    return { ...s, tiers: insertAt(tiers, at.tier, [id]) };
  }
  return at.tier > 0 ? { ...s, tiers: swap(s.tiers, at.tier, at.tier - 1) } : state;
}

/** One step down, mirroring `moveUp`; the last ranked id stays ranked (use `clearRank` for that). */
export function moveDown(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  const s = compact(state);
  const at = locate(s, id)!;
  if (at.kind === "unranked") {
    const last = at.index === s.unranked.length - 1;
    return last ? state : { ...s, unranked: swap(s.unranked, at.index, at.index + 1) };
  }
  const tier = s.tiers[at.tier];
  if (tier.length > 1) return untie(s, id);
  const last = at.tier === s.tiers.length - 1;
  return last ? state : { ...s, tiers: swap(s.tiers, at.tier, at.tier + 1) };
}

/**
 * Drag and drop: `index` is where `id` ends up in `flatOrder` (dnd-kit's arrayMove semantics).
 * Landing strictly inside a tie joins it; landing on a tier boundary makes a new tier; landing
 * past the ranked ones (beyond the last ranked slot) leaves it unranked at that position.
 */
export function moveTo(state: RankingState, id: string, index: number): RankingState {
  assertKnown(state, id);
  const s = compact(without(state, id));
  const ranked = rankedCount(s);
  const i = Math.max(0, Math.min(Math.trunc(index), ranked + s.unranked.length));
  if (i > ranked) return { ...s, unranked: insertAt(s.unranked, i - ranked, id) };
  let pos = 0;
  for (let t = 0; t < s.tiers.length; t++) {
    const tier = s.tiers[t];
    if (i === pos) return { ...s, tiers: insertAt(s.tiers, t, [id]) };
    if (i < pos + tier.length) {
      const tiers = [...s.tiers];
      tiers[t] = insertAt(tier, i - pos, id);
      return { ...s, tiers };
    }
    pos += tier.length;
  }
  return { ...s, tiers: [...s.tiers, [id]] };
}

/** Ties `id` with the tier above it; an unranked id joins the last tier. */
export function tieWithPrevious(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  const s = compact(state);
  const at = locate(s, id)!;
  const target = at.kind === "unranked" ? s.tiers.length - 1 : at.tier - 1;
  if (target < 0) return state;
  const rest = compact(without(s, id));
  // Removing `id` cannot empty the target tier, so its index is unchanged after compaction.
  const tiers = [...rest.tiers];
  tiers[target] = [...tiers[target], id];
  return { ...rest, tiers };
}

/** Takes `id` out of its tie and puts it alone just below the rest of the tie. */
export function untie(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  const s = compact(state);
  const at = locate(s, id)!;
  if (at.kind !== "tier" || s.tiers[at.tier].length < 2) return state;
  const tiers = [...s.tiers];
  tiers[at.tier] = tiers[at.tier].filter((x) => x !== id);
  return { ...s, tiers: insertAt(tiers, at.tier + 1, [id]) };
}

/** "All equally good": one tier holding every completion, in shown order. */
export function allEqual(state: RankingState): RankingState {
  return { shown: state.shown, tiers: [[...state.shown]], unranked: [] };
}

/** A new response (the annotator's rewrite) joins the end of the shown list, unranked. */
export function addShown(state: RankingState, id: string): RankingState {
  if (state.shown.includes(id)) throw new RangeError(`completion id ${JSON.stringify(id)} is already shown`);
  return { shown: [...state.shown, id], tiers: state.tiers, unranked: [...state.unranked, id] };
}

/** A discarded rewrite leaves every list; the ranks of the others close up around it. */
export function removeShown(state: RankingState, id: string): RankingState {
  assertKnown(state, id);
  const rest = compact(without(state, id));
  return { ...rest, shown: state.shown.filter((x) => x !== id) };
}

export function reset(state: RankingState): RankingState {
  return initialRanking(state.shown);
}

export function reduceRanking(state: RankingState, action: RankingAction): RankingState {
  switch (action.type) {
    case "moveUp": return moveUp(state, action.id);
    case "moveDown": return moveDown(state, action.id);
    case "moveTo": return moveTo(state, action.id, action.index);
    case "setRank": return setRank(state, action.id, action.rank);
    case "clearRank": return clearRank(state, action.id);
    case "tieWithPrevious": return tieWithPrevious(state, action.id);
    case "untie": return untie(state, action.id);
    case "allEqual": return allEqual(state);
    case "reset": return reset(state);
  }
}
