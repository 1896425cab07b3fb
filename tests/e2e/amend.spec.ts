import { expect, test, type Page } from "@playwright/test";
import { apiClientAs, apiClientWith, signInWithForm } from "./support/auth";
import { invitedUser, projectWithPrompts, addLabellers } from "./support/projects";

// A throw-away annotator, so the demo annotator's "ranked today" count that annotation.spec reads stays untouched.
test("an annotator changes their last ranking until a reviewer has looked at it", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await projectWithPrompts(admin, `Amend e2e ${Date.now()}`, ["Which answer is best?"], 1);
  const me = await invitedUser(admin, "annotator", "Amy Amender");
  await addLabellers(admin, projectId);
  await signInWithForm(page, me.email, me.password);
  await expect(page).toHaveURL(/\/annotate$/);
  await page.goto(`/annotate/${projectId}`);
  await page.getByRole("button", { name: "Start labeling" }).click();
  const ids = await cardIds(page);
  const card = (id: string) => page.locator(`[data-testid="completion-card"][data-completion-id="${id}"]`);
  for (const [id, key] of [[ids[0]!, "1"], [ids[1]!, "2"], [ids[2]!, "3"]] as const) {
    await card(id).focus();
    await page.keyboard.press(key);
  }
  await page.getByRole("button", { name: "Submit ranking" }).click();
  await expect(page.getByText("Nothing left to rank in this project right now.")).toBeVisible();

  // Reopen it from "Your latest rankings": the screen starts from the stored ranking.
  const mine = page.getByTestId("my-rankings");
  await expect(mine).toContainText("pending");
  await mine.getByRole("link", { name: /Change your ranking/ }).click();
  await expect(page).toHaveURL(new RegExp(`/annotate/${projectId}/amend/[0-9a-f-]{36}$`));
  const rankingId = page.url().split("/").pop()!;
  await expect(card(ids[0]!).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await expect(card(ids[2]!).getByTestId("rank-badge")).toHaveAttribute("data-rank", "3");
  await expect(page.getByRole("button", { name: "Skip" })).toHaveCount(0);
  // Pressing 1 on the last one ties it with the first.
  await card(ids[2]!).focus();
  await page.keyboard.press("1");
  await expect(card(ids[2]!).getByTestId("rank-badge")).toHaveAttribute("data-rank", "1");
  await page.getByRole("button", { name: "Submit ranking" }).click();
  await expect(page.getByTestId("amend-saved")).toContainText("Saved as version 2");

  const api = await apiClientWith(baseURL!, me);
  const view = await (await api.get(`/api/rankings/${rankingId}`)).json();
  expect(view.ranking.revision).toBe(2);
  expect(view.ranking.ranks[ids[2]!]).toBe(1);
  expect(view.revisions).toHaveLength(1);
  expect(view.revisions[0].ranks[ids[2]!]).toBe(3);

  // Once reviewed it can no longer be changed.
  const reviewer = await apiClientAs(baseURL!, "reviewer");
  expect((await reviewer.post(`/api/reviews/${rankingId}`, { data: { decision: "accepted", revision: 2 } })).status()).toBe(200);
  await page.reload();
  await expect(page.getByText("it can no longer be changed")).toBeVisible();
  const late = await api.put(`/api/rankings/${rankingId}`, { data: { ranks: view.ranking.ranks, timeSpentMs: 1, submissionKey: crypto.randomUUID(), revision: 2 } });
  expect(late.status()).toBe(409);
  await page.goto(`/annotate/${projectId}`);
  await expect(page.getByTestId("my-rankings")).toContainText("accepted");
  await expect(page.getByTestId("my-rankings").getByRole("link", { name: /Change your ranking/ })).toHaveCount(0);
});

async function cardIds(page: Page): Promise<string[]> {
  await expect(page.getByTestId("completion-card")).toHaveCount(3);
  return page.getByTestId("completion-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-completion-id")!));
}
