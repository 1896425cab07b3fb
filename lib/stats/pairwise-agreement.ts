import { preferenceSign, promptGroups, sharedIds } from "@/lib/stats/types";
import type { RankingsByPrompt } from "@/lib/stats/types";

export type AgreementCount = {
  /** Comparisons where both annotators strictly preferred the same completion. */
  agreements: number;
  /** Comparisons where both annotators expressed a strict preference. */
  comparisons: number;
  /** agreements / comparisons, or null when there was nothing to compare. */
  rate: number | null;
};

export type PairwiseAgreement = {
  overall: AgreementCount;
  perAnnotator: Record<string, AgreementCount>;
  /**
   * (annotator pair × completion pair) cases left out because at least one of
   * the two annotators tied the completions. Reported so a high rate built on
   * few strict comparisons is visible.
   */
  excludedTies: number;
};

type Counter = { agreements: number; comparisons: number };

/**
 * InstructGPT-style inter-annotator agreement: over every pair of annotators
 * who ranked the same prompt and every pair of completions both ranked, the
 * share of cases where they order the pair the same way.
 *
 * Ties: a case counts only when both annotators gave a strict preference.
 * A tie says "no preference", which is neither agreement nor disagreement on
 * order; counting it either way would make the rate depend on how often the
 * interface allows ties. Excluded cases are reported in `excludedTies`.
 *
 * Per annotator: the same rate over the cases that involve that annotator.
 */
export function pairwiseAgreement(rankingsByPrompt: RankingsByPrompt): PairwiseAgreement {
  const groups = promptGroups(rankingsByPrompt);
  const overall: Counter = { agreements: 0, comparisons: 0 };
  const per = new Map<string, Counter>();
  let excludedTies = 0;
  const bump = (id: string, agree: boolean) => {
    const c = per.get(id) ?? { agreements: 0, comparisons: 0 };
    c.comparisons += 1;
    if (agree) c.agreements += 1;
    per.set(id, c);
  };
  for (const group of groups) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        const a = group[x]!;
        const b = group[y]!;
        if (a.annotatorId === b.annotatorId) continue;
        const ids = sharedIds(a.ranks, b.ranks);
        for (let i = 0; i < ids.length; i++) {
          for (let j = i + 1; j < ids.length; j++) {
            const sa = preferenceSign(a.ranks[ids[i]!]!, a.ranks[ids[j]!]!);
            const sb = preferenceSign(b.ranks[ids[i]!]!, b.ranks[ids[j]!]!);
            if (sa === 0 || sb === 0) {
              excludedTies += 1;
              continue;
            }
            const agree = sa === sb;
            overall.comparisons += 1;
            if (agree) overall.agreements += 1;
            bump(a.annotatorId, agree);
            bump(b.annotatorId, agree);
          }
        }
      }
    }
  }
  const perAnnotator: Record<string, AgreementCount> = {};
  for (const id of [...per.keys()].sort()) perAnnotator[id] = withRate(per.get(id)!);
  return { overall: withRate(overall), perAnnotator, excludedTies };
}

function withRate(c: Counter): AgreementCount {
  return { ...c, rate: c.comparisons === 0 ? null : c.agreements / c.comparisons };
}
