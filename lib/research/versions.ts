/**
 * The model-versions part of the research page: each version described, the
 * project's completion slots as they stand, and the model leaderboard.
 * Pure: db/queries/model-leaderboard.ts loads the data.
 */
import { defaultSlots, type CompletionSlot } from "@/lib/models/slots";
import { modelLeaderboard, type ModelLeaderboardRow } from "@/lib/stats/model-leaderboard";
import { verdictFor } from "@/lib/tasks/verdict";

interface VersionRecord {
  id: string;
  name: string;
  kind: "base" | "endpoint" | "trained";
  parentId: string | null;
  method: string | null;
  source: Record<string, unknown> | null;
  files: Record<string, number> | null;
  card: Record<string, unknown> | null;
  createdAt: Date;
}

export interface VersionsInput {
  project: { modelId: string; completionSource: unknown; completionSlots: CompletionSlot[] | null; decodingPresets: unknown; completionsPerPrompt: number };
  versions: VersionRecord[];
  prompts: { id: string; verifierId: string | null; metadata: Record<string, unknown> | null }[];
  completions: { id: string; promptId: string; versionId: string; text: string }[];
  rankings: { promptId: string; userId: string; ranks: Record<string, number> }[];
  rewardModel: { id: string; version: number } | null;
  scores: ReadonlyMap<string, number> | null;
}

export interface VersionView {
  id: string;
  name: string;
  kind: VersionRecord["kind"];
  parentId: string | null;
  parentName: string | null;
  method: string | null;
  /** Where its completions come from, in words. */
  origin: string;
  createdAt: string;
  /** Trained versions: total bytes of the HF folder and of the GGUF file. */
  sizes: { hf: number; gguf: number } | null;
  card: Record<string, unknown> | null;
}

function origin(v: VersionRecord, project: VersionsInput["project"]): string {
  const source = (v.kind === "base" ? project.completionSource : v.source) as { type?: string; baseUrl?: string; model?: string } | null;
  if (source?.type === "openai") return `OpenAI-compatible endpoint ${source.model ?? "?"} at ${source.baseUrl ?? "?"}`;
  if (v.kind === "base") return `the project's model: ${project.modelId}`;
  return `trained here${v.method ? ` by ${v.method}` : ""}`;
}

function sizes(files: Record<string, number> | null): VersionView["sizes"] {
  if (!files) return null;
  const hf = Object.entries(files).filter(([f]) => f.startsWith("hf/")).reduce((n, [, s]) => n + s, 0);
  return { hf, gguf: files["model.gguf"] ?? 0 };
}

/** The versions described for the page, base first. */
export function versionViews(input: Pick<VersionsInput, "project" | "versions">): VersionView[] {
  const nameOf = new Map(input.versions.map((v) => [v.id, v.name]));
  return input.versions.map((v) => ({
    id: v.id,
    name: v.name,
    kind: v.kind,
    parentId: v.parentId,
    parentName: v.parentId ? (nameOf.get(v.parentId) ?? null) : null,
    method: v.method,
    origin: origin(v, input.project),
    createdAt: v.createdAt.toISOString(),
    sizes: sizes(v.files),
    card: v.card,
  }));
}

/** The leaderboard over the loaded prompts; each completion of a prompt with a verifier is judged by it. */
export function versionLeaderboard(input: VersionsInput, opts: { rounds?: number; seed?: number } = {}): ModelLeaderboardRow[] {
  const promptOf = new Map(input.prompts.map((p) => [p.id, p]));
  const verdicts = new Map<string, boolean>();
  for (const c of input.completions) {
    const verdict = verdictFor(promptOf.get(c.promptId) ?? { verifierId: null, metadata: null }, c.text);
    if (verdict) verdicts.set(c.id, verdict.correct);
  }
  return modelLeaderboard(
    {
      versions: input.versions.map((v) => ({ id: v.id, name: v.name, parentId: v.parentId })),
      completions: input.completions,
      rankings: input.rankings.map((r) => ({ annotatorId: r.userId, promptId: r.promptId, ranks: r.ranks })),
      rmScores: input.scores,
      verdicts,
    },
    opts,
  );
}

/** Everything the versions API returns: versions, the slots in force (spelled out when the project has no setting), presets and the leaderboard. */
export function buildVersionsView(input: VersionsInput) {
  const base = input.versions.find((v) => v.kind === "base")!;
  const presets = (input.project.decodingPresets as { name: string }[]).map((p) => p.name);
  return {
    versions: versionViews(input),
    slots: input.project.completionSlots ?? (presets.length ? defaultSlots(base.id, presets, input.project.completionsPerPrompt) : []),
    customSlots: input.project.completionSlots !== null,
    presets,
    rewardModelVersion: input.rewardModel?.version ?? null,
    leaderboard: versionLeaderboard(input),
  };
}
export type VersionsView = ReturnType<typeof buildVersionsView>;
