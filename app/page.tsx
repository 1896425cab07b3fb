import { redirect } from "next/navigation";
import { homeForRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";

export default async function Home() {
  const user = await getSessionUser();
  redirect(user ? homeForRole[user.role] : "/login");
}
