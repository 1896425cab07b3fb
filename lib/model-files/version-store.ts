/**
 * Model versions trained here, on disk: each is a folder under the data
 * folder (STUDIO_DATA_DIR/versions/<project>/<version>/) holding `hf/` (a
 * Hugging Face folder: config, safetensors, tokenizer, README.md model card)
 * and `model.gguf` (the same weights for llama.cpp and friends).
 *
 * registerTrainedVersion is what a training job calls when it has a policy.
 * It writes everything into a temporary folder, loads it with the engine (so
 * the files are a model generation can use), converts it to GGUF, and then, in one database
 * transaction, inserts the version row and renames the folder into place. A
 * failure at any step removes what was written: there is never a row without
 * its folder, nor a folder without its row.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { assertVersionNameFree, getProjectVersion, insertModelVersion, type ModelVersionRow } from "@/db/queries/model-versions";
import type { GgufFileType } from "@/lib/engine/formats/gguf/recipe";
import { env } from "@/lib/env";
import { badRequest, describeZodError } from "@/lib/errors";
import { modelCardMarkdown, trainingCardSchema, type ModelCard, type TrainingCard } from "@/lib/models/card";
import { versionMethodSchema, versionNameSchema } from "@/lib/models/names";
import { convertHfFolderToGguf } from "./convert";
import { loadModelFromPath } from "./load";

/** The HF folder inside a version's folder, and the GGUF beside it. */
export const VERSION_HF_DIR = "hf";
export const VERSION_GGUF_FILE = "model.gguf";

/** Temporary folders older than this are left over from a crashed run and are removed by the next registration. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** The folder model versions live in (absolute). */
export function versionsRoot(): string {
  return path.resolve(env().STUDIO_DATA_DIR, "versions");
}

/** A trained version's folder (absolute); the stored path is relative to the data folder and may not leave it. */
export function versionDir(version: Pick<ModelVersionRow, "kind" | "folder" | "name">): string {
  if (version.kind !== "trained" || !version.folder) throw new Error(`model version "${version.name}" has no files (it is ${version.kind === "base" ? "the project's own model" : "an endpoint"})`);
  const root = versionsRoot();
  const dir = path.resolve(env().STUDIO_DATA_DIR, version.folder);
  const rel = path.relative(root, dir);
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new Error(`model version "${version.name}" points outside ${root}`);
  return dir;
}

/** Where the engine loads a trained version from: its Hugging Face folder. */
export function versionModelPath(version: Pick<ModelVersionRow, "kind" | "folder" | "name">): string {
  return path.join(versionDir(version), VERSION_HF_DIR);
}

/** A file name inside the HF folder: one plain name, no folders (the writer never leaves the temporary folder). */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The HF folder files: name → bytes or text, as lib/train/export-hf.ts hfModelFiles returns them. */
export type VersionFiles = ReadonlyMap<string, Uint8Array | string>;

export interface RegisterTrainedVersion {
  projectId: string;
  /** Unique in the project (lib/models/names.ts). */
  name: string;
  /** The version it was trained from (e.g. the base version's id); null when unknown. */
  parentId: string | null;
  /** "dpo", "grpo", "sft", "import"… */
  method: string;
  /** config.json, model.safetensors (or an index and its shards), tokenizer files, generation_config.json. */
  files: VersionFiles;
  card: TrainingCard;
  createdBy?: string | null;
  /** Tensor type of model.gguf (default F32: the weights as trained). */
  ggufType?: GgufFileType;
  /** The job's signal: a run cancelled while its version is being written registers nothing. */
  signal?: AbortSignal;
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error, where));
  return parsed.data;
}

function checkFiles(files: VersionFiles): void {
  for (const name of files.keys()) if (!FILE_NAME.test(name)) throw badRequest(`files: "${name.slice(0, 80)}" is not a plain file name`);
  if (!files.has("config.json")) throw badRequest("files: config.json is missing");
  if (!files.has("model.safetensors") && !files.has("model.safetensors.index.json")) throw badRequest("files: model.safetensors (or model.safetensors.index.json) is missing");
  if (files.has("README.md")) throw badRequest("files: README.md is written from the card; leave it out");
}

async function removeStaleTemp(tempRoot: string): Promise<void> {
  if (!existsSync(tempRoot)) return;
  for (const entry of await readdir(tempRoot)) {
    const dir = path.join(tempRoot, entry);
    const s = await stat(dir).catch(() => null);
    if (s && Date.now() - s.mtimeMs > STALE_TEMP_MS) await rm(dir, { recursive: true, force: true });
  }
}

/** Sizes of a version's files, keyed by their path in the version folder ("hf/config.json", "model.gguf"). */
async function fileSizes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of (await readdir(path.join(dir, VERSION_HF_DIR))).sort()) out[`${VERSION_HF_DIR}/${name}`] = (await stat(path.join(dir, VERSION_HF_DIR, name))).size;
  out[VERSION_GGUF_FILE] = (await stat(path.join(dir, VERSION_GGUF_FILE))).size;
  return out;
}

/**
 * Registers a trained policy as a new version of its project (see the file
 * comment for the guarantees). Checks the name, parent, method, card and file
 * names before writing anything.
 * @throws AppError (bad_request / conflict / not_found) naming the problem; the converter's EngineError for files that are not a model.
 */
export async function registerTrainedVersion(input: RegisterTrainedVersion): Promise<ModelVersionRow> {
  const name = parseOr(versionNameSchema, input.name, "name");
  const method = parseOr(versionMethodSchema, input.method, "method");
  const training = parseOr(trainingCardSchema, input.card, "card");
  checkFiles(input.files);
  await assertVersionNameFree({ projectId: input.projectId, name });
  const parent = input.parentId ? await getProjectVersion({ projectId: input.projectId, id: input.parentId }) : null;

  const id = crypto.randomUUID();
  const tempRoot = path.join(versionsRoot(), ".tmp");
  const temp = path.join(tempRoot, id);
  const folder = path.join("versions", input.projectId, id);
  const final = path.resolve(env().STUDIO_DATA_DIR, folder);
  const card: ModelCard = { name, method, parent: parent ? { id: parent.id, name: parent.name } : null, createdAt: new Date().toISOString(), ...training };
  const checkCancel = () => input.signal?.throwIfAborted();
  let moved = false;
  try {
    await removeStaleTemp(tempRoot);
    await mkdir(path.join(temp, VERSION_HF_DIR), { recursive: true });
    for (const [file, content] of input.files) await writeFile(path.join(temp, VERSION_HF_DIR, file), content);
    await writeFile(path.join(temp, VERSION_HF_DIR, "README.md"), modelCardMarkdown(card));
    checkCancel();
    // The engine loads what generation will load: a config that disagrees with the tensors fails here, not in a later job.
    await loadModelFromPath(path.join(temp, VERSION_HF_DIR));
    checkCancel();
    await convertHfFolderToGguf(path.join(temp, VERSION_HF_DIR), path.join(temp, VERSION_GGUF_FILE), { dtype: input.ggufType ?? "F32", name });
    const files = await fileSizes(temp);
    await mkdir(path.dirname(final), { recursive: true });
    return await getDb().tx(async () => {
      checkCancel();
      const row = await insertModelVersion({ id, projectId: input.projectId, name, kind: "trained", parentId: parent?.id ?? null, method, folder, files, card, createdBy: input.createdBy ?? null });
      await rename(temp, final);
      moved = true;
      return row;
    });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // The rename happened but the transaction did not commit: the folder goes too.
    if (moved) await rm(final, { recursive: true, force: true });
    throw err;
  }
}
