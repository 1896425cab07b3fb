/**
 * Files uploaded on the import page wait in IMPORT_DIR until their import
 * (a job, for large files) has read them. Written as they arrive, never held
 * in memory, and stopped at the upload limit.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

export const uploadDir = (): string => path.resolve(env().IMPORT_DIR);

/** Saves a request body to a new file in the upload folder; refuses (and deletes) one larger than `maxBytes`. */
export async function saveUpload(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<{ file: string; bytes: number }> {
  fs.mkdirSync(uploadDir(), { recursive: true });
  const file = path.join(uploadDir(), `${crypto.randomUUID()}.upload`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) return done(new AppError("payload_too_large", `file: larger than ${maxBytes} bytes, the upload limit (IMPORT_MAX_UPLOAD_BYTES)`));
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), limit, fs.createWriteStream(file, { flags: "wx" }));
  } catch (err) {
    removeUpload(file);
    throw err;
  }
  return { file, bytes };
}

/** Deletes an upload; only files inside the upload folder are touched. */
export function removeUpload(file: string | null | undefined): void {
  if (!file || path.dirname(path.resolve(file)) !== uploadDir()) return;
  fs.rmSync(file, { force: true });
}
