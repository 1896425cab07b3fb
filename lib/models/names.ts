/**
 * Names of a project's model versions. A name is what annotators never see
 * and researchers pick from: in the leaderboard, the slot editor, download
 * file names and `studio versions`. It is unique per project.
 */
import { z } from "zod";

/** The version every project has: its own model id or completion source. */
export const BASE_VERSION_NAME = "base";

/** Kinds of version: the project's own model, an OpenAI-compatible endpoint, or a model trained here. */
export const VERSION_KINDS = ["base", "endpoint", "trained"] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A new version's name: letters, digits, ".", "_" and "-" (safe in a file name), and not "base". */
export const versionNameSchema = z
  .string()
  .trim()
  .regex(NAME, "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")
  .refine((n) => n.toLowerCase() !== BASE_VERSION_NAME, `"${BASE_VERSION_NAME}" is the project's own model`);

/** How a trained version was made ("dpo", "grpo", "sft", "import" for a folder trained elsewhere). */
export const versionMethodSchema = z.string().trim().regex(/^[a-z][a-z0-9-]{0,31}$/, "must be a short lower-case word such as dpo, grpo or sft");
