import "server-only";
import type { z, ZodType } from "zod";
import { AppError, badRequest, describeZodError, forbidden, unauthorized } from "@/lib/errors";
import type { Role } from "@/lib/users/roles";
import { getSessionUser, type SessionUser } from "./session";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

interface RouteSpec<P, Q, B, U> {
  /** Who may call it; "public" skips the session check (sign-up by invite, health). */
  roles: readonly Role[] | "public";
  params?: P;
  query?: Q;
  body?: B;
  /** Largest accepted JSON body; larger requests get 413 before parsing. */
  maxBodyBytes?: number;
  handler: (ctx: { user: U; params: Infer<P>; query: Infer<Q>; body: Infer<B>; req: Request }) => Promise<unknown>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * The one wrapper every route handler goes through (HOUSE_STYLE rule 3):
 * session → role → parse params, query and body with zod → handler. Errors
 * become `{ error: { code, message } }` with the matching status; anything
 * unexpected is logged and answered 500 without internals, and a database
 * that cannot be reached is answered 503.
 */
export function apiRoute<P extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, B extends ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, B, SessionUser> & { roles: readonly Role[] },
): (req: Request, ctx: RouteContext) => Promise<Response>;
export function apiRoute<P extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, B extends ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, B, SessionUser | null> & { roles: "public" },
): (req: Request, ctx: RouteContext) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function apiRoute(spec: RouteSpec<any, any, any, any>) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    try {
      const user = await getSessionUser();
      if (spec.roles !== "public") {
        if (!user) throw unauthorized();
        if (!spec.roles.includes(user.role)) throw forbidden();
      }
      const params = parseWith(spec.params, await ctx.params, "params");
      const query = parseWith(spec.query, Object.fromEntries(new URL(req.url).searchParams), "query");
      const body = spec.body ? parseWith(spec.body, await readJsonBody(req, spec.maxBodyBytes ?? DEFAULT_MAX_BODY), "body") : undefined;
      const result = await spec.handler({ user, params, query, body, req } as never);
      return result instanceof Response ? result : Response.json(result ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

function parseWith(schema: ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw badRequest(describeZodError(parsed.error, where), { issues: parsed.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message })) });
}

async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw badRequest("body: expected Content-Type application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("payload_too_large", `body: larger than ${maxBytes} bytes`);
  const buf = await req.arrayBuffer();
  if (buf.byteLength > maxBytes) throw new AppError("payload_too_large", `body: larger than ${maxBytes} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw badRequest("body: not valid UTF-8");
  }
  // PostgreSQL cannot store U+0000 in text; refuse it here rather than fail deep in a query.
  if (text.includes("\u0000") || text.includes("\\u0000")) throw badRequest("body: contains a NUL character (\\u0000)");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("body: not valid JSON");
  }
}

const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|SQLITE_BUSY|database system is (starting up|shutting down)|terminating connection/i;

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) return Response.json(err.toJSON(), { status: err.status });
  const message = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
  // A unique index caught a race the checks before it could not see: a conflict, not a crash.
  if (/duplicate key value violates unique constraint|UNIQUE constraint failed/.test(message)) {
    return Response.json(new AppError("conflict", "This was already done (a concurrent request got there first)").toJSON(), { status: 409 });
  }
  if (UNAVAILABLE.test(message)) {
    console.error("[api] database unavailable:", message);
    return Response.json(new AppError("unavailable", "The database is unavailable; try again shortly").toJSON(), { status: 503 });
  }
  console.error("[api] unexpected error:", err);
  return Response.json(new AppError("internal", "Something went wrong on our side").toJSON(), { status: 500 });
}
