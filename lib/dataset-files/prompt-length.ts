/**
 * Warns about imported prompts longer than the project model's context,
 * which generation would reject. Only the tokenizer and config.json are read
 * (a Hugging Face folder), so the check costs milliseconds to set up; a .gguf
 * file keeps its tokenizer inside the weights and would be read whole, and a
 * model that is not on this machine (or an `hf:` model not fetched yet) is
 * not read at all: the check is then skipped and the report says why.
 */
import type { ImportItem } from "@/lib/datasets/import-types";
import type { ChatMessage } from "@/lib/datasets/types";
import { openPromptMeter, type PromptMeter } from "@/lib/model-files/prompt-meter";

export type PromptLengthCheck = { meter: PromptMeter; modelId: string };

/** The check for a project's model (the prompt import's meter), or why it is skipped. */
export async function openPromptLengthCheck(modelId: string): Promise<{ check: PromptLengthCheck } | { skipped: string }> {
  const why = (reason: string) => ({ skipped: `Prompt lengths were not checked against model ${modelId}: ${reason}.` });
  try {
    const meter = await openPromptMeter(modelId);
    if (!meter) return why("only a Hugging Face folder on this machine is measured without loading its weights (a .gguf keeps its tokenizer in the weights; an hf: model is fetched when generation first needs it)");
    return { check: { meter, modelId } };
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
    const { meter } = this.check;
    const most = Math.max(0, ...conversations(item).map((c) => meter.count(c)));
    if (most <= meter.context) return;
    this.count++;
    this.longest = Math.max(this.longest, most);
    if (this.lines.length < 20) this.lines.push(line);
  }

  warnings(): string[] {
    const rest = this.unchecked > 0 ? ` The first ${CHECKED_RECORDS} records were checked; ${this.unchecked} more were not.` : "";
    if (this.count === 0) return rest ? [rest.trim()] : [];
    const more = this.count > this.lines.length ? `, …` : "";
    return [
      `${this.count} record(s) have a prompt longer than the ${this.check.meter.context}-token context of model ${this.check.modelId} (longest ${this.longest} tokens; lines ${this.lines.join(", ")}${more}). ` +
        `They are imported as they are; generating new completions for them would fail.${rest}`,
    ];
  }
}
