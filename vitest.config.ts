import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests (pure lib/) and integration tests (db/, jobs, route handlers) run in Node.
// Browser tests live in tests/e2e and run under Playwright, not here.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty.ts"),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
