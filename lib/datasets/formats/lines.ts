/**
 * What the JSON Lines formats share, for writing and for reading. Uploads are
 * a trust boundary, so every line read is validated, and a bad line is
 * reported with its 1-based line number so the user can find it.
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

/** `margin` goes after the format's own fields and only when present, so files without margins stay in the plain format. */
export function marginField(pair: PairText): { margin?: number } {
  return pair.margin === undefined ? {} : { margin: pair.margin };
}

/**
 * A line's fields that the format does not know, kept as the record's
 * `extra` so an export gives them back; undefined when there are none. Read
 * from the parsed JSON itself (zod's copy would drop a "__proto__" field).
 */
export function extraFields(line: unknown, known: readonly string[]): Record<string, unknown> | undefined {
  if (line === null || typeof line !== "object" || Array.isArray(line)) return undefined;
  const extra = Object.entries(line).filter(([k]) => !known.includes(k));
  return extra.length === 0 ? undefined : Object.fromEntries(extra);
}

/**
 * `written` followed by the record's extra fields that it does not already
 * hold (a margin computed for this export wins over an imported one). Built
 * with entries, not assignment, so a field named "__proto__" stays a field.
 */
export function withExtra(written: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extra) return written;
  return Object.fromEntries([...Object.entries(written), ...Object.entries(extra).filter(([k]) => !Object.hasOwn(written, k))]);
}

/**
 * A message as the app stores it. Strict: a message field the app cannot
 * keep (a `name`, `tool_calls`) makes the line invalid rather than being
 * dropped without a word.
 */
export const chatMessageSchema = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

/** What a line validator returns: a value, or a message saying what is wrong with the line. */
export type LineResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The error for a bad line; `details.line` carries the number for the UI. */
export function lineError(line: number, message: string): AppError {
  return badRequest(`line ${line}: ${message}`, { line });
}

/**
 * Parses JSONL: each non-blank line is JSON checked by `validate`. Blank
 * lines are skipped (a trailing newline is normal) but still counted, so
 * reported numbers match the file as an editor shows it. Stops at the first
 * bad line; an import reads records with lib/datasets/import-records.ts,
 * which reports every bad line.
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
