import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth's own sign-in, callback and sign-out endpoints (public by design).
// Options are built per request so env is parsed at run time, not at build.
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req as never, ctx as never, authOptions());
}

export { handler as GET, handler as POST };
