/**
 * Rewriting a response: an annotator edits a shown completion into a better
 * one. The new, human-written completion is ranked with the others in the same
 * submission and stored with source "human", its author and its parent.
 */
import { z } from "zod";

/** Longest rewrite accepted, in characters (a model's completions are far shorter). */
export const REWRITE_MAX_CHARS = 20_000;

/** Digits 1–9 rank responses, so at most nine are on screen, rewrites included. */
export const MAX_SHOWN = 9;

export const rewriteTextSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(REWRITE_MAX_CHARS, `must be at most ${REWRITE_MAX_CHARS} characters`);

export interface Rewrite {
  /** A fresh UUID naming the rewrite in this submission's ranks; the server stores it under a new id. */
  id: string;
  /** The shown completion it was edited from. */
  parentId: string;
  text: string;
}

/** What is wrong with a rewrite's text, or null: the same rules as the server's, for the editor. */
export function rewriteTextProblem(text: string, parentText: string): string | null {
  const parsed = rewriteTextSchema.safeParse(text);
  if (!parsed.success) return `The rewrite ${parsed.error.issues[0]?.message ?? "is invalid"}.`;
  if (parsed.data === parentText.trim()) return "The rewrite is unchanged; edit the response first.";
  return null;
}

/**
 * Server side: what is wrong with a submission's rewrites against the task's completions, naming
 * the field, or null. Texts were already trimmed and size-checked by {@link rewriteTextSchema}.
 */
export function rewritesProblem(rewrites: readonly Rewrite[], completions: readonly { id: string; text: string }[], shownCount: number): string | null {
  const texts = new Map(completions.map((c) => [c.id, c.text.trim()]));
  const seen = new Set<string>();
  for (const [i, r] of rewrites.entries()) {
    const parent = texts.get(r.parentId);
    if (parent === undefined) return `rewrites.${i}.parentId: ${r.parentId} is not a completion of this task`;
    if (r.text === parent) return `rewrites.${i}.text: is unchanged from the response it rewrites`;
    if (seen.has(r.id) || texts.has(r.id)) return `rewrites.${i}.id: ${r.id} is already used in this task`;
    seen.add(r.id);
  }
  if (shownCount + rewrites.length > MAX_SHOWN) return `rewrites: at most ${Math.max(0, MAX_SHOWN - shownCount)} fit (${MAX_SHOWN} responses on screen in all)`;
  return null;
}
