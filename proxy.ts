import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs before routing. Not an access guard (every handler and page checks
 * the session itself); it only turns away paths Next.js cannot decode — a
 * percent-escape that is not UTF-8 would otherwise reach the router and
 * come back as a bare 500.
 */
export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json({ error: { code: "bad_request", message: "path: not valid UTF-8" } }, { status: 400 });
  }
  return NextResponse.next();
}

export const config = {
  // Skip Next's own static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
