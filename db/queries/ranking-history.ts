import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { DEFAULT_RUBRIC } from "@/lib/ranking/rubric";
import { getDb } from "../client";
import { projectRubric } from "./projects";
import { checkRankingAgainstCompletions, checkSubmissionExtras, type RankingInput, type RankingRow } from "./rankings";

export type RankingRevisionRow = ReturnType<typeof getDb>["t"]["rankingRevisions"]["$inferSelect"];

/**
 * What an annotator submitted, as a revision keeps it: the row without who,
 * where, when and review state. Taken generically so columns added to
 * rankings later are kept without touching this function.
 */
function revisionContent(row: RankingRow): Record<string, unknown> {
  const { id: _id, projectId: _p, promptId: _q, userId: _u, assignmentId: _a, revision: _r, reviewStatus: _s, createdAt: _c, amendedAt: _m, ...content } = row;
  return content;
}

/** Loads a ranking for its annotator, refusing anyone else's as not found (ids are not confirmed to others). */
export async function getOwnRanking({ id, userId }: { id: string; userId: string }): Promise<RankingRow> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.rankings).where(eq(t.rankings.id, id)).limit(1);
  if (!row || row.userId !== userId) throw notFound("Ranking");
  return row;
}

/**
 * Replaces the annotator's own ranking with a new version while nobody has
 * reviewed it; the version it replaces goes to ranking_revisions, and the
 * row (which exports read) holds the latest. `revision` is the version the
 * annotator opened: a ranking changed since (in another tab) is refused.
 * A retry with the same submission key returns the stored ranking. Time
 * spent adds up over the versions. One transaction.
 */
export async function amendRanking({ rankingId, userId, revision, input }: { rankingId: string; userId: string; revision: number; input: RankingInput }): Promise<{ ranking: RankingRow; duplicate: boolean }> {
  const { t, tx, dialect } = getDb();
  return tx(async (db) => {
    // Serialise against a concurrent amend or review of the same ranking.
    if (dialect === "postgres") await db.execute(sql`select 1 from ${t.rankings} where ${t.rankings.id} = ${rankingId} for update`);
    const row = await getOwnRanking({ id: rankingId, userId });
    if (row.submissionKey === input.submissionKey) return { ranking: row, duplicate: true };
    if (row.reviewStatus !== "pending") throw conflict(`This ranking was already reviewed (${row.reviewStatus}); it can no longer be changed`);
    if (row.revision !== revision) throw conflict(`This ranking changed since you opened it (now version ${row.revision}); reload it`);
    // The amendment ranks what the first version ranked: the shown completions (identical ones each)
    // and the annotator's own rewrites; it cannot add rewrites of its own.
    if (input.rewrites?.length) throw badRequest("rewrites: an amendment cannot add rewritten responses; rank the ones you have");
    const rankedIds = Object.keys(row.ranks);
    const completions = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(and(eq(t.completions.promptId, row.promptId), inArray(t.completions.id, rankedIds)));
    checkRankingAgainstCompletions(input, rankedIds);
    const [project] = await db.select({ rubric: t.projects.rubric }).from(t.projects).where(eq(t.projects.id, row.projectId)).limit(1);
    checkSubmissionExtras(input, completions, projectRubric(project));
    await db.insert(t.rankingRevisions).values({ rankingId: row.id, revision: row.revision, content: revisionContent(row), submittedAt: row.amendedAt ?? row.createdAt });
    const [ranking] = await db
      .update(t.rankings)
      .set({
        ranks: input.ranks,
        flags: input.flags,
        ratings: input.ratings,
        aspectRatings: input.aspectRatings ?? {},
        rationale: input.rationale,
        timeSpentMs: row.timeSpentMs + input.timeSpentMs,
        submissionKey: input.submissionKey,
        revision: row.revision + 1,
        amendedAt: new Date(),
      })
      .where(and(eq(t.rankings.id, row.id), eq(t.rankings.revision, row.revision), eq(t.rankings.reviewStatus, "pending")))
      .returning();
    if (!ranking) throw conflict("This ranking changed while you were saving; reload it");
    return { ranking, duplicate: false };
  });
}

