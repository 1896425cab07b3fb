import { expect, test } from "@playwright/test";
import { homeForRole } from "@/lib/auth/roles";
import { roleSchema } from "@/lib/users/roles";
import { apiClientAs, demoLogin, signInWithForm } from "./support/auth";

for (const role of roleSchema.options) {
  test(`${role} signs in and lands on the ${role} home`, async ({ page }) => {
    const { email, password } = demoLogin(role);
    await signInWithForm(page, email, password);
    await expect(page).toHaveURL(new RegExp(`${homeForRole[role]}$`));
    await expect(page.getByTestId("signed-in-as")).toContainText(role);
  });
}

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await signInWithForm(page, demoLogin("admin").email, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("a signed-in user opening sign-in with a callback to another host lands on their home instead", async ({ baseURL }) => {
  const api = await apiClientAs(baseURL!, "annotator");
  // Browsers resolve `/\evil.com` and `//evil.com` to the host evil.com.
  for (const callback of ["/\\evil.com", "//evil.com", "/\t/evil.com", "https://evil.com/"]) {
    const res = await api.get(`/login?callbackUrl=${encodeURIComponent(callback)}`, { maxRedirects: 0 });
    expect(res.status(), callback).toBeGreaterThanOrEqual(300);
    expect(res.status(), callback).toBeLessThan(400);
    expect(new URL(res.headers()["location"], baseURL).origin, callback).toBe(new URL(baseURL!).origin);
    expect(res.headers()["location"], callback).toMatch(/\/annotate$/);
  }
  const same = await api.get(`/login?callbackUrl=${encodeURIComponent("/annotate?from=link")}`, { maxRedirects: 0 });
  expect(same.headers()["location"]).toMatch(/\/annotate\?from=link$/);
});

test("a signed-out visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers/);
});

test("an annotator gets 403 on an admin page and an admin API", async ({ page, baseURL }) => {
  const { email, password } = demoLogin("annotator");
  await signInWithForm(page, email, password);
  await expect(page).toHaveURL(/\/annotate$/);
  const res = await page.goto("/admin/users");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  const api = await apiClientAs(baseURL!, "annotator");
  expect((await api.get("/api/users")).status()).toBe(403);
});

test("signing out ends the session on the server", async ({ baseURL }) => {
  const api = await apiClientAs(baseURL!, "researcher");
  const state = await api.storageState();
  const csrf = await (await api.get("/api/auth/csrf")).json();
  await api.post("/api/auth/signout", { form: { csrfToken: csrf.csrfToken, json: "true" } });
  // Replaying the old cookie must not work: the server-side session is gone.
  const { request } = await import("@playwright/test");
  const replay = await request.newContext({ baseURL, storageState: state });
  expect((await replay.get("/api/me")).status()).toBe(401);
});

test("an admin invites a user who sets a password and signs in once the link is used", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const email = `invitee-${Date.now()}@example.com`;
  const res = await admin.post("/api/invites", { data: { email, role: "annotator" } });
  expect(res.status()).toBe(200);
  const { url } = await res.json();
  const path = new URL(url).pathname;
  await page.goto(path);
  await page.getByLabel("Your name").fill("Ivy Invitee");
  await page.getByLabel("Password").fill("a-long-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Done.")).toBeVisible();
  // The link works once.
  const again = await admin.post("/api/invites/accept", { data: { token: path.split("/").pop(), name: "X", password: "another-password" } });
  expect(again.status()).toBe(410);
  await signInWithForm(page, email, "a-long-password");
  await expect(page).toHaveURL(/\/annotate$/);
});
