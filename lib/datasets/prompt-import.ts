/**
 * Parses an uploaded prompt file — JSONL, CSV or plain text — line by line.
 * Every bad line is reported with its 1-based number; the caller stores
 * nothing unless the whole file parsed.
 */
import { z } from "zod";
import { languageSchema, splitList, tagListSchema } from "@/lib/queue/targeting";

export const MAX_PROMPT_CHARS = 20_000;
export const MAX_COMPLETION_CHARS = 50_000;

const messageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string().max(MAX_PROMPT_CHARS) });
const completionsSchema = z
  .array(z.string().trim().min(1, "empty completion").max(MAX_COMPLETION_CHARS))
  .min(2, "give at least 2 completions")
  .max(9, "give at most 9 completions");

const jsonlRecordSchema = z
  .object({
    prompt: z.string().trim().min(1, "empty prompt").max(MAX_PROMPT_CHARS, `prompt longer than ${MAX_PROMPT_CHARS} characters`).optional(),
    messages: z.array(messageSchema).min(1).max(100).optional(),
    completions: completionsSchema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    verifier_id: z.string().max(100).optional(),
    /** For targeting: only members allowed one of these tags / this language are handed the prompt. */
    tags: tagListSchema.optional(),
    language: languageSchema.optional(),
  })
  .refine((r) => (r.prompt === undefined) !== (r.messages === undefined), "give exactly one of prompt or messages");

/** The prompt file formats the prompts route accepts (its zod schema reads this list). */
export const PROMPT_FILE_FORMATS = ["jsonl", "csv", "text"] as const;
export type PromptFileFormat = (typeof PROMPT_FILE_FORMATS)[number];

export interface ParsedPrompt {
  text?: string;
  messages?: { role: string; content: string }[];
  completions?: string[];
  metadata?: Record<string, unknown>;
  verifierId?: string;
  tags?: string[];
  language?: string;
  line: number;
}

export interface ParseResult {
  prompts: ParsedPrompt[];
  errors: { line: number; message: string }[];
}

export function parsePromptFile(content: string, format: PromptFileFormat): ParseResult {
  if (format === "csv") return parseCsv(content);
  const result: ParseResult = { prompts: [], errors: [] };
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    if (format === "text") {
      if (raw.length > MAX_PROMPT_CHARS) result.errors.push({ line, message: `prompt longer than ${MAX_PROMPT_CHARS} characters` });
      else result.prompts.push({ text: raw.trim(), line });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      result.errors.push({ line, message: "not valid JSON" });
      return;
    }
    const parsed = jsonlRecordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      result.errors.push({ line, message: `${issue.path.join(".") || "record"}: ${issue.message}` });
      return;
    }
    const r = parsed.data;
    result.prompts.push({ text: r.prompt, messages: r.messages, completions: r.completions, metadata: r.metadata, verifierId: r.verifier_id, tags: r.tags, language: r.language, line });
  });
  return result;
}

/** RFC 4180 rows (quoted fields, doubled quotes, newlines inside quotes), each with the line it starts on. */
export function csvRows(content: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < content.length; i++) {
    const ch = content[i];
    if (quoted) {
      if (ch === '"' && content[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && content[i + 1] === "\n") i++;
      cells.push(cell);
      if (cells.some((c) => c !== "")) rows.push({ line: rowLine, cells });
      cells = [];
      cell = "";
      rowLine = ++line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c !== "")) rows.push({ line: rowLine, cells });
  return rows;
}

function parseCsv(content: string): ParseResult {
  const result: ParseResult = { prompts: [], errors: [] };
  const [header, ...rows] = csvRows(content.replace(/^\uFEFF/, ""));
  if (!header) return result;
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const promptCol = names.indexOf("prompt");
  if (promptCol < 0) return { prompts: [], errors: [{ line: header.line, message: 'header: needs a "prompt" column' }] };
  const completionCols = names.map((n, i) => (/^completion/.test(n) ? i : -1)).filter((i) => i >= 0);
  const targeting = csvTargeting(names);
  for (const row of rows) {
    const text = (row.cells[promptCol] ?? "").trim();
    if (!text) result.errors.push({ line: row.line, message: "prompt: empty prompt" });
    else if (text.length > MAX_PROMPT_CHARS) result.errors.push({ line: row.line, message: `prompt longer than ${MAX_PROMPT_CHARS} characters` });
    else {
      const completions = completionCols.map((i) => (row.cells[i] ?? "").trim()).filter((c) => c !== "");
      const target = targeting(row.cells);
      if (completions.length === 1) result.errors.push({ line: row.line, message: "completions: give at least 2 completions" });
      else if ("error" in target) result.errors.push({ line: row.line, message: target.error });
      else result.prompts.push({ text, completions: completions.length ? completions : undefined, ...target, line: row.line });
    }
  }
  return result;
}

/** Reads the optional `tags` (separated by ";" or ",") and `language` columns of a CSV row. */
function csvTargeting(names: string[]): (cells: string[]) => { tags?: string[]; language?: string } | { error: string } {
  const tagsCol = names.indexOf("tags");
  const languageCol = names.indexOf("language");
  return (cells) => {
    const out: { tags?: string[]; language?: string } = {};
    const tagCell = tagsCol >= 0 ? (cells[tagsCol] ?? "").trim() : "";
    if (tagCell) {
      const tags = tagListSchema.safeParse(splitList(tagCell));
      if (!tags.success) return { error: `tags: ${tags.error.issues[0].message}` };
      out.tags = tags.data;
    }
    const languageCell = languageCol >= 0 ? (cells[languageCol] ?? "").trim() : "";
    if (languageCell) {
      const language = languageSchema.safeParse(languageCell);
      if (!language.success) return { error: `language: ${language.error.issues[0].message}` };
      out.language = language.data;
    }
    return out;
  };
}
