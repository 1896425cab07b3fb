import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "../client";

export type PromptRow = ReturnType<typeof getDb>["t"]["prompts"]["$inferSelect"];
export interface PromptInput {
  text?: string;
  messages?: { role: string; content: string }[];
  metadata?: Record<string, unknown>;
  verifierId?: string;
}

/** A stable fingerprint of a prompt's content, used to detect duplicates within a project. */
export function promptContentHash(p: PromptInput): string {
  const canonical = p.messages ? JSON.stringify(p.messages.map((m) => [m.role, m.content])) : (p.text ?? "").trim();
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Adds prompts to a project in one transaction, skipping those whose content
 * is already there (or repeated in the batch). Returns how many were added
 * and the indexes of the duplicates.
 */
export async function addPrompts(input: { projectId: string; source: string; prompts: PromptInput[] }): Promise<{ added: number; duplicates: number[]; ids: string[] }> {
  const { t, tx } = getDb();
  const hashes = input.prompts.map(promptContentHash);
  return tx(async (db) => {
    const existing = new Set<string>();
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await db
        .select({ h: t.prompts.contentHash })
        .from(t.prompts)
        .where(and(eq(t.prompts.projectId, input.projectId), inArray(t.prompts.contentHash, hashes.slice(i, i + 500))));
      rows.forEach((r) => existing.add(r.h));
    }
    const duplicates: number[] = [];
    const rows: (typeof t.prompts.$inferInsert)[] = [];
    input.prompts.forEach((p, i) => {
      if (existing.has(hashes[i])) return void duplicates.push(i);
      existing.add(hashes[i]);
      rows.push({ projectId: input.projectId, source: input.source, text: p.text ?? null, messages: p.messages ?? null, metadata: p.metadata ?? null, verifierId: p.verifierId ?? null, contentHash: hashes[i] });
    });
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 200) {
      const inserted = await db.insert(t.prompts).values(rows.slice(i, i + 200)).returning({ id: t.prompts.id });
      ids.push(...inserted.map((r) => r.id));
    }
    return { added: rows.length, duplicates, ids };
  });
}
