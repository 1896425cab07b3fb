import { UsersPanel } from "@/components/admin/users-panel";
import { PageHeader } from "@/components/ui/card";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageRole(ROLE_GROUPS.adminOnly, "/admin/users");
  return (
    <>
      <PageHeader title="Users" description="Invite annotators, reviewers and researchers with a one-time link; change roles; disable accounts." />
      <UsersPanel currentUserId={me.id} />
    </>
  );
}
