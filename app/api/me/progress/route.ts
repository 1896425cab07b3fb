import { countUserRankings } from "@/db/queries/rankings";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const GET = apiRoute({
  roles: ROLE_GROUPS.anyone,
  handler: async ({ user }) => {
    const startOfDay = new Date();
    startOfDay.setHours(0, 0, 0, 0);
    return { today: await countUserRankings({ userId: user.id, since: startOfDay }), total: await countUserRankings({ userId: user.id }) };
  },
});
