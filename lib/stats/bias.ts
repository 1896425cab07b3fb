import { preferenceSign } from "@/lib/stats/types";
import type { Ranks } from "@/lib/stats/types";

/** What the annotator saw: the ranking, the order completions were shown in, and their lengths. */
export type ShownRanking = {
  ranks: Ranks;
  /** Completion ids top to bottom (or left to right) as displayed. */
  shownOrder: readonly string[];
  /** Completion id → length (characters or tokens; only the order matters). */
  lengths: Record<string, number>;
};

export type WinRate = {
  /** Observed share of wins. */
  rate: number | null;
  /** Share expected if the property had no effect on the outcome. */
  expected: number | null;
  /** Number of cases counted. */
  n: number;
};

export type BiasDiagnostics = {
  /** How often the first-shown completion is ranked best, against 1/K by chance. */
  firstShownWins: WinRate;
  /** How often the longest completion is ranked best, against chance. */
  longestWins: WinRate;
  /** Over strictly ordered pairs: how often the one shown earlier wins (0.5 = no position bias). */
  earlierShownPairwise: WinRate;
  /** Over strictly ordered pairs with different lengths: how often the longer one wins. */
  longerPairwise: WinRate;
};

/**
 * Position and length bias. A tie at the top gives each tied completion an
 * equal share of the win (1/t), so ties neither hide nor invent a bias; a
 * length tie for "longest" is handled the same way on the other side.
 */
export function biasDiagnostics(rankings: Iterable<ShownRanking>): BiasDiagnostics {
  const first = new Acc();
  const longest = new Acc();
  const earlier = new Acc();
  const longer = new Acc();
  for (const r of rankings) {
    const ids = r.shownOrder.filter((id) => Object.hasOwn(r.ranks, id));
    if (ids.length < 2) continue;
    const best = Math.min(...ids.map((id) => r.ranks[id]!));
    const winners = ids.filter((id) => r.ranks[id] === best);
    const winShare = (id: string) => (r.ranks[id] === best ? 1 / winners.length : 0);
    first.add(winShare(ids[0]!), 1 / ids.length);
    const maxLen = Math.max(...ids.map((id) => lengthOf(r, id)));
    const longestIds = ids.filter((id) => lengthOf(r, id) === maxLen);
    if (longestIds.length < ids.length) {
      // Expected: chance that a uniformly random winner is among the longest.
      longest.add(
        longestIds.reduce((s, id) => s + winShare(id), 0),
        longestIds.length / ids.length,
      );
    }
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const sign = preferenceSign(r.ranks[ids[i]!]!, r.ranks[ids[j]!]!);
        if (sign === 0) continue;
        earlier.add(sign > 0 ? 1 : 0, 0.5);
        const dl = Math.sign(lengthOf(r, ids[i]!) - lengthOf(r, ids[j]!));
        if (dl !== 0) longer.add(sign === dl ? 1 : 0, 0.5);
      }
    }
  }
  return {
    firstShownWins: first.result(),
    longestWins: longest.result(),
    earlierShownPairwise: earlier.result(),
    longerPairwise: longer.result(),
  };
}

function lengthOf(r: ShownRanking, id: string): number {
  const len = r.lengths[id];
  if (len === undefined || !Number.isFinite(len)) throw new RangeError(`length of completion "${id}" must be a number, got ${len}`);
  return len;
}

class Acc {
  private wins = 0;
  private expected = 0;
  private n = 0;
  add(win: number, expected: number): void {
    this.wins += win;
    this.expected += expected;
    this.n += 1;
  }
  result(): WinRate {
    return this.n === 0
      ? { rate: null, expected: null, n: 0 }
      : { rate: this.wins / this.n, expected: this.expected / this.n, n: this.n };
  }
}
