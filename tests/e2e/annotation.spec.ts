import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiClientAs, demoLogin, signInAs } from "./support/auth";
import { addMember } from "./support/members";

// One story, start to finish, as the issue describes it.
test.describe.configure({ mode: "serial" });

let projectUrl = "";
let projectId = "";

async function openSession(page: Page, role: "annotator" | "researcher") {
  await signInAs(page, role);
  await page.goto(`/annotate/${projectId}`);
  await page.getByRole("button", { name: "Start labeling" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("completion-card")).toHaveCount(3);
}

test("an admin creates a project, imports prompts and generates completions with a visible progress bar", async ({ page, baseURL }) => {
  await signInAs(page, "admin");
  await page.goto("/admin/projects/new");
  await page.getByLabel("Name", { exact: true }).fill(`E2E project ${Date.now()}`);
  await page.getByLabel("Completions per prompt (K)").fill("3");
  await page.getByLabel("Rankings per prompt (N)").fill("2");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
  projectUrl = new URL(page.url()).pathname;
  projectId = projectUrl.split("/").pop()!;
  // Annotators label only projects they are members of (queue.spec.ts adds one through the page).
  await addMember(await apiClientAs(baseURL!, "admin"), projectId, demoLogin("annotator").email);

  await page.getByLabel("Or paste prompts").fill("What is 2 + 2?\nName a color.\nWhat is 2 + 2?\n");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-result")).toContainText("Added 2 prompts");
  await expect(page.getByTestId("import-result")).toContainText("Skipped 1 duplicates");

  await page.getByRole("button", { name: "Generate completions" }).click();
  await expect(page.getByRole("progressbar", { name: "Generation progress" })).toBeVisible();
  await expect(page.getByText("2 of 2 prompts have completions.")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("generation-job")).toContainText("succeeded");
});

test("an annotator ranks entirely by keyboard, with a tie and a flag", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await openSession(page, "annotator");
  const ids = await page.getByTestId("completion-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-completion-id")!));
  const card = (id: string) => page.locator(`[data-testid="completion-card"][data-completion-id="${id}"]`);
  // 1 and 1 make a tie at the top; 2 goes last.
  for (const [id, key] of [[ids[0], "1"], [ids[1], "1"], [ids[2], "2"]] as const) {
    await card(id).focus();
    await page.keyboard.press(key);
  }
  await expect(card(ids[0]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await expect(card(ids[1]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await expect(card(ids[2]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "2");
  // Flag the last one as low quality with the keyboard: tab to its toggle and press Space.
  const flag = card(ids[2]).getByRole("button", { name: "Low quality" });
  await flag.focus();
  await page.keyboard.press("Space");
  await expect(flag).toHaveAttribute("aria-pressed", "true");
  await card(ids[0]).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("my-progress")).toContainText("You ranked 1 today");
  await ctx.close();
});

test("a second annotator ranks by drag and drop, and the ranking screen has no serious accessibility violations", async ({ browser }) => {
  // Tall enough that source and target cards are both on screen for the pointer drag.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 2400 } });
  const page = await ctx.newPage();
  await openSession(page, "researcher");
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

  const ids = await page.getByTestId("completion-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-completion-id")!));
  const card = (id: string) => page.locator(`[data-testid="completion-card"][data-completion-id="${id}"]`);
  // Dropping a card onto another puts it in that card's place in "Your ranking".
  async function dragOnto(from: string, to: string) {
    const handle = (await card(from).getByRole("button", { name: "Drag to reorder" }).boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 8, { steps: 3 });
    const target = (await card(to).boundingBox())!;
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
  }
  await dragOnto(ids[2], ids[0]);
  await expect(card(ids[2]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await dragOnto(ids[0], ids[2]);
  await dragOnto(ids[1], ids[0]);
  await expect(card(ids[1]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await expect(card(ids[0]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "2");
  await expect(card(ids[2]).getByTestId("rank-badge")).toHaveAttribute("data-rank", "3");
  await page.getByRole("button", { name: "Submit ranking" }).click();
  await expect(page.getByTestId("my-progress")).toContainText("You ranked 1 today");
  await ctx.close();
});

test("the admin sees progress and agreement update", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto(projectUrl);
  await expect(page.getByTestId("rankings-count")).toHaveText("2");
  await expect(page.getByTestId("agreement")).not.toHaveText("—");
  await expect(page.getByTestId("annotator-table")).toContainText("Anna Annotator");
  await expect(page.getByTestId("annotator-table")).toContainText("Rosa Researcher");
});
