/**
 * An import file as a stream of bytes: read in 1 MiB chunks, gunzipped when
 * it starts with the gzip magic bytes, and stopped with a clear error once it
 * has inflated past `maxBytes`, so a small gzip that inflates to terabytes
 * (a gzip bomb) costs a bounded amount of time and nothing more.
 */
import fs from "node:fs";
import { pipeline, Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { AppError } from "@/lib/errors";

export type ImportSource = {
  /** The file's bytes, decompressed. */
  chunks: AsyncIterable<Uint8Array>;
  gzip: boolean;
  /** Size of the file on disk (compressed when gzipped). */
  size: number;
  /** Bytes of the file read so far, for progress against `size`. */
  bytesRead(): number;
};

const GZIP_MAGIC = [0x1f, 0x8b];

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}

/** The error for a file that is (or inflates to) more than the limit. */
export function tooLarge(maxBytes: number, gzip: boolean): AppError {
  const what = gzip ? "inflates to" : "is";
  return new AppError("payload_too_large", `the file ${what} more than ${maxBytes} bytes, the import limit (IMPORT_MAX_BYTES, or --max-bytes for studio import)`);
}

/** Counts bytes passing through, and fails the stream past `max` (Infinity: only counts). */
function counter(max: number, onExceed: () => Error): Transform & { count: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      t.count += chunk.byteLength;
      if (t.count > max) return done(onExceed());
      done(null, chunk);
    },
  }) as Transform & { count: number };
  t.count = 0;
  return t;
}

/** Opens `file` for an import; `maxBytes` bounds its decompressed size. */
export async function openImportSource(file: string, { maxBytes }: { maxBytes: number }): Promise<ImportSource> {
  const size = (await fs.promises.stat(file)).size;
  const gzip = await startsWithGzipMagic(file);
  const read = counter(Infinity, () => new Error("unreachable"));
  const inflated = counter(maxBytes, () => tooLarge(maxBytes, gzip));
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  // pipeline() destroys every stream when one fails, and the last one then throws to its reader.
  const out = gzip ? pipeline(raw, read, createGunzip(), inflated, () => undefined) : pipeline(raw, read, inflated, () => undefined);
  return { chunks: out, gzip, size, bytesRead: () => read.count };
}
