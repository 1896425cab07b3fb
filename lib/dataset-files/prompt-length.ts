/**
 * Warns about imported prompts longer than the project model's context,
 * which generation would reject. Only the tokenizer and config.json are read
 * (a Hugging Face folder), so the check costs milliseconds to set up; a .gguf
 * file keeps its tokenizer inside the weights and would be read whole, and a
 * model that is not on this machine (or an `hf:` model not fetched yet) is
 * not read at all: the check is then skipped and the report says why.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { configFromHf } from "@/lib/engine/models/config";
import { promptIds, tokenizerFromJson, type Tokenizer } from "@/lib/engine/tokenizer";
import type { ImportItem } from "@/lib/datasets/import-types";
import type { ChatMessage } from "@/lib/datasets/types";
import { isHubModelId } from "@/lib/hub/model-id";
import { resolveModelPath } from "@/lib/model-files/model-path";
import { readJson } from "@/lib/model-files/load";

export type PromptLengthCheck = { tokenizer: Tokenizer; contextLength: number; modelId: string };

/** The check for a project's model, or why it is skipped. */
export async function openPromptLengthCheck(modelId: string): Promise<{ check: PromptLengthCheck } | { skipped: string }> {
  const dir = resolveModelPath(modelId);
  const why = (reason: string) => ({ skipped: `Prompt lengths were not checked against model ${modelId}: ${reason}.` });
  if (isHubModelId(dir)) return why("a Hub model is fetched only when generation first needs it, not to count tokens");
  if (!existsSync(dir)) return why("it is not on this machine");
  if (!statSync(dir).isDirectory()) return why("a .gguf file keeps its tokenizer inside the weights, which would have to be read whole");
  const tokenizerFile = path.join(dir, "tokenizer.json");
  if (!existsSync(tokenizerFile)) return why("its folder has no tokenizer.json");
  try {
    const config = configFromHf(await readJson(path.join(dir, "config.json")), path.join(dir, "config.json"));
    const tokConfigFile = path.join(dir, "tokenizer_config.json");
    const tokenizer = tokenizerFromJson(await readJson(tokenizerFile), existsSync(tokConfigFile) ? await readJson(tokConfigFile) : undefined, tokenizerFile);
    return { check: { tokenizer, contextLength: config.maxSeqLen, modelId } };
  } catch (err) {
    return why(`its tokenizer could not be read (${(err as Error).message})`);
  }
}

/** The conversations of a record that generation would prefill: the prompt and each side's own. */
function conversations(item: ImportItem): ChatMessage[][] {
  if (item.kind === "pair") return [item.pair.prompt, ...(item.pair.chosenContext ? [item.pair.chosenContext] : []), ...(item.pair.rejectedContext ? [item.pair.rejectedContext] : [])];
  return [...(item.row.prompt ? [item.row.prompt] : []), ...Object.values(item.row.contexts ?? {})];
}

/**
 * Tokenizing is the costly part of reading a file (a few MB/s), so only the
 * first records are checked; the warning says when the file had more.
 */
export const CHECKED_RECORDS = 20_000;

/** Counts records with a conversation longer than the context, keeping the first line numbers. */
export class LongPromptWarnings {
  private count = 0;
  private checked = 0;
  private unchecked = 0;
  private readonly lines: number[] = [];
  private longest = 0;
  constructor(private readonly check: PromptLengthCheck) {}

  add(line: number, item: ImportItem): void {
    if (this.checked >= CHECKED_RECORDS) return void this.unchecked++;
    this.checked++;
    const { tokenizer, contextLength } = this.check;
    const most = Math.max(0, ...conversations(item).map((c) => promptIds(tokenizer, c).length));
    if (most <= contextLength) return;
    this.count++;
    this.longest = Math.max(this.longest, most);
    if (this.lines.length < 20) this.lines.push(line);
  }

  warnings(): string[] {
    const rest = this.unchecked > 0 ? ` The first ${CHECKED_RECORDS} records were checked; ${this.unchecked} more were not.` : "";
    if (this.count === 0) return rest ? [rest.trim()] : [];
    const more = this.count > this.lines.length ? `, …` : "";
    return [
      `${this.count} record(s) have a prompt longer than the ${this.check.contextLength}-token context of model ${this.check.modelId} (longest ${this.longest} tokens; lines ${this.lines.join(", ")}${more}). ` +
        `They are imported as they are; generating new completions for them would fail.${rest}`,
    ];
  }
}
