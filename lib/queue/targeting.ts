/**
 * Per-prompt targeting: a prompt may carry a language and tags; a member may be
 * limited to some languages and tags, and is then handed only prompts that match.
 * Both are compared as stored here: trimmed and lower-cased.
 */
import { z } from "zod";

export const MAX_TAGS = 20;

/** A BCP 47-style language code ("en", "pt-BR", "zh-Hant"), stored lower-cased. */
export const languageSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language code such as en, de or pt-BR")
  .transform((s) => s.toLowerCase());

export const tagSchema = z
  .string()
  .trim()
  .min(1, "empty tag")
  .max(50, "a tag is at most 50 characters")
  .transform((s) => s.toLowerCase());

/** A set of tags: duplicates (after lower-casing) collapse into one. */
export const tagListSchema = z
  .array(tagSchema)
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

export const languageListSchema = z
  .array(languageSchema)
  .max(MAX_TAGS, `at most ${MAX_TAGS} languages`)
  .transform((langs) => [...new Set(langs)]);

/** Splits a CSV cell or a form field ("math; Code ;math") into tags: separated by `;` or `,`. */
export function splitList(cell: string): string[] {
  return cell.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== "");
}
