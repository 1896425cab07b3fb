/**
 * `hf:` model ids: `hf:org/name` (a Hugging Face model folder: config.json,
 * tokenizer files, safetensors) or `hf:org/name/path/to/file.gguf` (one GGUF
 * file of the repo), each with an optional `@revision` (branch, tag or commit).
 */
import { HubError } from "./errors";

export const HUB_PREFIX = "hf:";

export interface HubModelId {
  /** "org/name" */
  repo: string;
  /** A .gguf file inside the repo ("sub/dir/x.gguf"), or null for the whole model folder. */
  file: string | null;
  /** A branch, tag or 40-hex commit; "main" when the id names none. */
  revision: string;
}

// The Hub's own rule for a repo id's two parts (huggingface_hub validate_repo_id):
// letters, digits, "-", "_", "."; no "--" or ".."; not starting or ending with "-" or ".".
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;
const REVISION = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
// Characters a path segment may not hold: separators and control characters.
// eslint-disable-next-line no-control-regex
const BAD_SEGMENT_CHARS = /[\\\x00-\x1f\x7f]/;

export function isHubModelId(spec: string): boolean {
  return spec.startsWith(HUB_PREFIX);
}

/** Why a repo-relative file path is unsafe to write under the cache, or null when it is fine. */
export function repoPathProblem(file: string): string | null {
  if (file.length === 0 || file.length > 1000) return "must be 1 to 1000 characters";
  if (file.startsWith("/")) return "must be relative (no leading /)";
  for (const seg of file.split("/")) {
    if (seg === "" || seg === "." || seg === "..") return `may not hold an empty, "." or ".." segment`;
    if (BAD_SEGMENT_CHARS.test(seg)) return "may not hold a backslash or control characters";
  }
  return null;
}

function nameProblem(part: string, what: string): string | null {
  if (!NAME.test(part) || part.includes("--") || part.includes("..")) {
    return `${what} ${JSON.stringify(part)} is not a valid Hub name (letters, digits, "-", "_", "."; no "--" or "..")`;
  }
  return null;
}

/**
 * Parses an `hf:` id.
 * @throws HubError("bad_id") naming the id and what is wrong with it.
 */
export function parseHubModelId(spec: string): HubModelId {
  const fail = (why: string): never => {
    throw new HubError("bad_id", `${spec}: ${why}; expected hf:org/name or hf:org/name/file.gguf, optionally @revision`);
  };
  if (!isHubModelId(spec)) fail(`does not start with ${HUB_PREFIX}`);
  const body = spec.slice(HUB_PREFIX.length);
  const at = body.lastIndexOf("@");
  const pathPart = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? "main" : body.slice(at + 1);
  if (!REVISION.test(revision) || revision.split("/").includes("..") || revision.length > 200) {
    fail(`revision ${JSON.stringify(revision)} is not a branch, tag or commit name`);
  }
  const parts = pathPart.split("/");
  if (parts.length < 2) fail("names no repo (org/name)");
  const problem = nameProblem(parts[0], "organisation") ?? nameProblem(parts[1], "repo name");
  if (problem) fail(problem);
  if (parts.length === 2) return { repo: `${parts[0]}/${parts[1]}`, file: null, revision };
  const file = parts.slice(2).join("/");
  const fileProblem = repoPathProblem(file);
  if (fileProblem) fail(`file path ${fileProblem}`);
  if (!file.toLowerCase().endsWith(".gguf")) fail(`a single file must be a .gguf (got ${JSON.stringify(file)}); name the repo alone for a Hugging Face folder`);
  return { repo: `${parts[0]}/${parts[1]}`, file, revision };
}

/** The id back as a string, for messages: hf:org/name[/file][@revision]. */
export function formatHubModelId(id: HubModelId): string {
  return `${HUB_PREFIX}${id.repo}${id.file ? `/${id.file}` : ""}${id.revision === "main" ? "" : `@${id.revision}`}`;
}
