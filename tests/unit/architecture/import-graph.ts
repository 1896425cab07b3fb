/**
 * The repository's import graph, read from source text: every import and
 * export-from statement (type-only ones included, since they tie modules
 * together just the same), plus dynamic import(), with "@/" and relative
 * paths resolved to repository files. Package imports are left out.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ImportGraph {
  /** Repository-relative paths (forward slashes) of every scanned source file. */
  files: string[];
  /** file → the repository files it imports. */
  imports: Map<string, Set<string>>;
  /** `file: specifier` for "@/" or relative imports that match no file (the graph would miss them). */
  unresolved: string[];
}

/** The module specifiers one file imports, in source order. */
export function importSpecifiers(source: string): string[] {
  // preProcessFile sees `import type`, `export … from`, `import()` and `require()` alike.
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

const SOURCE = /\.(ts|tsx|mts)$/;
const CANDIDATES = ["", ".ts", ".tsx", ".d.ts", "/index.ts", "/index.tsx"];

function listSources(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return listSources(root, rel);
    return SOURCE.test(e.name) ? [rel] : [];
  });
}

/** The repository file a specifier names, null for a package, undefined when nothing matches. */
export function resolveSpecifier(root: string, from: string, spec: string): string | null | undefined {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.posix.join(path.posix.dirname(from), spec);
  else return null;
  for (const suffix of CANDIDATES) {
    const candidate = path.posix.normalize(base + suffix);
    const abs = path.join(root, candidate);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
  }
  return undefined;
}

export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.flatMap((d) => listSources(root, d)).sort();
  const imports = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  for (const file of files) {
    const targets = new Set<string>();
    for (const spec of importSpecifiers(fs.readFileSync(path.join(root, file), "utf8"))) {
      const target = resolveSpecifier(root, file, spec);
      if (target === undefined) unresolved.push(`${file}: ${spec}`);
      else if (target !== null) targets.add(target);
    }
    imports.set(file, targets);
  }
  return { files, imports, unresolved };
}

/** Strongly connected components with more than one file, or a file importing itself: the import cycles. */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  // Tarjan's algorithm; the graph has a few hundred files, so recursion depth is no concern.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) cycles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The shortest import chain from `from` to a file `to` accepts, or null: for messages that show how a rule is broken. */
export function importChain(graph: Map<string, Set<string>>, from: string, to: (file: string) => boolean): string[] | null {
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    if (v !== from && to(v)) {
      const chain = [v];
      for (let p = parent.get(v); p; p = parent.get(p)) chain.unshift(p);
      return chain;
    }
    for (const w of graph.get(v) ?? []) {
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return null;
}
