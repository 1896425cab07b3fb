import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openConnection, type Connection } from "@/db/client";
import { migrateDatabase, migrationsRoot } from "@/db/migrate";
import { testDialect } from "../../support/test-db";

// A database as it was before projects had members (migrations up to 0001), with people and
// projects in it; then the rest of the migrations run, as on an upgrade.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-backfill-"));
const dbName = `studio_backfill_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let conn: Connection | undefined;

afterAll(async () => {
  await conn?.close();
  if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of one dialect's migrations holding only those before the one that creates project_members. */
function migrationsBeforeMembers(dialect: "sqlite" | "pg"): string {
  const src = path.join(migrationsRoot, dialect);
  const out = path.join(dir, dialect);
  fs.cpSync(src, out, { recursive: true });
  const journalFile = path.join(out, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8"));
  const createsMembers = (tag: string) => /CREATE TABLE [`"]project_members[`"]/.test(fs.readFileSync(path.join(src, `${tag}.sql`), "utf8"));
  const first = journal.entries.find((e: { tag: string }) => createsMembers(e.tag)).idx;
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < first);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return out;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
function numbered(text: string): string {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
}

async function openOld(): Promise<{ conn: Connection; run: (sql: string, params: unknown[]) => Promise<void>; rows: (sql: string) => Promise<Record<string, unknown>[]> }> {
  if (testDialect === "postgres") {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${dbName}`;
    const c = openConnection({ databaseUrl: url.toString(), sqlitePath: "" });
    await migratePg(c.db, { migrationsFolder: migrationsBeforeMembers("pg") });
    const q = (text: string, params: unknown[] = []) => c.pool!.query(numbered(text), params);
    return { conn: c, run: async (s, p) => void (await q(s, p)), rows: async (s) => (await q(s)).rows };
  }
  const c = openConnection({ sqlitePath: path.join(dir, "old.db") });
  migrateSqlite(c.db as never, { migrationsFolder: migrationsBeforeMembers("sqlite") });
  return { conn: c, run: async (s, p) => void c.sqlite!.prepare(s).run(...(p as never[])), rows: async (s) => c.sqlite!.prepare(s).all() as Record<string, unknown>[] };
}

describe(`upgrading to project membership on ${testDialect}`, () => {
  it("makes every annotator a qualified member of every project that is not archived", async () => {
    const old = await openOld();
    conn = old.conn;
    const now = testDialect === "postgres" ? new Date() : Date.now();
    const users = [["ann-1", "annotator"], ["ann-2", "annotator"], ["boss", "admin"], ["res", "researcher"]];
    for (const [id, role] of users) await old.run("insert into users (id, email, name, role, created_at) values (?, ?, ?, ?, ?)", [id, `${id}@x.test`, id, role, now]);
    const projects = [["p-active", "active"], ["p-paused", "paused"], ["p-archived", "archived"]];
    for (const [id, status] of projects) {
      await old.run("insert into projects (id, name, completions_per_prompt, rankings_per_prompt, model_id, decoding_presets, status, created_at) values (?, ?, 2, 1, 'demo', '[]', ?, ?)", [id, id, status, now]);
    }

    await migrateDatabase(conn);

    const members = await old.rows("select project_id, user_id, role, qualification_status from project_members order by project_id, user_id");
    expect(members).toEqual([
      { project_id: "p-active", user_id: "ann-1", role: "annotator", qualification_status: "passed" },
      { project_id: "p-active", user_id: "ann-2", role: "annotator", qualification_status: "passed" },
      { project_id: "p-paused", user_id: "ann-1", role: "annotator", qualification_status: "passed" },
      { project_id: "p-paused", user_id: "ann-2", role: "annotator", qualification_status: "passed" },
    ]);
    const [project] = await old.rows("select gold_rate, qualification_size from projects where id = 'p-active'");
    expect({ goldRate: Number(project.gold_rate), size: Number(project.qualification_size) }).toEqual({ goldRate: 0, size: 0 });
  });
});
