/**
 * Registers beforeAll/afterAll hooks for integration tests that need both a
 * throw-away database and the tiny model on disk, and cleans up both after.
 * The model is written into a throw-away models folder that MODELS_DIR names,
 * so a project may name it as its model (project model paths are confined).
 * Call at the top level of a test file; read the folder inside tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { setupTestDatabase } from "./test-db";
import { writeTinyModel } from "./tiny-model";

export function useTestDatabaseWithTinyModel(): { modelDir: () => string; modelsRoot: () => string } {
  let cleanup: () => Promise<void>;
  let root = "";
  const savedModelsDir = process.env.MODELS_DIR;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "studio-models-"));
    process.env.MODELS_DIR = root;
    ({ cleanup } = await setupTestDatabase());
    writeTinyModel(path.join(root, "tiny"));
  });
  afterAll(async () => {
    await cleanup();
    fs.rmSync(root, { recursive: true, force: true });
    if (savedModelsDir === undefined) delete process.env.MODELS_DIR;
    else process.env.MODELS_DIR = savedModelsDir;
    resetEnvCache();
  });
  return { modelDir: () => path.join(root, "tiny"), modelsRoot: () => root };
}
