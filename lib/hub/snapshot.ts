/**
 * Resolves an hf: id to a local path in the Hub cache, downloading what is
 * missing: the one .gguf file it names, or the files a Hugging Face folder
 * needs (config.json, the tokenizer and generation configs, model.safetensors
 * or the index and its shards). Offline (HF_HUB_OFFLINE) or when the Hub cannot
 * be reached, a complete cached snapshot is used without any network call.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fetchFileMetadata, fetchRepoInfo, type RepoFile, type RepoInfo } from "./api";
import { blobPath, isCommitHash, linkIntoSnapshot, readRef, repoCacheDir, snapshotDir, snapshotFile, writeRef } from "./cache";
import { downloadBlob } from "./download";
import { HubError } from "./errors";
import type { RequestContext } from "./http";
import { formatHubModelId, type HubModelId } from "./model-id";
import type { HubSettings } from "./settings";

/** Progress over the whole model: `bytes` of `totalBytes` on disk, `file` the one being fetched. */
export interface HubDownloadProgress {
  file: string;
  fileBytes: number;
  fileSize: number;
  bytes: number;
  totalBytes: number;
}

export interface ResolveHubOptions {
  onProgress?: (p: HubDownloadProgress) => void;
  signal?: AbortSignal;
}

const CONFIG = "config.json";
const WEIGHTS = "model.safetensors";
const INDEX = "model.safetensors.index.json";
// Fetched before the weights, so a snapshot that has its weights has these too.
const OPTIONAL_FILES = ["generation_config.json", "tokenizer_config.json", "tokenizer.json"];

/** The shard files an index names (flat names only, as the loader requires). */
function shardsOf(index: unknown, label: string): string[] {
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (!map || typeof map !== "object") throw new HubError("protocol", `${label}: ${INDEX} has no weight_map`);
  const shards = [...new Set(Object.values(map as Record<string, unknown>))];
  for (const s of shards) {
    if (typeof s !== "string" || s === "" || s.includes("/") || s.includes("\\") || s === "." || s === "..") {
      throw new HubError("protocol", `${label}: ${INDEX} names an invalid shard file ${JSON.stringify(s)}`);
    }
  }
  return shards as string[];
}

async function readIndex(file: string, label: string): Promise<string[]> {
  try {
    return shardsOf(JSON.parse(await readFile(file, "utf8")), label);
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError("protocol", `${label}: ${INDEX} is not valid JSON (${(e as Error).message})`);
  }
}

/** The cached path for `id` when its snapshot holds everything the loader needs; null otherwise. */
async function cachedSnapshot(repoDir: string, id: HubModelId): Promise<string | null> {
  const commit = await readRef(repoDir, id.revision);
  if (!commit) return null;
  const dir = snapshotDir(repoDir, commit);
  if (id.file) {
    const file = snapshotFile(repoDir, commit, id.file);
    return existsSync(file) ? file : null;
  }
  if (!existsSync(path.join(dir, CONFIG))) return null;
  if (existsSync(path.join(dir, WEIGHTS))) return dir;
  if (!existsSync(path.join(dir, INDEX))) return null;
  const shards = await readIndex(path.join(dir, INDEX), formatHubModelId(id)).catch(() => null);
  return shards && shards.every((s) => existsSync(path.join(dir, s))) ? dir : null;
}

function listed(info: RepoInfo, file: string, ctx: RequestContext): RepoFile {
  const entry = info.files.get(file);
  if (!entry) throw new HubError("not_found", `${ctx.label}: no such file ${file} in ${ctx.repo} (revision ${ctx.revision})`);
  return entry;
}

/**
 * Makes snapshots/<commit>/<file> point at a verified blob: nothing to do when
 * it is there, a link when the blob is (another snapshot shares it), else a
 * HEAD for the download location and the download itself.
 */
async function ensureFile(
  settings: HubSettings, ctx: RequestContext, repoDir: string, commit: string, entry: RepoFile, onBytes: (n: number) => void, signal?: AbortSignal,
): Promise<string> {
  const pointer = snapshotFile(repoDir, commit, entry.path);
  if (existsSync(pointer)) return pointer;
  const blob = blobPath(repoDir, entry.etag);
  if (!existsSync(blob)) {
    const fileCtx = { ...ctx, file: entry.path };
    const meta = await fetchFileMetadata(settings, fileCtx, commit, signal);
    if (meta.etag !== entry.etag || meta.size !== entry.size) {
      throw new HubError("protocol", `${ctx.label}: ${entry.path}: the file list (${entry.etag}, ${entry.size} bytes) and the file's headers (${meta.etag}, ${meta.size} bytes) disagree`);
    }
    await mkdir(path.dirname(blob), { recursive: true });
    await downloadBlob(settings, { url: meta.location, blob, etag: entry.etag, lfs: entry.lfs, size: entry.size }, fileCtx, onBytes, signal);
  }
  await linkIntoSnapshot(blob, pointer);
  return pointer;
}

