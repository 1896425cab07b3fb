import { sha256Hex } from "@/lib/datasets/sha256";

/**
 * Per-project pseudonym salt derived from the server secret: stable across
 * exports of a project (so files can be joined), different between projects,
 * and unknown to whoever receives the file. Without a secret (local demo,
 * tests) a fixed key is used, which still hides ids from casual reading.
 *
 * The caller passes the secret (env().NEXTAUTH_SECRET at the route and CLI
 * edges), so this stays pure; sha256Hex gives the bytes node:crypto gave.
 */
export function exportSalt(projectId: string, secret: string | undefined): string {
  return sha256Hex(`export-pseudonyms:${secret ?? "rlhf-studio-local"}:${projectId}`);
}
