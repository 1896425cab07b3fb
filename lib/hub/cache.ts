/**
 * The Hub cache on disk, laid out as huggingface_hub lays it, so a cache
 * filled by Python tools is reused here and the other way round:
 *
 *   <cacheDir>/models--org--name/
 *     blobs/<etag>                      file contents, named by sha256 (LFS) or git sha1
 *     blobs/<etag>.incomplete           a download in progress (resumed with Range)
 *     snapshots/<commit>/<file>         relative symlinks to ../../blobs/<etag>
 *     refs/<revision>                   the commit a branch or tag pointed at
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { ETAG } from "./api";
import { HubError } from "./errors";
import { repoPathProblem } from "./model-id";

const COMMIT = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/** models--org--name under the cache root. */
export function repoCacheDir(cacheDir: string, repo: string): string {
  return path.join(cacheDir, `models--${repo.split("/").join("--")}`);
}

export function blobPath(repoDir: string, etag: string): string {
  if (!ETAG.test(etag)) throw new HubError("protocol", `refusing blob name ${JSON.stringify(etag)}: not a sha1 or sha256`);
  return path.join(repoDir, "blobs", etag);
}

export function snapshotDir(repoDir: string, commit: string): string {
  if (!isCommitHash(commit)) throw new HubError("protocol", `refusing snapshot name ${JSON.stringify(commit)}: not a commit hash`);
  return path.join(repoDir, "snapshots", commit);
}

/** The snapshot entry for a repo file; the name is checked again so nothing lands outside the snapshot. */
export function snapshotFile(repoDir: string, commit: string, file: string): string {
  const problem = repoPathProblem(file);
  if (problem) throw new HubError("protocol", `refusing to write repo file ${JSON.stringify(file)}: its name ${problem}`);
  const dir = snapshotDir(repoDir, commit);
  const full = path.join(dir, ...file.split("/"));
  if (!full.startsWith(dir + path.sep)) throw new HubError("protocol", `refusing to write repo file ${JSON.stringify(file)} outside its snapshot`);
  return full;
}

/** The commit a revision names: itself for a commit hash, else what refs/<revision> recorded; null when unknown. */
export async function readRef(repoDir: string, revision: string): Promise<string | null> {
  if (isCommitHash(revision)) return revision;
  const file = path.join(repoDir, "refs", ...revision.split("/"));
  if (!existsSync(file)) return null;
  const commit = (await readFile(file, "utf8")).trim();
  return isCommitHash(commit) ? commit : null;
}

/** Records that `revision` (a branch or tag) points at `commit`, written atomically. */
export async function writeRef(repoDir: string, revision: string, commit: string): Promise<void> {
  if (isCommitHash(revision)) return;
  const file = path.join(repoDir, "refs", ...revision.split("/"));
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, commit);
  await rename(tmp, file);
}

/**
 * Points snapshots/<commit>/<file> at blobs/<etag> with a relative symlink (the
 * cache folder can then be moved), or a copy where symlinks are not allowed.
 */
export async function linkIntoSnapshot(blob: string, pointer: string): Promise<void> {
  await mkdir(path.dirname(pointer), { recursive: true });
  await rm(pointer, { force: true });
  try {
    await symlink(path.relative(path.dirname(pointer), blob), pointer);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "EACCES" && code !== "ENOTSUP") throw e;
    const tmp = `${pointer}.${process.pid}.tmp`;
    await copyFile(blob, tmp);
    await rename(tmp, pointer);
  }
}
