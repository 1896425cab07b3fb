import { EngineError } from "@/lib/engine/errors";

/**
 * Small readers for untyped tokenizer.json / GGUF values. Each throws an
 * EngineError naming the field, so a malformed file says where it is wrong.
 */
export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as an object, or an EngineError naming `field`. */
export function asObject(value: unknown, field: string, source: string): JsonObject {
  if (!isObject(value)) throw new EngineError(`${field} must be an object, got ${describe(value)}`, source);
  return value;
}

/** The value as an array, or an EngineError naming `field`. */
export function asArray(value: unknown, field: string, source: string): unknown[] {
  if (!Array.isArray(value)) throw new EngineError(`${field} must be an array, got ${describe(value)}`, source);
  return value;
}

/** The value as a string, or an EngineError naming `field`. */
export function asString(value: unknown, field: string, source: string): string {
  if (typeof value !== "string") throw new EngineError(`${field} must be a string, got ${describe(value)}`, source);
  return value;
}

/** The value as a non-negative integer (GGUF bigints included), or an EngineError naming `field`. */
export function asInt(value: unknown, field: string, source: string): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new EngineError(`${field} must be a non-negative integer, got ${describe(value)}`, source);
  }
  return n;
}

/** A boolean, undefined when absent, or an EngineError naming `field`. */
export function optBool(value: unknown, field: string, source: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new EngineError(`${field} must be a boolean, got ${describe(value)}`, source);
  return value;
}

/** Short, bounded rendering of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value}n`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
