import { expect, type APIRequestContext } from "@playwright/test";

/**
 * A fresh active project (so other specs' rankings do not matter) whose
 * prompts arrive with their three completions, so no generation is needed.
 * N is the rankings wanted per prompt.
 */
export async function projectWithPrompts(admin: APIRequestContext, name: string, prompts: string[], n: number): Promise<string> {
  const created = await admin.post("/api/projects", {
    data: { name, completionsPerPrompt: 3, rankingsPerPrompt: n, modelId: "demo", decodingPresets: [{ name: "greedy", config: { temperature: 0 } }] },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { project } = await created.json();
  const content = prompts.map((prompt, i) => JSON.stringify({ prompt, completions: [`A short answer ${i}.`, `A somewhat longer answer number ${i}.`, `Answer ${i}, the longest of the three by a clear margin.`] })).join("\n");
  const imported = await admin.post(`/api/projects/${project.id}/prompts`, { data: { format: "jsonl", content } });
  expect(imported.status(), await imported.text()).toBe(200);
  await addLabellers(admin, project.id);
  return project.id;
}

/**
 * Makes every active annotator and reviewer a member of the project: they
 * see and label only projects they belong to. Call again after inviting
 * someone new.
 */
export async function addLabellers(admin: APIRequestContext, projectId: string): Promise<void> {
  const { users } = (await (await admin.get("/api/users")).json()) as { users: { id: string; role: string; disabled?: boolean }[] };
  const userIds = users.filter((u) => (u.role === "annotator" || u.role === "reviewer") && !u.disabled).map((u) => u.id);
  const added = await admin.post(`/api/projects/${projectId}/members`, { data: { userIds } });
  expect(added.status(), await added.text()).toBe(200);
}

/** Claims and ranks every prompt the queue hands `api` (first shown best), with a rationale; returns how many. */
export async function rankAllShownOrder(api: APIRequestContext, projectId: string): Promise<number> {
  let n = 0;
  for (;;) {
    const { task } = await (await api.post(`/api/projects/${projectId}/tasks/next`)).json();
    if (!task) return n;
    const ranks = Object.fromEntries(task.completions.map((c: { id: string }, i: number) => [c.id, i + 1]));
    const res = await api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: { ranks, rationale: "The first one reads best.", timeSpentMs: 4000, submissionKey: crypto.randomUUID() } });
    expect(res.status(), await res.text()).toBe(200);
    n++;
  }
}

/**
 * Invites a throw-away user with `role` and accepts the invite, so a spec
 * does not change the demo users' counts that other specs read.
 */
export async function invitedUser(admin: APIRequestContext, role: "annotator" | "reviewer", name: string): Promise<{ email: string; password: string }> {
  const email = `${role}-${crypto.randomUUID()}@e2e.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const invite = await admin.post("/api/invites", { data: { email, role } });
  expect(invite.status(), "invite").toBe(200);
  const token = new URL((await invite.json()).url).pathname.split("/").pop()!;
  expect((await admin.post("/api/invites/accept", { data: { token, name, password } })).status(), "accept invite").toBe(200);
  return { email, password };
}
