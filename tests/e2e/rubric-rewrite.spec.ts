import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { addLabellers } from "./support/projects";
import { apiClientAs, signInAs } from "./support/auth";

/*
 * Issue 19, the rubric part, as each role meets it: the admin configures the
 * project's rubric on its settings page (a bad field is named), an annotator
 * ranks with it, sees identical completions once and rewrites a response, a
 * researcher exports the result with the form's filters, and a best-only
 * project is ranked by picking the best.
 */
test.describe.configure({ mode: "serial" });

const PROMPT = "Where is Paris?";
const ITALY = "Paris is in Italy.";
const EUROPE = "In Europe.";
const REWRITE = "Paris is in **France**. <img src=x onerror=\"window.__xss=1\">";
let projectId = "";
let projectName = "";

const card = (page: Page, text: string) => page.getByTestId("completion-card").filter({ hasText: text });
// The project has one prompt: once it is ranked, the queue is empty for this annotator.
const queueEmpty = (page: Page) => expect(page.getByRole("status").filter({ hasText: "Nothing left to rank" })).toBeVisible();

async function startLabeling(page: Page) {
  await page.goto(`/annotate/${projectId}`);
  await page.getByRole("button", { name: "Start labeling" }).click();
  await expect(page.getByTestId("completion-card").first()).toBeVisible();
}

test.beforeAll(async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  projectName = `Rubric e2e ${Date.now()}`;
  const created = await admin.post("/api/projects", { data: { name: projectName, completionsPerPrompt: 3, rankingsPerPrompt: 2, decodingPresets: [{ name: "greedy", config: { temperature: 0 } }] } });
  expect(created.status()).toBe(200);
  projectId = (await created.json()).project.id;
  await addLabellers(admin, projectId);
  // The first and last completions are the same text: the screen shows them once.
  const content = JSON.stringify({ prompt: PROMPT, completions: [ITALY, EUROPE, `${ITALY} `] });
  expect((await admin.post(`/api/projects/${projectId}/prompts`, { data: { format: "jsonl", content } })).status()).toBe(200);
});

