import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_IN_PRODUCTION_WARNING, runSeed } from "@/cli/commands/db";
import { DEMO_LOGINS } from "@/db/demo-logins";
import { getUserByEmail } from "@/db/queries/users";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase, testDialect } from "../../support/test-db";

type QuickStartSeed = (env: Record<string, string | undefined>) => { demo: boolean; args: string[]; nodeEnv: string };
const { quickStartSeed } = (await import(pathToFileURL(path.resolve(import.meta.dirname, "../../../scripts/lib/demo-seed.mjs")).href)) as { quickStartSeed: QuickStartSeed };

const demoAdmin = DEMO_LOGINS.find((l) => l.role === "admin")!.email;
const saved = { NODE_ENV: process.env.NODE_ENV, SEED_DEMO: process.env.SEED_DEMO };
function setEnv(vars: { NODE_ENV?: string; SEED_DEMO?: string }) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

describe("npm start's demo seed", () => {
  it("seeds the demo for the local quick start and not when the caller runs in production, unless SEED_DEMO asks", () => {
    expect(quickStartSeed({})).toEqual({ demo: true, args: ["seed", "--demo", "--quiet"], nodeEnv: "development" });
    expect(quickStartSeed({ NODE_ENV: "production" })).toEqual({ demo: false, args: ["seed"], nodeEnv: "production" });
    expect(quickStartSeed({ NODE_ENV: "production", SEED_DEMO: "true" })).toEqual({ demo: true, args: ["seed", "--demo", "--quiet"], nodeEnv: "production" });
    expect(quickStartSeed({ NODE_ENV: "production", SEED_DEMO: "Yes" }).demo).toBe(true);
    expect(quickStartSeed({ SEED_DEMO: "false" }).demo).toBe(false);
    expect(quickStartSeed({ SEED_DEMO: "0" }).demo).toBe(false);
  });
});

describe(`studio seed on ${testDialect}`, () => {
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ cleanup } = await setupTestDatabase());
  });
  afterEach(() => {
    setEnv(saved);
    vi.restoreAllMocks();
  });
  afterAll(async () => cleanup());

  it("creates no demo user in production unless asked", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    setEnv({ NODE_ENV: "production", SEED_DEMO: undefined });
    await runSeed([]);
    expect(await getUserByEmail({ email: demoAdmin })).toBeUndefined();
    setEnv({ NODE_ENV: "production", SEED_DEMO: "false" });
    await runSeed([]);
    expect(await getUserByEmail({ email: demoAdmin })).toBeUndefined();
  });

  it("seeds the demo in production when SEED_DEMO=true, with a warning about the published passwords", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setEnv({ NODE_ENV: "production", SEED_DEMO: "true" });
    await runSeed(["--quiet"]);
    expect(await getUserByEmail({ email: demoAdmin })).toBeDefined();
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toContain(DEMO_IN_PRODUCTION_WARNING);
  });

  it("warns on `seed --demo` in production but not in development", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setEnv({ NODE_ENV: "development", SEED_DEMO: undefined });
    await runSeed(["--demo", "--quiet"]);
    expect(warn).not.toHaveBeenCalled();
    setEnv({ NODE_ENV: "production", SEED_DEMO: undefined });
    await runSeed(["--demo", "--quiet"]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
