import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { conflict, notFound } from "@/lib/errors";
import { BASE_VERSION_NAME } from "@/lib/models/names";
import { getDb } from "../client";

export type ModelVersionRow = ReturnType<typeof getDb>["t"]["modelVersions"]["$inferSelect"];
export type NewModelVersion = ReturnType<typeof getDb>["t"]["modelVersions"]["$inferInsert"];

async function findVersionByName({ projectId, name }: { projectId: string; name: string }): Promise<ModelVersionRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.modelVersions).where(and(eq(t.modelVersions.projectId, projectId), eq(t.modelVersions.name, name))).limit(1);
  return row;
}

/**
 * The project's "base" version (its own model id or completion source),
 * created on first use rather than by a migration, so projects made before
 * versions existed, and new ones, get it the same way. The call that creates
 * it also attributes the project's earlier generated completions (those with
 * a seed: imported and hand-written ones have none) to it, in one transaction.
 */
export async function ensureBaseVersion({ projectId }: { projectId: string }): Promise<ModelVersionRow> {
  const existing = await findVersionByName({ projectId, name: BASE_VERSION_NAME });
  if (existing) return existing;
  const { t, tx } = getDb();
  const created = await tx(async (db) => {
    const [project] = await db.select({ id: t.projects.id }).from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
    if (!project) throw notFound("Project");
    // Two first callers at once: the unique (project, name) index lets one insert; the other reads its row below.
    const [row] = await db.insert(t.modelVersions).values({ projectId, name: BASE_VERSION_NAME, kind: "base" }).onConflictDoNothing().returning();
    if (!row) return undefined;
    const projectPrompts = db.select({ id: t.prompts.id }).from(t.prompts).where(eq(t.prompts.projectId, projectId));
    await db
      .update(t.completions)
      .set({ versionId: row.id })
      .where(and(isNull(t.completions.versionId), isNotNull(t.completions.seed), inArray(t.completions.promptId, projectPrompts)));
    return row;
  });
  return created ?? (await findVersionByName({ projectId, name: BASE_VERSION_NAME }))!;
}

/** A project's versions, "base" first, then in the order they were added. */
export async function listModelVersions({ projectId }: { projectId: string }): Promise<ModelVersionRow[]> {
  const base = await ensureBaseVersion({ projectId });
  const { db, t } = getDb();
  const rows = await db.select().from(t.modelVersions).where(eq(t.modelVersions.projectId, projectId)).orderBy(asc(t.modelVersions.createdAt), asc(t.modelVersions.name));
  return [base, ...rows.filter((r) => r.id !== base.id)];
}

/** One version of a project; a version of another project is not found (ids are not confirmed across projects). */
export async function getProjectVersion({ projectId, id }: { projectId: string; id: string }): Promise<ModelVersionRow> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.modelVersions).where(and(eq(t.modelVersions.id, id), eq(t.modelVersions.projectId, projectId))).limit(1);
  if (!row) throw notFound("Model version");
  return row;
}

const nameTaken = (name: string) => conflict(`This project already has a model version named "${name}"`);

/** A unique index refused the row (the message is the driver's: drizzle wraps it, with the driver's error as cause). */
function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
  return /duplicate key value violates unique constraint|UNIQUE constraint failed/.test(text);
}

/** Refuses a name the project already uses, with a message naming it (the unique index backs this up under races). */
export async function assertVersionNameFree({ projectId, name }: { projectId: string; name: string }): Promise<void> {
  if (name.toLowerCase() === BASE_VERSION_NAME || (await findVersionByName({ projectId, name }))) throw nameTaken(name);
}

/**
 * Adds a version row. Trained versions come through registerTrainedVersion
 * (lib/model-files/version-store.ts), which calls this inside the
 * transaction that also moves the files into place.
 */
export async function insertModelVersion(input: Omit<NewModelVersion, "id" | "createdAt"> & { id?: string }): Promise<ModelVersionRow> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    await assertVersionNameFree({ projectId: input.projectId, name: input.name });
    if (input.parentId) await getProjectVersion({ projectId: input.projectId, id: input.parentId });
    try {
      const [row] = await db.insert(t.modelVersions).values(input).returning();
      return row;
    } catch (err) {
      // Two registrations of one name at once: both passed the check above, the index let one in.
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      throw err;
    }
  });
}
