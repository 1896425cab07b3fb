import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { addMembers } from "@/db/queries/members";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// The routes run for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const { POST: submitRoute } = await import("@/app/api/assignments/[id]/ranking/route");
const { PATCH: patchProject } = await import("@/app/api/projects/[id]/route");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

/** Signs in a new user; an annotator joins `projectId` (annotators label only projects they are members of). */
async function asUser(role: "admin" | "annotator", projectId?: string) {
  const u = await createUser({ email: `${role}-${crypto.randomUUID()}@x.test`, name: role, role, passwordHash: null });
  if (projectId) await addMembers({ projectId, userIds: [u.id], addedBy: u.id });
  session.user = { id: u.id, email: u.email, name: u.name, role, sessionId: "s" };
  return u;
}

/** A project with one prompt whose first and third completions are the same text. */
async function projectWithTwins(rubric?: unknown) {
  const project = await createProject({ name: `rw-${crypto.randomUUID()}`, completionsPerPrompt: 3, rankingsPerPrompt: 2, modelId: "demo", decodingPresets: [], ...(rubric ? { rubric: rubric as never } : {}) });
  await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "Where is Paris?", completions: ["Paris is in Italy.", "In Europe.", "Paris is in Italy. "] }] });
  const { db, t } = getDb();
  const rows = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId)).where(eq(t.prompts.projectId, project.id));
  const id = (text: string) => rows.find((r) => r.text === text)!.id;
  return { project, italy: id("Paris is in Italy."), europe: id("In Europe."), twin: id("Paris is in Italy. ") };
}

async function submit(assignmentId: string, body: Record<string, unknown>) {
  const req = new Request(`http://test/api/assignments/${assignmentId}/ranking`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ timeSpentMs: 100, submissionKey: crypto.randomUUID(), ...body }) });
  const res = await submitRoute(req, { params: Promise.resolve({ id: assignmentId }) });
  return { status: res.status, body: await res.json() };
}

