import { listUsers } from "@/db/queries/users";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const GET = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  handler: async () => ({ users: await listUsers() }),
});
