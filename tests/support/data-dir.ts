/**
 * Points STUDIO_DATA_DIR at a fresh temporary folder for one test file (call
 * before setupTestDatabase, which re-reads the environment), and removes it after.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { resetEnvCache } from "@/lib/env";

export function useTempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-data-"));
  process.env.STUDIO_DATA_DIR = dir;
  resetEnvCache();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file and folder under `dir`, relative and sorted ("" when it does not exist). */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join("/")).sort();
}
