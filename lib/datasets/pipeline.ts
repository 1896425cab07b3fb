/**
 * The export pipeline in order: filter rankings → reliability (drop or
 * weight by annotator) → pseudonymise → pair → agreement threshold → split. Streams one prompt group at a time.
 */
import { assertOwnRankings, emittedRankings, pairsForPrompt } from "@/lib/datasets/pairs";
import type { PairOptions } from "@/lib/datasets/pairs";
import { pseudonym, pseudonymiseRanking, rankingFilter, splitOf } from "@/lib/datasets/options";
import type { PseudonymOptions, RankingFilters, SplitName, SplitOptions } from "@/lib/datasets/options";
import type { AnyIterable, PreferencePair, PromptGroup, RankingRecord, RawRankingRow } from "@/lib/datasets/types";

/**
 * Annotator reliability (e.g. CrowdBT's η in [0, 1]) by real annotator id.
 * `min` drops the rankings of annotators below it (and of annotators without
 * a score); `weight` sets each ranking's `weight`, which raw-mode pairs carry.
 */
export type ReliabilityOptions = { scores: Readonly<Record<string, number>>; min?: number; weight?: boolean };

export type ExportOptions = PairOptions & {
  filters?: RankingFilters;
  reliability?: ReliabilityOptions;
  /** Drop pairs whose `agreement` is below this share, in [0, 1]. */
  minAgreement?: number;
  /** Replace annotator ids with salted pseudonyms (after filtering by real id). */
  pseudonymise?: PseudonymOptions;
  /** With `only`, keep just one side of the split; without it, every pair passes. */
  split?: SplitOptions & { only?: SplitName };
  /** The project's rubric aspects: columnar pair formats (CSV, Parquet) give each a column per side. */
  aspects?: readonly string[];
};

/**
 * Applies filters, reliability and pseudonymisation to one prompt's
 * rankings, in that order (reliability is keyed by the real annotator id). A
 * ranking filed under another prompt is a caller bug that would pair the
 * wrong texts, so it throws rather than being dropped.
 */
export function prepareGroup(group: PromptGroup, opts: ExportOptions): PromptGroup {
  assertOwnRankings(group);
  const keep = rankingFilter(opts.filters ?? {});
  const pseudo = opts.pseudonymise;
  const rankings = withReliability(group.rankings.filter(keep), opts.reliability).map((r) => (pseudo ? pseudonymiseRanking(r, pseudo) : r));
  const emit = group.emit && pseudo ? group.emit.map((id) => pseudonym(id, pseudo)) : group.emit;
  return { ...group, rankings, ...(emit ? { emit } : {}) };
}

function withReliability(rankings: RankingRecord[], rel: ReliabilityOptions | undefined): RankingRecord[] {
  if (!rel) return rankings;
  const { scores, min } = rel;
  if (min !== undefined && !(min >= 0 && min <= 1)) throw new RangeError(`minReliability must be in [0, 1], got ${min}`);
  const kept = min === undefined ? rankings : rankings.filter((r) => (scores[r.annotatorId] ?? -1) >= min);
  return rel.weight ? kept.map((r) => ({ ...r, weight: scores[r.annotatorId] ?? 0 })) : kept;
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

/**
 * Raw rankings with the same filters, pseudonymisation and split as
 * {@link exportPairs}; pairing options and minAgreement do not apply. With
 * `includeText`, each row carries its prompt and the texts of the completions it ranks, and,
 * when one of them is an annotator's rewrite, who wrote each (`sources`) and what was rewritten (`parents`).
 */
export async function* exportRankings(
  groups: AnyIterable<PromptGroup>,
  opts: ExportOptions & { includeText?: boolean } = {},
): AsyncGenerator<RawRankingRow> {
  for await (const group of groups) {
    if (opts.split?.only !== undefined && splitOf(group.promptId, opts.split) !== opts.split.only) continue;
    for (const r of emittedRankings(prepareGroup(group, opts))) {
      if (!opts.includeText) {
        yield r;
        continue;
      }
      // The texts (and own conversations) of the completions this ranking ranks.
      const pick = <V>(byId: Record<string, V> | undefined): Record<string, V> =>
        Object.fromEntries(Object.keys(r.ranks).flatMap((id) => (byId?.[id] === undefined ? [] : [[id, byId[id]] as const])));
      const contexts = pick(group.contexts);
      yield { ...r, prompt: group.prompt, completions: pick(group.completions), ...(Object.keys(contexts).length ? { contexts } : {}), ...authorship(group, Object.keys(r.ranks).filter((id) => group.completions[id] !== undefined)) };
    }
  }
}

/** `sources` and `parents` of a row whose completions include a human-written one; nothing otherwise. */
function authorship(group: PromptGroup, ids: readonly string[]): Pick<RawRankingRow, "sources" | "parents"> {
  const rewrites = group.rewrites ?? {};
  const human = ids.filter((id) => Object.hasOwn(rewrites, id));
  if (human.length === 0) return {};
  return {
    sources: Object.fromEntries(ids.map((id) => [id, human.includes(id) ? "human" : "model"])),
    parents: Object.fromEntries(human.map((id) => [id, rewrites[id] ?? null])),
  };
}
