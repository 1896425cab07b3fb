import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { listProjects } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Projects" };

export default async function AdminHome() {
  await requirePageRole(ROLE_GROUPS.adminOnly, "/admin");
  const projects = await listProjects();
  return (
    <>
      <PageHeader
        title="Projects"
        description="Set up ranking projects, import prompts, generate completions and export preference data."
        actions={<Link href="/admin/projects/new" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">New project</Link>}
      />
      <Card>
        {projects.length === 0 ? (
          <p className="text-sm text-slate-600">No projects yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="project-list">
            {projects.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <Link href={`/admin/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {p.name}
                </Link>
                <span className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
                  {p.promptCount} prompts · {p.rankingCount} rankings · K={p.completionsPerPrompt}, N={p.rankingsPerPrompt}
                  <Badge tone={p.status === "active" ? "green" : "slate"}>{p.status}</Badge>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
