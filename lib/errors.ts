/**
 * The app's one error type (HOUSE_STYLE rule 5). A code and an HTTP status;
 * route handlers turn it into `{ error: { code, message, details } }` and the
 * client rebuilds it from that body.
 */
import type { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return statusByCode[this.code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError("bad_request", message, details);
export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have access to this") => new AppError("forbidden", message);
export const unauthorized = () => new AppError("unauthorized", "Sign in first");
export const conflict = (message: string) => new AppError("conflict", message);

/** The first problem zod found, as `where.path.to.field: message` (and how many more there are). */
export function describeZodError(error: z.ZodError, where: string): string {
  const first = error.issues[0];
  const path = [where, ...(first?.path ?? [])].join(".");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return `${path}: ${first?.message ?? "invalid"}${more}`;
}

/** Rebuilds an AppError from a JSON error body (used by the browser client). */
export function appErrorFromBody(status: number, body: unknown): AppError {
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const code = (err?.code && err.code in statusByCode ? err.code : status >= 500 ? "internal" : "bad_request") as ErrorCode;
  return new AppError(code, err?.message ?? `Request failed with status ${status}`, err?.details);
}
