/**
 * Gives an integration test file its own empty, migrated database: a temp
 * SQLite file, or — when TEST_DATABASE_URL points at a PostgreSQL server (as
 * `npm test` sets for its second pass) — a fresh database on that server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { closeDb, getDb, type Connection } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { resetEnvCache } from "@/lib/env";

export const testDialect: "sqlite" | "postgres" = process.env.TEST_DATABASE_URL ? "postgres" : "sqlite";

export async function setupTestDatabase(): Promise<{ conn: Connection; cleanup: () => Promise<void> }> {
  await closeDb();
  const name = `studio_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let dropPg: (() => Promise<void>) | undefined;
  let tmpDir: string | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    dropPg = async () => {
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    delete process.env.DATABASE_URL;
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-test-"));
    process.env.SQLITE_PATH = path.join(tmpDir, "test.db");
  }
  resetEnvCache();
  const conn = getDb();
  await migrateDatabase(conn);
  return {
    conn,
    cleanup: async () => {
      await closeDb();
      await dropPg?.();
      if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
