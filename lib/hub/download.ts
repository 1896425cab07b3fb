/**
 * Downloads one blob into the cache the way huggingface_hub does: bytes go to
 * blobs/<etag>.incomplete, an interrupted download resumes with a Range
 * request, and only a file whose digest equals its ETag (sha256 for LFS
 * files, git's blob sha1 for small ones) is renamed to blobs/<etag>.
 * A corrupt or overlong .incomplete is deleted; a cut-off one is kept for the
 * next resume (it is a prefix of the blob the server was sending).
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { HubError } from "./errors";
import { hubFetchFollowing, hubStatusError, describeNetworkError, type RequestContext } from "./http";
import { sleep, withFileLock } from "./lock";
import type { HubSettings } from "./settings";

export interface BlobDownload {
  /** Where to GET the bytes (the CDN Location of an LFS file, else its resolve URL). */
  url: string;
  /** blobs/<etag> */
  blob: string;
  etag: string;
  /** LFS files are checked by sha256, git files by their blob sha1. */
  lfs: boolean;
  size: number;
}

interface Progress {
  offset: number;
  digest: Hash;
}

function newDigest(dl: BlobDownload): Hash {
  if (dl.lfs) return createHash("sha256");
  // A git blob id is sha1("blob <size>\0" + content).
  return createHash("sha1").update(`blob ${dl.size}\0`);
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function hashPrefix(file: string, digest: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
}

const diskFull = (ctx: RequestContext, dl: BlobDownload) =>
  new HubError("disk_full", `${ctx.label}: ${ctx.file}: the disk is full while writing ${dl.size} bytes into ${path.dirname(path.dirname(dl.blob))}; the partial file was deleted. Free space (or point HF_HUB_CACHE elsewhere) and retry`);

async function writeChunk(fh: FileHandle, chunk: Uint8Array, ctx: RequestContext, dl: BlobDownload): Promise<void> {
  try {
    let written = 0;
    while (written < chunk.length) written += (await fh.write(chunk, written, chunk.length - written)).bytesWritten;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOSPC") throw diskFull(ctx, dl);
    throw e;
  }
}

/** Starts a GET at `p.offset`; returns the response whose body continues the file, resetting `p` when the server ignores the range. */
async function openBody(settings: HubSettings, dl: BlobDownload, ctx: RequestContext, p: Progress, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = p.offset > 0 ? { range: `bytes=${p.offset}-` } : {};
  const { response } = await hubFetchFollowing(settings, dl.url, { method: "GET", headers, signal }, ctx, "follow");
  const start = Number(/^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "")?.[1] ?? NaN);
  if (response.status === 206 && start === p.offset) return response;
  if (response.status === 200) {
    // No range support on this hop: the body is the whole file, so start over.
    p.offset = 0;
    p.digest = newDigest(dl);
    return response;
  }
  await response.body?.cancel();
  if (response.status === 206 || response.status === 416) {
    // The server's idea of the bytes does not match our partial file: drop it.
    await rm(`${dl.blob}.incomplete`, { force: true });
    p.offset = 0;
    p.digest = newDigest(dl);
    throw new HubError("network", `${ctx.label}: ${ctx.file}: the server refused to resume (HTTP ${response.status}); starting over`);
  }
  throw hubStatusError(settings, response, ctx);
}

/** One GET: appends what arrives to the .incomplete file until the body ends, the connection drops or stalls. */
async function fetchInto(settings: HubSettings, dl: BlobDownload, ctx: RequestContext, p: Progress, onBytes: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const stall = new AbortController();
  let timer = setTimeout(() => stall.abort(), settings.stallMs);
  const both = signal ? AbortSignal.any([signal, stall.signal]) : stall.signal;
  let fh: FileHandle | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const response = await openBody(settings, dl, ctx, p, both);
    fh = await open(`${dl.blob}.incomplete`, p.offset === 0 ? "w" : "a");
    reader = response.body?.getReader();
    while (reader) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), settings.stallMs);
      if (p.offset + chunk.length > dl.size) throw new HubError("integrity", `${ctx.label}: ${ctx.file}: the server sent more than the ${dl.size} bytes the Hub lists`);
      await writeChunk(fh, chunk, ctx, dl);
      p.digest.update(chunk);
      p.offset += chunk.length;
      onBytes(p.offset);
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (e instanceof HubError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOSPC") throw diskFull(ctx, dl);
    const why = stall.signal.aborted ? `no data for ${settings.stallMs / 1000} s` : describeNetworkError(e);
    throw new HubError("network", `${ctx.label}: ${ctx.file}: connection lost at byte ${p.offset} of ${dl.size} (${why})`);
  } finally {
    clearTimeout(timer);
    await reader?.cancel().catch(() => undefined); // frees the connection when we stop early
    await fh?.close();
  }
}

/** Keeps fetching until the blob is whole, resuming after each drop; gives up after settings.retries drops in a row without progress. */
async function fetchWhole(settings: HubSettings, dl: BlobDownload, ctx: RequestContext, p: Progress, onBytes: (n: number) => void, signal?: AbortSignal): Promise<void> {
  let failures = 0;
  while (p.offset < dl.size) {
    const before = p.offset;
    try {
      await fetchInto(settings, dl, ctx, p, onBytes, signal);
      if (p.offset < dl.size) throw new HubError("network", `${ctx.label}: ${ctx.file}: the server ended the file at byte ${p.offset} of ${dl.size}`);
    } catch (e) {
      if (!(e instanceof HubError) || e.code !== "network") throw e;
      failures = p.offset > before ? 1 : failures + 1;
      if (failures > settings.retries) {
        throw new HubError("network", `${e.message}; gave up after ${failures} tries. ${p.offset} bytes are kept in the cache and the next run resumes from there`);
      }
      await sleep(settings.retryDelayMs * 2 ** (failures - 1), signal);
    }
  }
}

/**
 * Makes blobs/<etag> exist with the Hub's bytes. `onBytes(n)` reports this
 * file's bytes on disk (a resumed download starts at the kept prefix).
 * @throws HubError naming the id and file: network (after retries; the valid
 * prefix is kept), integrity (digest or size wrong; deleted), disk_full (deleted).
 */
export async function downloadBlob(
  settings: HubSettings, dl: BlobDownload, ctx: RequestContext & { file: string }, onBytes: (n: number) => void, signal?: AbortSignal,
): Promise<void> {
  await withFileLock(`${dl.blob}.lock`, signal, async () => {
    if (existsSync(dl.blob)) return onBytes(dl.size); // another process finished it while we waited
    const partial = `${dl.blob}.incomplete`;
    const p: Progress = { offset: await sizeOf(partial), digest: newDigest(dl) };
    if (p.offset > dl.size) p.offset = 0; // longer than the file: not a prefix of it
    if (p.offset > 0) await hashPrefix(partial, p.digest);
    onBytes(p.offset);
    try {
      await fetchWhole(settings, dl, ctx, p, onBytes, signal);
    } catch (e) {
      if (e instanceof HubError && (e.code === "integrity" || e.code === "disk_full")) await rm(partial, { force: true });
      throw e;
    }
    if (p.offset === 0) await open(partial, "w").then((fh) => fh.close()); // an empty file has no body to write
    const got = p.digest.digest("hex");
    if (got !== dl.etag) {
      await rm(partial, { force: true });
      const kind = dl.lfs ? "sha256" : "git blob sha1";
      throw new HubError("integrity", `${ctx.label}: ${ctx.file}: ${kind} mismatch (expected ${dl.etag}, got ${got}); the download was deleted, run again to fetch it anew`);
    }
    await rename(partial, dl.blob);
  });
}
