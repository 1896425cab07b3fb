import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { submitRanking } from "@/db/queries/rankings";
import { claimTask, skipTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

async function makeProject(opts: { prompts: number; n: number; k?: number }) {
  const k = opts.k ?? 3;
  const project = await createProject({ name: `q-${Math.random()}`, completionsPerPrompt: k, rankingsPerPrompt: opts.n, modelId: "demo", decodingPresets: [] });
  await importPrompts({
    projectId: project.id,
    source: "test",
    prompts: Array.from({ length: opts.prompts }, (_, i) => ({ text: `prompt ${i}`, completions: Array.from({ length: k }, (_, j) => `answer ${i}.${j}`) })),
  });
  return project;
}

async function makeUsers(n: number) {
  return Promise.all(Array.from({ length: n }, (_, i) => createUser({ email: `a${i}-${Math.random()}@x.test`, name: `A${i}`, role: "annotator", passwordHash: null })));
}

function rankAll(order: string[], key = crypto.randomUUID()) {
  return { ranks: Object.fromEntries(order.map((id, i) => [id, i + 1])), flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey: key };
}

describe(`task queue on ${testDialect}`, () => {
  it("gives every prompt exactly N rankings under many concurrent annotators, none twice by one person", async () => {
    const project = await makeProject({ prompts: 12, n: 3 });
    const users = await makeUsers(10);
    let acknowledged = 0;
    // Each annotator loops: claim → submit, all at once, until the queue is empty for them.
    await Promise.all(
      users.map(async (u) => {
        for (;;) {
          const a = await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 });
          if (!a) return;
          await submitRanking({ assignmentId: a.id, userId: u.id, input: rankAll(a.shownOrder!) });
          acknowledged++;
        }
      }),
    );
    const { db, t } = getDb();
    const rows = await db.select().from(t.rankings);
    const mine = rows.filter((r) => r.projectId === project.id);
    expect(mine.length).toBe(12 * 3);
    expect(acknowledged).toBe(mine.length);
    const perPrompt = new Map<string, number>();
    const pairs = new Set<string>();
    for (const r of mine) {
      perPrompt.set(r.promptId, (perPrompt.get(r.promptId) ?? 0) + 1);
      pairs.add(`${r.promptId}:${r.userId}`);
    }
    expect([...perPrompt.values()].every((n) => n === 3)).toBe(true);
    expect(pairs.size).toBe(mine.length);
  });

  it("never hands one slot to two annotators claiming at the same moment", async () => {
    const project = await makeProject({ prompts: 1, n: 1 });
    const users = await makeUsers(8);
    const claims = await Promise.all(users.map((u) => claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 })));
    expect(claims.filter(Boolean).length).toBe(1);
  });

  it("returns an abandoned task to the queue when its lease expires, and refuses the late submission", async () => {
    const project = await makeProject({ prompts: 1, n: 1 });
    const [slow, fast] = await makeUsers(2);
    const held = await claimTask({ projectId: project.id, userId: slow.id, leaseMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const taken = await claimTask({ projectId: project.id, userId: fast.id, leaseMs: 60_000 });
    expect(taken?.promptId).toBe(held?.promptId);
    await expect(submitRanking({ assignmentId: held!.id, userId: slow.id, input: rankAll(held!.shownOrder!) })).rejects.toMatchObject({ code: "gone" });
  });

  it("is idempotent: the same submission twice stores one ranking", async () => {
    const project = await makeProject({ prompts: 1, n: 1 });
    const [u] = await makeUsers(1);
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    const input = rankAll(a.shownOrder!);
    const [first, second] = await Promise.all([
      submitRanking({ assignmentId: a.id, userId: u.id, input }),
      submitRanking({ assignmentId: a.id, userId: u.id, input }),
    ]);
    expect(first.ranking.id).toBe(second.ranking.id);
    const { db, t } = getDb();
    expect((await db.select().from(t.rankings)).filter((r) => r.promptId === a.promptId)).toHaveLength(1);
  });

  it("refuses rankings that do not rank exactly the prompt's completions, storing nothing", async () => {
    const project = await makeProject({ prompts: 1, n: 1 });
    const [u] = await makeUsers(1);
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    const order = a.shownOrder!;
    const bad = [
      { ...rankAll(order.slice(0, 2)) },
      { ...rankAll([...order, "not-a-completion"]) },
      { ...rankAll(order), ranks: Object.fromEntries(order.map((id) => [id, 7])) },
    ];
    for (const input of bad) await expect(submitRanking({ assignmentId: a.id, userId: u.id, input })).rejects.toMatchObject({ code: "bad_request" });
    const other = (await makeUsers(1))[0];
    await expect(submitRanking({ assignmentId: a.id, userId: other.id, input: rankAll(order) })).rejects.toMatchObject({ code: "not_found" });
    const { db, t } = getDb();
    expect((await db.select().from(t.rankings)).filter((r) => r.promptId === a.promptId)).toHaveLength(0);
  });

  it("never offers a prompt the annotator skipped", async () => {
    const project = await makeProject({ prompts: 1, n: 2 });
    const [u] = await makeUsers(1);
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    await skipTask({ id: a.id, userId: u.id, reason: "prompt unclear" });
    expect(await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 })).toBeNull();
  });

  it("shows each annotator the completions in their own stored order", async () => {
    const project = await makeProject({ prompts: 1, n: 9, k: 9 });
    const users = await makeUsers(6);
    const orders = new Set<string>();
    for (const u of users) orders.add((await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!.shownOrder!.join(","));
    // 6 random permutations of 9 items are all equal with negligible probability.
    expect(orders.size).toBeGreaterThan(1);
  });
});
