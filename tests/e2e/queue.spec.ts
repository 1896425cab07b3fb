import { expect, request, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { apiClientAs, signInAs, signInWithForm } from "./support/auth";

/*
 * The queue as a team lead runs it: the admin adds an annotator to a project
 * (with a quota), a non-member sees nothing and is refused, the member ranks
 * by keyboard the moment the task appears, fails a one-item qualification
 * batch and sees the expected order and the rationale, the admin resets them,
 * and the retake lets them into real work until their quota is reached.
 */
test.describe.configure({ mode: "serial" });

let projectId = "";
let firstGold = "";
const regular = ["Queue e2e: name a fruit.", "Queue e2e: name a river.", "Queue e2e: name a tool."];
const gold = ["Queue e2e gold: 2 + 2?", "Queue e2e gold: 3 + 3?"];
const answers = (p: string) => [`${p} best`, `${p} middle`, `${p} worst`];
const card = (page: Page) => page.getByTestId("completion-card");

async function importPrompts(admin: APIRequestContext, prompts: string[]): Promise<void> {
  const content = prompts.map((prompt) => JSON.stringify({ prompt, completions: answers(prompt) })).join("\n");
  expect((await admin.post(`/api/projects/${projectId}/prompts`, { data: { format: "jsonl", content } })).status()).toBe(200);
}

/** Marks each prompt's "… best" / "… worst" completion as its known answer, with a rationale. */
async function markGold(admin: APIRequestContext, prompts: string[]): Promise<void> {
  const list = (await (await admin.get(`/api/projects/${projectId}/prompts?limit=500`)).json()).prompts as { id: string; text: string }[];
  for (const text of prompts) {
    const id = list.find((p) => p.text === text)!.id;
    const { completions } = (await (await admin.get(`/api/prompts/${id}`)).json()) as { completions: { id: string; text: string }[] };
    const byText = (t: string) => completions.find((c) => c.text === t)!.id;
    const res = await admin.put(`/api/prompts/${id}/gold`, { data: { best: byText(`${text} best`), worst: byText(`${text} worst`), rationale: `Because ${text.split(": ")[1]} has one right answer.` } });
    expect(res.status()).toBe(200);
  }
}

async function pageAs(browser: Browser, role: "admin" | "annotator"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, role);
  return page;
}

/** Ranks the shown cards by keyboard in the order given, by the word their response ends with, and submits. */
async function rankByKeyboard(page: Page, order: ("best" | "middle" | "worst")[]): Promise<void> {
  for (const [i, word] of order.entries()) {
    // The card's text also holds its controls; the response itself is the paragraph ending in " best" etc.
    await card(page).filter({ has: page.getByText(new RegExp(` ${word}$`)) }).focus();
    await page.keyboard.press(String(i + 1));
  }
  await page.keyboard.press("Enter");
}

