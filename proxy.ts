import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * Runs before routing. Not an access guard (every handler and page checks
 * the session itself). It turns away paths Next.js cannot decode — a
 * percent-escape that is not UTF-8 would otherwise reach the router and
 * come back as a bare 500 — and, when no reverse proxy stands in front
 * (STUDIO_TRUSTED_PROXY_HOPS=0), drops an X-Forwarded-For the client sent:
 * Next.js then fills the header with the socket's address, which is what the
 * per-address sign-in limits read (lib/auth/client-address.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json({ error: { code: "bad_request", message: "path: not valid UTF-8" } }, { status: 400 });
  }
  if (env().STUDIO_TRUSTED_PROXY_HOPS === 0 && request.headers.has("x-forwarded-for")) {
    const headers = new Headers(request.headers);
    headers.delete("x-forwarded-for");
    return NextResponse.next({ request: { headers } });
  }
  return NextResponse.next();
}

export const config = {
  // Skip Next's own static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
