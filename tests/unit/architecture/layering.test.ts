import { describe, expect, it } from "vitest";
import { findCycles, importChain, importSpecifiers, readImportGraph, REPO_ROOT, resolveSpecifier } from "./import-graph";

const graph = readImportGraph(REPO_ROOT, ["lib", "db", "app", "components", "cli"]);

/** Matches files under any of the folders, or equal to any of the files, named by repository path. */
const under = (...paths: string[]) => (file: string) => paths.some((p) => file === p || file.startsWith(`${p}/`));

/**
 * lib/ folders with no I/O (HOUSE_STYLE rule 1): ESLint keeps next, react and
 * fs out of them, this test the app's own upper layers. numerics, tasks and
 * datasets arrive with other issue-15 branches (absent folders match nothing).
 */
const PURE_CORE = ["engine", "train", "reward", "stats", "research", "ranking", "users", "numerics", "tasks", "datasets", "queue", "models"].map((d) => `lib/${d}`);
/** The parts of lib/ that do I/O or need a session: above the pure core and the query layer. */
const LIB_EDGES = ["lib/auth", "lib/jobs", "lib/model-files", "lib/generation", "lib/hub", "lib/dataset-files", "lib/projects", "lib/env.ts"];
/** The light side of a job kind (name and payload schema), which routes, the seed and the CLI may import. */
const lightJobs = under("lib/jobs/kinds", "lib/jobs/define.ts");

/** A file matching `from` must not import a file matching `to`. */
const RULES: { rule: string; from: (f: string) => boolean; to: (f: string) => boolean }[] = [
  { rule: "lib/ and db/ never import routes, components or the CLI", from: under("lib", "db"), to: under("app", "components", "cli") },
  { rule: "components never import routes or the CLI", from: under("components"), to: under("app", "cli") },
  { rule: "routes never import the CLI", from: under("app"), to: under("cli") },
  { rule: "the CLI never imports routes or components", from: under("cli"), to: under("app", "components") },
  { rule: "db/ never imports lib/auth, the model I/O or the job worker (they use db/, not the other way round)", from: under("db"), to: (f) => under("lib/auth", "lib/model-files", "lib/generation")(f) || (under("lib/jobs")(f) && !lightJobs(f)) },
  { rule: "the pure core never imports db/, routes, components, the CLI or lib's I/O edges", from: under(...PURE_CORE), to: under("db", "app", "components", "cli", ...LIB_EDGES) },
  { rule: "lib/engine imports nothing outside itself but the shared numerics core", from: under("lib/engine"), to: (f) => !under("lib/engine", "lib/numerics")(f) },
];

/**
 * Import cycles that other branches of issue 15 remove. Each entry must still
 * be a cycle: once it is gone the test says so, and the entry is deleted.
 */
const KNOWN_CYCLES: { files: string[]; why: string }[] = [];

describe("reading the import graph", () => {
  it("sees type-only imports, export-from, side-effect and dynamic imports, and skips comments", () => {
    const source = [
      'import type { A } from "./a";',
      'import {\n  b,\n  type B,\n} from "@/lib/b";',
      'export { c } from "./c";',
      'export * from "../d";',
      'import "./e";',
      '// import nope from "./commented";',
      'const f = await import("./f");',
      'import { z } from "zod";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a", "@/lib/b", "./c", "../d", "./e", "./f", "zod"]);
  });

  it("resolves @/ and relative paths to files, folders to their index, and leaves packages out", () => {
    expect(resolveSpecifier(REPO_ROOT, "app/x/route.ts", "@/lib/jobs/define")).toBe("lib/jobs/define.ts");
    expect(resolveSpecifier(REPO_ROOT, "lib/jobs/registry.ts", "./kinds/generate")).toBe("lib/jobs/kinds/generate.ts");
    expect(resolveSpecifier(REPO_ROOT, "lib/jobs/handlers/generate.ts", "../define")).toBe("lib/jobs/define.ts");
    expect(resolveSpecifier(REPO_ROOT, "lib/jobs/runner.ts", "@/lib/reward")).toBe("lib/reward/index.ts");
    expect(resolveSpecifier(REPO_ROOT, "lib/jobs/runner.ts", "zod")).toBeNull();
    expect(resolveSpecifier(REPO_ROOT, "lib/jobs/runner.ts", "@/lib/no-such-module")).toBeUndefined();
  });

  it("finds every cycle once, self-imports included, and nothing else", () => {
    const g = new Map(Object.entries({ a: ["b"], b: ["c"], c: ["a"], d: ["d"], e: ["a"], f: [] }).map(([k, v]) => [k, new Set(v)]));
    expect(findCycles(g).sort()).toEqual([["a", "b", "c"], ["d"]]);
    expect(importChain(g, "e", (f) => f === "c")).toEqual(["e", "a", "b", "c"]);
    expect(importChain(g, "f", (f) => f === "a")).toBeNull();
  });

  it("resolves every app-internal import in lib/, db/, app/, components/ and cli/", () => {
    expect(graph.unresolved).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(300);
  });
});

describe("layering", () => {
  it("has no import cycles (type-only imports included) beyond the known ones being removed", () => {
    const cycles = findCycles(graph.imports);
    const key = (files: string[]) => [...files].sort().join(" <-> ");
    const known = new Set(KNOWN_CYCLES.map((c) => key(c.files)));
    expect(cycles.map(key).filter((c) => !known.has(c))).toEqual([]);
    const stale = KNOWN_CYCLES.filter((c) => !cycles.some((found) => key(found) === key(c.files)));
    expect(stale.map((c) => `${key(c.files)} is no longer a cycle (${c.why}): delete it from KNOWN_CYCLES`)).toEqual([]);
  });

  it.each(RULES)("$rule", ({ from, to }) => {
    const broken: string[] = [];
    for (const file of graph.files.filter(from)) {
      for (const target of graph.imports.get(file) ?? []) if (to(target)) broken.push(`${file} -> ${target}`);
    }
    expect(broken).toEqual([]);
  });

  it("no route, page, component, db/ module or job kind reaches handler code through any chain of imports", () => {
    const heavy = under("lib/jobs/handlers", "lib/jobs/registry.ts", "lib/jobs/runner.ts");
    const chains = graph.files
      .filter(under("app", "components", "db", "lib/jobs/kinds", "lib/jobs/define.ts"))
      .map((file) => importChain(graph.imports, file, heavy))
      .filter((chain): chain is string[] => chain !== null)
      .map((chain) => chain.join(" -> "));
    expect(chains).toEqual([]);
  });
});
