/**
 * Line-by-line parsing of uploaded files. Uploads are a trust boundary, so
 * every line is validated, and a bad line stops the import with its 1-based
 * line number so the user can find it.
 */
import { badRequest } from "@/lib/errors";
import type { AppError } from "@/lib/errors";
import type { z } from "zod";
import type { AnyIterable } from "@/lib/datasets/types";

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
