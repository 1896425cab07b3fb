/**
 * What the JSON Lines formats share, for writing and for reading. Uploads are
 * a trust boundary, so every line read is validated, and a bad line stops the
 * import with its 1-based line number so the user can find it.
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { AppError } from "@/lib/errors";
import type { AnyIterable, ChatMessage, PairText } from "@/lib/datasets/types";

/** Extension and Content-Type of every JSON Lines format. */
export const JSONL_FILE = { extension: "jsonl", contentType: "application/x-ndjson; charset=utf-8" } as const;

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

/** The reading side of {@link marginField}: a pair carries `margin` only when the line had one. */
export function withMargin(pair: PairText, margin: number | undefined): PairText {
  return margin === undefined ? pair : { ...pair, margin };
}

export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

/** A prompt as a message list: at least one message, the last from the user. */
export const promptMessagesSchema = z
  .array(chatMessageSchema)
  .min(1, "must hold at least one message")
  .refine((m) => m[m.length - 1]?.role === "user", "must end with a user message");

/**
 * A reply is exactly one assistant message; longer continuations do not fit a
 * single completion. Refinements use `?.` because zod still runs them after a
 * failed length check, and an empty array must become a line error, not a crash.
 */
export const assistantReplySchema = z
  .array(chatMessageSchema)
  .length(1, "must be exactly one message")
  .refine((m) => m[0]?.role === "assistant", "must be an assistant message");

/** Splits a stream of text chunks into lines, accepting "\n" and "\r\n"; chunk boundaries may fall anywhere. */
export async function* splitLines(chunks: AnyIterable<string>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of chunks) {
    rest += chunk;
    let nl = rest.indexOf("\n");
    while (nl >= 0) {
      yield stripCr(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
      nl = rest.indexOf("\n");
    }
  }
  if (rest !== "") yield stripCr(rest);
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

/** What a line validator returns: a value, or a message saying what is wrong with the line. */
export type LineResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The error for a bad line; `details.line` carries the number for the UI. */
export function lineError(line: number, message: string): AppError {
  return badRequest(`line ${line}: ${message}`, { line });
}

/**
 * Parses JSONL: each non-blank line is JSON checked by `validate`. Blank
 * lines are skipped (a trailing newline is normal) but still counted, so
 * reported numbers match the file as an editor shows it.
 */
export async function* parseJsonLines<T>(
  lines: AnyIterable<string>,
  validate: (value: unknown) => LineResult<T>,
): AsyncGenerator<T> {
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw lineError(n, `invalid JSON (${(e as Error).message})`);
    }
    const result = validate(json);
    if (!result.ok) throw lineError(n, result.message);
    yield result.value;
  }
}

/** Runs a zod schema and reports its first issue as "path: message". */
export function checkWith<S extends z.ZodType>(schema: S, value: unknown): LineResult<z.infer<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, message: `${path}${issue.message}` };
}
