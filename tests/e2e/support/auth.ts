import { expect, request, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_LOGINS } from "@/db/demo-logins";
import { homeForRole } from "@/lib/auth/roles";
import type { Role } from "@/lib/users/roles";

export function demoLogin(role: Role) {
  const login = DEMO_LOGINS.find((l) => l.role === role);
  if (!login) throw new Error(`no demo login for ${role}`);
  return login;
}

/** Signs in through the login form, as a person would. */
export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in with the form and waits until the role's home page has loaded. */
export async function signInAs(page: Page, role: Role): Promise<void> {
  const { email, password } = demoLogin(role);
  await signInWithForm(page, email, password);
  await expect(page).toHaveURL(new RegExp(`${homeForRole[role]}$`));
}

/** An API client signed in as `role` through next-auth's credentials endpoint (or signed out for null). */
export async function apiClientAs(baseURL: string, role: Role | null): Promise<APIRequestContext> {
  if (!role) return request.newContext({ baseURL });
  return apiClientWith(baseURL, demoLogin(role));
}

/** An API client signed in with these credentials (e.g. an invited throw-away user). */
export async function apiClientWith(baseURL: string, { email, password }: { email: string; password: string }): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL });
  const csrf = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
  });
  expect(res.status(), `sign-in as ${email}`).toBeLessThan(400);
  const me = await ctx.get("/api/me");
  expect(me.status(), `session for ${email}`).toBe(200);
  return ctx;
}
