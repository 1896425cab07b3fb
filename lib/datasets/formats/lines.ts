/** Shared pieces of the line-oriented writers. */
import { badRequest } from "@/lib/errors";
import type { AnyIterable, ChatMessage, PairText } from "@/lib/datasets/types";

/** Streams `items` as "\n"-terminated lines, so output can be piped to a file or response as it is produced. */
export async function* writeLines<T>(items: AnyIterable<T>, line: (item: T) => string): AsyncGenerator<string> {
  for await (const item of items) yield `${line(item)}\n`;
}

/**
 * Preference formats have no way to say "no preference": writing a tie as
 * chosen/rejected would teach a reward model a preference nobody expressed.
 */
export function assertNotTie(pair: PairText & { tie?: boolean }, format: string): void {
  if (pair.tie) throw badRequest(`${format} cannot hold ties; export with ties "drop" or use the CSV format`);
}

/** The prompt as plain text, for formats whose prompt is a single string. */
export function singleUserPrompt(prompt: readonly ChatMessage[], format: string): string {
  const only = prompt[0];
  if (prompt.length !== 1 || only?.role !== "user") {
    throw badRequest(
      `${format} holds a prompt as one user message, got ${prompt.length} message(s) starting with ${only?.role ?? "nothing"}; use a conversational format`,
    );
  }
  return only.content;
}

/** `margin` goes last and only when present, so files without margins stay in the plain format. */
export function marginField(pair: PairText): { margin?: number } {
  return pair.margin === undefined ? {} : { margin: pair.margin };
}
