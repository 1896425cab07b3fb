/** Every TanStack Query key in one place, so mutations invalidate by key. */
export const queryKeys = {
  users: ["users"] as const,
  projects: ["projects"] as const,
  project: (id: string) => ["projects", id] as const,
  projectStats: (id: string) => ["projects", id, "stats"] as const,
  projectReliability: (id: string) => ["projects", id, "reliability"] as const,
  prompts: (projectId: string) => ["projects", projectId, "prompts"] as const,
  /** Under prompts: invalidating a project's prompts refreshes it too. */
  skippedPrompts: (projectId: string) => ["projects", projectId, "prompts", "skipped"] as const,
  imports: (projectId: string) => ["projects", projectId, "imports"] as const,
  members: (projectId: string) => ["projects", projectId, "members"] as const,
  jobs: (projectId?: string) => ["jobs", projectId ?? "all"] as const,
  job: (id: string) => ["job", id] as const,
  task: (projectId: string) => ["task", projectId] as const,
  myProgress: ["me", "progress"] as const,
  rewardModels: (projectId: string) => ["projects", projectId, "reward-models"] as const,
  research: (projectId: string) => ["projects", projectId, "research"] as const,
  versions: (projectId: string) => ["projects", projectId, "versions"] as const,
  audit: ["audit"] as const,
  reviewQueue: (projectId: string, status: string) => ["projects", projectId, "reviews", status] as const,
  myRankings: (projectId: string) => ["projects", projectId, "my-rankings"] as const,
  ranking: (id: string) => ["ranking", id] as const,
};
