"use client";

import type { VersionsView } from "@/lib/research/versions";
import { ModelLeaderboard } from "./model-leaderboard";
import { SlotsEditor } from "./slots-editor";
import { useVersions } from "./use-versions";
import { VersionsList } from "./versions-list";

/** The model-versions part of a project's research page: the versions, the leaderboard and (for admins) the slot editor. */
export function VersionsSection({ projectId, initialData, canEditSlots }: { projectId: string; initialData: VersionsView; canEditSlots: boolean }) {
  const { data } = useVersions(projectId, initialData);
  return (
    <div className="grid gap-6">
      <VersionsList projectId={projectId} versions={data.versions} />
      <ModelLeaderboard rows={data.leaderboard} rewardModelVersion={data.rewardModelVersion} />
      {canEditSlots ? <SlotsEditor projectId={projectId} versions={data.versions} presets={data.presets} slots={data.slots} /> : null}
    </div>
  );
}
