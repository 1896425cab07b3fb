/**
 * The two Hub calls that say what to download: the repo's file list at a
 * revision (`GET /api/models/{repo}/revision/{rev}?blobs=true`: the commit,
 * and each file's size and LFS sha256 or git blob id) and a file's metadata
 * (`HEAD /{repo}/resolve/{commit}/{file}`: X-Repo-Commit, ETag / X-Linked-Etag,
 * Content-Length / X-Linked-Size, and the CDN Location for LFS files).
 */
import { z } from "zod";
import { HubError } from "./errors";
import { hubFetchFollowing, hubStatusError, type RequestContext } from "./http";
import { repoPathProblem } from "./model-id";
import type { HubSettings } from "./settings";

const COMMIT = /^[0-9a-f]{40}$/;
/** A blob name: git's sha1 (40 hex) for small files, sha256 (64 hex) for LFS ones. */
export const ETAG = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const API_TIMEOUT_MS = 30_000;

const repoInfoSchema = z.object({
  sha: z.string().regex(COMMIT, "sha must be a 40-hex commit"),
  siblings: z.array(z.object({
    rfilename: z.string(),
    size: z.number().int().nonnegative().optional(),
    blobId: z.string().regex(ETAG).optional(),
    lfs: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }).optional(),
  })),
});

export interface RepoFile {
  path: string;
  size: number;
  /** The blob's name and its expected digest: sha256 for LFS files, the git blob sha1 otherwise. */
  etag: string;
  lfs: boolean;
}

export interface RepoInfo {
  commit: string;
  files: Map<string, RepoFile>;
}

export interface FileMetadata {
  commit: string;
  etag: string;
  size: number;
  /** Where to GET the bytes: the CDN for LFS files, the resolve URL itself otherwise. */
  location: string;
}

const encodePath = (p: string) => p.split("/").map(encodeURIComponent).join("/");

export function resolveUrl(settings: HubSettings, repo: string, revision: string, file: string): string {
  return `${settings.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(file)}`;
}

/** The file list of `ctx.repo` at `ctx.revision`. File names are checked before anything is written under the cache. */
export async function fetchRepoInfo(settings: HubSettings, ctx: RequestContext, signal?: AbortSignal): Promise<RepoInfo> {
  const url = `${settings.endpoint}/api/models/${ctx.repo}/revision/${encodeURIComponent(ctx.revision)}?blobs=true`;
  const { response } = await hubFetchFollowing(settings, url, { method: "GET", signal, timeoutMs: API_TIMEOUT_MS }, ctx, "follow");
  if (!response.ok) {
    await response.body?.cancel();
    throw hubStatusError(settings, response, ctx);
  }
  let parsed;
  try {
    parsed = repoInfoSchema.safeParse(await response.json());
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw new HubError("protocol", `${ctx.label}: the file list from ${settings.endpoint} is not JSON (${(e as Error).message})`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HubError("protocol", `${ctx.label}: unexpected file list from ${settings.endpoint}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const files = new Map<string, RepoFile>();
  for (const s of parsed.data.siblings) {
    const problem = repoPathProblem(s.rfilename);
    if (problem) throw new HubError("protocol", `${ctx.label}: the Hub listed an unsafe file name ${JSON.stringify(s.rfilename)} (${problem})`);
    const etag = s.lfs?.sha256 ?? s.blobId;
    const size = s.lfs?.size ?? s.size;
    if (etag === undefined || size === undefined) {
      throw new HubError("protocol", `${ctx.label}: the file list gives no size and blob id for ${s.rfilename} (is ${settings.endpoint} a Hugging Face Hub?)`);
    }
    files.set(s.rfilename, { path: s.rfilename, size, etag, lfs: s.lfs !== undefined });
  }
  return { commit: parsed.data.sha, files };
}

/** HF's ETag header is `"<hex>"` (a weak `W/"…"` is tolerated, as huggingface_hub does). */
function normalizeEtag(raw: string | null): string | null {
  return raw === null ? null : raw.replace(/^W\//, "").replace(/^"|"$/g, "");
}

/** HEAD of one file at a commit, stopping at the redirect to the CDN as huggingface_hub's get_hf_file_metadata does. */
export async function fetchFileMetadata(settings: HubSettings, ctx: RequestContext & { file: string }, commit: string, signal?: AbortSignal): Promise<FileMetadata> {
  const url = resolveUrl(settings, ctx.repo, commit, ctx.file);
  const { response, url: location } = await hubFetchFollowing(settings, url, { method: "HEAD", signal, timeoutMs: API_TIMEOUT_MS }, ctx, "stop");
  await response.body?.cancel();
  if (response.status >= 400) throw hubStatusError(settings, response, ctx);
  const h = response.headers;
  const etag = normalizeEtag(h.get("x-linked-etag") ?? h.get("etag"));
  const size = Number(h.get("x-linked-size") ?? h.get("content-length"));
  const repoCommit = h.get("x-repo-commit");
  if (!etag || !ETAG.test(etag) || !repoCommit || !COMMIT.test(repoCommit) || !Number.isSafeInteger(size) || size < 0) {
    throw new HubError("protocol", `${ctx.label}: ${ctx.file}: the Hub's answer lacks a valid ETag, X-Repo-Commit or size (is ${settings.endpoint} a Hugging Face Hub?)`);
  }
  return { commit: repoCommit, etag, size, location };
}
