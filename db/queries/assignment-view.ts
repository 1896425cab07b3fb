import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { DEFAULT_RUBRIC } from "@/lib/ranking/rubric";
import { getDb } from "../client";
import { projectRubric } from "./projects";
import type { AssignmentRow } from "./tasks";

/**
 * What the ranking screen shows for an assignment: the prompt, the guidelines,
 * the project's rubric and the completions in this annotator's shown order — never the model,
 * preset or any reward score (they would bias the ranking).
 */
export async function getAssignmentView({ assignment }: { assignment: AssignmentRow }) {
  const { db, t } = getDb();
  const [prompt] = await db.select().from(t.prompts).where(eq(t.prompts.id, assignment.promptId)).limit(1);
  const [project] = await db.select().from(t.projects).where(eq(t.projects.id, assignment.projectId)).limit(1);
  const order = assignment.shownOrder ?? [];
  // Only the prompt's own completions, in the stored order; submitRanking checks the same set.
  const rows = order.length
    ? await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(and(eq(t.completions.promptId, assignment.promptId), inArray(t.completions.id, order)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    assignmentId: assignment.id,
    projectId: assignment.projectId,
    projectName: project?.name ?? "",
    guidelines: project?.guidelines ?? "",
    rubric: project ? projectRubric(project) : DEFAULT_RUBRIC,
    prompt: { text: prompt?.text ?? null, messages: prompt?.messages ?? null },
    completions: order.map((id) => byId.get(id)).filter((c): c is { id: string; text: string } => Boolean(c)),
    leaseExpiresAt: assignment.leaseExpiresAt.toISOString(),
  };
}
