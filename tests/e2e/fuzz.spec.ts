import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiClientAs } from "./support/auth";
import { apiPolicy } from "./support/route-policy";

/*
 * Every route handler in the policy table (next-auth's own excepted), as an
 * admin, gets malformed, oversized and type-confused bodies and bad
 * params/query values. The answer must be a 4xx — never a 5xx — and no
 * stored data may change. Route params are filled with a random UUID, with
 * junk, and with real ids (so handlers run past their lookups).
 */

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
interface Case {
  label: string;
  body?: Buffer;
  contentType?: string;
}

const json = (label: string, value: unknown): Case => ({ label, body: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)), contentType: "application/json" });

/** Every field name the schemas use, each given a value of the wrong type. */
const FIELDS = ["name", "email", "role", "purpose", "token", "password", "disabled", "guidelines", "completionsPerPrompt", "rankingsPerPrompt", "modelId", "decodingPresets", "completionSource", "liveMode", "status", "revealScores", "format", "content", "best", "worst", "ranks", "flags", "ratings", "rationale", "timeSpentMs", "submissionKey", "shownOrder", "reason", "limit", "kind", "config", "userIds", "quota", "tags", "languages", "language", "goldRate", "qualificationSize", "qualificationPassMark", "aspectRatings", "rewrites", "rubric", "slots", "versionId", "preset", "source", "parentId", "decision", "revision", "note", "projectId"];
const confused = (value: (field: string, i: number) => unknown) => Object.fromEntries(FIELDS.map((f, i) => [f, value(f, i)]));

const BODIES: Case[] = [
  json("invalid JSON", "{\"name\": "),
  json("JSON null", "null"),
  json("JSON number", "42"),
  json("JSON string", "\"hello\""),
  json("empty array", "[]"),
  json("array of objects", [{ name: "x" }, { name: "y" }]),
  json("deep nesting", `${"[".repeat(50_000)}${"]".repeat(50_000)}`),
  json("deep object nesting", `${"{\"a\":".repeat(20_000)}1${"}".repeat(20_000)}`),
  json("nulls everywhere", confused(() => null)),
  json("numbers as strings", confused((_, i) => String(i + 1))),
  json("strings as numbers", confused((_, i) => i * 1e308)),
  json("arrays instead of scalars", confused((f) => [f, f])),
  json("objects instead of scalars", confused((f) => ({ [f]: f }))),
  json("booleans", confused((_, i) => i % 2 === 0)),
  json("huge numbers and negatives", confused((_, i) => (i % 2 ? -1e300 : Number.MAX_SAFE_INTEGER * 4))),
  json("prototype pollution", "{\"__proto__\": {\"role\": \"admin\", \"isAdmin\": true}, \"constructor\": {\"prototype\": {\"x\": 1}}}"),
  json("control and unicode", confused(() => "\u0000\u202e\ud83d\ude00\ufffe' OR 1=1 --")),
  json("lone surrogates", "{\"name\": \"\\ud800\", \"email\": \"\\udfff@x.y\", \"content\": \"\\ud800\"}"),
  json("huge string (2 MB)", { name: "x".repeat(2 * 1024 * 1024), content: "y".repeat(2 * 1024 * 1024) }),
  json("huge string within the prompts limit", { format: "text", content: "z".repeat(500_000) }),
  json("many keys", Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
  { label: "invalid UTF-8 bytes", body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: "application/json" },
  { label: "text/plain JSON", body: Buffer.from("{\"name\":\"x\"}"), contentType: "text/plain" },
  { label: "form-encoded", body: Buffer.from("name=x&role=admin"), contentType: "application/x-www-form-urlencoded" },
  { label: "multipart", body: Buffer.from("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b--\r\n"), contentType: "multipart/form-data; boundary=b" },
  { label: "no content type", body: Buffer.from("{\"name\":\"x\"}") },
  { label: "JSON with a latin1 charset", body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), contentType: "application/json; charset=latin1" },
  { label: "empty body", body: Buffer.alloc(0), contentType: "application/json" },
];

const BAD_IDS = ["not-a-uuid", "0", "-1", "..%2F..%2Fetc%2Fpasswd", "%00", "' OR 1=1 --", "x".repeat(2000), "%F0%9F%98%80", "00000000-0000-0000-0000-00000000000Z"];
const BAD_QUERIES = ["?limit=abc", "?limit=-1&offset=-5", "?limit=1e999", "?limit=99999999999999999999", "?offset=NaN", "?format=%00&ties=maybe", "?format[]=jsonl", `?format=${"j".repeat(5000)}`, "?limit=%ff"];