test("an admin adds an annotator with a quota from the project page; a non-member sees nothing and is refused", async ({ browser, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const created = await admin.post("/api/projects", { data: { name: `Queue e2e ${Date.now()}`, completionsPerPrompt: 3, rankingsPerPrompt: 2, decodingPresets: [{ name: "g", config: { temperature: 0 } }] } });
  projectId = (await created.json()).project.id;
  await importPrompts(admin, regular);

  const page = await pageAs(browser, "admin");
  await page.goto(`/admin/projects/${projectId}`);
  await page.getByLabel("Person").selectOption({ label: "Anna Annotator (annotator@demo.local, annotator)" });
  await page.getByLabel("Quota (optional)").fill("2");
  await page.getByRole("button", { name: "Add member" }).click();
  const row = page.getByTestId("member-row").filter({ hasText: "Anna Annotator" });
  await expect(row).toBeVisible();
  await expect(row.getByLabel("Quota of Anna Annotator")).toHaveValue("2");

  // Someone invited as an annotator but not added to this project.
  const email = `queue-outsider-${crypto.randomUUID()}@queue.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const token = new URL((await (await admin.post("/api/invites", { data: { email, role: "annotator" } })).json()).url).pathname.split("/").pop()!;
  expect((await admin.post("/api/invites/accept", { data: { token, name: "Otto Outsider", password } })).status()).toBe(200);
  const outsider = await (await browser.newContext()).newPage();
  await signInWithForm(outsider, email, password);
  await expect(outsider).toHaveURL(/\/annotate$/);
  await expect(outsider.getByText("You are not a member of any active project yet")).toBeVisible();
  expect((await outsider.goto(`/annotate/${projectId}`))?.status()).toBe(403);
  const api = await request.newContext({ baseURL, storageState: await outsider.context().storageState() });
  const refused = await api.post(`/api/projects/${projectId}/tasks/next`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain("not a member");
});

test("after Start labeling the first response has focus, so 1 and j work at once", async ({ browser }) => {
  const page = await pageAs(browser, "annotator");
  await expect(page.getByTestId("annotate-projects")).toContainText("Queue e2e");
  await page.goto(`/annotate/${projectId}`);
  await expect(page.getByTestId("queue-status")).toContainText("Your quota here: 0 of 2 rankings.");
  await page.getByRole("button", { name: "Start labeling" }).click();
  await expect(card(page)).toHaveCount(3);
  await expect(card(page).first()).toBeFocused();
  // No click, no Tab: the keys act on the focused card straight away.
  const first = await card(page).first().getAttribute("data-completion-id");
  await page.keyboard.press("1");
  await expect(page.locator(`[data-completion-id="${first}"]`).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await page.keyboard.press("j");
  const second = page.locator('[data-testid="completion-card"]:focus');
  await expect(second).not.toHaveAttribute("data-completion-id", first!);
  await page.keyboard.press("2");
  await page.keyboard.press("j");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("my-progress")).toContainText(/You ranked \d+ today/);
  // The next task's first card has focus too.
  await expect(card(page).first()).toBeFocused();
});

test("a member on a qualification batch who misses the gold answer sees the expected order and why, and is then held back", async ({ browser, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  await importPrompts(admin, gold);
  await markGold(admin, gold);
  const adminPage = await pageAs(browser, "admin");
  await adminPage.goto(`/admin/projects/${projectId}`);
  await adminPage.getByLabel("Qualification batch (gold prompts)").fill("1");
  await adminPage.getByLabel("Pass mark (%)").fill("100");
  await adminPage.getByRole("button", { name: "Save gold rules" }).click();
  await expect(adminPage.getByText("Saved.")).toBeVisible();

  const page = await pageAs(browser, "annotator");
  await page.goto(`/annotate/${projectId}`);
  await expect(page.getByTestId("queue-status")).toContainText("Qualification: 0 of 1 done");
  await page.getByRole("button", { name: "Start labeling" }).click();
  // The regular task held since the previous test comes back first; skipping it releases it.
  await expect(card(page).first()).toContainText("Queue e2e: name a");
  await page.getByRole("button", { name: "Skip", exact: true }).click();
  await page.getByLabel("The prompt is unclear").check();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(card(page).first()).toContainText("Queue e2e gold");
  firstGold = (await card(page).first().textContent())!.includes(gold[0]) ? gold[0] : gold[1];
  await rankByKeyboard(page, ["worst", "middle", "best"]);

  const feedback = page.getByTestId("gold-feedback");
  await expect(feedback).toBeVisible();
  await expect(page.getByRole("heading", { name: "Not quite: this prompt has a known answer" })).toBeVisible();
  await expect(page.getByTestId("gold-expected")).toContainText("— the best");
  await expect(page.getByTestId("gold-expected")).toContainText("— the worst");
  await expect(page.getByTestId("gold-rationale")).toContainText("has one right answer.");
  await expect(page.getByTestId("qualification-result")).toContainText("Qualification not passed: 0 of 1 right, 1 needed.");
  await page.keyboard.press("Enter"); // "Next task" has focus
  await expect(page.getByRole("alert").filter({ hasText: "You did not pass this project's qualification" })).toBeVisible();
});

test("the admin sees the failed qualification and resets it; the retake lets the member into real work up to their quota", async ({ browser }) => {
  const adminPage = await pageAs(browser, "admin");
  await adminPage.goto(`/admin/projects/${projectId}`);
  const row = adminPage.getByTestId("member-row").filter({ hasText: "Anna Annotator" });
  await expect(row).toContainText("failed");
  await row.getByRole("button", { name: "Reset the qualification of Anna Annotator" }).click();
  await expect(row).toContainText("pending");

  const page = await pageAs(browser, "annotator");
  await page.goto(`/annotate/${projectId}`);
  await page.getByRole("button", { name: "Start labeling" }).click();
  // The retake uses the gold prompt not seen yet (the first one's answer was shown).
  await expect(card(page).first()).toContainText(gold.find((g) => g !== firstGold)!);
  await rankByKeyboard(page, ["best", "middle", "worst"]);
  await expect(page.getByTestId("qualification-result")).toContainText("Qualification passed");
  await page.getByRole("button", { name: "Next task" }).click();
  await expect(card(page)).toHaveCount(3);
  await expect(card(page).first()).toContainText("Queue e2e: name a");
  await rankByKeyboard(page, ["best", "middle", "worst"]);
  await expect(page.getByRole("status").filter({ hasText: "You reached your quota of 2 rankings in this project" })).toBeVisible();
});
