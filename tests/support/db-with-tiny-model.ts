/**
 * Registers beforeAll/afterAll hooks for integration tests that need both a
 * throw-away database and the tiny model on disk, and cleans up both after.
 * Call at the top level of a test file; read the folder inside tests.
 */
import fs from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { setupTestDatabase } from "./test-db";
import { writeTinyModel } from "./tiny-model";

export function useTestDatabaseWithTinyModel(): { modelDir: () => string } {
  let cleanup: () => Promise<void>;
  let dir = "";
  beforeAll(async () => {
    ({ cleanup } = await setupTestDatabase());
    dir = writeTinyModel();
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { modelDir: () => dir };
}
