/**
 * An import file as numbered lines, with progress: the one reading path of
 * the validation pass and the import pass (CLI, import job, upload route).
 */
import { readLines, type SourceLine } from "@/lib/datasets/read-lines";
import { detectFormat } from "@/lib/datasets/import-records";
import type { ImportableFormat } from "@/lib/datasets/format";
import { IMPORT_FORMATS, type FormatId } from "@/lib/datasets/registry";
import { badRequest } from "@/lib/errors";
import { openImportSource } from "./source";

/** Longest line read, in bytes; a longer one is a bad line (and memory stays bounded). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export type ImportProgress = { lines: number; bytesRead: number; size: number };
export type ImportFormatChoice = ImportableFormat<FormatId>;

export type ReadOptions = {
  file: string;
  maxBytes: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
};

/** How often progress is reported while reading. */
const PROGRESS_EVERY_MS = 500;

/** The file's lines; `lines()` counts them (blank ones included), progress is reported as they are read. */
export async function openImportLines(opts: ReadOptions): Promise<{ lines: AsyncGenerator<SourceLine>; count: () => number; size: number }> {
  const source = await openImportSource(opts.file, { maxBytes: opts.maxBytes });
  let count = 0;
  let last = 0;
  const report = () => opts.onProgress?.({ lines: count, bytesRead: source.bytesRead(), size: source.size });
  async function* lines(): AsyncGenerator<SourceLine> {
    for await (const line of readLines(source.chunks, { maxLineBytes: MAX_LINE_BYTES })) {
      count = line.n;
      if (Date.now() - last >= PROGRESS_EVERY_MS) {
        opts.signal?.throwIfAborted();
        last = Date.now();
        report();
      }
      yield line;
    }
    report();
  }
  return { lines: lines(), count: () => count, size: source.size };
}

/**
 * The format to read the file with: the one asked for, or the one that reads
 * its first non-blank line ("auto"). Lines are peeked, not consumed: the
 * returned stream starts at line 1.
 */
export async function resolveFormat(lines: AsyncGenerator<SourceLine>, asked: ImportFormatChoice | "auto"): Promise<{ format: ImportFormatChoice; lines: AsyncGenerator<SourceLine> }> {
  if (asked !== "auto") return { format: asked, lines };
  const peeked: SourceLine[] = [];
  let format: ImportFormatChoice | undefined;
  for (;;) {
    const next = await lines.next();
    if (next.done) throw badRequest("the file holds no records");
    peeked.push(next.value);
    if ("error" in next.value || next.value.text.trim() === "") continue;
    format = detectFormat(IMPORT_FORMATS, next.value.text);
    if (!format) throw badRequest(`line ${next.value.n}: not a record of any importable format (${IMPORT_FORMATS.map((f) => f.id).join(", ")}); choose the format`, { line: next.value.n });
    break;
  }
  async function* replay(): AsyncGenerator<SourceLine> {
    yield* peeked;
    yield* lines;
  }
  return { format, lines: replay() };
}
