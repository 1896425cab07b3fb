import "server-only";
import { and, asc, eq, inArray, isNull, ne, notExists, or, sql } from "drizzle-orm";
import { getDb } from "../client";

export type CompletionRow = ReturnType<typeof getDb>["t"]["completions"]["$inferSelect"];
export type NewCompletion = ReturnType<typeof getDb>["t"]["completions"]["$inferInsert"];

/**
 * Condition on prompts: in the project and without any completion yet; with
 * `settingsKey`, also not skipped under those generation settings (a prompt
 * whose generation failed on its own is left out until the mark is cleared or
 * the settings change; see prompts.generation_error).
 */
function promptsLackingCompletions(projectId: string, settingsKey?: string) {
  const { db, t } = getDb();
  const p = t.prompts;
  return and(eq(p.projectId, projectId), notExists(db.select({ one: sql`1` }).from(t.completions).where(eq(t.completions.promptId, p.id))), notSkippedUnder(settingsKey));
}

/** Condition on prompts: not marked skipped under `settingsKey` (none when it is undefined). */
export function notSkippedUnder(settingsKey: string | undefined) {
  const p = getDb().t.prompts;
  return settingsKey === undefined ? undefined : or(isNull(p.generationError), isNull(p.generationErrorKey), ne(p.generationErrorKey, settingsKey));
}

/** Prompts of a project that have no completions yet and are not skipped under `settingsKey`, oldest first (the generation job's work list). */
export async function listPromptsWithoutCompletions({ projectId, limit, settingsKey }: { projectId: string; limit: number; settingsKey: string }) {
  const { db, t } = getDb();
  return db
    .select()
    .from(t.prompts)
    .where(promptsLackingCompletions(projectId, settingsKey))
    .orderBy(asc(t.prompts.createdAt), asc(t.prompts.id))
    .limit(limit);
}

/** How many prompts lack completions; with `settingsKey`, leaving out those skipped under those settings. */
export async function countPromptsWithoutCompletions({ projectId, settingsKey }: { projectId: string; settingsKey?: string }): Promise<number> {
  const { db, t } = getDb();
  return db.$count(t.prompts, promptsLackingCompletions(projectId, settingsKey));
}

/**
 * Stores a prompt's completions in one transaction, unless the prompt already
 * has some (a resumed job re-doing a prompt writes nothing twice).
 */
export async function insertCompletionsForPrompt({ promptId, rows }: { promptId: string; rows: Omit<NewCompletion, "promptId">[] }): Promise<boolean> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const existing = await db.$count(t.completions, eq(t.completions.promptId, promptId));
    if (existing > 0) return false;
    await db.insert(t.completions).values(rows.map((r) => ({ ...r, promptId })));
    return true;
  });
}

export async function listCompletionsForPrompts({ promptIds }: { promptIds: string[] }): Promise<CompletionRow[]> {
  if (promptIds.length === 0) return [];
  const { db, t } = getDb();
  return db.select().from(t.completions).where(inArray(t.completions.promptId, promptIds)).orderBy(asc(t.completions.createdAt), asc(t.completions.id));
}
