import "server-only";
import { and, eq } from "drizzle-orm";
import type { GoldFeedback, QualificationProgress, QueueStatus } from "@/lib/queue/types";
import { isGoldMiss } from "@/lib/stats/gold";
import { getDb } from "../client";
import { getMember } from "./members";
import { needsQualification, refreshQualification } from "./qualification";
import { submitRanking } from "./rankings";

/**
 * Stores a ranking (submitRanking: idempotent, one transaction) and, for a gold
 * or qualification item, fixes in the same transaction whether it missed the
 * gold answer (isGoldMiss), so a later amendment cannot change the verdict.
 * A retry with the same submission key gets the same feedback.
 */
export async function submitRankingWithGoldCheck(args: Parameters<typeof submitRanking>[0]) {
  return getDb().tx(async () => {
    const result = await submitRanking(args);
    const feedback = await recordGoldOutcome({ assignmentId: args.assignmentId, ranks: result.ranking.ranks });
    return { ...result, feedback };
  });
}

async function recordGoldOutcome({ assignmentId, ranks }: { assignmentId: string; ranks: Record<string, number> }): Promise<GoldFeedback | null> {
  const { db, t } = getDb();
  const [row] = await db
    .select({ a: t.assignments, gold: t.prompts.gold })
    .from(t.assignments)
    .innerJoin(t.prompts, eq(t.prompts.id, t.assignments.promptId))
    .where(eq(t.assignments.id, assignmentId))
    .limit(1);
  if (!row) return null;
  const { a } = row;
  const kind = a.kind;
  if (kind === "task") return null;
  const gold = row.gold ?? {};
  // The first submission fixes the outcome; a retry reads it back. A gold answer cleared since the claim cannot be missed.
  const miss = a.goldMiss ?? isGoldMiss(ranks, gold);
  if (a.goldMiss === null) await db.update(t.assignments).set({ goldMiss: miss }).where(eq(t.assignments.id, a.id));
  let qualification: QualificationProgress | null = null;
  if (kind === "qualification") {
    const [project] = await db.select().from(t.projects).where(eq(t.projects.id, a.projectId)).limit(1);
    const member = await getMember({ projectId: a.projectId, userId: a.userId });
    if (project && member) qualification = await refreshQualification({ project, member });
  }
  // A hit on an injected gold prompt says nothing, so annotators cannot tell gold items apart.
  if (kind === "gold" && !miss) return null;
  return { kind, miss, expected: { best: gold.best ?? null, worst: gold.worst ?? null }, rationale: gold.rationale ?? "", qualification };
}

/** Where the caller stands in a project's queue: their quota and their qualification. */
export async function getQueueStatus({ projectId, userId }: { projectId: string; userId: string }): Promise<QueueStatus> {
  const { db, t } = getDb();
  const [project] = await db.select().from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
  const member = (await getMember({ projectId, userId })) ?? null;
  const submitted = await db.$count(t.assignments, and(eq(t.assignments.projectId, projectId), eq(t.assignments.userId, userId), eq(t.assignments.kind, "task"), eq(t.assignments.status, "submitted")));
  const quota = member?.quota ?? null;
  const qualification = project && needsQualification(project, member) ? await refreshQualification({ project, member }) : null;
  return { quota, submitted, quotaReached: quota !== null && submitted >= quota, qualification };
}
