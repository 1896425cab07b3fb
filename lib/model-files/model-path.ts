/**
 * Where a project's model may come from. A project's model field is typed by
 * an admin in the browser, and the worker reads what it names whole into
 * memory, so it is held to: "demo" (MODEL_PATH, the operator's choice), an
 * `hf:` Hub id (fetched into the Hub cache), or a path inside one of the
 * models folders (MODELS_DIR). The API checks the text when a project is
 * saved (modelPathProblem); the worker checks the real path again when it
 * opens the model (resolveModelPath), since a symlink can change in between.
 * The command line's --model is the machine owner's own choice and is not confined.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { isHubModelId } from "@/lib/hub/model-id";

/** A project's model path that points outside the models folders. */
export class ModelPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelPathError";
  }
}

/** The models folders, absolute (MODELS_DIR's entries resolved against the app folder). */
export function modelRoots(): string[] {
  return env()
    .MODELS_DIR.split(path.delimiter)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => path.resolve(d));
}

/** `child` is `root` or below it (both absolute and normalised). */
function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function shownRoots(): string {
  return modelRoots()
    .map((r) => (isInside(r, process.cwd()) ? path.relative(process.cwd(), r) || "." : r))
    .join(", ");
}

const isDemo = (modelId: string) => modelId === "demo" || modelId === "";

/**
 * Why `modelId` cannot be a project's model, judged on its text (the API's
 * check), or null when it may be. Hub ids are parsed by their own schema.
 */
export function modelPathProblem(modelId: string): string | null {
  if (isDemo(modelId) || isHubModelId(modelId)) return null;
  if (modelId.includes("\0")) return "a model path may not contain a NUL character";
  if (modelId.split(/[\\/]/).includes("..")) return `a model path may not contain "..", got ${JSON.stringify(modelId)}`;
  if (!modelRoots().some((root) => isInside(path.resolve(modelId), root))) {
    return `a model path must lie inside the models folder (${shownRoots()}; set MODELS_DIR to change it), or be a Hub id (hf:org/name) or "demo", got ${JSON.stringify(modelId)}`;
  }
  return null;
}

/**
 * The model a project names, ready for the loaders: "demo" (or empty) is
 * MODEL_PATH, an `hf:` id stays as it is (localModelPath fetches it), and a
 * path is confined: its text as modelPathProblem checks it, then its real
 * path, and the real path of every entry of a model folder (the files the
 * loader reads), must lie inside a models folder and be a regular file or a folder.
 * @throws ModelPathError naming the path and the rule it breaks.
 */
export async function resolveModelPath(modelId: string): Promise<string> {
  if (isDemo(modelId)) {
    const spec = env().MODEL_PATH;
    return isHubModelId(spec) ? spec : path.resolve(spec);
  }
  if (isHubModelId(modelId)) return modelId;
  const problem = modelPathProblem(modelId);
  if (problem) throw new ModelPathError(problem);
  const abs = path.resolve(modelId);
  // A missing path is left to the loader, which names it ("no such file or folder").
  const real = await realpath(abs).catch(() => null);
  if (real === null) return abs;
  const roots = (await Promise.all(modelRoots().map((r) => realpath(r).catch(() => null)))).filter((r): r is string => r !== null);
  await checkEntry(modelId, real, roots);
  if ((await stat(real)).isDirectory()) {
    for (const name of await readdir(real)) {
      const entryReal = await realpath(path.join(real, name)).catch(() => null);
      // A dangling link is a missing file: the loader names it if it needs it.
      if (entryReal !== null) await checkEntry(path.join(modelId, name), entryReal, roots);
    }
  }
  return real;
}

async function checkEntry(shown: string, real: string, roots: string[]): Promise<void> {
  if (!roots.some((root) => isInside(real, root))) {
    throw new ModelPathError(`${shown} leads outside the models folder (${shownRoots()}) through a symbolic link`);
  }
  const s = await stat(real);
  if (!s.isFile() && !s.isDirectory()) throw new ModelPathError(`${shown} is neither a regular file nor a folder`);
}
