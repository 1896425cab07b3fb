import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database; `drizzle-kit migrate` (Vercel release step) reads DATABASE_URL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/pg.ts",
  out: "./db/migrations/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/unused" },
});
