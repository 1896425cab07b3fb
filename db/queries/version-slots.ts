import "server-only";
import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { badRequest, notFound } from "@/lib/errors";
import { generationPasses, slotsProblem, type CompletionSlot, type GenerationPass } from "@/lib/models/slots";
import { getDb } from "../client";
import { countPromptsWithoutCompletions, insertCompletionsForPrompt, listPromptsWithoutCompletions, notSkippedUnder, type NewCompletion } from "./completions";
import { ensureBaseVersion } from "./model-versions";

/**
 * Condition on prompts: in the project and lacking some of a version's slots,
 * i.e. with fewer of its completions of some preset than the slots ask for.
 */
function lackingVersion(projectId: string, versionId: string, need: ReadonlyMap<string, number>, settingsKey?: string): SQL | undefined {
  const { t } = getDb();
  const short = [...need].map(
    ([preset, count]) =>
      sql`(select count(*) from ${t.completions} where ${t.completions.promptId} = ${t.prompts.id} and ${t.completions.versionId} = ${versionId} and ${t.completions.presetName} = ${preset}) < ${count}`,
  );
  return and(eq(t.prompts.projectId, projectId), or(...short), notSkippedUnder(settingsKey));
}

/**
 * How many prompts a pass of the generation round still has to fill; with
 * `settingsKey`, leaving out prompts whose generation failed under those
 * settings (prompts.generation_error).
 */
export async function countPassWork({ projectId, pass, settingsKey }: { projectId: string; pass: GenerationPass; settingsKey?: string }): Promise<number> {
  if (!pass.need) return countPromptsWithoutCompletions({ projectId, settingsKey });
  const { db, t } = getDb();
  return db.$count(t.prompts, lackingVersion(projectId, pass.versionId, pass.need, settingsKey));
}

/** The next prompts a pass has to fill, oldest first (resuming a job finds the same list minus what is done). */
export async function listPassWork({ projectId, pass, limit, settingsKey }: { projectId: string; pass: GenerationPass; limit: number; settingsKey: string }) {
  if (!pass.need) return listPromptsWithoutCompletions({ projectId, limit, settingsKey });
  const { db, t } = getDb();
  return db.select().from(t.prompts).where(lackingVersion(projectId, pass.versionId, pass.need, settingsKey)).orderBy(asc(t.prompts.createdAt), asc(t.prompts.id)).limit(limit);
}

/** The preset and seed of each completion a version already wrote for a prompt (what fills its slots). */
export async function listVersionFillers({ promptId, versionId }: { promptId: string; versionId: string }) {
  const { db, t } = getDb();
  return db.select({ presetName: t.completions.presetName, seed: t.completions.seed }).from(t.completions).where(and(eq(t.completions.promptId, promptId), eq(t.completions.versionId, versionId)));
}

type PassRow = Omit<NewCompletion, "promptId" | "versionId">;

/**
 * Stores what a pass generated for a prompt, in one transaction. Without a
 * slot setting, as before: nothing if the prompt has completions by now. With
 * one, each row unless the version already has a completion of that preset
 * and seed (a resumed job re-doing a prompt writes nothing twice).
 */
export async function storePassCompletions({ promptId, pass, rows }: { promptId: string; pass: GenerationPass; rows: PassRow[] }): Promise<number> {
  const withVersion = rows.map((r) => ({ ...r, versionId: pass.versionId }));
  if (!pass.need) return (await insertCompletionsForPrompt({ promptId, rows: withVersion })) ? rows.length : 0;
  const { t, tx } = getDb();
  return tx(async (db) => {
    const have = new Set((await listVersionFillers({ promptId, versionId: pass.versionId })).map((f) => `${f.presetName}#${f.seed}`));
    const fresh = withVersion.filter((r) => !have.has(`${r.presetName}#${r.seed}`));
    if (fresh.length) await db.insert(t.completions).values(fresh.map((r) => ({ ...r, promptId })));
    return fresh.length;
  });
}

/**
 * Sets which version and preset fill each of a project's K slots; K becomes
 * the number of slots. Every version must be the project's and every preset
 * one of its presets.
 */
export async function setCompletionSlots({ projectId, slots }: { projectId: string; slots: CompletionSlot[] }): Promise<void> {
  await ensureBaseVersion({ projectId });
  const { t, tx } = getDb();
  await tx(async (db) => {
    const [project] = await db.select().from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
    if (!project) throw notFound("Project");
    const ids = [...new Set(slots.map((s) => s.versionId))];
    const found = await db.select({ id: t.modelVersions.id }).from(t.modelVersions).where(and(eq(t.modelVersions.projectId, projectId), inArray(t.modelVersions.id, ids)));
    const presetNames = (project.decodingPresets as { name: string }[]).map((p) => p.name);
    const problem = slotsProblem(slots, new Set(found.map((f) => f.id)), presetNames);
    if (problem) throw badRequest(problem);
    await db.update(t.projects).set({ completionSlots: slots, completionsPerPrompt: slots.length, updatedAt: new Date() }).where(eq(t.projects.id, projectId));
  });
}

/** The passes of a project's next generation round (lib/models/slots.ts generationPasses), each with its version. */
export async function getGenerationPasses({ projectId }: { projectId: string }) {
  const base = await ensureBaseVersion({ projectId });
  const { db, t } = getDb();
  const [project] = await db.select({ slots: t.projects.completionSlots }).from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
  if (!project) throw notFound("Project");
  const passes = generationPasses(project.slots, base.id);
  const versions = await db.select().from(t.modelVersions).where(and(eq(t.modelVersions.projectId, projectId), inArray(t.modelVersions.id, passes.map((p) => p.versionId))));
  return {
    base,
    passes: passes.map((pass) => {
      const version = versions.find((v) => v.id === pass.versionId);
      // A version row cannot go while slots name it (no route deletes one); if it did, say which.
      if (!version) throw new Error(`completion slots name model version ${pass.versionId}, which the project no longer has`);
      return { pass, version };
    }),
  };
}

/** Prompts the next generation round fills, summed over its passes (a prompt lacking two versions counts twice). */
export async function countGenerationWork({ projectId, settingsKey }: { projectId: string; settingsKey?: string }): Promise<number> {
  const { passes } = await getGenerationPasses({ projectId });
  let n = 0;
  for (const { pass } of passes) n += await countPassWork({ projectId, pass, settingsKey });
  return n;
}
