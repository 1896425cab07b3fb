import "server-only";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb } from "../client";
import { listModelVersions, type ModelVersionRow } from "./model-versions";
import { getNewestReadyRewardModel, listRewardScores } from "./reward-models";

/** IN lists stay under SQLite's bound-parameter limit. */
const CHUNK = 500;

async function inChunks<T>(ids: string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

/**
 * What the model leaderboard needs, for the project's newest `maxPrompts`
 * prompts: its versions, the completions they wrote (text only where the
 * prompt has a verifier to judge it, "" elsewhere), the human rankings of those prompts and
 * the newest ready reward model's scores of those completions.
 */
export async function getModelLeaderboardData({ projectId, maxPrompts = 2000 }: { projectId: string; maxPrompts?: number }) {
  const versions: ModelVersionRow[] = await listModelVersions({ projectId });
  const { db, t } = getDb();
  const prompts = await db
    .select({ id: t.prompts.id, verifierId: t.prompts.verifierId, metadata: t.prompts.metadata })
    .from(t.prompts)
    .where(eq(t.prompts.projectId, projectId))
    .orderBy(desc(t.prompts.createdAt), desc(t.prompts.id))
    .limit(maxPrompts);
  const promptIds = prompts.map((p) => p.id);
  const attributed = (chunk: string[]) => and(inArray(t.completions.promptId, chunk), isNotNull(t.completions.versionId));
  const rows = await inChunks(promptIds, (chunk) =>
    db.select({ id: t.completions.id, promptId: t.completions.promptId, versionId: t.completions.versionId }).from(t.completions).where(attributed(chunk)),
  );
  // Texts only where a verifier will read them: a large project's completions stay in the database.
  const judged = prompts.filter((p) => p.verifierId).map((p) => p.id);
  const texts = new Map(
    (await inChunks(judged, (chunk) => db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(attributed(chunk)))).map((c) => [c.id, c.text]),
  );
  const completions = rows.map((c) => ({ ...c, versionId: c.versionId!, text: texts.get(c.id) ?? "" }));
  const rankings = await inChunks(promptIds, (chunk) =>
    db.select({ promptId: t.rankings.promptId, userId: t.rankings.userId, ranks: t.rankings.ranks }).from(t.rankings).where(inArray(t.rankings.promptId, chunk)),
  );
  const rewardModel = await getNewestReadyRewardModel({ projectId });
  const scores = new Map<string, number>();
  if (rewardModel) {
    const ids = completions.map((c) => c.id);
    for (let i = 0; i < ids.length; i += CHUNK) for (const [id, s] of await listRewardScores({ rewardModelId: rewardModel.id, completionIds: ids.slice(i, i + CHUNK) })) scores.set(id, s);
  }
  return {
    versions,
    prompts,
    completions,
    rankings,
    rewardModel: rewardModel ? { id: rewardModel.id, version: rewardModel.version } : null,
    scores: rewardModel ? scores : null,
  };
}
