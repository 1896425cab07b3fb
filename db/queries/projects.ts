import "server-only";
import { desc, eq, inArray, sql } from "drizzle-orm";
import { notFound } from "@/lib/errors";
import { rubricSchema, type Rubric } from "@/lib/ranking/rubric";
import { getDb } from "../client";

export type ProjectRow = ReturnType<typeof getDb>["t"]["projects"]["$inferSelect"];
export type NewProject = ReturnType<typeof getDb>["t"]["projects"]["$inferInsert"];

/** Every project, newest first, or with `memberId` only the projects that user is a member of. */
export async function listProjects({ memberId }: { memberId?: string } = {}): Promise<(ProjectRow & { promptCount: number; rankingCount: number })[]> {
  const { db, t } = getDb();
  const promptCount = db.$count(t.prompts, eq(t.prompts.projectId, t.projects.id));
  const rankingCount = db.$count(t.rankings, eq(t.rankings.projectId, t.projects.id));
  const memberOf = memberId
    ? inArray(t.projects.id, db.select({ id: t.projectMembers.projectId }).from(t.projectMembers).where(eq(t.projectMembers.userId, memberId)))
    : undefined;
  const rows = await db
    .select({ project: t.projects, promptCount: sql<number>`${promptCount}`, rankingCount: sql<number>`${rankingCount}` })
    .from(t.projects)
    .where(memberOf)
    .orderBy(desc(t.projects.createdAt));
  return rows.map((r) => ({ ...r.project, promptCount: Number(r.promptCount), rankingCount: Number(r.rankingCount) }));
}

export async function getProjectById({ id }: { id: string }): Promise<ProjectRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.projects).where(eq(t.projects.id, id)).limit(1);
  return row;
}

/** The project, or the API's 404 "Project not found" (routes and pages that need it whole). */
export async function requireProject({ id }: { id: string }): Promise<ProjectRow> {
  const project = await getProjectById({ id });
  if (!project) throw notFound("Project");
  return project;
}

export async function getProjectByName({ name }: { name: string }): Promise<ProjectRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.projects).where(eq(t.projects.name, name)).limit(1);
  return row;
}

export async function createProject(input: NewProject): Promise<ProjectRow> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.insert(t.projects).values(input).returning();
    return row;
  });
}

/** A project's rubric, read through its schema so rubrics stored before a field existed get its default. */
export function projectRubric(project: Pick<ProjectRow, "rubric">): Rubric {
  return rubricSchema.parse(project.rubric);
}

/** What the settings page and `PATCH /api/projects/<id>` may change. */
export type ProjectPatch = Partial<Pick<NewProject, "name" | "guidelines" | "completionsPerPrompt" | "rankingsPerPrompt" | "status" | "revealScores" | "modelId" | "decodingPresets" | "completionSource" | "rubric" | "goldRate" | "qualificationSize" | "qualificationPassMark">>;

export async function updateProject({ id, ...patch }: { id: string } & ProjectPatch): Promise<ProjectRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.update(t.projects).set({ ...patch, updatedAt: new Date() }).where(eq(t.projects.id, id)).returning();
    return row;
  });
}
