import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { Role } from "@/lib/users/roles";
import { apiClientAs } from "./support/auth";
import { apiPolicy, pagePolicy, type Allowed } from "./support/route-policy";

const appDir = path.resolve("app");

function walk(dir: string, file: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p, file);
    return e.name === file ? [p] : [];
  });
}

/** app/(auth)/login/page.tsx → /login ; app/api/users/[id]/route.ts → /api/users/[id] */
function urlPattern(file: string): string {
  const rel = path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${rel.join("/")}`;
}

function exportedMethods(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const found = new Set<string>();
  for (const m of src.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PATCH|PUT|DELETE)\b/g)) found.add(m[1]);
  for (const m of src.matchAll(/as\s+(GET|POST|PATCH|PUT|DELETE)\b/g)) found.add(m[1]);
  return [...found].sort();
}

const fill = (pattern: string) => pattern.replace(/\[\.\.\.[^\]]+\]/g, "session").replace(/\[[^\]]+\]/g, "0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11");
const roles: (Role | null)[] = [null, "annotator", "reviewer", "researcher", "admin"];

function expectedApiStatus(allowed: Allowed, role: Role | null): "ok" | 401 | 403 {
  if (allowed === "public") return "ok";
  if (!role) return 401;
  return allowed.includes(role) ? "ok" : 403;
}

test("the policy table lists every route handler and page, and there are no unguarded server actions", () => {
  const routes = walk(appDir, "route.ts").flatMap((f) => exportedMethods(f).map((m) => `${m} ${urlPattern(f)}`)).sort();
  const listed = Object.entries(apiPolicy).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m} ${p}`)).sort();
  expect(routes).toEqual(listed);
  const pages = walk(appDir, "page.tsx").map(urlPattern).sort();
  expect(pages).toEqual(Object.keys(pagePolicy).sort());
  // Mutations go through route handlers (guarded by apiRoute); a server action would be a second, unchecked door.
  const withActions = [...walk(appDir, "page.tsx"), ...walk(path.resolve("components"), "actions.ts")].filter((f) => /^["']use server["']/m.test(fs.readFileSync(f, "utf8")));
  expect(withActions).toEqual([]);
});

test("every route handler answers each role as the policy says", async ({ baseURL }) => {
  const clients = new Map<Role | null, APIRequestContext>();
  for (const r of roles) clients.set(r, await apiClientAs(baseURL!, r));
  const failures: string[] = [];
  for (const [pattern, methods] of Object.entries(apiPolicy)) {
    if (pattern.startsWith("/api/auth/")) continue; // next-auth's own endpoints
    for (const [method, allowed] of Object.entries(methods)) {
      for (const role of roles) {
        const res = await clients.get(role)!.fetch(fill(pattern), { method, data: method === "GET" ? undefined : {} });
        const status = res.status();
        const want = expectedApiStatus(allowed!, role);
        const ok = want === "ok" ? status !== 401 && status !== 403 && status < 500 : status === want;
        if (!ok) failures.push(`${method} ${pattern} as ${role ?? "signed-out"}: got ${status}, want ${want}`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test("every page answers each role as the policy says", async ({ baseURL }) => {
  const failures: string[] = [];
  for (const role of roles) {
    const client = await apiClientAs(baseURL!, role);
    for (const [pattern, allowed] of Object.entries(pagePolicy)) {
      const res = await client.get(fill(pattern), { maxRedirects: 0 });
      const status = res.status();
      const location = res.headers()["location"] ?? "";
      let ok: boolean;
      if (allowed === "public") ok = status < 500;
      else if (!role) ok = status >= 300 && status < 400 && location.includes("/login");
      // A page for one record answers 404 for the made-up id; what matters is that it is not 401/403.
      else if (allowed.includes(role)) ok = status === 200 || (pattern.includes("[") && status === 404);
      else ok = status === 403;
      if (!ok) failures.push(`${pattern} as ${role ?? "signed-out"}: got ${status} ${location}`);
    }
  }
  expect(failures).toEqual([]);
});

test("bad input gets a 4xx naming the field, never a 500", async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const cases: { path: string; method: string; data?: unknown; headers?: Record<string, string>; body?: string; want: number; mentions?: string }[] = [
    { path: "/api/projects", method: "POST", data: { name: "" }, want: 400, mentions: "body.name" },
    { path: "/api/projects", method: "POST", data: { name: "x", completionsPerPrompt: 12, rankingsPerPrompt: 1, decodingPresets: [{ name: "g", config: {} }] }, want: 400, mentions: "completionsPerPrompt" },
    { path: "/api/projects", method: "POST", body: "{not json", headers: { "content-type": "application/json" }, want: 400, mentions: "JSON" },
    { path: "/api/projects", method: "POST", body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" }, want: 400, mentions: "Content-Type" },
    { path: "/api/users/not-a-uuid", method: "PATCH", data: { role: "admin" }, want: 400, mentions: "params.id" },
    { path: "/api/users/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11", method: "PATCH", data: { role: "admin" }, want: 404 },
    { path: "/api/users/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11", method: "PATCH", data: { role: "king" }, want: 400, mentions: "body.role" },
    { path: "/api/invites", method: "POST", data: { email: "nope", role: "annotator" }, want: 400, mentions: "body.email" },
    { path: "/api/audit?limit=-4", method: "GET", want: 400, mentions: "query.limit" },
    { path: "/api/projects/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11/versions/slots", method: "PUT", data: { slots: [{ versionId: "x", preset: "greedy" }] }, want: 400, mentions: "body.slots.0.versionId" },
    { path: "/api/projects/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11/versions", method: "POST", data: { name: "a/b", source: { type: "builtin" } }, want: 400, mentions: "body.name" },
    { path: "/api/invites/accept", method: "POST", data: { token: "x".repeat(30), name: "n", password: "long-enough" }, want: 410 },
    { path: "/api/projects", method: "POST", data: { name: "x", completionsPerPrompt: 2, rankingsPerPrompt: 1, decodingPresets: [{ name: "g", config: {} }], rubric: { scale: "ranked" } }, want: 400, mentions: "body.rubric.scale" },
    {
      path: "/api/assignments/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11/ranking", method: "POST", want: 400, mentions: "body.rewrites.0.text: must not be empty",
      data: { ranks: { a: 2, b: 3, r: 1 }, timeSpentMs: 1, submissionKey: crypto.randomUUID(), rewrites: [{ id: crypto.randomUUID(), parentId: "a", text: " \n " }] },
    },
  ];
  for (const c of cases) {
    // Raw bodies go as bytes so Playwright does not JSON-encode them.
    const res = await admin.fetch(c.path, { method: c.method, data: c.body !== undefined ? Buffer.from(c.body) : c.data, headers: c.headers });
    expect(res.status(), `${c.method} ${c.path}`).toBe(c.want);
    const body = await res.json();
    if (c.mentions) expect(body.error.message, `${c.method} ${c.path}`).toContain(c.mentions);
  }
});
