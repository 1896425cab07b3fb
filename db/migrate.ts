/** Applies the committed drizzle migrations for the active dialect. */
import path from "node:path";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { Connection } from "./client";

export const migrationsRoot = path.resolve(process.cwd(), "db/migrations");

export async function migrateDatabase(conn: Connection): Promise<void> {
  if (conn.dialect === "sqlite") {
    // The SQLite migrator is synchronous; the cast restores its real type.
    migrateSqlite(conn.db as never, { migrationsFolder: path.join(migrationsRoot, "sqlite") });
  } else {
    await migratePg(conn.db, { migrationsFolder: path.join(migrationsRoot, "pg") });
  }
}
