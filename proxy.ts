import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * Runs before routing. Not an access guard (every handler and page checks
 * the session itself). It turns away paths Next.js cannot decode — a
 * percent-escape that is not UTF-8 would otherwise reach the router and
 * come back as a bare 500 — and, when no reverse proxy stands in front
 * (STUDIO_TRUSTED_PROXY_HOPS=0), drops an X-Forwarded-For the client sent:
 * Next.js then fills the header with the socket's address, which is what the
 * per-address sign-in limits read (lib/auth/client-address.ts). It also adds
 * HSTS to every response when the app is served over https.
 */
export function proxy(request: NextRequest): NextResponse {
  return withTransportSecurity(route(request));
}

function route(request: NextRequest): NextResponse {
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

// Two years, the subdomains too; not "preload", which is a separate opt-in to browsers' built-in lists.
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * HSTS when the app is served over https (NEXTAUTH_URL says so): browsers
 * then refuse plain http for this host. Set here rather than in
 * next.config.ts, whose headers are fixed at build time.
 */
function withTransportSecurity(res: NextResponse): NextResponse {
  if (/^https:\/\//i.test(env().NEXTAUTH_URL ?? "")) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

export const config = {
  // Skip Next's own static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
