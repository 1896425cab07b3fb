import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PreferenceImport } from "@/components/admin/preference-import";
import { PageHeader } from "@/components/ui/card";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { IMPORT_FORMATS } from "@/lib/datasets/registry";

export const metadata = { title: "Import preference data" };

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole(ROLE_GROUPS.adminOnly, `/admin/projects/${id}/import`);
  const parsed = z.uuid().safeParse(id);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project) notFound();
  return (
    <>
      <PageHeader
        title="Import preference data"
        description={<>Into <Link href={`/admin/projects/${project.id}`} className="text-indigo-700 underline dark:text-indigo-300">{project.name}</Link>. Pairs become two-completion rankings; raw rankings keep their annotators. Exporting in the file&apos;s format gives its records back, in order.</>}
      />
      <PreferenceImport projectId={project.id} formats={IMPORT_FORMATS.map((f) => ({ id: f.id, label: f.label }))} />
    </>
  );
}
