import { expect, request, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { addLabellers } from "./support/projects";
import { apiClientAs } from "./support/auth";
import { addMember } from "./support/members";

/*
 * Security behaviour of the built server: headers, stored XSS through every
 * text a user can store, access between annotators and roles, and the
 * sign-in throttle. Throw-away users are invited for each check, so the demo
 * logins the other specs use are never throttled or changed.
 */

const SCRIPT = "<script>window.__xss=1</script>";
const IMG = `<img src=x onerror="window.__xss=1">`;
const PAYLOAD = `${SCRIPT} ${IMG}`;

/** Invites and signs in a new user; returns their API client and credentials. */
async function newUser(admin: APIRequestContext, baseURL: string, role: "annotator" | "researcher", name: string) {
  const email = `sec-${role}-${crypto.randomUUID()}@security.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const invite = await admin.post("/api/invites", { data: { email, role } });
  expect(invite.status(), "invite").toBe(200);
  const token = new URL((await invite.json()).url).pathname.split("/").pop()!;
  expect((await admin.post("/api/invites/accept", { data: { token, name, password } })).status(), "accept invite").toBe(200);
  const api = await signInAs(baseURL, email, password);
  return { api, email, password };
}

async function signInAs(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const csrf = await (await ctx.get("/api/auth/csrf")).json();
  await ctx.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email, password, json: "true" } });
  expect((await ctx.get("/api/me")).status(), `session for ${email}`).toBe(200);
  return ctx;
}

/** A project whose name, prompt and completions all carry the payload. */
async function xssProject(admin: APIRequestContext): Promise<string> {
  const created = await admin.post("/api/projects", {
    data: { name: `XSS ${PAYLOAD}`, guidelines: PAYLOAD, completionsPerPrompt: 2, rankingsPerPrompt: 3, decodingPresets: [{ name: "g", config: { temperature: 0 } }] },
  });
  expect(created.status(), "create project").toBe(200);
  const id: string = (await created.json()).project.id;
  await addLabellers(admin, id);
  const line = JSON.stringify({ prompt: `Prompt ${PAYLOAD} end`, completions: [`First ${SCRIPT} answer`, `Second ${IMG} answer`] });
  expect((await admin.post(`/api/projects/${id}/prompts`, { data: { format: "jsonl", content: line } })).status(), "import").toBe(200);
  return id;
}

/** Opens `path` in a browser signed in as the API client's user and checks nothing ran. */
async function openAs(browser: Browser, api: APIRequestContext, path: string, check: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ storageState: await api.storageState() });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  await check(page);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), `script ran on ${path}`).toBeUndefined();
  expect(dialogs).toEqual([]);
  await context.close();
}

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/", "/login", "/api/health"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], path).toContain("object-src 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBeTruthy();
    expect(h["x-powered-by"], path).toBeUndefined();
    // HSTS only when NEXTAUTH_URL is https; the test server is plain http on loopback.
    expect(h["strict-transport-security"], path).toBeUndefined();
  }
});

test("stored script in project, prompt, completion, rationale and user name is shown as text, never run", async ({ browser, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await xssProject(admin);
  const annotator = await newUser(admin, baseURL!, "annotator", `Eve ${IMG}`.slice(0, 100));
  await addMember(admin, projectId, annotator.email);

  // The annotator holds the task; the page shows the same held task.
  const next = await annotator.api.post(`/api/projects/${projectId}/tasks/next`);
  const task = (await next.json()).task;
  expect(task, "a task").toBeTruthy();
  await openAs(browser, annotator.api, `/annotate/${projectId}`, async (page) => {
    await expect(page.getByText(SCRIPT).first()).toBeVisible();
    await expect(page.getByText(IMG).first()).toBeVisible();
  });

  const ranks = Object.fromEntries(task.completions.map((c: { id: string }, i: number) => [c.id, i + 1]));
  const submit = await annotator.api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: { ranks, flags: {}, ratings: {}, rationale: `Because ${PAYLOAD}`, timeSpentMs: 1000, submissionKey: crypto.randomUUID() } });
  expect(submit.status(), "submit").toBe(200);

  await openAs(browser, admin, `/admin/projects/${projectId}`, async (page) => {
    await expect(page.getByRole("heading", { name: `XSS ${PAYLOAD}` })).toBeVisible();
  });
  await openAs(browser, admin, "/admin/users", async (page) => {
    await expect(page.getByText(`Eve ${IMG}`).first()).toBeVisible();
  });
  await openAs(browser, admin, "/admin", async () => {});
});

test("an annotator cannot submit or skip another annotator's task, nor read stats or exports", async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await xssProject(admin);
  const alice = await newUser(admin, baseURL!, "annotator", "Alice");
  const bob = await newUser(admin, baseURL!, "annotator", "Bob");
  await addMember(admin, projectId, alice.email);
  const task = (await (await alice.api.post(`/api/projects/${projectId}/tasks/next`)).json()).task;
  const ranks = Object.fromEntries(task.completions.map((c: { id: string }, i: number) => [c.id, i + 1]));
  const body = { ranks, flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey: crypto.randomUUID() };
  // Someone else's assignment is "not found", so its existence is not confirmed either.
  expect((await bob.api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: body })).status()).toBe(404);
  expect((await bob.api.post(`/api/assignments/${task.assignmentId}/skip`, { data: { reason: "not mine" } })).status()).toBe(404);
  // Alice's own submission still goes through afterwards: Bob's attempt did not consume it.
  expect((await alice.api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: body })).status()).toBe(200);
  for (const path of ["/api/projects", `/api/projects/${projectId}`, `/api/projects/${projectId}/stats`, `/api/projects/${projectId}/prompts`, `/api/projects/${projectId}/export?format=jsonl`, `/api/projects/${projectId}/export/card`, "/api/users", "/api/audit"]) {
    expect((await bob.api.get(path)).status(), `GET ${path} as annotator`).toBe(403);
  }
});

test("a ranking with gaps, of other completions, or for a paused project is refused; a dense one with ties is stored", async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await xssProject(admin);
  const dense = await newUser(admin, baseURL!, "annotator", "Dense");
  await addMember(admin, projectId, dense.email);
  const { api } = dense;
  const task = (await (await api.post(`/api/projects/${projectId}/tasks/next`)).json()).task;
  const [a, b] = task.completions.map((c: { id: string }) => c.id);
  const send = (ranks: Record<string, number>, extra: Record<string, unknown> = {}) =>
    api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: { ranks, flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey: crypto.randomUUID(), ...extra } });
  const gaps = await send({ [a]: 2, [b]: 2 });
  expect(gaps.status(), "ranks {2, 2}").toBe(400);
  expect((await gaps.json()).error.message).toMatch(/^ranks: must be dense/);
  expect((await send({ [a]: 1, [b]: 2 }, { shownOrder: [b, a] })).status(), "another shown order").toBe(400);
  expect((await admin.patch(`/api/projects/${projectId}`, { data: { status: "paused" } })).status()).toBe(200);
  expect((await send({ [a]: 1, [b]: 1 })).status(), "paused project").toBe(409);
  expect((await admin.patch(`/api/projects/${projectId}`, { data: { status: "active" } })).status()).toBe(200);
  expect((await send({ [a]: 1, [b]: 1 }, { shownOrder: [a, b] })).status(), "a tie").toBe(200);
});

test("a researcher cannot manage users", async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const researcher = await apiClientAs(baseURL!, "researcher");
  const someone = ((await (await admin.get("/api/users")).json()).users as { id: string; role: string }[]).find((u) => u.role === "annotator")!;
  expect((await researcher.get("/api/users")).status()).toBe(403);
  expect((await researcher.patch(`/api/users/${someone.id}`, { data: { role: "admin" } })).status()).toBe(403);
  expect((await researcher.patch(`/api/users/${someone.id}`, { data: { disabled: true } })).status()).toBe(403);
  expect((await researcher.post("/api/invites", { data: { email: `x-${crypto.randomUUID()}@security.test`, role: "admin" } })).status()).toBe(403);
  const after = ((await (await admin.get("/api/users")).json()).users as { id: string; role: string; disabled: boolean }[]).find((u) => u.id === someone.id)!;
  expect({ role: after.role, disabled: after.disabled }).toEqual({ role: "annotator", disabled: false });
});

test("repeated wrong passwords for one account get slower", async ({ baseURL, request }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const { email } = await newUser(admin, baseURL!, "annotator", "Throttled");
  const csrf = await (await request.get("/api/auth/csrf")).json();
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const started = Date.now();
    const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email, password: `wrong-${i}`, json: "true" } });
    times.push(Date.now() - started);
    expect(res.status(), `attempt ${i + 1}`).toBeLessThan(500);
  }
  console.log(`[throttle] wrong-password attempts took ${times.join(", ")} ms`);
  // The first three are free; the 4th–6th wait 0.5, 1 and 2 s. Generous margin for a busy machine.
  expect(times[5] - times[0]).toBeGreaterThanOrEqual(400);
});

test("parallel wrong passwords for one account are checked one after another, so the later ones wait", async ({ baseURL, request }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const { email } = await newUser(admin, baseURL!, "annotator", "Parallel");
  const csrf = await (await request.get("/api/auth/csrf")).json();
  const started = Date.now();
  // Four at once (few: every e2e sign-in comes from 127.0.0.1, which may fail 20 times in 15 minutes).
  const took = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email, password: `wrong-${i}`, json: "true" } });
      expect(res.status(), `attempt ${i + 1}`).toBeLessThan(500);
      return Date.now() - started;
    }),
  );
  console.log(`[throttle] parallel wrong-password attempts finished after ${took.join(", ")} ms`);
  // Checked together they would all see no earlier failure; one at a time, the fourth waits 0.5 s.
  expect(Math.max(...took)).toBeGreaterThanOrEqual(450);
});

