import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The pure core must not reach for Next.js, React, the database or the file
// system (HOUSE_STYLE rule 1): I/O lives at the edges (app/, db/, cli/, lib/jobs, lib/model-files).
const pureCore = ["lib/numerics/**", "lib/tasks/**", "lib/engine/**", "lib/train/**", "lib/reward/**", "lib/stats/**", "lib/research/**", "lib/ranking/**", "lib/datasets/**", "lib/users/**", "lib/queue/**", "lib/models/**"];
const forbiddenInPureCore = {
  patterns: [
    { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "The pure core must not import Next.js." },
    { group: ["react", "react-dom", "react/*", "@tanstack/*"], message: "The pure core must not import React." },
    { group: ["@/db", "@/db/*", "**/db/*", "drizzle-orm", "drizzle-orm/*", "better-sqlite3", "pg"], message: "The pure core must not touch the database." },
    { group: ["fs", "node:fs", "fs/promises", "node:fs/promises"], message: "The pure core must not read or write files; do it at the edge." },
  ],
};

// lib/numerics is the bottom layer (engine, trainer, reward and stats build on it): it imports no other lib/ folder.
const numericsOnly = { group: ["@/lib/*", "!@/lib/numerics", "!@/lib/numerics/*"], message: "lib/numerics is the bottom layer: it must not import another lib/ folder." };

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "data/**", "models/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "public/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly", crypto: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", AbortController: "readonly", AbortSignal: "readonly", Response: "readonly", Request: "readonly", structuredClone: "readonly", performance: "readonly", queueMicrotask: "readonly", setImmediate: "readonly" } },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-console": "off",
    },
  },
  { files: pureCore, rules: { "no-restricted-imports": ["error", forbiddenInPureCore] } },
  { files: ["lib/numerics/**"], rules: { "no-restricted-imports": ["error", { patterns: [...forbiddenInPureCore.patterns, numericsOnly] }] } },
  { files: ["**/*.mjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);
