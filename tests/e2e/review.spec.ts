import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { apiClientAs, signInAs } from "./support/auth";
import { projectWithPrompts, rankAllShownOrder } from "./support/projects";

// One story: an annotator ranks three prompts (N = 1), a reviewer accepts one, re-ranks one and
// rejects one; the rejected prompt goes back to the queue, the re-ranking wins in the export, and
// the admin sees reliability and the annotator's drill-down.
test.describe.configure({ mode: "serial" });

let projectId = "";
const name = `Review e2e ${Date.now()}`;

test("a reviewer accepts, re-ranks and rejects rankings in the browser", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  projectId = await projectWithPrompts(admin, name, ["Review prompt one?", "Review prompt two?", "Review prompt three?"], 1);
  expect(await rankAllShownOrder(await apiClientAs(baseURL!, "annotator"), projectId)).toBe(3);
  const researcher = await apiClientAs(baseURL!, "researcher");
  expect((await (await researcher.post(`/api/projects/${projectId}/tasks/next`)).json()).task).toBeNull();

  await signInAs(page, "reviewer");
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/review/${projectId}$`));
  await expect(page.getByTestId("review-count")).toHaveText("3 waiting for review");
  await expect(page.getByTestId("review-rationale")).toHaveText("The first one reads best.");
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByText("Accepted.")).toBeVisible();
  await expect(page.getByTestId("review-count")).toHaveText("2 waiting for review");

  // Re-rank: the last response shown becomes the best, the first the worst.
  await page.getByRole("button", { name: "Re-rank" }).click();
  await page.getByLabel("New rank of Response A").selectOption("3");
  await page.getByLabel("New rank of Response C").selectOption("1");
  await page.getByRole("button", { name: "Save re-ranking" }).click();
  await expect(page.getByText("Re-ranking saved.")).toBeVisible();
  await expect(page.getByTestId("review-count")).toHaveText("1 waiting for review");

  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("Rejected; the prompt is back in the queue.")).toBeVisible();
  await expect(page.getByTestId("review-count")).toHaveText("0 waiting for review");

  // The rejected ranking no longer counts towards N: someone else gets its prompt.
  expect((await (await researcher.post(`/api/projects/${projectId}/tasks/next`)).json()).task).not.toBeNull();
});

test("exports keep the re-ranking, filter by review status and report the acceptance rate", async ({ baseURL }) => {
  const researcher = await apiClientAs(baseURL!, "researcher");
  const lines = async (q: string) => (await (await researcher.get(`/api/projects/${projectId}/export?format=raw-rankings&${q}`)).text()).trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const [adjudicated] = await lines("reviewStatus=adjudicated");
  expect(adjudicated.reviewStatus).toBe("adjudicated");
  expect(adjudicated.ranks[adjudicated.shownOrder[2]]).toBe(1);
  expect(adjudicated.ranks[adjudicated.shownOrder[0]]).toBe(3);
  expect((await lines("")).map((r: { reviewStatus: string }) => r.reviewStatus).sort()).toEqual(["accepted", "adjudicated"]);
  expect((await lines("reviewStatus=rejected")).length).toBe(1);
  const card = await (await researcher.get(`/api/projects/${projectId}/export/card?format=csv&weights=reliability`)).text();
  expect(card).toContain("acceptance rate 33.3% of reviewed rankings");
  expect(card).toContain("each row's `weight` is its annotator's reliability");
  const refused = await researcher.get(`/api/projects/${projectId}/export?format=trl-standard&weights=reliability`);
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toContain("weights");
});

test("the admin sees each annotator's reliability and a drill-down with plots", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto(`/admin/projects/${projectId}`);
  const table = page.getByTestId("annotator-table");
  await expect(table.getByTestId("reliability").first()).toHaveText(/^\d\.\d\d$/);
  await table.getByRole("link", { name: "Anna Annotator" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${projectId}/annotators/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("profile-rankings")).toHaveText("3");
  await expect(page.getByTestId("profile-reliability")).toHaveText(/^\d\.\d\d$/);
  await expect(page.getByText("1 accepted, 1 re-ranked, 1 rejected, 0 pending")).toBeVisible();
  for (const chart of ["chart-per-day", "chart-time", "chart-position", "chart-bias"]) {
    // The plot itself, not the legend's icons (also recharts surfaces when a chart has a legend).
    await expect(page.getByTestId(chart).locator("svg.recharts-surface:not([aria-label$='legend icon'])").first()).toBeVisible();
  }
});
