/**
 * Raw rankings JSONL: one line per submitted ranking with everything the
 * annotator saw and said, for audits and for re-pairing later with other options.
 */
import { writeLines } from "@/lib/datasets/formats/lines";
import type { AnyIterable, ChatMessage, RankingRecord } from "@/lib/datasets/types";

/** A ranking, optionally with the prompt and completion texts it refers to. */
export type RawRankingRow = RankingRecord & {
  prompt?: ChatMessage[];
  completions?: Record<string, string>;
};

/**
 * Groups of completion ids sharing a rank, best rank first, ids sorted; e.g.
 * ranks {a:1, b:2, c:2} → [["b","c"]]. Written next to the ranks so ties are
 * visible without recomputing them.
 */
export function tieGroups(ranks: Record<string, number>): string[][] {
  const byRank = new Map<number, string[]>();
  for (const [id, r] of Object.entries(ranks)) byRank.set(r, [...(byRank.get(r) ?? []), id]);
  return [...byRank.entries()]
    .filter(([, ids]) => ids.length > 1)
    .sort(([p], [q]) => p - q)
    .map(([, ids]) => ids.sort());
}

/** Fixed key order and absent optional fields left out, so equal rows give equal bytes. */
export function rawRankingLine(row: RawRankingRow): string {
  const optional = <K extends keyof RawRankingRow>(key: K) => (row[key] === undefined ? {} : { [key]: row[key] });
  return JSON.stringify({
    promptId: row.promptId,
    annotatorId: row.annotatorId,
    ...optional("createdAt"),
    ...optional("shownOrder"),
    ranks: row.ranks,
    ties: tieGroups(row.ranks),
    ...optional("ratings"),
    ...optional("flags"),
    ...optional("rationale"),
    ...optional("timeSpentMs"),
    ...optional("prompt"),
    ...optional("completions"),
  });
}

export function writeRawRankings(rows: AnyIterable<RawRankingRow>): AsyncGenerator<string> {
  return writeLines(rows, rawRankingLine);
}
