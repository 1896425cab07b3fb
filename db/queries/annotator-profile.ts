import "server-only";
import { eq } from "drizzle-orm";
import { REVIEW_STATUSES, type ReviewCounts } from "@/lib/datasets/review-status";
import { annotatorProfile, annotatorReliability } from "@/lib/stats";
import { getDb } from "../client";
import { loadProjectEvidence } from "./reliability";

/**
 * The admin's drill-down on one annotator of a project: the profile from
 * lib/stats (time, bias, agreement, gold, verifiers, reliability) and how
 * reviewers judged their rankings. Null when the user does not exist.
 */
export async function getAnnotatorProfile({ projectId, userId }: { projectId: string; userId: string }) {
  const { db, t } = getDb();
  const [user] = await db.select({ id: t.users.id, name: t.users.name, email: t.users.email, role: t.users.role }).from(t.users).where(eq(t.users.id, userId)).limit(1);
  if (!user) return null;
  const evidence = await loadProjectEvidence({ projectId });
  const reliability = annotatorReliability(evidence)[userId];
  const all = evidence.rankings.map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
  const profile = annotatorProfile(all, userId, { lengths: evidence.lengths, gold: evidence.gold, verdicts: evidence.verdicts, reliability });
  const review = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as ReviewCounts;
  for (const r of evidence.rankings) if (r.annotatorId === userId) review[r.reviewStatus] += 1;
  return { user, profile, review };
}
export type AnnotatorProfileView = NonNullable<Awaited<ReturnType<typeof getAnnotatorProfile>>>;
