import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "../client";
import { getNewestReadyRewardModel, listRewardScores } from "./reward-models";
import { getOwnAssignment } from "./tasks";

/**
 * Reward-model scores for a task the annotator has already submitted, when an
 * admin switched on the post-submit reveal for the project (to train
 * annotators). Never for an unsubmitted task: seeing scores while ranking
 * would bias the ranking. Null when there is nothing to reveal.
 */
export async function getScoreReveal({ assignmentId, userId }: { assignmentId: string; userId: string }) {
  const { db, t } = getDb();
  const assignment = await getOwnAssignment({ id: assignmentId, userId });
  if (assignment.status !== "submitted") return null;
  const [project] = await db.select({ reveal: t.projects.revealScores }).from(t.projects).where(eq(t.projects.id, assignment.projectId)).limit(1);
  if (!project?.reveal) return null;
  const model = await getNewestReadyRewardModel({ projectId: assignment.projectId });
  if (!model) return null;
  const scores = await listRewardScores({ rewardModelId: model.id, completionIds: assignment.shownOrder ?? [] });
  return { version: model.version, scores: Object.fromEntries(scores) };
}
