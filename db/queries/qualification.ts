import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { qualificationVerdict, requiredCorrect } from "@/lib/queue/qualification";
import type { QualificationProgress } from "@/lib/queue/types";
import { getDb } from "../client";
import type { MemberRow } from "./members";

type ProjectRules = { id: string; qualificationSize: number; qualificationPassMark: number };

/** Whether the project asks this member to qualify before real work (members from before the batch existed count as passed). */
export function needsQualification(project: ProjectRules, member: MemberRow | null | undefined): member is MemberRow {
  return Boolean(member) && project.qualificationSize > 0 && member!.qualificationStatus !== "passed";
}

/** The member's current qualification attempt as it stands, read from the outcomes fixed at submit time (assignments.gold_miss). */
export async function readQualification({ project, member }: { project: ProjectRules; member: MemberRow }): Promise<QualificationProgress> {
  const { db, t } = getDb();
  const [counts] = await db
    .select({
      done: sql<number>`count(*)`,
      // gold_miss is a boolean on PostgreSQL and 0/1 on SQLite: both read as a condition; null (no outcome) is not right.
      correct: sql<number>`coalesce(sum(case when ${t.assignments.goldMiss} is null then 0 when ${t.assignments.goldMiss} then 0 else 1 end), 0)`,
    })
    .from(t.assignments)
    .where(
      and(
        eq(t.assignments.projectId, project.id),
        eq(t.assignments.userId, member.userId),
        eq(t.assignments.kind, "qualification"),
        eq(t.assignments.qualificationAttempt, member.qualificationAttempt),
        inArray(t.assignments.status, ["submitted", "skipped"]),
      ),
    );
  const done = Number(counts?.done ?? 0);
  const correct = Number(counts?.correct ?? 0);
  const size = Math.max(1, project.qualificationSize);
  // A member who passed stays passed when the admin later changes K or the mark.
  const status = member.qualificationStatus === "passed" ? "passed" : qualificationVerdict({ size, passMark: project.qualificationPassMark, done, correct });
  return { status, done, correct, size, needed: requiredCorrect({ size, passMark: project.qualificationPassMark }) };
}

/** readQualification, storing the verdict on the membership when it changed. Null when the project has no qualification. */
export async function refreshQualification({ project, member }: { project: ProjectRules; member: MemberRow }): Promise<QualificationProgress | null> {
  if (project.qualificationSize <= 0) return null;
  const progress = await readQualification({ project, member });
  if (progress.status !== member.qualificationStatus) {
    const { db, t } = getDb();
    await db
      .update(t.projectMembers)
      .set({ qualificationStatus: progress.status })
      .where(and(eq(t.projectMembers.projectId, project.id), eq(t.projectMembers.userId, member.userId)));
  }
  return progress;
}

/** What a member who failed is told when they ask for work. */
export function qualificationFailedMessage(p: QualificationProgress): string {
  return `You did not pass this project's qualification: ${p.correct} of ${p.done} right, ${p.needed} needed. An admin can let you try again.`;
}
