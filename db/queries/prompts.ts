import "server-only";
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import type { GoldAnswer } from "@/lib/stats/gold";
import { getDb } from "../client";

export type PromptRow = ReturnType<typeof getDb>["t"]["prompts"]["$inferSelect"];
export interface PromptInput {
  text?: string;
  messages?: { role: string; content: string }[];
  metadata?: Record<string, unknown>;
  verifierId?: string;
  /** Targeting (lower-cased): members limited to tags or languages only get matching prompts. */
  tags?: string[];
  language?: string;
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
    const tagLists: string[][] = [];
    input.prompts.forEach((p, i) => {
      if (existing.has(hashes[i])) return void duplicates.push(i);
      existing.add(hashes[i]);
      rows.push({ projectId: input.projectId, source: input.source, text: p.text ?? null, messages: p.messages ?? null, metadata: p.metadata ?? null, verifierId: p.verifierId ?? null, language: p.language ?? null, contentHash: hashes[i] });
      tagLists.push(p.tags ?? []);
    });
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 200) {
      const inserted = await db.insert(t.prompts).values(rows.slice(i, i + 200)).returning({ id: t.prompts.id });
      ids.push(...inserted.map((r) => r.id));
    }
    const tagRows = ids.flatMap((promptId, j) => [...new Set(tagLists[j])].map((tag) => ({ promptId, tag })));
    for (let i = 0; i < tagRows.length; i += 500) await db.insert(t.promptTags).values(tagRows.slice(i, i + 500));
    return { added: rows.length, duplicates, ids };
  });
}

/**
 * Adds prompts, and the completions that came with them (from teams that
 * generate elsewhere), in one transaction: an upload is stored whole or not at all.
 */
export async function importPrompts(input: { projectId: string; source: string; prompts: (PromptInput & { completions?: string[] })[] }): Promise<{ added: number; duplicates: number[] }> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const { added, duplicates, ids } = await addPrompts(input);
    const dup = new Set(duplicates);
    const fresh = input.prompts.filter((_, i) => !dup.has(i));
    const rows = fresh.flatMap((p, j) => (p.completions ?? []).map((text) => ({ promptId: ids[j], text, modelId: "imported", presetName: "imported" })));
    for (let i = 0; i < rows.length; i += 200) await db.insert(t.completions).values(rows.slice(i, i + 200));
    return { added, duplicates };
  });
}

export async function getPromptById({ id }: { id: string }): Promise<PromptRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.prompts).where(eq(t.prompts.id, id)).limit(1);
  return row;
}

/**
 * A page of a project's prompts with their completion and ranking counts.
 * `generationError` is the reason generation skipped the prompt, when it was
 * skipped under the current settings (`settingsKey`); a stale mark reads as null.
 */
export async function listPromptsWithCounts({ projectId, limit, offset, settingsKey }: { projectId: string; limit: number; offset: number; settingsKey: string }) {
  const { db, t } = getDb();
  const completionCount = db.$count(t.completions, eq(t.completions.promptId, t.prompts.id));
  const rankingCount = db.$count(t.rankings, eq(t.rankings.promptId, t.prompts.id));
  const rows = await db
    .select({ prompt: t.prompts, completions: sql<number>`${completionCount}`, rankings: sql<number>`${rankingCount}` })
    .from(t.prompts)
    .where(eq(t.prompts.projectId, projectId))
    .orderBy(t.prompts.createdAt, t.prompts.id)
    .limit(limit)
    .offset(offset);
  return rows.map(({ prompt: { generationError, generationErrorAt, generationErrorKey, ...prompt }, completions, rankings }) => {
    const current = generationError !== null && generationErrorKey === settingsKey;
    return {
      ...prompt,
      generationError: current ? generationError : null,
      generationErrorAt: current ? generationErrorAt : null,
      completionCount: Number(completions),
      rankingCount: Number(rankings),
    };
  });
}

export async function setPromptGold({ id, gold }: { id: string; gold: GoldAnswer | null }): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.update(t.prompts).set({ gold }).where(eq(t.prompts.id, id)));
}

/**
 * Marks a prompt as skipped by generation, with the reason and the settings it
 * failed under. A prompt that has completions by now is left unmarked.
 */
export async function markPromptSkipped({ promptId, reason, settingsKey }: { promptId: string; reason: string; settingsKey: string }): Promise<boolean> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const rows = await db
      .update(t.prompts)
      .set({ generationError: reason, generationErrorAt: new Date(), generationErrorKey: settingsKey })
      .where(and(eq(t.prompts.id, promptId), notExists(db.select({ one: sql`1` }).from(t.completions).where(eq(t.completions.promptId, t.prompts.id)))))
      .returning({ id: t.prompts.id });
    return rows.length > 0;
  });
}

/** The project's prompts skipped under these settings, oldest mark first, and how many there are. */
export async function listSkippedPrompts({ projectId, settingsKey, limit }: { projectId: string; settingsKey: string; limit: number }) {
  const { db, t } = getDb();
  const p = t.prompts;
  const where = and(eq(p.projectId, projectId), isNotNull(p.generationError), eq(p.generationErrorKey, settingsKey));
  const prompts = await db
    .select({ id: p.id, text: p.text, messages: p.messages, generationError: p.generationError, generationErrorAt: p.generationErrorAt })
    .from(p)
    .where(where)
    .orderBy(asc(p.generationErrorAt), asc(p.id))
    .limit(limit);
  return { prompts, total: await db.$count(p, where) };
}

/** Clears every skip mark of a project ("retry skipped prompts"); returns how many were cleared. */
export async function clearSkippedPrompts({ projectId }: { projectId: string }): Promise<number> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const rows = await db
      .update(t.prompts)
      .set({ generationError: null, generationErrorAt: null, generationErrorKey: null })
      .where(and(eq(t.prompts.projectId, projectId), isNotNull(t.prompts.generationError)))
      .returning({ id: t.prompts.id });
    return rows.length;
  });
}
