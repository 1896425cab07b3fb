import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_LOGINS } from "@/db/demo-logins";
import { addMembers, isProjectMember, listMembers, removeMember } from "@/db/queries/members";
import { listProjects } from "@/db/queries/projects";
import { submitRanking } from "@/db/queries/rankings";
import { claimTask } from "@/db/queries/tasks";
import { getUserByEmail } from "@/db/queries/users";
import { seedDemo } from "@/db/seed";
import type { SessionUser } from "@/lib/auth/session";
import { makeProject, makeUser, rankInOrder } from "../../support/queue-fixtures";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// The routes run for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));

const { POST: nextTask } = await import("@/app/api/projects/[id]/tasks/next/route");
const { POST: submit } = await import("@/app/api/assignments/[id]/ranking/route");
const { POST: skip } = await import("@/app/api/assignments/[id]/skip/route");
const { GET: listRoute, POST: addRoute } = await import("@/app/api/projects/[id]/members/route");
const { PATCH: patchRoute, DELETE: deleteRoute } = await import("@/app/api/projects/[id]/members/[userId]/route");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

type User = Awaited<ReturnType<typeof makeUser>>;
const as = (u: User) => {
  session.user = { id: u.id, email: u.email, name: u.name, role: u.role, sessionId: "s" };
};
const post = (url: string, body?: unknown) => new Request(`http://test${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

async function claimVia(u: User, projectId: string) {
  as(u);
  const res = await nextTask(post(`/api/projects/${projectId}/tasks/next`), params({ id: projectId }));
  return { status: res.status, body: await res.json() };
}

describe(`project membership on ${testDialect}`, () => {
  it("lets an annotator list, claim, submit and skip only in projects they are a member of", async () => {
    const { project } = await makeProject({ prompts: [{ text: "a" }, { text: "b" }, { text: "c" }], n: 2 });
    const [member, outsider] = [await makeUser(), await makeUser()];
    await addMembers({ projectId: project.id, userIds: [member.id], addedBy: member.id });

    expect((await listProjects({ memberId: member.id })).map((p) => p.id)).toEqual([project.id]);
    expect(await listProjects({ memberId: outsider.id })).toEqual([]);
    const refused = await claimVia(outsider, project.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("not a member");

    const first = await claimVia(member, project.id);
    expect(first.status).toBe(200);
    const task = first.body.task;
    // The outsider cannot act on it either (not theirs: not found).
    as(outsider);
    expect((await submit(post(`/api/assignments/${task.assignmentId}/ranking`, rankInOrder(task.completions.map((c: { id: string }) => c.id))), params({ id: task.assignmentId }))).status).toBe(404);
    as(member);
    const ok = await submit(post(`/api/assignments/${task.assignmentId}/ranking`, rankInOrder(task.completions.map((c: { id: string }) => c.id))), params({ id: task.assignmentId }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).feedback).toBeNull();
    const second = (await claimVia(member, project.id)).body.task;
    expect((await skip(post(`/api/assignments/${second.assignmentId}/skip`, { reason: "unclear" }), params({ id: second.assignmentId }))).status).toBe(200);
  });

  it("refuses a removed member's submit and skip, and frees the prompt they held at once", async () => {
    const { project } = await makeProject({ prompts: [{ text: "only" }], n: 1 });
    const [admin, leaver, next] = [await makeUser("admin"), await makeUser(), await makeUser()];
    await addMembers({ projectId: project.id, userIds: [leaver.id, next.id], addedBy: admin.id });
    const task = (await claimVia(leaver, project.id)).body.task;
    expect((await claimVia(next, project.id)).body.task).toBeNull(); // N = 1 and the slot is held

    as(admin);
    expect((await deleteRoute(new Request("http://test", { method: "DELETE" }), params({ id: project.id, userId: leaver.id }))).status).toBe(200);
    expect(await isProjectMember({ projectId: project.id, userId: leaver.id })).toBe(false);

    as(leaver);
    const body = rankInOrder(task.completions.map((c: { id: string }) => c.id));
    expect((await submit(post(`/api/assignments/${task.assignmentId}/ranking`, body), params({ id: task.assignmentId }))).status).toBe(403);
    expect((await skip(post(`/api/assignments/${task.assignmentId}/skip`, { reason: "x" }), params({ id: task.assignmentId }))).status).toBe(403);
    expect((await claimVia(next, project.id)).body.task?.assignmentId).toBeTruthy();
  });

  it("makes the demo annotator a member of the demo project when the seed creates it, and never re-adds them", async () => {
    const { projectId } = await seedDemo();
    const annotator = (await getUserByEmail({ email: DEMO_LOGINS.find((l) => l.role === "annotator")!.email }))!;
    expect(await isProjectMember({ projectId, userId: annotator.id })).toBe(true);
    await removeMember({ projectId, userId: annotator.id });
    await seedDemo();
    expect(await isProjectMember({ projectId, userId: annotator.id })).toBe(false);
  });

  it("lets admins and researchers label any project without being members", async () => {
    const { project } = await makeProject({ prompts: [{ text: "a" }, { text: "b" }], n: 2 });
    for (const role of ["admin", "researcher"] as const) expect((await claimVia(await makeUser(role), project.id)).body.task).not.toBeNull();
  });

  it("manages members through admin-only routes that validate their input", async () => {
    const { project } = await makeProject({ prompts: [{ text: "a" }], n: 1 });
    const [admin, researcher, a, b] = [await makeUser("admin"), await makeUser("researcher"), await makeUser(), await makeUser()];
    as(researcher);
    expect((await addRoute(post(`/api/projects/${project.id}/members`, { userIds: [a.id] }), params({ id: project.id }))).status).toBe(403);
    expect((await listRoute(new Request("http://test"), params({ id: project.id }))).status).toBe(200);

    as(admin);
    const added = await addRoute(post(`/api/projects/${project.id}/members`, { userIds: [a.id, b.id], quota: 5, tags: ["Math", "math"], languages: [] }), params({ id: project.id }));
    expect(await added.json()).toEqual({ added: [a.id, b.id], already: [] });
    const again = await addRoute(post(`/api/projects/${project.id}/members`, { userIds: [a.id] }), params({ id: project.id }));
    expect(await again.json()).toEqual({ added: [], already: [a.id] });
    const members = await listMembers({ projectId: project.id });
    expect(members.find((m) => m.userId === a.id)).toMatchObject({ role: "annotator", quota: 5, tags: ["math"], languages: null });

    const bad = [
      { quota: -1 }, { languages: ["english!"] }, { role: "owner" }, {}, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
    ];
    for (const body of bad) {
      const res = await patchRoute(new Request("http://test", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), params({ id: project.id, userId: a.id }));
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const unknownUser = await addRoute(post(`/api/projects/${project.id}/members`, { userIds: [crypto.randomUUID()] }), params({ id: project.id }));
    expect(unknownUser.status).toBe(404);
    const patched = await patchRoute(new Request("http://test", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ quota: null, role: "reviewer" }) }), params({ id: project.id, userId: a.id }));
    expect((await patched.json()).member).toMatchObject({ quota: null, role: "reviewer" });
  });
});

describe(`quota and targeting on ${testDialect}`, () => {
  async function drain(projectId: string, userId: string) {
    const got: string[] = [];
    for (;;) {
      const a = await claimTask({ projectId, userId, leaseMs: 60_000 });
      if (!a) return got;
      got.push(a.promptId);
      await submitRanking({ assignmentId: a.id, userId, input: rankInOrder(a.shownOrder!) });
    }
  }

  it("stops handing out work once a member's quota of regular rankings is reached, and says why", async () => {
    const { project } = await makeProject({ prompts: ["a", "b", "c", "d"].map((text) => ({ text })), n: 1 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id, quota: 2 });
    expect(await drain(project.id, u.id)).toHaveLength(2);
    const { body } = await claimVia(u, project.id);
    expect(body).toMatchObject({ task: null, queue: { quota: 2, submitted: 2, quotaReached: true } });
  });

  it("hands a member limited to languages and tags only prompts that match", async () => {
    const { project, promptIds } = await makeProject({
      prompts: [
        { text: "de math", language: "de", tags: ["math"] },
        { text: "de chat", language: "de", tags: ["chat"] },
        { text: "en math", language: "en", tags: ["math", "code"] },
        { text: "untagged" },
      ],
      n: 3,
    });
    const [german, mathCoder, anyone] = [await makeUser(), await makeUser(), await makeUser()];
    await addMembers({ projectId: project.id, userIds: [german.id], addedBy: german.id, languages: ["de"] });
    await addMembers({ projectId: project.id, userIds: [mathCoder.id], addedBy: german.id, tags: ["math", "code"] });
    await addMembers({ projectId: project.id, userIds: [anyone.id], addedBy: german.id });
    const names = (ids: string[]) => ids.map((id) => [...promptIds].find(([, v]) => v === id)![0]).sort();
    expect(names(await drain(project.id, german.id))).toEqual(["de chat", "de math"]);
    expect(names(await drain(project.id, mathCoder.id))).toEqual(["de math", "en math"]);
    expect(names(await drain(project.id, anyone.id))).toHaveLength(4);
  });
});
