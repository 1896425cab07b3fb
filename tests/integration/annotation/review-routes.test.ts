import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/db/client";
import { getAnnotatorProfile } from "@/db/queries/annotator-profile";
import { getProjectStats } from "@/db/queries/project-stats";
import { createUser } from "@/db/queries/users";
import type { Role } from "@/lib/users/roles";
import { seedPreferenceProject } from "../../support/preference-seed";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// The routes run for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));

const { GET: queueRoute } = await import("@/app/api/reviews/route");
const { POST: decideRoute } = await import("@/app/api/reviews/[id]/route");
const { GET: mineRoute } = await import("@/app/api/rankings/route");
const { GET: rankingRoute, PUT: amendRoute } = await import("@/app/api/rankings/[id]/route");
const { GET: exportRoute } = await import("@/app/api/projects/[id]/export/route");
const { GET: cardRoute } = await import("@/app/api/projects/[id]/export/card/route");
const { GET: reliabilityRoute } = await import("@/app/api/projects/[id]/reliability/route");

let cleanup: () => Promise<void>;
let seeded: Awaited<ReturnType<typeof seedPreferenceProject>>;
let reviewer: SessionUser;
// Three annotators on four prompts: 0 and 1 agree everywhere, 2 always reverses them.
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  seeded = await seedPreferenceProject({
    annotators: 3,
    prompts: ["Sky?", "Grass?", "Sea?", "Snow?"].map((text, i) => ({ text, completions: [{ text: `good ${i}` }, { text: `fair ${i}` }, { text: `bad ${i}` }], ranks: [[1, 2, 3], [1, 2, 3], [3, 2, 1]] })),
  });
  const u = await createUser({ email: "rev@x.test", name: "Rhea", role: "reviewer", passwordHash: null });
  reviewer = { id: u.id, email: u.email, name: u.name, role: "reviewer", sessionId: "s" };
});
afterAll(() => cleanup());

const as = (who: SessionUser | { index: number; role?: Role }) => {
  session.user = "index" in who ? { id: seeded.users[who.index]!.id, email: "a@x", name: "A", role: who.role ?? "annotator", sessionId: "s" } : who;
};
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const call = async (res: Promise<Response>) => {
  const r = await res;
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { message: string } } };
};

async function rankingOf(annotator: number, prompt: number) {
  const { db, t } = getDb();
  const rows = await db.select().from(t.rankings);
  return rows.find((r) => r.userId === seeded.users[annotator]!.id && r.promptId === seeded.promptIds[prompt])!;
}

