/**
 * Supervised fine-tuning data from the rankings: (prompt, best response) in
 * TRL's conversational prompt-completion shape, which SFTTrainer trains on the
 * completion only:
 *   {"prompt": [{"role": "user", "content": …}, …], "completion": [{"role": "assistant", "content": best}]}
 * The best response of a ranking is its rank-1 completion — an annotator's
 * rewrite when they ranked it first. A ranking whose rank 1 holds different
 * texts ("all equally good", "all are bad") names no single best and gives no
 * line; identical texts tied at rank 1 are one best. Annotators who picked the
 * same best text for a prompt give one line. Filters, the split and
 * `excludeFlagged` apply as for every format; pairing options do not.
 */
import type { RankingFormat } from "@/lib/datasets/format";
import { JSONL_FILE } from "@/lib/datasets/formats/lines";
import type { AnyIterable, RawRankingRow } from "@/lib/datasets/types";

/** The text of the ranking's single best response, or undefined when rank 1 is a tie of different texts. */
export function bestResponse(row: RawRankingRow): string | undefined {
  if (!row.completions) throw new RangeError(`ranking of prompt "${row.promptId}" has no completion texts; SFT needs them`);
  const top = Math.min(...Object.values(row.ranks));
  const texts = Object.keys(row.ranks).filter((id) => row.ranks[id] === top).map((id) => row.completions![id]);
  if (texts.some((t) => t === undefined)) throw new RangeError(`a best completion of prompt "${row.promptId}" has no text`);
  return new Set(texts.map((t) => t!.trim())).size === 1 ? texts[0] : undefined;
}

export function sftLine(row: RawRankingRow, best: string): string {
  if (!row.prompt) throw new RangeError(`ranking of prompt "${row.promptId}" has no prompt; SFT needs it`);
  return JSON.stringify({ prompt: row.prompt.map(({ role, content }) => ({ role, content })), completion: [{ role: "assistant", content: best }] });
}

/** Rows arrive grouped by prompt (exportRankings streams one prompt's rankings together), so duplicates are dropped per prompt. */
export async function* writeSft(rows: AnyIterable<RawRankingRow>): AsyncGenerator<string> {
  let prompt: string | undefined;
  let written = new Set<string>();
  for await (const row of rows) {
    if (row.promptId !== prompt) {
      prompt = row.promptId;
      written = new Set();
    }
    const best = bestResponse(row);
    if (best === undefined || written.has(best.trim())) continue;
    written.add(best.trim());
    yield `${sftLine(row, best)}\n`;
  }
}

export const sftFormat: RankingFormat<"sft"> = {
  id: "sft",
  label: "SFT (prompt, best response)",
  ...JSONL_FILE,
  card:
    'SFT data in TRL\'s conversational prompt-completion shape: `{"prompt": [messages], "completion": [{"role": "assistant", "content"}]}`, ' +
    "one line per distinct best (rank 1) response of a prompt, annotators' rewrites included; a ranking whose rank 1 ties different texts gives none",
  rows: "rankings",
  write: writeSft,
};
