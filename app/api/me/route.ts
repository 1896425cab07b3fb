import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const GET = apiRoute({
  roles: ROLE_GROUPS.anyone,
  handler: async ({ user }) => ({ user: { id: user.id, email: user.email, name: user.name, role: user.role } }),
});
