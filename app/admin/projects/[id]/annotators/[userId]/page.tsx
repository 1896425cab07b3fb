import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AnnotatorCharts } from "@/components/admin/annotator-charts";
import { Card, PageHeader } from "@/components/ui/card";
import { getAnnotatorProfile } from "@/db/queries/annotator-profile";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { acceptanceRate } from "@/lib/datasets/review-status";

export const metadata = { title: "Annotator" };

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(2));

function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 dark:bg-slate-800/60">
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-xl font-semibold" data-testid={testId}>{value}</dd>
      {detail ? <dd className="text-xs text-slate-600 dark:text-slate-400">{detail}</dd> : null}
    </div>
  );
}

export default async function AnnotatorPage({ params }: { params: Promise<{ id: string; userId: string }> }) {
  const { id, userId } = await params;
  await requirePageRole(ROLE_GROUPS.adminOnly, `/admin/projects/${id}/annotators/${userId}`);
  const ids = z.object({ id: z.uuid(), userId: z.uuid() }).safeParse({ id, userId });
  const project = ids.success ? await getProjectById({ id: ids.data.id }) : undefined;
  const view = project && ids.success ? await getAnnotatorProfile({ projectId: project.id, userId: ids.data.userId }) : null;
  if (!project || !view) notFound();
  const { user, profile: p, review } = view;
  return (
    <>
      <PageHeader
        title={user.name}
        description={<>{user.email} · {user.role} · in <Link className="text-indigo-700 underline dark:text-indigo-300" href={`/admin/projects/${project.id}`}>{project.name}</Link></>}
      />
      <div className="grid gap-6">
        <Card title="Quality">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Figure label="Rankings" value={String(p.rankings)} testId="profile-rankings" />
            <Figure label="Reliability (CrowdBT η)" value={p.reliability?.judgements ? num(p.reliability.eta) : "—"} detail={`from ${p.reliability?.judgements ?? 0} strict preferences`} testId="profile-reliability" />
            <Figure label="Agreement with others" value={pct(p.agreement?.rate)} detail={`${p.agreement?.comparisons ?? 0} comparisons`} />
            <Figure label="τ to consensus" value={num(p.tauToConsensus?.meanTau)} detail={`${p.tauToConsensus?.prompts ?? 0} prompts`} />
            <Figure label="Gold accuracy" value={pct(p.gold?.accuracy)} detail={`${p.gold?.checks ?? 0} checks`} />
            <Figure label="Agreement with verifiers" value={pct(p.verifier?.rate)} detail={`${p.verifier?.comparisons ?? 0} comparisons`} />
            <Figure label="Accepted by reviewers" value={pct(acceptanceRate(review))} detail={`${review.accepted} accepted, ${review.adjudicated} re-ranked, ${review.rejected} rejected, ${review.pending} pending`} />
            <Figure label="Median time per ranking" value={p.medianTimeMs === null ? "—" : `${(p.medianTimeMs / 1000).toFixed(1)} s`} />
          </dl>
        </Card>
        <Card title="Over time, time spent and bias">
          {p.rankings === 0 ? <p className="text-sm">No rankings in this project yet.</p> : <AnnotatorCharts profile={p} />}
        </Card>
      </div>
    </>
  );
}
