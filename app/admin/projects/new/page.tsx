import { ProjectForm } from "@/components/admin/project-form";
import { PageHeader } from "@/components/ui/card";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "New project" };

export default async function NewProjectPage() {
  await requirePageRole(ROLE_GROUPS.adminOnly, "/admin/projects/new");
  return (
    <>
      <PageHeader title="New project" description="K completions per prompt, ranked by N annotators each, generated with the decoding presets below." />
      <ProjectForm />
    </>
  );
}
