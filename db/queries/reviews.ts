import "server-only";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { REVIEW_STATUSES, type ReviewCounts, type ReviewDecision, type ReviewStatus } from "@/lib/datasets/review-status";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { getDb } from "../client";
import type { RankingRow } from "./rankings";

export type ReviewRow = ReturnType<typeof getDb>["t"]["rankingReviews"]["$inferSelect"];

/** How many of a project's rankings are in each review status. */
export async function countReviewStatuses({ projectId }: { projectId: string }): Promise<ReviewCounts> {
  const { db, t } = getDb();
  const rows = await db.select({ status: t.rankings.reviewStatus, n: sql<number>`count(*)` }).from(t.rankings).where(eq(t.rankings.projectId, projectId)).groupBy(t.rankings.reviewStatus);
  const counts = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as ReviewCounts;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Projects that have rankings, with how many wait for review (the reviewer's home page). */
export async function listReviewProjects() {
  const { db, t } = getDb();
  const rows = await db
    .select({ id: t.projects.id, name: t.projects.name, status: t.projects.status, pending: sql<number>`sum(case when ${t.rankings.reviewStatus} = 'pending' then 1 else 0 end)`, total: sql<number>`count(*)` })
    .from(t.projects)
    .innerJoin(t.rankings, eq(t.rankings.projectId, t.projects.id))
    .groupBy(t.projects.id, t.projects.name, t.projects.status)
    .orderBy(asc(t.projects.name));
  return rows.map((r) => ({ ...r, pending: Number(r.pending), total: Number(r.total) }));
}

export type ReviewItem = Awaited<ReturnType<typeof listReviewQueue>>["items"][number];

/**
 * A project's rankings in one review status, oldest first, each with what
 * the reviewer judges: the prompt, the completions in the order the
 * annotator saw them, their ranks, flags, ratings and rationale, and for a
 * decided one the decision. A reviewer's own rankings are left out.
 */
export async function listReviewQueue({ projectId, reviewerId, status, limit = 20 }: { projectId: string; reviewerId: string; status: ReviewStatus; limit?: number }) {
  const { db, t } = getDb();
  const where = and(eq(t.rankings.projectId, projectId), eq(t.rankings.reviewStatus, status), ne(t.rankings.userId, reviewerId));
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({ r: t.rankings, annotator: t.users.name, prompt: { text: t.prompts.text, messages: t.prompts.messages }, review: t.rankingReviews })
      .from(t.rankings)
      .innerJoin(t.users, eq(t.users.id, t.rankings.userId))
      .innerJoin(t.prompts, eq(t.prompts.id, t.rankings.promptId))
      .leftJoin(t.rankingReviews, eq(t.rankingReviews.rankingId, t.rankings.id))
      .where(where)
      .orderBy(asc(t.rankings.createdAt), asc(t.rankings.id))
      .limit(limit),
    db.select({ n: sql<number>`count(*)` }).from(t.rankings).where(where),
  ]);
  const promptIds = [...new Set(rows.map((x) => x.r.promptId))];
  const completions = promptIds.length ? await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(inArray(t.completions.promptId, promptIds)) : [];
  const text = new Map(completions.map((c) => [c.id, c.text]));
  const items = rows.map(({ r, annotator, prompt, review }) => ({
    rankingId: r.id,
    annotator,
    revision: r.revision,
    createdAt: r.createdAt,
    amendedAt: r.amendedAt,
    prompt,
    completions: [...new Set([...r.shownOrder, ...Object.keys(r.ranks)])].map((id) => ({ id, text: text.get(id) ?? "" })),
    ranks: r.ranks,
    flags: r.flags,
    ratings: r.ratings,
    rationale: r.rationale,
    timeSpentMs: r.timeSpentMs,
    reviewStatus: r.reviewStatus,
    review: review ? { decision: review.decision, ranks: review.ranks, note: review.note, createdAt: review.createdAt } : null,
  }));
  return { total: Number(n), items };
}

/** A reviewer's ranks must rank exactly the annotator's completions, densely from 1 (ties share a rank), and differ from theirs. */
function checkAdjudication(ranks: Record<string, number>, original: Record<string, number>): void {
  const ids = Object.keys(original).sort();
  const given = Object.keys(ranks).sort();
  if (given.length !== ids.length || given.some((id, i) => id !== ids[i])) throw badRequest(`ranks: must rank exactly the ${ids.length} completions the annotator ranked`);
  const levels = [...new Set(Object.values(ranks))].sort((a, b) => a - b);
  if (levels.some((r, i) => r !== i + 1)) throw badRequest(`ranks: must be dense (1, 2, … without gaps), got ${levels.join(", ")}`);
  if (ids.every((id) => ranks[id] === original[id])) throw badRequest("ranks: the same as the annotator's; accept the ranking instead");
}

/**
 * Records a reviewer's decision on a ranking, once: accepted, rejected (it
 * no longer counts towards N, so its prompt returns to the queue) or
 * adjudicated (the reviewer's `ranks` replace the annotator's in exports).
 * `revision` is the version the reviewer saw; a ranking amended since is
 * refused. Nobody reviews their own ranking. One transaction.
 */
export async function reviewRanking(input: { rankingId: string; reviewerId: string; decision: ReviewDecision; revision: number; ranks?: Record<string, number>; note: string }): Promise<{ ranking: RankingRow; review: ReviewRow }> {
  const { t, tx, dialect } = getDb();
  return tx(async (db) => {
    if (dialect === "postgres") await db.execute(sql`select 1 from ${t.rankings} where ${t.rankings.id} = ${input.rankingId} for update`);
    const [row] = await db.select().from(t.rankings).where(eq(t.rankings.id, input.rankingId)).limit(1);
    if (!row) throw notFound("Ranking");
    if (row.userId === input.reviewerId) throw forbidden("You cannot review your own ranking");
    if (row.reviewStatus !== "pending") throw conflict(`This ranking was already reviewed (${row.reviewStatus})`);
    if (row.revision !== input.revision) throw conflict(`The annotator changed this ranking since you opened it (now version ${row.revision}); reload it`);
    if (input.decision === "adjudicated") {
      if (!input.ranks) throw badRequest("ranks: required to re-rank");
      checkAdjudication(input.ranks, row.ranks);
    } else if (input.ranks) throw badRequest(`ranks: only a re-ranking carries ranks, not ${input.decision}`);
    const [review] = await db
      .insert(t.rankingReviews)
      .values({ rankingId: row.id, projectId: row.projectId, reviewerId: input.reviewerId, decision: input.decision, revision: row.revision, ranks: input.ranks ?? null, note: input.note })
      .returning();
    const [ranking] = await db.update(t.rankings).set({ reviewStatus: input.decision }).where(and(eq(t.rankings.id, row.id), eq(t.rankings.reviewStatus, "pending"))).returning();
    if (!ranking) throw conflict("This ranking was reviewed by someone else just now");
    return { ranking, review };
  });
}