describe(`review and amend routes on ${testDialect}`, () => {
  it("lets a reviewer list the queue and decide, and nobody else", async () => {
    as(reviewer);
    const queue = await call(queueRoute(new Request(`http://t/api/reviews?projectId=${seeded.project.id}&limit=2`), ctx("")));
    expect(queue.status).toBe(200);
    expect(queue.body.total).toBe(12);
    const r = await rankingOf(2, 0);
    as({ index: 0 });
    expect((await call(decideRoute(new Request("http://t", json({ decision: "rejected", revision: 1 })), ctx(r.id)))).status).toBe(403);
    as(reviewer);
    const bad = await call(decideRoute(new Request("http://t", json({ decision: "maybe", revision: 1 })), ctx(r.id)));
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toContain("body.decision");
    const ok = await call(decideRoute(new Request("http://t", json({ decision: "rejected", revision: 1, note: "reversed everything" })), ctx(r.id)));
    expect(ok).toMatchObject({ status: 200, body: { reviewStatus: "rejected" } });
    expect((await call(decideRoute(new Request("http://t", json({ decision: "accepted", revision: 1 })), ctx(r.id)))).status).toBe(409);
  });

  it("lets an annotator list, open and amend their own pending ranking, and not someone else's", async () => {
    as({ index: 1 });
    const mine = await call(mineRoute(new Request(`http://t/api/rankings?projectId=${seeded.project.id}`), ctx("")));
    expect((mine.body.rankings as unknown[]).length).toBe(4);
    const r = await rankingOf(1, 1);
    const view = await call(rankingRoute(new Request("http://t"), ctx(r.id)));
    expect(view.body).toMatchObject({ ranking: { revision: 1, reviewStatus: "pending" }, revisions: [] });
    const reversed = Object.fromEntries(Object.entries(r.ranks).map(([id, k]) => [id, 4 - k]));
    const body = { ranks: reversed, flags: {}, ratings: {}, rationale: "changed my mind", timeSpentMs: 10, submissionKey: crypto.randomUUID(), revision: 1 };
    as({ index: 0 });
    expect((await call(amendRoute(new Request("http://t", { ...json(body), method: "PUT" }), ctx(r.id)))).status).toBe(404);
    as({ index: 1 });
    expect(await call(amendRoute(new Request("http://t", { ...json(body), method: "PUT" }), ctx(r.id)))).toMatchObject({ status: 200, body: { revision: 2, duplicate: false } });
    const stale = await call(amendRoute(new Request("http://t", { ...json({ ...body, submissionKey: crypto.randomUUID() }), method: "PUT" }), ctx(r.id)));
    expect(stale.status).toBe(409);
  });

  it("exports by review status, drops or weights by reliability, and reports the acceptance rate", async () => {
    as({ index: 0, role: "researcher" });
    const get = async (route: typeof exportRoute, q: string) => (await route(new Request(`http://t/export?${q}`), ctx(seeded.project.id))).text();
    const rows = (text: string) => text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { annotatorId: string; reviewStatus: string; weight?: number });
    const all = rows(await get(exportRoute, "format=raw-rankings&pseudonymise=false"));
    expect(all).toHaveLength(11); // the rejected one is left out by default
    expect(rows(await get(exportRoute, "format=raw-rankings&reviewStatus=rejected")).map((r) => r.reviewStatus)).toEqual(["rejected"]);
    const weighted = rows(await get(exportRoute, "format=raw-rankings&pseudonymise=false&weights=reliability"));
    const weightOf = (i: number) => weighted.find((r) => r.annotatorId === seeded.users[i]!.id)!.weight!;
    expect(weightOf(0)).toBeGreaterThan(0.8);
    expect(weightOf(2)).toBeLessThan(0.3);
    const kept = rows(await get(exportRoute, "format=raw-rankings&pseudonymise=false&minReliability=0.5"));
    expect(new Set(kept.map((r) => r.annotatorId)).has(seeded.users[2]!.id)).toBe(false);
    const refused = await exportRoute(new Request("http://t/export?format=trl-standard&weights=reliability"), ctx(seeded.project.id));
    expect(refused.status).toBe(400);
    const card = await get(cardRoute, "format=csv");
    expect(card).toContain("- Review: 0 accepted, 0 adjudicated (re-ranked by a reviewer), 1 rejected, 11 pending; acceptance rate 0.0% of reviewed rankings");
    expect(card).toContain("- Review status: pending, accepted, adjudicated");
  });

  it("serves reliability to staff, and the stats and drill-down leave rejected rankings out of N", async () => {
    as({ index: 0 });
    expect((await reliabilityRoute(new Request("http://t"), ctx(seeded.project.id))).status).toBe(403);
    as({ index: 0, role: "researcher" });
    const { body } = await call(reliabilityRoute(new Request("http://t"), ctx(seeded.project.id)));
    const rel = (i: number) => (body.reliability as Record<string, { eta: number; judgements: number }>)[seeded.users[i]!.id]!;
    expect(rel(0).eta).toBeGreaterThan(rel(2).eta);
    expect(rel(0).judgements).toBe(12);
    expect((await reliabilityRoute(new Request("http://t"), ctx(crypto.randomUUID()))).status).toBe(404);
    const stats = (await getProjectStats({ projectId: seeded.project.id }))!;
    // The rejected ranking no longer counts: its prompt is one short of N = 3.
    expect(stats.prompts.done).toBe(3);
    const view = (await getAnnotatorProfile({ projectId: seeded.project.id, userId: seeded.users[2]!.id }))!;
    expect(view.profile.rankings).toBe(4);
    // 24 comparisons with the other two; only annotator 1's amended (reversed) ranking of "Grass?" agrees (3).
    expect(view.profile.agreement).toEqual({ agreements: 3, comparisons: 24, rate: 0.125 });
    expect(view.review).toEqual({ pending: 3, accepted: 0, adjudicated: 0, rejected: 1 });
    expect(await getAnnotatorProfile({ projectId: seeded.project.id, userId: crypto.randomUUID() })).toBeNull();
  });
});
