import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { ChatMessage, PromptGroup, RankingRecord } from "@/lib/datasets/types";
import { getDb } from "../client";

type PromptRow = ReturnType<typeof getDb>["t"]["prompts"]["$inferSelect"];
type RankingRow = ReturnType<typeof getDb>["t"]["rankings"]["$inferSelect"];

/** A stored prompt as the conversation lib/datasets pairs against (a plain prompt is one user turn). */
export function promptMessages(p: Pick<PromptRow, "text" | "messages">): ChatMessage[] {
  if (p.messages && p.messages.length > 0) return p.messages.map((m) => ({ role: m.role as ChatMessage["role"], content: m.content }));
  return [{ role: "user", content: p.text ?? "" }];
}

/** A stored ranking in lib/datasets' shape; per-completion flags are flattened (any flag marks it flagged). */
export function rankingRecord(r: RankingRow): RankingRecord {
  const flags = [...new Set(Object.values(r.flags ?? {}).flat())].sort();
  return {
    annotatorId: r.userId,
    promptId: r.promptId,
    ranks: r.ranks,
    createdAt: r.createdAt.toISOString(),
    shownOrder: r.shownOrder,
    ratings: r.ratings,
    // Only rankings that rated an aspect carry the field, so projects without aspects export as before.
    ...(Object.keys(r.aspectRatings ?? {}).length > 0 ? { aspectRatings: r.aspectRatings } : {}),
    flags,
    rationale: r.rationale,
    timeSpentMs: r.timeSpentMs,
  };
}

/**
 * Streams a project's ranked prompts as lib/datasets PromptGroups, one page of
 * prompts (keyset on id) at a time, so an export of any size holds only one
 * page of rankings and texts in memory.
 */
export async function* iterateExportGroups({ projectId, pageSize = 200 }: { projectId: string; pageSize?: number }): AsyncGenerator<PromptGroup> {
  const { db, t } = getDb();
  let after = "";
  for (;;) {
    const page = await db
      .selectDistinct({ id: t.rankings.promptId })
      .from(t.rankings)
      .where(and(eq(t.rankings.projectId, projectId), gt(t.rankings.promptId, after)))
      .orderBy(asc(t.rankings.promptId))
      .limit(pageSize);
    if (page.length === 0) return;
    const ids = page.map((p) => p.id);
    after = ids[ids.length - 1];
    const [prompts, completions, rankings] = await Promise.all([
      db.select().from(t.prompts).where(inArray(t.prompts.id, ids)),
      db.select({ id: t.completions.id, promptId: t.completions.promptId, text: t.completions.text, source: t.completions.source, parentId: t.completions.parentId }).from(t.completions).where(inArray(t.completions.promptId, ids)),
      db.select().from(t.rankings).where(and(eq(t.rankings.projectId, projectId), inArray(t.rankings.promptId, ids))).orderBy(asc(t.rankings.createdAt), asc(t.rankings.id)),
    ]);
    const byId = new Map(prompts.map((p) => [p.id, p]));
    for (const id of ids) {
      const prompt = byId.get(id);
      if (!prompt) continue;
      const own = completions.filter((c) => c.promptId === id);
      const rewrites = own.filter((c) => c.source === "human");
      yield {
        promptId: id,
        prompt: promptMessages(prompt),
        completions: Object.fromEntries(own.map((c) => [c.id, c.text])),
        ...(rewrites.length > 0 ? { rewrites: Object.fromEntries(rewrites.map((c) => [c.id, c.parentId])) } : {}),
        rankings: rankings.filter((r) => r.promptId === id).map(rankingRecord),
      };
    }
  }
}

/** Ids of every ranking of a project, oldest first: the data snapshot a reward model records. */
export async function listRankingIds({ projectId }: { projectId: string }): Promise<string[]> {
  const { db, t } = getDb();
  const rows = await db.select({ id: t.rankings.id }).from(t.rankings).where(eq(t.rankings.projectId, projectId)).orderBy(asc(t.rankings.createdAt), asc(t.rankings.id));
  return rows.map((r) => r.id);
}
