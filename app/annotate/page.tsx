import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { listProjects } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "My queue" };

export default async function AnnotateHome() {
  const user = await requirePageRole(ROLE_GROUPS.anyone, "/annotate");
  const projects = (await listProjects()).filter((p) => p.status === "active");
  return (
    <>
      <PageHeader title="My queue" description={`Welcome, ${user.name}. Pick a project to start labeling.`} />
      <Card title="Active projects">
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="annotate-projects">
          {projects.map((p) => (
            <li key={p.id} className="flex justify-between py-3 text-sm">
              <Link href={`/annotate/${p.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{p.name}</Link>
              <span className="text-slate-600 dark:text-slate-400">{p.promptCount} prompts</span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