/** The files a folder id needs, in download order (weights last); fetches the shard index first when there is one. */
async function folderPlan(settings: HubSettings, ctx: RequestContext, repoDir: string, info: RepoInfo, signal?: AbortSignal): Promise<RepoFile[]> {
  if (!info.files.has(CONFIG)) {
    const ggufs = [...info.files.keys()].filter((f) => f.toLowerCase().endsWith(".gguf"));
    const hint = ggufs.length ? `; name one of its GGUF files, e.g. hf:${ctx.repo}/${ggufs[0]} (it has ${ggufs.length})` : "";
    throw new HubError("not_found", `${ctx.label}: ${ctx.repo} has no config.json, so it is not a Hugging Face model folder${hint}`);
  }
  const small = [CONFIG, ...OPTIONAL_FILES].filter((f) => info.files.has(f)).map((f) => info.files.get(f)!);
  if (info.files.has(WEIGHTS)) return [...small, info.files.get(WEIGHTS)!];
  if (!info.files.has(INDEX)) throw new HubError("not_found", `${ctx.label}: ${ctx.repo} has neither ${WEIGHTS} nor ${INDEX}`);
  const index = await ensureFile(settings, ctx, repoDir, info.commit, info.files.get(INDEX)!, () => {}, signal);
  const shards = (await readIndex(index, ctx.label)).map((s) => listed(info, s, ctx));
  return [...small, ...shards];
}

async function fetchSnapshot(settings: HubSettings, id: HubModelId, info: RepoInfo, repoDir: string, opts: ResolveHubOptions): Promise<string> {
  const ctx: RequestContext = { label: formatHubModelId(id), repo: id.repo, revision: id.revision };
  const plan = id.file ? [listed(info, id.file, ctx)] : await folderPlan(settings, ctx, repoDir, info, opts.signal);
  // Progress counts only what must be downloaded: a cached model reports nothing.
  const missing = plan.filter((f) => !existsSync(snapshotFile(repoDir, info.commit, f.path)) && !existsSync(blobPath(repoDir, f.etag)));
  const totalBytes = missing.reduce((s, f) => s + f.size, 0);
  let before = 0;
  for (const entry of plan) {
    const report = (n: number) => opts.onProgress?.({ file: entry.path, fileBytes: n, fileSize: entry.size, bytes: before + n, totalBytes });
    await ensureFile(settings, ctx, repoDir, info.commit, entry, report, opts.signal);
    if (missing.includes(entry)) before += entry.size;
  }
  await writeRef(repoDir, id.revision, info.commit);
  return id.file ? snapshotFile(repoDir, info.commit, id.file) : snapshotDir(repoDir, info.commit);
}

/**
 * A local path for `id`: the .gguf file, or the snapshot folder of a HF model.
 * @throws HubError naming the id (and file): not_found, unauthorized, forbidden,
 * network (and nothing cached), offline (and nothing cached), integrity, disk_full.
 */
export async function resolveHubModel(id: HubModelId, settings: HubSettings, opts: ResolveHubOptions = {}): Promise<string> {
  const label = formatHubModelId(id);
  const repoDir = repoCacheDir(settings.cacheDir, id.repo);
  const cached = await cachedSnapshot(repoDir, id);
  // A commit never changes, so its complete snapshot needs no look-up (as huggingface_hub does).
  if (cached && (settings.offline || isCommitHash(id.revision))) return cached;
  if (settings.offline) {
    throw new HubError("offline", `${label}: HF_HUB_OFFLINE is set and the model is not fully in the cache (${repoDir}); unset it once to download the model`);
  }
  let info: RepoInfo;
  try {
    info = await fetchRepoInfo(settings, { label, repo: id.repo, revision: id.revision }, opts.signal);
  } catch (e) {
    if (!(e instanceof HubError) || e.code !== "network") throw e;
    if (cached) return cached;
    throw new HubError("network", `${e.message}; ${label} is not in the cache (${repoDir}) to fall back on`);
  }
  try {
    return await fetchSnapshot(settings, id, info, repoDir, opts);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOSPC") {
      throw new HubError("disk_full", `${label}: the disk holding the Hub cache (${settings.cacheDir}) is full; free space or point HF_HUB_CACHE elsewhere`);
    }
    throw e;
  }
}
