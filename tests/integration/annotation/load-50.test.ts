import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { addMembers } from "@/db/queries/members";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { setupTestDatabase, testDialect } from "../../support/test-db";

/*
 * The load test, at the route-handler level: 50 annotators at once
 * claim (POST /api/projects/[id]/tasks/next), rank and submit
 * (POST /api/assignments/[id]/ranking) or skip (…/skip) through the real
 * handlers and database, as the ranking screen does — a retry after a lost
 * answer resends the same submission key. Then the database is checked:
 * every acknowledged ranking stored exactly once, nothing stored that was not
 * acknowledged, every prompt at exactly N rankings, no annotator twice on a
 * prompt, every ranking dense (1..m, ties allowed) over exactly the
 * completions its assignment showed.
 */

// Each simulated annotator's requests run in its own async context, so "who is signed in" follows the request.
const signedIn = vi.hoisted(() => ({ als: null as AsyncLocalStorage<SessionUser> | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => signedIn.als?.getStore() ?? null }));
signedIn.als = new AsyncLocalStorage<SessionUser>();

const { POST: nextTask } = await import("@/app/api/projects/[id]/tasks/next/route");
const { POST: submit } = await import("@/app/api/assignments/[id]/ranking/route");
const { POST: skip } = await import("@/app/api/assignments/[id]/skip/route");

const ANNOTATORS = 50;
const PROMPTS = 60;
const K = 3;
const N = 3;

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

type Route = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
interface Task {
  assignmentId: string;
  completions: { id: string }[];
}

