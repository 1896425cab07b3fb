/**
 * The figures a dataset card reports, computed from the same prompt groups
 * the export reads, so the card describes exactly the exported rankings.
 */
import { krippendorffAlpha, reliabilityDataFromRankings } from "@/lib/stats/krippendorff";
import { pairwiseAgreement } from "@/lib/stats/pairwise-agreement";
import type { DatasetCardStats } from "@/lib/datasets/dataset-card";
import type { PromptGroup } from "@/lib/datasets/types";

/** Everything in {@link DatasetCardStats} except the split sizes, which only the writer knows. */
export type RankingSummary = Omit<DatasetCardStats, "splits">;

/** Counts and agreement over prompt groups (already filtered, e.g. with prepareGroup). */
export function summariseRankings(groups: Iterable<PromptGroup>): RankingSummary {
  const list = [...groups];
  const rankings = list.flatMap((g) => g.rankings);
  return {
    prompts: list.filter((g) => g.rankings.length > 0).length,
    rankings: rankings.length,
    annotators: new Set(rankings.map((r) => r.annotatorId)).size,
    humanCompletions: list.reduce((n, g) => n + Object.keys(g.rewrites ?? {}).filter((id) => g.rankings.some((r) => Object.hasOwn(r.ranks, id))).length, 0),
    pairwiseAgreement: pairwiseAgreement(list.map((g) => g.rankings)).overall.rate,
    // Ranks are ordinal: rank 1 vs 2 is a smaller disagreement than 1 vs 3.
    krippendorffAlpha: { level: "ordinal", value: krippendorffAlpha(reliabilityDataFromRankings(rankings), "ordinal") },
  };
}