/** Earlier versions of a ranking, oldest first. */
export async function listRankingRevisions({ rankingId }: { rankingId: string }): Promise<RankingRevisionRow[]> {
  const { db, t } = getDb();
  return db.select().from(t.rankingRevisions).where(eq(t.rankingRevisions.rankingId, rankingId)).orderBy(asc(t.rankingRevisions.revision));
}

export type OwnRankingSummary = { id: string; promptId: string; promptText: string; createdAt: Date; amendedAt: Date | null; revision: number; reviewStatus: RankingRow["reviewStatus"] };

/** The annotator's latest rankings in a project, newest first: the ones they may reopen while still pending. */
export async function listOwnRankings({ projectId, userId, limit = 20 }: { projectId: string; userId: string; limit?: number }): Promise<OwnRankingSummary[]> {
  const { db, t } = getDb();
  const rows = await db
    .select({ id: t.rankings.id, promptId: t.rankings.promptId, text: t.prompts.text, messages: t.prompts.messages, createdAt: t.rankings.createdAt, amendedAt: t.rankings.amendedAt, revision: t.rankings.revision, reviewStatus: t.rankings.reviewStatus })
    .from(t.rankings)
    .innerJoin(t.prompts, eq(t.prompts.id, t.rankings.promptId))
    .where(and(eq(t.rankings.projectId, projectId), eq(t.rankings.userId, userId)))
    .orderBy(desc(t.rankings.createdAt), desc(t.rankings.id))
    .limit(limit);
  return rows.map(({ text, messages, ...r }) => ({ ...r, promptText: (text ?? messages?.findLast((m) => m.role === "user")?.content ?? "").slice(0, 200) }));
}

/**
 * What the amend screen shows: the ranking screen's task (prompt, guidelines,
 * completions in the order the annotator saw them; no lease) and the stored
 * ranking to start from, with its earlier versions.
 */
export async function getOwnRankingView({ id, userId }: { id: string; userId: string }) {
  const { db, t } = getDb();
  const row = await getOwnRanking({ id, userId });
  const [[prompt], [project], completions, revisions] = await Promise.all([
    db.select().from(t.prompts).where(eq(t.prompts.id, row.promptId)).limit(1),
    db.select().from(t.projects).where(eq(t.projects.id, row.projectId)).limit(1),
    db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(eq(t.completions.promptId, row.promptId)),
    listRankingRevisions({ rankingId: row.id }),
  ]);
  const byId = new Map(completions.map((c) => [c.id, c]));
  // Ranked completions the shown order lacks (none today) still appear, after the others.
  const order = [...new Set([...row.shownOrder, ...Object.keys(row.ranks)])];
  return {
    task: {
      assignmentId: row.assignmentId ?? row.id,
      projectId: row.projectId,
      projectName: project?.name ?? "",
      guidelines: project?.guidelines ?? "",
      prompt: { text: prompt?.text ?? null, messages: prompt?.messages ?? null },
      completions: order.flatMap((cid) => byId.get(cid) ?? []),
      leaseExpiresAt: null,
      rubric: project ? projectRubric(project) : DEFAULT_RUBRIC,
    },
    ranking: { id: row.id, ranks: row.ranks, flags: row.flags, ratings: row.ratings, aspectRatings: row.aspectRatings, rationale: row.rationale, revision: row.revision, reviewStatus: row.reviewStatus, createdAt: row.createdAt, amendedAt: row.amendedAt },
    revisions: revisions.map((r) => ({ revision: r.revision, submittedAt: r.submittedAt, ranks: (r.content as { ranks?: Record<string, number> }).ranks ?? {} })),
  };
}
