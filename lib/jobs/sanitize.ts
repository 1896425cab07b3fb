/**
 * PostgreSQL text and jsonb cannot hold U+0000 (SQLite can). A model can emit
 * it (random or badly trained weights do), so stored text drops it, on both
 * databases alike, and error messages are kept short and storable. Jobs are
 * where model text and worker errors are written, so this lives with them.
 */
export function stripNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
}

/** An error message fit for the jobs table: no NULs, at most `max` characters. */
export function storableMessage(message: string, max = 2000): string {
  const clean = stripNul(message);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
