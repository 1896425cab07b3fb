import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/auth/api-route";

/** Public liveness + database check for load balancers and the start script. */
export const GET = apiRoute({
  roles: "public",
  handler: async () => {
    const { db, t, dialect } = getDb();
    await db.select({ one: sql`1` }).from(t.users).limit(1);
    return { ok: true, dialect };
  },
});
