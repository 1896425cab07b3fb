import { createHash } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Per-project pseudonym salt derived from the server secret: stable across
 * exports of a project (so files can be joined), different between projects,
 * and unknown to whoever receives the file. Without NEXTAUTH_SECRET (local
 * demo, tests) a fixed key is used, which still hides ids from casual reading.
 */
export function exportSalt(projectId: string): string {
  const secret = env().NEXTAUTH_SECRET ?? "rlhf-studio-local";
  return createHash("sha256").update(`export-pseudonyms:${secret}:${projectId}`).digest("hex");
}
