import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { PromptGroup } from "@/lib/datasets/types";
import { trainRewardJob } from "@/lib/jobs/kinds/train-reward";
import { getDb } from "../client";
import { iterateExportGroups } from "./export-data";
import { listRewardModels, listRewardScores, type RewardModelSummary } from "./reward-models";

/**
 * Everything the research page needs from the database: the ranked prompts
 * (capped, newest-id order is not meaningful so they come in id order), each
 * completion's preset, the reward models and the newest ready model's scores.
 */
export async function getResearchData({ projectId, maxPrompts = 500 }: { projectId: string; maxPrompts?: number }) {
  const groups: PromptGroup[] = [];
  for await (const g of iterateExportGroups({ projectId })) {
    groups.push(g);
    if (groups.length >= maxPrompts) break;
  }
  const ids = groups.flatMap((g) => Object.keys(g.completions));
  const { db, t } = getDb();
  const presetOf = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.select({ id: t.completions.id, preset: t.completions.presetName }).from(t.completions).where(inArray(t.completions.id, ids.slice(i, i + 500)));
    for (const r of rows) presetOf.set(r.id, r.preset ?? "unknown");
  }
  const models: RewardModelSummary[] = await listRewardModels({ projectId });
  const current = models.find((m) => m.status === "ready") ?? null;
  const scores = current ? await listRewardScores({ rewardModelId: current.id }) : new Map<string, number>();
  const [job] = await db.select().from(t.jobs).where(and(eq(t.jobs.projectId, projectId), eq(t.jobs.kind, trainRewardJob.kind))).orderBy(desc(t.jobs.createdAt)).limit(1);
  return { groups, presetOf, models, current, scores, job: job ?? null };
}
