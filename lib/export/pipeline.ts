/**
 * The export pipeline in order: filter rankings → pseudonymise → pair →
 * agreement threshold → split. Streams one prompt group at a time.
 */
import { pairsForPrompt } from "@/lib/export/pairs";
import type { PairOptions } from "@/lib/export/pairs";
import { pseudonymiseRanking, rankingFilter, splitOf } from "@/lib/export/options";
import type { PseudonymOptions, RankingFilters, SplitName, SplitOptions } from "@/lib/export/options";
import type { AnyIterable, PreferencePair, PromptGroup } from "@/lib/export/types";

export type ExportOptions = PairOptions & {
  filters?: RankingFilters;
  /** Drop pairs whose `agreement` is below this share, in [0, 1]. */
  minAgreement?: number;
  /** Replace annotator ids with salted pseudonyms (after filtering by real id). */
  pseudonymise?: PseudonymOptions;
  /** With `only`, keep just one side of the split; without it, every pair passes. */
  split?: SplitOptions & { only?: SplitName };
};

/** Applies filters and pseudonymisation to one prompt's rankings. */
export function prepareGroup(group: PromptGroup, opts: ExportOptions): PromptGroup {
  const keep = rankingFilter(opts.filters ?? {});
  const pseudo = opts.pseudonymise;
  const rankings = group.rankings.filter(keep).map((r) => (pseudo ? pseudonymiseRanking(r, pseudo) : r));
  return { ...group, rankings };
}

/** Full pipeline for streaming exports; see the module comment for the order. */
export async function* exportPairs(
  groups: AnyIterable<PromptGroup>,
  opts: ExportOptions = {},
): AsyncGenerator<PreferencePair> {
  const min = opts.minAgreement;
  if (min !== undefined && !(min >= 0 && min <= 1)) throw new RangeError(`minAgreement must be in [0, 1], got ${min}`);
  for await (const group of groups) {
    if (opts.split?.only !== undefined && splitOf(group.promptId, opts.split) !== opts.split.only) continue;
    for (const pair of pairsForPrompt(prepareGroup(group, opts), opts)) {
      if (min === undefined || pair.agreement >= min) yield pair;
    }
  }
}