test("an admin configures the rubric on the project's settings page, and a bad id is named next to its field", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto(`/admin/projects/${projectId}`);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${projectId}/settings$`));
  await page.getByRole("button", { name: "Add helpfulness, honesty, harmlessness" }).click();
  await page.getByRole("button", { name: "Add flag" }).click();
  await page.locator("#rubric-flags-4-label").fill("Needs a source");
  await expect(page.locator("#rubric-flags-4-id")).toHaveValue("needs_a_source");
  await page.locator("#rubric-flags-4-id").fill("Needs Source");
  await page.getByLabel("Guidelines (Markdown, shown to annotators)").fill("Prefer correct, sourced answers.");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("settings-message")).toContainText("body.rubric.flags.4.id");
  await expect(page.getByRole("alert").filter({ hasText: "must start with a-z" }).first()).toBeVisible();

  await page.locator("#rubric-flags-4-id").fill("needs_source");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("settings-message")).toHaveText("Settings saved.");
  await page.reload();
  await expect(page.getByLabel("Guidelines (Markdown, shown to annotators)")).toHaveValue("Prefer correct, sourced answers.");
  await expect(page.getByTestId("rubric-aspect")).toHaveCount(3);
  await expect(page.locator("#rubric-flags-4-id")).toHaveValue("needs_source");
});

test("an annotator sees identical completions once, rewrites one, rates an aspect and submits", async ({ page }) => {
  await signInAs(page, "annotator");
  await startLabeling(page);
  await expect(page.getByTestId("completion-card")).toHaveCount(2);
  await expect(card(page, ITALY).getByTestId("identical-note")).toContainText("2 responses were identical");
  await expect(card(page, ITALY).getByRole("button", { name: "Needs a source" })).toBeVisible();

  // Cards are named by shown position, which is shuffled per annotator.
  const italyLabel = (await card(page, ITALY).getByRole("heading").textContent())!;
  await card(page, ITALY).getByRole("button", { name: /Rewrite into a better response/ }).click();
  const editor = page.getByTestId("rewrite-editor");
  await editor.getByRole("textbox").fill("   ");
  await editor.getByRole("button", { name: "Save rewrite" }).click();
  await expect(editor.getByRole("alert")).toHaveText("The rewrite must not be empty.");
  await editor.getByRole("textbox").fill(REWRITE);
  await editor.getByRole("button", { name: "Save rewrite" }).click();

  const mine = page.locator('[data-testid="completion-card"][data-source="human"]');
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("rewrite-note")).toContainText(`Your rewrite of ${italyLabel}`);
  await expect(mine.getByRole("heading")).toHaveText("Response C");
  await expect(mine).toContainText("Paris is in France.");
  // Ranks by keyboard: the rewrite first, the others after; identical twins need no rank of their own.
  for (const [c, key] of [[mine, "1"], [card(page, EUROPE), "2"], [card(page, ITALY), "3"]] as const) {
    await c.focus();
    await page.keyboard.press(key);
  }
  await mine.getByRole("group", { name: /Helpfulness/ }).getByRole("radio", { name: "7" }).check();
  await card(page, ITALY).getByRole("button", { name: "Factually wrong" }).click();
  await page.getByRole("button", { name: "Submit ranking" }).click();
  await queueEmpty(page);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

async function exportText(api: APIRequestContext, query: string): Promise<string> {
  const res = await api.get(`/api/projects/${projectId}/export?${query}`);
  expect(res.status(), await res.text()).toBe(200);
  return res.text();
}

test("exports mark the rewrite source: human, carry the aspect rating, and SFT takes the rewrite as the best response", async ({ baseURL }) => {
  const researcher = await apiClientAs(baseURL!, "researcher");
  const [row] = (await exportText(researcher, "format=raw-rankings")).trim().split("\n").map((l) => JSON.parse(l));
  const human = Object.keys(row.sources).find((id) => row.sources[id] === "human")!;
  expect(row.completions[human]).toBe(REWRITE);
  expect(row.aspectRatings[human]).toEqual({ helpfulness: 7 });
  expect(Object.values(row.ranks).sort()).toEqual([1, 2, 3, 3]); // the hidden twin shares its rank
  expect(row.flags).toEqual(["factually_wrong"]);
  const csv = await exportText(researcher, "format=csv");
  expect(csv.split("\r\n")[0]).toContain("chosen_source,rejected_source,chosen_helpfulness,chosen_honesty,chosen_harmlessness");
  const sft = JSON.parse((await exportText(researcher, "format=sft")).trim());
  expect(sft).toEqual({ prompt: [{ role: "user", content: PROMPT }], completion: [{ role: "assistant", content: REWRITE }] });
});

test("a researcher's export form offers the date and annotator filters, and the link applies them", async ({ page, baseURL }) => {
  const annotator = await apiClientAs(baseURL!, "annotator");
  const { user } = await (await annotator.get("/api/me")).json();
  await signInAs(page, "researcher");
  await page.goto(`/research/projects/${projectId}`);
  const filters = page.getByTestId("export-filters");
  await filters.getByLabel("Anna Annotator").check();
  await filters.getByLabel("Ranked from").fill("2020-01-01T00:00");
  await page.locator("#ex-format").selectOption("raw-rankings");
  await page.getByLabel("Pseudonymise annotators").uncheck();
  const href = (await page.getByTestId("export-link").getAttribute("href"))!;
  const q = new URL(href, baseURL).searchParams;
  expect(q.get("annotators")).toBe(user.id);
  expect(q.get("from")).toBe(new Date(2020, 0, 1).toISOString()); // the browser's local midnight, as an instant
  const rows = (await (await page.request.get(href)).text()).trim().split("\n").map((l) => JSON.parse(l));
  expect(rows.map((r) => r.annotatorId)).toEqual([user.id]);
  await filters.getByLabel("Ranked before").fill("2020-01-02T00:00");
  expect((await (await page.request.get((await page.getByTestId("export-link").getAttribute("href"))!)).text())).toBe("");
});

test("on a best-only project a second annotator picks the best response and the rest share rank 2", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const { project } = await (await admin.get(`/api/projects/${projectId}`)).json();
  expect((await admin.patch(`/api/projects/${projectId}`, { data: { rubric: { ...project.rubric, scale: "best" } } })).status()).toBe(200);
  await signInAs(page, "researcher");
  await startLabeling(page);
  await expect(page.getByRole("button", { name: "Submit ranking" })).toBeDisabled();
  await card(page, EUROPE).getByRole("button", { name: /Mark as best/ }).click();
  await expect(card(page, EUROPE).getByTestId("rank-badge")).toHaveText("Best");
  await page.getByRole("button", { name: "Submit ranking" }).click();
  await queueEmpty(page);
  const researcher = await apiClientAs(baseURL!, "researcher");
  const { user } = await (await researcher.get("/api/me")).json();
  const rows = (await exportText(researcher, `format=raw-rankings&pseudonymise=false&annotators=${user.id}`)).trim().split("\n").map((l) => JSON.parse(l));
  const europe = Object.keys(rows[0].completions).find((id) => rows[0].completions[id] === EUROPE)!;
  expect(rows[0].ranks[europe]).toBe(1);
  expect(Object.values(rows[0].ranks).sort()).toEqual([1, 2, 2]);
});
