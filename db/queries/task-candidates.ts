import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import { conflict, forbidden } from "@/lib/errors";
import { goldPhase, isGoldTurn } from "@/lib/queue/gold-schedule";
import { getDb } from "../client";
import type { MemberRow } from "./members";
import { needsQualification, qualificationFailedMessage, refreshQualification } from "./qualification";

type AssignmentKind = ReturnType<typeof getDb>["t"]["assignments"]["$inferSelect"]["kind"];
type ProjectRow = ReturnType<typeof getDb>["t"]["projects"]["$inferSelect"];

/** The prompt to hand out and what kind of item it is. */
export interface Pick {
  promptId: string;
  kind: AssignmentKind;
  qualificationAttempt: number | null;
}

interface Ctx {
  project: ProjectRow;
  userId: string;
  member: MemberRow | null;
  now: Date;
}

/**
 * Chooses the caller's next prompt (inside claimTask's transaction, after its
 * lock). In order: a member who has not qualified gets only the oldest gold
 * prompts of their qualification batch (refused once they failed); a member
 * at their quota gets nothing; otherwise the next regular prompt, or — on the
 * caller's gold turns (lib/queue/gold-schedule.ts) and while regular work
 * remains — a gold prompt they have not seen, which is never counted towards N.
 */
export async function pickTask(ctx: Ctx): Promise<Pick | null> {
  const { project, member } = ctx;
  if (needsQualification(project, member)) {
    const progress = (await refreshQualification({ project, member }))!;
    if (progress.status === "failed") throw forbidden(qualificationFailedMessage(progress));
    if (progress.status === "pending") {
      const promptId = await findGoldPrompt(ctx, "oldest");
      if (!promptId) {
        throw conflict(`This project's qualification needs ${progress.size} gold prompts, and no more are available to you (${progress.done} done). Ask an admin to mark more gold prompts.`);
      }
      return { promptId, kind: "qualification", qualificationAttempt: member.qualificationAttempt };
    }
  }
  if (member?.quota != null && (await countFinished(ctx, ["task"], ["submitted"])) >= member.quota) return null;
  // With gold injection or a qualification batch, gold prompts leave the regular queue; otherwise they are ordinary prompts, as before.
  const goldInUse = project.goldRate > 0 || project.qualificationSize > 0;
  const regular = await findRegularPrompt(ctx, goldInUse);
  if (!regular) return null;
  if (project.goldRate > 0) {
    const n = await countFinished(ctx, ["task", "gold"], ["submitted", "skipped"]);
    if (isGoldTurn({ n, rate: project.goldRate, phase: goldPhase(`${project.id}:${ctx.userId}`) })) {
      const gold = await findGoldPrompt(ctx, "least-ranked");
      if (gold) return { promptId: gold, kind: "gold", qualificationAttempt: null };
    }
  }
  return { promptId: regular, kind: "task", qualificationAttempt: null };
}

/** How many of the caller's items of these kinds in the project ended with these statuses. */
async function countFinished({ project, userId }: Ctx, kinds: AssignmentKind[], statuses: ("submitted" | "skipped")[]): Promise<number> {
  const { db, t } = getDb();
  return db.$count(t.assignments, and(eq(t.assignments.projectId, project.id), eq(t.assignments.userId, userId), inArray(t.assignments.kind, kinds), inArray(t.assignments.status, statuses)));
}

/** Prompts of the project the caller may be handed: not ranked or skipped by them, with ≥ 2 completions, matching the member's languages and tags. */
function eligible({ project, userId, member }: Ctx): SQL {
  const { db, t } = getDb();
  const touchedByUser = db.select({ id: t.assignments.promptId }).from(t.assignments).where(and(eq(t.assignments.userId, userId), eq(t.assignments.projectId, project.id), inArray(t.assignments.status, ["submitted", "skipped"])));
  const rankedByUser = db.select({ id: t.rankings.promptId }).from(t.rankings).where(and(eq(t.rankings.userId, userId), eq(t.rankings.projectId, project.id)));
  const completionCount = sql<number>`(select count(*) from ${t.completions} where ${t.completions.promptId} = ${t.prompts.id} and ${t.completions.source} = 'model')`;
  const languages = member?.languages?.length ? member.languages : null;
  const tags = member?.tags?.length ? member.tags : null;
  const tagged = tags ? sql`exists (select 1 from ${t.promptTags} where ${t.promptTags.promptId} = ${t.prompts.id} and ${inArray(t.promptTags.tag, tags)})` : undefined;
  return and(
    eq(t.prompts.projectId, project.id),
    notInArray(t.prompts.id, touchedByUser),
    notInArray(t.prompts.id, rankedByUser),
    sql`${completionCount} >= 2`,
    languages ? inArray(t.prompts.language, languages) : undefined,
    tagged,
  )!;
}

/** The next regular prompt: still short of N rankings counting others' live leases, prompts others started first. */
async function findRegularPrompt(ctx: Ctx, excludeGold: boolean): Promise<string | null> {
  const { db, t, dialect } = getDb();
  // A ranking a reviewer rejected no longer counts towards N, so its prompt comes back to the queue.
  const rankingCount = sql<number>`(select count(*) from ${t.rankings} where ${t.rankings.promptId} = ${t.prompts.id} and ${t.rankings.reviewStatus} <> 'rejected')`;
  const liveLeases = sql<number>`(select count(*) from ${t.assignments} where ${t.assignments.promptId} = ${t.prompts.id} and ${t.assignments.status} = 'active' and ${t.assignments.leaseExpiresAt} > ${dialect === "sqlite" ? ctx.now.getTime() : ctx.now})`;
  const [row] = await db
    .select({ id: t.prompts.id })
    .from(t.prompts)
    .where(and(eligible(ctx), excludeGold ? isNull(t.prompts.gold) : undefined, sql`${rankingCount} + ${liveLeases} < ${ctx.project.rankingsPerPrompt}`))
    // Finish prompts others started first, so complete overlap sets appear early.
    .orderBy(sql`${rankingCount} desc`, asc(t.prompts.createdAt), asc(t.prompts.id))
    .limit(1);
  return row?.id ?? null;
}

/**
 * A gold prompt the caller has not seen, whatever its N. The qualification
 * batch takes the oldest (every new member meets the same items); injected gold
 * takes the least-ranked, so checks spread over the gold set.
 */
async function findGoldPrompt(ctx: Ctx, order: "oldest" | "least-ranked"): Promise<string | null> {
  const { db, t } = getDb();
  const rankingCount = sql<number>`(select count(*) from ${t.rankings} where ${t.rankings.promptId} = ${t.prompts.id})`;
  const [row] = await db
    .select({ id: t.prompts.id })
    .from(t.prompts)
    .where(and(eligible(ctx), isNotNull(t.prompts.gold)))
    .orderBy(...(order === "oldest" ? [] : [asc(rankingCount)]), asc(t.prompts.createdAt), asc(t.prompts.id))
    .limit(1);
  return row?.id ?? null;
}
