/**
 * Downloads of a trained version, streamed from disk: its Hugging Face folder
 * as an uncompressed tar (safetensors do not compress), or its GGUF file.
 * Nothing is read into memory whole, so a multi-gigabyte model streams in
 * constant memory, with a Content-Length known up front.
 */
import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { ModelVersionRow } from "@/db/queries/model-versions";
import { tarEnd, tarHeader, tarLength, tarPadding } from "@/lib/models/tar";
import { VERSION_GGUF_FILE, VERSION_HF_DIR, versionDir } from "./version-store";

export interface VersionDownload {
  stream: ReadableStream<Uint8Array>;
  length: number;
  fileName: string;
  contentType: string;
}

/** An async iterator as a web stream that reads ahead only when the client does (and stops the reads if it goes away). */
function streamOf(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** A file's bytes, refusing one whose size changed since it was listed (the archive's headers promised that size). */
async function* fileChunks(file: string, size: number): AsyncGenerator<Uint8Array> {
  let read = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    read += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (read !== size) throw new Error(`${path.basename(file)} changed size while it was being sent`);
}

async function* tarChunks(dir: string, folder: string, entries: { name: string; size: number; mtime: number }[]): AsyncGenerator<Uint8Array> {
  for (const e of entries) {
    yield tarHeader(`${folder}/${e.name}`, e.size, e.mtime);
    yield* fileChunks(path.join(dir, e.name), e.size);
    const pad = tarPadding(e.size);
    if (pad) yield new Uint8Array(pad);
  }
  yield tarEnd();
}

/** The version's HF folder as `<name>.tar` holding `<name>/config.json`, …; regular files only. */
export async function versionTar(version: ModelVersionRow): Promise<VersionDownload> {
  const dir = path.join(versionDir(version), VERSION_HF_DIR);
  const entries = [];
  for (const name of (await readdir(dir)).sort()) {
    const s = await lstat(path.join(dir, name));
    if (s.isFile()) entries.push({ name, size: s.size, mtime: s.mtimeMs / 1000 });
  }
  return {
    stream: streamOf(tarChunks(dir, version.name, entries)),
    length: tarLength(entries.map((e) => e.size)),
    fileName: `${version.name}.tar`,
    contentType: "application/x-tar",
  };
}

/** The version's GGUF file as `<name>.gguf`. */
export async function versionGguf(version: ModelVersionRow): Promise<VersionDownload> {
  const file = path.join(versionDir(version), VERSION_GGUF_FILE);
  const { size } = await lstat(file);
  return { stream: streamOf(fileChunks(file, size)), length: size, fileName: `${version.name}.gguf`, contentType: "application/octet-stream" };
}
