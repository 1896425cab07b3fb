import "server-only";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { AppError, badRequest, conflict } from "@/lib/errors";
import { getDb } from "../client";
import { getOwnAssignment } from "./tasks";

export type RankingRow = ReturnType<typeof getDb>["t"]["rankings"]["$inferSelect"];

export interface RankingInput {
  ranks: Record<string, number>;
  flags: Record<string, string[]>;
  ratings: Record<string, number>;
  rationale: string;
  timeSpentMs: number;
  submissionKey: string;
}

/** Checks a ranking against the prompt's actual completions; the message names what is wrong. */
export function checkRankingAgainstCompletions(input: RankingInput, completionIds: string[]): void {
  const ids = new Set(completionIds);
  const ranked = Object.keys(input.ranks);
  const missing = completionIds.filter((id) => !(id in input.ranks));
  const unknown = ranked.filter((id) => !ids.has(id));
  if (unknown.length) throw badRequest(`ranks: ${unknown.length} id(s) are not completions of this prompt`);
  if (missing.length) throw badRequest(`ranks: every completion must be ranked; ${missing.length} missing`);
  for (const [id, r] of Object.entries(input.ranks)) {
    if (!Number.isInteger(r) || r < 1 || r > completionIds.length) throw badRequest(`ranks.${id}: must be an integer from 1 to ${completionIds.length}, got ${r}`);
  }
  for (const id of [...Object.keys(input.flags), ...Object.keys(input.ratings)]) {
    if (!ids.has(id)) throw badRequest(`flags/ratings: ${id} is not a completion of this prompt`);
  }
}

/**
 * Stores one ranking for an assignment, exactly once. A retry with the same
 * submission key returns the stored ranking; a second, different ranking of
 * the same prompt by the same annotator is refused; an expired lease is
 * refused (its slot may already be someone else's). All in one transaction.
 */
export async function submitRanking({ assignmentId, userId, input }: { assignmentId: string; userId: string; input: RankingInput }): Promise<{ ranking: RankingRow; duplicate: boolean }> {
  const { t, tx, dialect } = getDb();
  return tx(async (db) => {
    // Serialise submissions for one assignment (a double click sends two at once).
    if (dialect === "postgres") await db.execute(sql`select 1 from ${t.assignments} where ${t.assignments.id} = ${assignmentId} for update`);
    const [previous] = await db.select().from(t.rankings).where(eq(t.rankings.submissionKey, input.submissionKey)).limit(1);
    if (previous) {
      if (previous.userId !== userId || previous.assignmentId !== assignmentId) throw conflict("submissionKey: already used for another submission");
      return { ranking: previous, duplicate: true };
    }
    const a = await getOwnAssignment({ id: assignmentId, userId });
    if (a.status === "submitted") throw conflict("This task was already submitted");
    if (a.status !== "active") throw new AppError("gone", `This task was ${a.status}; ask for a new one`);
    if (a.leaseExpiresAt.getTime() < Date.now()) throw new AppError("gone", "Your hold on this task expired; ask for a new one");
    const completionIds = (await db.select({ id: t.completions.id }).from(t.completions).where(eq(t.completions.promptId, a.promptId))).map((c) => c.id);
    checkRankingAgainstCompletions(input, completionIds);
    const [already] = await db.select({ id: t.rankings.id }).from(t.rankings).where(and(eq(t.rankings.promptId, a.promptId), eq(t.rankings.userId, userId))).limit(1);
    if (already) throw conflict("You already ranked this prompt");
    const [ranking] = await db
      .insert(t.rankings)
      .values({
        projectId: a.projectId,
        promptId: a.promptId,
        userId,
        assignmentId: a.id,
        shownOrder: a.shownOrder ?? completionIds,
        ranks: input.ranks,
        flags: input.flags,
        ratings: input.ratings,
        rationale: input.rationale,
        timeSpentMs: input.timeSpentMs,
        submissionKey: input.submissionKey,
      })
      .returning();
    await db.update(t.assignments).set({ status: "submitted" }).where(eq(t.assignments.id, a.id));
    return { ranking, duplicate: false };
  });
}

export async function listRankingsForProject({ projectId }: { projectId: string }): Promise<RankingRow[]> {
  const { db, t } = getDb();
  return db.select().from(t.rankings).where(eq(t.rankings.projectId, projectId)).orderBy(asc(t.rankings.createdAt));
}

export async function countUserRankings({ userId, since }: { userId: string; since?: Date }): Promise<number> {
  const { db, t } = getDb();
  return db.$count(t.rankings, and(eq(t.rankings.userId, userId), since ? gte(t.rankings.createdAt, since) : undefined));
}

export async function countRankingsByPrompt({ projectId }: { projectId: string }): Promise<Map<string, number>> {
  const { db, t } = getDb();
  const rows = await db.select({ promptId: t.rankings.promptId, n: sql<number>`count(*)` }).from(t.rankings).where(eq(t.rankings.projectId, projectId)).groupBy(t.rankings.promptId);
  return new Map(rows.map((r) => [r.promptId, Number(r.n)]));
}
