/**
 * Bytes of an upload → numbered lines of text, streaming. Lines are split on
 * the byte "\n" (which never occurs inside a UTF-8 sequence) and each line is
 * decoded on its own with a strict decoder, so invalid UTF-8 is an error on
 * its line instead of a silent U+FFFD, and the text of a valid line is
 * exactly its bytes. A line longer than `maxLineBytes` is not held in memory:
 * the rest of it is skipped and the line reported, so a file with no line
 * breaks (a gzip bomb of zeros) cannot grow memory without bound.
 */
import type { AnyIterable } from "@/lib/datasets/types";

/** A line by 1-based number: its text ("\r\n" endings and a leading byte-order mark removed), or why it cannot be read. */
export type SourceLine = { n: number; text: string } | { n: number; error: string };

export type ReadLinesOptions = {
  /** Longest line kept, in bytes. */
  maxLineBytes: number;
};

const NEWLINE = 0x0a;

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export async function* readLines(chunks: AnyIterable<Uint8Array>, opts: ReadLinesOptions): AsyncGenerator<SourceLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let parts: Uint8Array[] = [];
  let length = 0;
  let tooLong = false;
  let n = 0;
  const finish = (): SourceLine => {
    n += 1;
    const bytes = concat(parts, length);
    parts = [];
    length = 0;
    if (tooLong) {
      tooLong = false;
      return { n, error: `longer than ${opts.maxLineBytes} bytes` };
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { n, error: "not valid UTF-8 text" };
    }
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (n === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
    return { n, text };
  };
  const keep = (piece: Uint8Array) => {
    if (tooLong || piece.byteLength === 0) return;
    if (length + piece.byteLength > opts.maxLineBytes) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.byteLength;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      keep(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    // The chunk may be reused by its source once we return: keep a copy of the unfinished line.
    if (start < chunk.byteLength) keep(chunk.slice(start));
  }
  if (length > 0 || tooLong) yield finish();
}
