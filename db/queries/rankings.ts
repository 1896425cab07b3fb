import "server-only";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { AppError, badRequest, conflict } from "@/lib/errors";
import { groupIdentical, identicalRankProblem } from "@/lib/ranking/identical";
import { rewritesProblem, type Rewrite } from "@/lib/ranking/rewrite";
import { rubricProblem, type Rubric } from "@/lib/ranking/rubric";
import { getDb, type Db } from "../client";
import { projectRubric } from "./projects";
import { getOwnAssignment } from "./tasks";

export type RankingRow = ReturnType<typeof getDb>["t"]["rankings"]["$inferSelect"];

export interface RankingInput {
  ranks: Record<string, number>;
  flags: Record<string, string[]>;
  ratings: Record<string, number>;
  rationale: string;
  timeSpentMs: number;
  submissionKey: string;
  /** completion id → aspect id → 1–7 (the project's rubric names the aspects). */
  aspectRatings?: Record<string, Record<string, number>>;
  /** Responses rewritten by the annotator, ranked above under their `id`s. */
  rewrites?: Rewrite[];
}

type Completion = { id: string; text: string };

/**
 * What a submission must satisfy beyond covering the completions: its rewrites edit completions of
 * this task, it fits the project's rubric, and identical completions share a rank. Throws a 400
 * naming the field.
 */
export function checkSubmissionExtras(input: RankingInput, completions: readonly Completion[], rubric: Rubric): void {
  const rewrites = input.rewrites ?? [];
  const aspectRatings = input.aspectRatings ?? {};
  const ids = new Set([...completions.map((c) => c.id), ...rewrites.map((r) => r.id)]);
  const stray = Object.keys(aspectRatings).find((id) => !ids.has(id));
  const problem =
    rewritesProblem(rewrites, completions, groupIdentical(completions).length) ??
    (stray === undefined ? null : `aspectRatings.${stray}: not a completion of this task`) ??
    rubricProblem({ ranks: input.ranks, flags: input.flags, ratings: input.ratings, aspectRatings }, rubric) ??
    identicalRankProblem(input.ranks, completions);
  if (problem) throw badRequest(problem);
}

/**
 * Stores each rewrite as a human-written completion of the prompt (author and parent recorded) and
 * returns the submission with the rewrites' ids replaced by the stored ones.
 */
async function storeRewrites(db: Db, input: RankingInput, prompt: { promptId: string; userId: string }): Promise<RankingInput> {
  const { t } = getDb();
  const stored = new Map<string, string>();
  for (const r of input.rewrites ?? []) {
    const [row] = await db
      .insert(t.completions)
      .values({ promptId: prompt.promptId, text: r.text, modelId: "human", presetName: "human", source: "human", authorId: prompt.userId, parentId: r.parentId })
      .returning({ id: t.completions.id });
    stored.set(r.id, row.id);
  }
  const remap = <V>(rec: Record<string, V>) => Object.fromEntries(Object.entries(rec).map(([k, v]) => [stored.get(k) ?? k, v]));
  return { ...input, ranks: remap(input.ranks), flags: remap(input.flags), ratings: remap(input.ratings), aspectRatings: remap(input.aspectRatings ?? {}) };
}

/** The order the annotator saw: the assignment's model completions, each set of identical ones once. */
function displayedOrder(order: readonly string[], completions: readonly Completion[]): string[] {
  const shown = new Set(groupIdentical(completions).map((g) => g.id));
  return order.filter((id) => shown.has(id));
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
    // Other annotators' rewrites of this prompt are theirs: only the model's completions are ranked here.
    const completions = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(and(eq(t.completions.promptId, a.promptId), eq(t.completions.source, "model")));
    const completionIds = completions.map((c) => c.id);
    checkRankingAgainstCompletions(input, [...completionIds, ...(input.rewrites ?? []).map((r) => r.id)]);
    const [project] = await db.select({ rubric: t.projects.rubric }).from(t.projects).where(eq(t.projects.id, a.projectId)).limit(1);
    checkSubmissionExtras(input, completions, projectRubric(project));
    const [already] = await db.select({ id: t.rankings.id }).from(t.rankings).where(and(eq(t.rankings.promptId, a.promptId), eq(t.rankings.userId, userId))).limit(1);
    if (already) throw conflict("You already ranked this prompt");
    const answers = await storeRewrites(db, input, { promptId: a.promptId, userId });
    const [ranking] = await db
      .insert(t.rankings)
      .values({
        projectId: a.projectId,
        promptId: a.promptId,
        userId,
        assignmentId: a.id,
        shownOrder: displayedOrder(a.shownOrder ?? completionIds, completions),
        ranks: answers.ranks,
        flags: answers.flags,
        ratings: answers.ratings,
        aspectRatings: answers.aspectRatings,
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

/** Everyone who ranked in a project (id and name), by name: the export form's annotator filter. */
export async function listProjectAnnotators({ projectId }: { projectId: string }): Promise<{ id: string; name: string }[]> {
  const { db, t } = getDb();
  return db
    .selectDistinct({ id: t.users.id, name: t.users.name })
    .from(t.rankings)
    .innerJoin(t.users, eq(t.users.id, t.rankings.userId))
    .where(eq(t.rankings.projectId, projectId))
    .orderBy(asc(t.users.name), asc(t.users.id));
}

export async function countRankingsByPrompt({ projectId }: { projectId: string }): Promise<Map<string, number>> {
  const { db, t } = getDb();
  const rows = await db.select({ promptId: t.rankings.promptId, n: sql<number>`count(*)` }).from(t.rankings).where(eq(t.rankings.projectId, projectId)).groupBy(t.rankings.promptId);
  return new Map(rows.map((r) => [r.promptId, Number(r.n)]));
}