/** Routes that take no body: a real id would make them act (queue a job, claim a task, clear skip marks), so they get made-up ids only. */
const BODYLESS = new Set(["/api/projects/[id]/generate", "/api/projects/[id]/generate/skipped", "/api/projects/[id]/tasks/next", "/api/jobs/[id]/cancel"]);
const SMALL = BODIES.filter((c) => ["invalid JSON", "nulls everywhere", "numbers as strings", "arrays instead of scalars"].includes(c.label));
const RANDOM_ID = "0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11";

async function snapshot(admin: APIRequestContext, projectIds: string[]): Promise<string> {
  const parts = [await (await admin.get("/api/projects")).text(), await (await admin.get("/api/users")).text()];
  for (const id of projectIds) {
    // completionCount moves on its own while the server's worker generates the demo completions.
    const prompts = (await (await admin.get(`/api/projects/${id}/prompts?limit=500`)).json()).prompts as Record<string, unknown>[];
    parts.push(JSON.stringify(prompts.map(({ completionCount: _moving, ...stable }) => stable)));
  }
  // Downloads are audited (a read, not a change); every other entry would be a change.
  const audit = (await (await admin.get("/api/audit?limit=1000")).json()).entries as { action: string }[];
  parts.push(JSON.stringify(audit.filter((e) => e.action !== "export.download")));
  return parts.join("\n");
}

test("every route answers malformed, oversized and type-confused input with a 4xx and changes nothing", async ({ baseURL }) => {
  test.setTimeout(600_000);
  const admin = await apiClientAs(baseURL!, "admin");
  const projects = ((await (await admin.get("/api/projects")).json()).projects as { id: string }[]).map((p) => p.id);
  const users = ((await (await admin.get("/api/users")).json()).users as { id: string }[]).map((u) => u.id);
  const prompts = projects.length ? ((await (await admin.get(`/api/projects/${projects[0]}/prompts`)).json()).prompts as { id: string }[]).map((p) => p.id) : [];
  const realIds: Record<string, string | undefined> = { users: users[0], projects: projects[0], prompts: prompts[0] };
  const before = await snapshot(admin, projects);

  const failures: string[] = [];
  let sent = 0;
  const send = async (method: Method, url: string, c: Case, mustBe4xx: boolean) => {
    sent++;
    const res = await admin.fetch(url, { method, data: c.body, headers: c.contentType ? { "content-type": c.contentType } : {}, timeout: 60_000, failOnStatusCode: false });
    const s = res.status();
    if (s >= 500 || (mustBe4xx && s < 400)) failures.push(`${method} ${url.slice(0, 120)} [${c.label}] → ${s} ${(await res.text()).slice(0, 200)}`);
  };

  for (const [pattern, methods] of Object.entries(apiPolicy)) {
    if (pattern.startsWith("/api/auth/")) continue;
    const hasId = pattern.includes("[");
    const realId = hasId ? realIds[pattern.split("/")[2]] : undefined;
    const at = (id: string) => pattern.replace(/\[[^\]]+\]/g, id);
    for (const method of Object.keys(methods) as Method[]) {
      if (method === "GET") {
        // Junk queries on a real (or no) id: a route without a query schema may ignore them, but never fail.
        for (const q of ["", ...BAD_QUERIES]) await send(method, at(realId ?? RANDOM_ID) + q, { label: "query" }, false);
        if (hasId) for (const id of [RANDOM_ID, ...BAD_IDS]) await send(method, at(id), { label: "bad id" }, true);
        continue;
      }
      for (const c of BODIES) await send(method, at(RANDOM_ID), c, true);
      if (hasId) for (const id of BAD_IDS) for (const c of SMALL) await send(method, at(id), c, true);
      if (realId && !BODYLESS.has(pattern)) for (const c of SMALL) await send(method, at(realId), c, true);
    }
  }
  console.log(`[fuzz] ${sent} requests, ${failures.length} not answered with a 4xx`);
  expect(failures).toEqual([]);
  expect(await snapshot(admin, projects)).toBe(before);
});

// Next.js decodes dynamic path segments before any route code runs; proxy.ts answers 400 for a
// segment that is not valid UTF-8 once percent-decoded, which would otherwise be a bare 500.
test("a path segment that is not valid UTF-8 is answered 400, not 500", async ({ baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  for (const path of ["/api/projects/%ff%fe", "/api/users/%c3%28", "/admin/projects/%ff%fe"]) {
    expect((await admin.get(path, { maxRedirects: 0 })).status(), path).toBe(400);
  }
});
