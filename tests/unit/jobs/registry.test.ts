import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { JobKind } from "@/lib/jobs/define";
import { jobRegistry } from "@/lib/jobs/registry";

const KINDS_DIR = path.resolve(import.meta.dirname, "../../../lib/jobs/kinds");

/** The job kinds each lib/jobs/kinds/*.ts module exports (the light modules routes import). */
async function declaredKinds(): Promise<{ file: string; kinds: JobKind[] }[]> {
  const files = fs.readdirSync(KINDS_DIR).filter((f) => f.endsWith(".ts")).sort();
  return Promise.all(files.map(async (file) => {
    const mod = (await import(path.join(KINDS_DIR, file))) as Record<string, unknown>;
    const kinds = Object.values(mod).filter((v): v is JobKind => typeof v === "object" && v !== null && "kind" in v && "payload" in v);
    return { file, kinds };
  }));
}

describe("the job registry", () => {
  it("runs every kind declared in lib/jobs/kinds, each once, with the kind's own payload schema", async () => {
    const modules = await declaredKinds();
    // One kind per file, named after it: the file is where the kind lives.
    expect(modules.map((m) => m.kinds.map((k) => `${k.kind}.ts`))).toEqual(modules.map((m) => [m.file]));
    const declared = modules.flatMap((m) => m.kinds);
    expect(declared.length).toBeGreaterThanOrEqual(4);
    expect(jobRegistry.map((d) => d.kind).sort()).toEqual(declared.map((k) => k.kind).sort());
    for (const kind of declared) {
      const def = jobRegistry.find((d) => d.kind === kind.kind);
      // The same schema object: the worker parses with exactly what enqueueJob validated with.
      expect(def?.payload).toBe(kind.payload);
      // The attempt limit the worker enforces is the one the kind declares.
      expect(def?.maxAttempts).toBe(kind.maxAttempts);
    }
  });
});
