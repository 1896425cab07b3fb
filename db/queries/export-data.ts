import "server-only";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { DEFAULT_EXPORT_REVIEW_STATUSES, type ReviewStatus } from "@/lib/datasets/review-status";
import type { ChatMessage, PromptGroup, RankingRecord } from "@/lib/datasets/types";
import { getDb } from "../client";

type PromptRow = ReturnType<typeof getDb>["t"]["prompts"]["$inferSelect"];
type RankingRow = ReturnType<typeof getDb>["t"]["rankings"]["$inferSelect"];

/** A stored prompt as the conversation lib/datasets pairs against (a plain prompt is one user turn). */
export function promptMessages(p: Pick<PromptRow, "text" | "messages">): ChatMessage[] {
  if (p.messages && p.messages.length > 0) return p.messages.map((m) => ({ role: m.role as ChatMessage["role"], content: m.content }));
  return [{ role: "user", content: p.text ?? "" }];
}

/**
 * A stored ranking in lib/datasets' shape; per-completion flags are flattened
 * (any flag marks it flagged). An adjudicated ranking carries the reviewer's
 * ranks (`adjudicated`), which win over the annotator's.
 */
export function rankingRecord(r: RankingRow, adjudicated?: Record<string, number> | null): RankingRecord {
  const flags = [...new Set(Object.values(r.flags ?? {}).flat())].sort();
  return {
    annotatorId: r.userId,
    promptId: r.promptId,
    ranks: r.reviewStatus === "adjudicated" && adjudicated ? adjudicated : r.ranks,
    reviewStatus: r.reviewStatus,
    createdAt: r.createdAt.toISOString(),
    shownOrder: r.shownOrder,
    ratings: r.ratings,
    flags,
    rationale: r.rationale,
    timeSpentMs: r.timeSpentMs,
  };
}

/**
 * Streams a project's ranked prompts as lib/datasets PromptGroups, one page of
 * prompts (keyset on id) at a time, so an export of any size holds only one
 * page of rankings and texts in memory. Only rankings whose review status is
 * in `reviewStatuses` are read: by default every one but the rejected, so
 * exports, reward-model data and the research page leave those out.
 */
export async function* iterateExportGroups({ projectId, reviewStatuses = DEFAULT_EXPORT_REVIEW_STATUSES, pageSize = 200 }: { projectId: string; reviewStatuses?: readonly ReviewStatus[]; pageSize?: number }): AsyncGenerator<PromptGroup> {
  const { db, t } = getDb();
  const inReview = inArray(t.rankings.reviewStatus, [...reviewStatuses]);
  let after = "";
  for (;;) {
    const page = await db
      .selectDistinct({ id: t.rankings.promptId })
      .from(t.rankings)
      .where(and(eq(t.rankings.projectId, projectId), inReview, gt(t.rankings.promptId, after)))
      .orderBy(asc(t.rankings.promptId))
      .limit(pageSize);
    if (page.length === 0) return;
    const ids = page.map((p) => p.id);
    after = ids[ids.length - 1];
    const [prompts, completions, rankings] = await Promise.all([
      db.select().from(t.prompts).where(inArray(t.prompts.id, ids)),
      db.select({ id: t.completions.id, promptId: t.completions.promptId, text: t.completions.text }).from(t.completions).where(inArray(t.completions.promptId, ids)),
      db
        .select({ r: t.rankings, adjudicated: t.rankingReviews.ranks })
        .from(t.rankings)
        .leftJoin(t.rankingReviews, eq(t.rankingReviews.rankingId, t.rankings.id))
        .where(and(eq(t.rankings.projectId, projectId), inReview, inArray(t.rankings.promptId, ids)))
        .orderBy(asc(t.rankings.createdAt), asc(t.rankings.id)),
    ]);
    const byId = new Map(prompts.map((p) => [p.id, p]));
    for (const id of ids) {
      const prompt = byId.get(id);
      if (!prompt) continue;
      yield {
        promptId: id,
        prompt: promptMessages(prompt),
        completions: Object.fromEntries(completions.filter((c) => c.promptId === id).map((c) => [c.id, c.text])),
        rankings: rankings.filter(({ r }) => r.promptId === id).map(({ r, adjudicated }) => rankingRecord(r, adjudicated)),
      };
    }
  }
}

/** Ids of the rankings a reward model trains on (every one but the rejected), oldest first: the data snapshot it records. */
export async function listRankingIds({ projectId }: { projectId: string }): Promise<string[]> {
  const { db, t } = getDb();
  const rows = await db
    .select({ id: t.rankings.id })
    .from(t.rankings)
    .where(and(eq(t.rankings.projectId, projectId), inArray(t.rankings.reviewStatus, [...DEFAULT_EXPORT_REVIEW_STATUSES])))
    .orderBy(asc(t.rankings.createdAt), asc(t.rankings.id));
  return rows.map((r) => r.id);
}
