/**
 * A PostgreSQL outage seen from the production server: while the database
 * is down every request is answered 503 (never 500, never a hang), and once
 * it is back the app recovers by itself — no restart, no operator.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_LOGINS } from "@/db/demo-logins";
import { NoAnswerError, StudioClient } from "./support/http";
import { freePort, hasProductionBuild, prepareDatabase, startServer, type RunningServer } from "./support/server";
import { signInDemoAdmin } from "./support/studio-setup";

interface PgCluster {
  port: number;
  stop(): void;
  pgctl(action: "stop" | "start"): void;
}
interface PgLib {
  postgresInstalled(): boolean;
  startPostgres(): Promise<PgCluster>;
  createDatabase(cluster: PgCluster, name: string): string;
}

// The test launcher's helper (plain .mjs, no types): loaded by URL and typed here.
const pgLib = (await import(pathToFileURL(path.resolve(import.meta.dirname, "../../../scripts/lib/postgres.mjs")).href)) as PgLib;
const runnable = hasProductionBuild() && pgLib.postgresInstalled();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "studio-outage-"));
let cluster: PgCluster | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  if (!runnable) return;
  cluster = await pgLib.startPostgres();
  const db = { DATABASE_URL: pgLib.createDatabase(cluster, "studio_outage") };
  prepareDatabase(db);
  server = await startServer({ port: await freePort(), db, logFile: path.join(tmp, "server.log") });
});

afterAll(async () => {
  await server?.stop();
  cluster?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!runnable)("PostgreSQL outage (production server)", () => {
  it("answers 503 while the database is down and recovers by itself when it returns", async () => {
    const base = server!.baseUrl;
    const admin = await signInDemoAdmin(base);
    const annotatorLogin = DEMO_LOGINS.find((l) => l.role === "annotator")!;
    const annotator = await StudioClient.signIn(base, annotatorLogin.email, annotatorLogin.password);
    const projects = await admin.request<{ projects: { id: string }[] }>("GET", "/api/projects");
    expect(projects.status).toBe(200);
    const projectId = projects.body.projects[0].id;
    const probes: [StudioClient, string, string][] = [
      [admin, "GET", "/api/projects"],
      [admin, "GET", "/api/users"],
      [annotator, "POST", `/api/projects/${projectId}/tasks/next`],
      [annotator, "GET", "/api/me/progress"],
      [new StudioClient(base), "GET", "/api/health"],
    ];

    cluster!.pgctl("stop");
    const during: string[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        for (const [client, method, url] of probes) {
          // A hang is a failure too: the client gives up after 20 s and says so.
          const res = await client.request(method, url).catch((err: unknown) => {
            if (err instanceof NoAnswerError) return { status: 0, ms: NaN, body: err.message };
            throw err;
          });
          during.push(`${method} ${url} → ${res.status} in ${res.ms.toFixed(0)} ms`);
        }
      }
    } finally {
      cluster!.pgctl("start");
    }
    console.log(`[outage] while PostgreSQL was down:\n  ${during.join("\n  ")}`);
    expect(during.filter((line) => !/ → 503 in /.test(line))).toEqual([]);

    // Back up: the pool reconnects on its own.
    const started = Date.now();
    let status = 0;
    while (Date.now() - started < 60_000) {
      status = (await admin.request("GET", "/api/projects").catch(() => ({ status: 0 }))).status;
      if (status === 200) break;
      await sleep(250);
    }
    console.log(`[outage] recovered ${status === 200 ? `in ${Date.now() - started} ms` : "never"} after PostgreSQL restarted`);
    expect(status).toBe(200);
    for (const [client, method, url] of probes) expect((await client.request(method, url)).status, `${method} ${url}`).toBe(200);
  });
});

if (!runnable) {
  describe("PostgreSQL outage", () => {
    it.skip("needs a production build (.next/BUILD_ID) and PostgreSQL installed", () => {});
  });
}