async function post<T>(route: Route, url: string, id: string, body?: unknown): Promise<{ status: number; body: T }> {
  const init = body === undefined ? { method: "POST" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await route(new Request(`http://test${url}`, init), { params: Promise.resolve({ id }) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Dense ranks over the shown completions, in a random order, a third of them with a tie: 1,2,3 / 1,1,2 / 1,2,2. */
function rank(task: Task): Record<string, unknown> {
  const patterns = [[1, 2, 3], [1, 1, 2], [1, 2, 2]];
  const ranks = patterns[Math.floor(Math.random() * patterns.length)];
  const order = task.completions.map((c) => c.id).sort(() => Math.random() - 0.5);
  return {
    ranks: Object.fromEntries(order.map((id, i) => [id, ranks[i]])),
    shownOrder: task.completions.map((c) => c.id),
    timeSpentMs: 1000 + Math.floor(Math.random() * 5000),
    rationale: "load test",
    submissionKey: crypto.randomUUID(),
  };
}

interface Outcome {
  acked: Map<string, string>; // submission key -> ranking id
  retried: number;
  skipped: { userId: string; assignmentId: string }[];
  statuses: Record<string, number>;
}

async function annotate(projectId: string, user: SessionUser, out: Outcome, holding: { n: number }): Promise<void> {
  const count = (k: string) => (out.statuses[k] = (out.statuses[k] ?? 0) + 1);
  for (;;) {
    const next = await post<{ task: Task | null }>(nextTask, `/api/projects/${projectId}/tasks/next`, projectId);
    count(`next ${next.status}`);
    if (next.status !== 200) return;
    const task = next.body.task;
    if (!task) {
      // The queue is empty for me; it stays so unless someone who holds a task skips it.
      if (holding.n === 0) return;
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    holding.n++;
    try {
      if (Math.random() < 0.1) {
        const s = await post(skip, `/api/assignments/${task.assignmentId}/skip`, task.assignmentId, { reason: "load test: not sure" });
        count(`skip ${s.status}`);
        if (s.status === 200) out.skipped.push({ userId: user.id, assignmentId: task.assignmentId });
        continue;
      }
      const body = rank(task);
      const res = await post<{ rankingId: string; duplicate: boolean }>(submit, `/api/assignments/${task.assignmentId}/ranking`, task.assignmentId, body);
      count(`submit ${res.status}`);
      if (res.status !== 200) continue;
      out.acked.set(body.submissionKey as string, res.body.rankingId);
      // Every tenth answer "is lost": the screen sends the same submission again.
      if (Math.random() < 0.1) {
        const again = await post<{ rankingId: string; duplicate: boolean }>(submit, `/api/assignments/${task.assignmentId}/ranking`, task.assignmentId, body);
        count(`resubmit ${again.status}`);
        expect(again.body).toMatchObject({ rankingId: res.body.rankingId, duplicate: true });
        out.retried++;
      }
    } finally {
      holding.n--;
    }
  }
}

describe(`${ANNOTATORS} annotators at once through the route handlers on ${testDialect}`, () => {
  it("lose no ranking and duplicate none: every prompt ends at exactly N dense rankings of what each annotator was shown", { timeout: 300_000 }, async () => {
    const project = await createProject({ name: `load-${Math.random()}`, completionsPerPrompt: K, rankingsPerPrompt: N, modelId: "demo", decodingPresets: [] });
    await importPrompts({
      projectId: project.id,
      source: "test",
      prompts: Array.from({ length: PROMPTS }, (_, i) => ({ text: `prompt ${i}`, completions: Array.from({ length: K }, (_, j) => `answer ${i}.${j}`) })),
    });
    const users = await Promise.all(
      Array.from({ length: ANNOTATORS }, (_, i) => createUser({ email: `load${i}-${Math.random()}@test.local`, name: `L${i}`, role: "annotator", passwordHash: null })),
    );
    // Annotators label only projects they are members of.
    await addMembers({ projectId: project.id, userIds: users.map((u) => u.id), addedBy: users[0]!.id });
    const out: Outcome = { acked: new Map(), retried: 0, skipped: [], statuses: {} };
    const holding = { n: 0 };
    await Promise.all(
      users.map((u) => {
        const session: SessionUser = { id: u.id, email: u.email, name: u.name, role: "annotator", sessionId: `s-${u.id}` };
        return signedIn.als!.run(session, () => annotate(project.id, session, out, holding));
      }),
    );
    console.log(`[load-50] ${out.acked.size} rankings acknowledged, ${out.retried} resent, ${out.skipped.length} tasks skipped; ${JSON.stringify(out.statuses)}`);

    // Every request was answered as the flow expects: no conflicts, no server errors.
    expect(Object.keys(out.statuses).filter((k) => !k.endsWith(" 200"))).toEqual([]);
    const { db, t } = getDb();
    const rankings = (await db.select().from(t.rankings)).filter((r) => r.projectId === project.id);
    const assignments = new Map((await db.select().from(t.assignments)).filter((a) => a.projectId === project.id).map((a) => [a.id, a]));
    const completionsOf = new Map<string, string[]>();
    for (const c of await db.select().from(t.completions)) completionsOf.set(c.promptId, [...(completionsOf.get(c.promptId) ?? []), c.id]);

    // Stored exactly once per acknowledgement, and nothing that was not acknowledged.
    expect(rankings).toHaveLength(out.acked.size);
    expect(new Set(rankings.map((r) => r.submissionKey))).toEqual(new Set(out.acked.keys()));
    for (const r of rankings) expect(out.acked.get(r.submissionKey)).toBe(r.id);
    // Every prompt at exactly N, never one annotator twice on a prompt.
    const perPrompt = new Map<string, number>();
    for (const r of rankings) perPrompt.set(r.promptId, (perPrompt.get(r.promptId) ?? 0) + 1);
    expect(perPrompt.size).toBe(PROMPTS);
    expect([...perPrompt.values()].every((n) => n === N)).toBe(true);
    expect(new Set(rankings.map((r) => `${r.promptId}:${r.userId}`)).size).toBe(rankings.length);
    // Each ranking is whole: its assignment submitted, its ranks dense over exactly the completions that assignment showed.
    for (const r of rankings) {
      const a = assignments.get(r.assignmentId!)!;
      expect(a.status).toBe("submitted");
      expect(a.userId).toBe(r.userId);
      expect([...(a.shownOrder ?? [])].sort()).toEqual([...completionsOf.get(r.promptId)!].sort());
      expect(Object.keys(r.ranks).sort()).toEqual([...(a.shownOrder ?? [])].sort());
      const levels = [...new Set(Object.values(r.ranks))].sort();
      expect(levels).toEqual(Array.from({ length: levels.length }, (_, i) => i + 1));
    }
    // Skips stay skips (no ranking by that annotator), and no assignment is left half-done.
    for (const s of out.skipped) expect(assignments.get(s.assignmentId)?.status).toBe("skipped");
    const skippedPairs = new Set(out.skipped.map((s) => `${assignments.get(s.assignmentId)!.promptId}:${s.userId}`));
    expect(rankings.filter((r) => skippedPairs.has(`${r.promptId}:${r.userId}`))).toEqual([]);
    expect([...assignments.values()].filter((a) => a.status === "active")).toEqual([]);
    expect([...assignments.values()].filter((a) => a.status === "submitted")).toHaveLength(rankings.length);
  });
});