async function patch(projectId: string, body: unknown) {
  const req = new Request(`http://test/api/projects/${projectId}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const res = await patchProject(req, { params: Promise.resolve({ id: projectId }) });
  return { status: res.status, body: await res.json() };
}

const humanCompletions = async () => {
  const { db, t } = getDb();
  return db.select().from(t.completions).where(eq(t.completions.source, "human"));
};

describe(`rewrites, identical completions and the rubric on ${testDialect}`, () => {
  it("stores a rewrite as a human-written completion ranked in the same submission, and keeps it out of others' tasks", async () => {
    const { project, italy, europe, twin } = await projectWithTwins();
    const author = await asUser("annotator", project.id);
    const a = (await claimTask({ projectId: project.id, userId: author.id, leaseMs: 60_000 }))!;
    const rw = crypto.randomUUID();
    const res = await submit(a.id, {
      ranks: { [rw]: 1, [europe]: 2, [italy]: 3, [twin]: 3 },
      flags: { [italy]: ["factually_wrong"], [twin]: ["factually_wrong"] },
      aspectRatings: { [rw]: { anything: 7 } },
      rewrites: [{ id: rw, parentId: italy, text: "  Paris is in France.\n" }],
    });
    // The default rubric has no aspects: the aspect is refused by name, and nothing is stored.
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`aspectRatings.${rw}.anything: not an aspect of this project (none)`);
    expect(await humanCompletions()).toEqual([]);

    const ok = await submit(a.id, { ranks: { [rw]: 1, [europe]: 2, [italy]: 3, [twin]: 3 }, rewrites: [{ id: rw, parentId: italy, text: "  Paris is in France.\n" }] });
    expect(ok.status).toBe(200);
    const [human] = await humanCompletions();
    expect(human).toMatchObject({ text: "Paris is in France.", source: "human", authorId: author.id, parentId: italy, modelId: "human", promptId: a.promptId });
    const { db, t } = getDb();
    const [ranking] = await db.select().from(t.rankings).where(eq(t.rankings.id, ok.body.rankingId));
    expect(ranking.ranks).toEqual({ [human.id]: 1, [europe]: 2, [italy]: 3, [twin]: 3 });
    // What the annotator saw: of the identical pair only the one shown first (the shuffle decides
    // which) was a card, as on the screen; the rewrite is not a shown completion.
    const hidden = a.shownOrder!.filter((id) => id === italy || id === twin)[1];
    expect(ranking.shownOrder).toEqual(a.shownOrder!.filter((id) => id !== hidden));

    const other = await asUser("annotator", project.id);
    const b = (await claimTask({ projectId: project.id, userId: other.id, leaseMs: 60_000 }))!;
    expect([...b.shownOrder!].sort()).toEqual([italy, europe, twin].sort());
    const split = await submit(b.id, { ranks: { [italy]: 1, [europe]: 2, [twin]: 3 } });
    expect(split.status).toBe(400);
    // The card shown is whichever of the pair came first in this annotator's shuffle; the other is named.
    const [shownCard, hiddenTwin] = b.shownOrder!.filter((id) => id === italy || id === twin);
    const given: Record<string, number> = { [italy]: 1, [twin]: 3 };
    expect(split.body.error.message).toBe(`ranks.${hiddenTwin}: its text is identical to ${shownCard}, so it must share that rank (${given[shownCard!]}), got ${given[hiddenTwin!]}`);
  });

  it("refuses an empty, oversized or unchanged rewrite with the field named", async () => {
    const { project, italy, europe, twin } = await projectWithTwins();
    const u = await asUser("annotator", project.id);
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    const rw = crypto.randomUUID();
    const attempt = (text: string) => submit(a.id, { ranks: { [rw]: 1, [europe]: 2, [italy]: 3, [twin]: 3 }, rewrites: [{ id: rw, parentId: italy, text }] });
    expect((await attempt(" \n ")).body.error.message).toBe("body.rewrites.0.text: must not be empty");
    const big = await attempt("x".repeat(20_001));
    expect(big.status).toBe(400);
    expect(big.body.error.message).toBe("body.rewrites.0.text: must be at most 20000 characters");
    expect((await attempt("Paris is in Italy.")).body.error.message).toBe("rewrites.0.text: is unchanged from the response it rewrites");
    expect(await humanCompletions()).toHaveLength(1); // only the first test's
  });

  it("validates submissions against the rubric an admin sets: best-only scale, own flags, aspects", async () => {
    const { project, italy, europe, twin } = await projectWithTwins();
    await asUser("admin");
    const rubric = { scale: "best", flags: [{ id: "unsafe", label: "Unsafe" }], overallRating: false, aspects: [{ id: "honesty", label: "Honesty", description: "No made-up facts" }] };
    const set = await patch(project.id, { rubric });
    expect(set.status).toBe(200);
    expect(set.body.project.rubric).toEqual({ ...rubric, flags: [{ id: "unsafe", label: "Unsafe", description: "" }] });

    const u = await asUser("annotator", project.id);
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    const full = await submit(a.id, { ranks: { [europe]: 1, [italy]: 2, [twin]: 2 }, flags: { [italy]: ["harmful"] } });
    expect(full.body.error.message).toBe(`flags.${italy}: "harmful" is not a flag of this project (unsafe)`);
    expect((await submit(a.id, { ranks: { [europe]: 1, [italy]: 2, [twin]: 2 }, ratings: { [europe]: 6 } })).body.error.message).toBe("ratings: this project does not ask for an overall rating");
    const ok = await submit(a.id, { ranks: { [europe]: 1, [italy]: 2, [twin]: 2 }, flags: { [italy]: ["unsafe"] }, aspectRatings: { [europe]: { honesty: 6 }, [italy]: { honesty: 1 } } });
    expect(ok.status).toBe(200);
    const { db, t } = getDb();
    const [ranking] = await db.select().from(t.rankings).where(and(eq(t.rankings.promptId, a.promptId), eq(t.rankings.userId, u.id)));
    expect(ranking.aspectRatings).toEqual({ [europe]: { honesty: 6 }, [italy]: { honesty: 1 } });
  });
});
