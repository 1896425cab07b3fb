import "server-only";
import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import { AppError, badRequest, conflict } from "@/lib/errors";
import { groupIdentical, identicalRankProblem } from "@/lib/ranking/identical";
import { rewritesProblem, type Rewrite } from "@/lib/ranking/rewrite";
import { rubricProblem, type Rubric } from "@/lib/ranking/rubric";
import { getDb, type Connection } from "../client";
import { projectRubric } from "./projects";
import { getOwnAssignment, type AssignmentRow } from "./tasks";

export type RankingRow = ReturnType<typeof getDb>["t"]["rankings"]["$inferSelect"];

export interface RankingInput {
  ranks: Record<string, number>;
  flags: Record<string, string[]>;
  ratings: Record<string, number>;
  rationale: string;
  timeSpentMs: number;
  submissionKey: string;
  /** The order the client showed; when sent, it must be the assignment's stored order. */
  shownOrder?: string[];
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
async function storeRewrites(db: Connection["db"], input: RankingInput, prompt: { promptId: string; userId: string }): Promise<RankingInput> {
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

/**
 * Checks a ranking against the completions the annotator was shown; the
 * message names what is wrong. Ranks are dense with ties sharing a rank, as
 * the ranking screen assigns them (lib/ranking/state.ts toRanks): the
 * distinct ranks are exactly 1, 2, …, m where m is the number of tiers, so
 * {1, 1, 2, 3} is a ranking and {1, 4, 4, 4} or {1, 3} are not.
 */
export function checkRankingAgainstCompletions(input: RankingInput, completionIds: readonly string[], shownOrder: readonly string[] = completionIds): void {
  const ids = new Set(completionIds);
  const ranked = Object.keys(input.ranks);
  const missing = completionIds.filter((id) => !Object.hasOwn(input.ranks, id));
  const unknown = ranked.filter((id) => !ids.has(id));
  if (unknown.length) throw badRequest(`ranks: ${unknown.length} id(s) are not completions shown in this task`);
  if (missing.length) throw badRequest(`ranks: every completion must be ranked; ${missing.length} missing`);
  for (const [id, r] of Object.entries(input.ranks)) {
    if (!Number.isInteger(r) || r < 1 || r > completionIds.length) throw badRequest(`ranks.${id}: must be an integer from 1 to ${completionIds.length}, got ${r}`);
  }
  const distinct = [...new Set(Object.values(input.ranks))].sort((a, b) => a - b);
  if (distinct.some((r, i) => r !== i + 1)) {
    throw badRequest(`ranks: must be dense — the distinct ranks must be 1 to ${distinct.length}, tied completions sharing one (e.g. 1, 1, 2, 3); got ${distinct.join(", ")}`);
  }
  for (const id of [...Object.keys(input.flags), ...Object.keys(input.ratings)]) {
    if (!ids.has(id)) throw badRequest(`flags/ratings: ${id} is not a completion shown in this task`);
  }
  if (input.shownOrder && (input.shownOrder.length !== shownOrder.length || input.shownOrder.some((id, i) => id !== shownOrder[i]))) {
    throw badRequest("shownOrder: is not the order this task was shown in");
  }
}

/**
 * The completions the assignment showed, in the stored order, after checking
 * the task can still be submitted: the lease is live, the project is active
 * and every shown completion still belongs to the prompt.
 */
async function shownCompletions(db: Connection["db"], a: AssignmentRow): Promise<string[]> {
  const { t } = getDb();
  if (a.status === "submitted") throw conflict("This task was already submitted");
  if (a.status !== "active") throw new AppError("gone", `This task was ${a.status}; ask for a new one`);
  if (a.leaseExpiresAt.getTime() < Date.now()) throw new AppError("gone", "Your hold on this task expired; ask for a new one");
  const [project] = await db.select({ status: t.projects.status }).from(t.projects).where(eq(t.projects.id, a.projectId)).limit(1);
  if (project?.status !== "active") throw conflict("This project is not accepting rankings right now");
  const shown = a.shownOrder ?? [];
  const present = shown.length
    ? await db.select({ id: t.completions.id }).from(t.completions).where(and(eq(t.completions.promptId, a.promptId), inArray(t.completions.id, shown)))
    : [];
  // A duplicate id in the stored order would also leave `present` shorter.
  if (shown.length < 2 || present.length !== shown.length) {
    throw new AppError("gone", "The completions of this task changed; ask for a new one");
  }
  return shown;
}

/**
 * Stores one ranking for an assignment, exactly once. A retry with the same
 * submission key returns the stored ranking; a second, different ranking of
 * the same prompt by the same annotator is refused; an expired lease, a
 * project that is no longer active and a ranking that does not cover exactly
 * the completions shown (the assignment's stored order) are refused. All in
 * one transaction.
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
    const shown = await shownCompletions(db, a);
    // Only the model's completions the task showed are ranked here, plus the annotator's own rewrites.
    // In the order shown, so identical texts group under the same card the screen showed (the first).
    const stored = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(inArray(t.completions.id, shown));
    const completions = shown.flatMap((id) => stored.filter((c) => c.id === id));
    checkRankingAgainstCompletions(input, [...shown, ...(input.rewrites ?? []).map((r) => r.id)], shown);
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
        shownOrder: displayedOrder(shown, completions),
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
