/**
 * The PostgreSQL schema, used when DATABASE_URL is set. Mirrors
 * db/schema/sqlite.ts table by table (same names, columns and indexes);
 * tests/integration/db/schema-parity.test.ts keeps the two in step.
 */
import {
  bigint, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp as pgTimestamp,
  uniqueIndex, type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { ImportReport, ImportRunStatus, ImportStored } from "@/lib/datasets/import-types";
import type { WrittenBy } from "@/lib/datasets/types";
import type { MemberRole } from "@/lib/queue/membership";
import type { QualificationStatus } from "@/lib/queue/qualification";
import { DEFAULT_RUBRIC, type Rubric } from "@/lib/ranking/rubric";
import type { GoldAnswer } from "@/lib/stats/gold";
import type { ReviewDecision, ReviewStatus } from "@/lib/datasets/review-status";
import type { Role } from "@/lib/users/roles";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const id = () => text("id").primaryKey().$defaultFn(() => crypto.randomUUID());
const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => timestamp("created_at").notNull().$defaultFn(() => new Date());
const json = <T>(name: string) => jsonb(name).$type<T>();
const bool = (name: string) => boolean(name);

export type AssignmentKind = "task" | "gold" | "qualification";

export const users = pgTable("users", {
  id: id(),
  email: text("email").notNull(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  role: text("role").$type<Role>().notNull(),
  disabled: bool("disabled").notNull().default(false),
  failedSignIns: integer("failed_sign_ins").notNull().default(0),
  lastFailedSignInAt: timestamp("last_failed_sign_in_at"),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("users_email_idx").on(t.email)]);

export const accounts = pgTable("accounts", {
  id: id(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  providerAccountId: text("provider_account_id").notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("accounts_provider_idx").on(t.provider, t.providerAccountId)]);

export const sessions = pgTable("sessions", {
  id: id(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at").notNull(),
  createdAt: createdAt(),
}, (t) => [index("sessions_user_idx").on(t.userId)]);

export const invites = pgTable("invites", {
  id: id(),
  tokenHash: text("token_hash").notNull(),
  email: text("email").notNull(),
  role: text("role").$type<Role>().notNull(),
  purpose: text("purpose").$type<"invite" | "reset">().notNull().default("invite"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  expiresAt: timestamp("expires_at").notNull(),
  usedAt: timestamp("used_at"),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("invites_token_idx").on(t.tokenHash)]);

export const projects = pgTable("projects", {
  id: id(),
  name: text("name").notNull(),
  guidelines: text("guidelines").notNull().default(""),
  completionsPerPrompt: integer("completions_per_prompt").notNull(),
  rankingsPerPrompt: integer("rankings_per_prompt").notNull(),
  modelId: text("model_id").notNull(),
  decodingPresets: json<unknown[]>("decoding_presets").notNull(),
  completionSource: json<unknown>("completion_source"),
  status: text("status").$type<"draft" | "active" | "paused" | "archived">().notNull().default("active"),
  liveMode: bool("live_mode").notNull().default(false),
  revealScores: bool("reveal_scores").notNull().default(false),
  /** Share of an annotator's tasks that are gold prompts (0 = gold prompts are ordinary prompts). */
  goldRate: doublePrecision("gold_rate").notNull().default(0),
  /** K gold prompts a new member must rank before real work (0 = no qualification). */
  qualificationSize: integer("qualification_size").notNull().default(0),
  /** Share of the K items that must be right to pass. */
  qualificationPassMark: doublePrecision("qualification_pass_mark").notNull().default(0.8),
  /** Rank scale, flags, overall rating and aspects (lib/ranking/rubric.ts); existing projects get the default. */
  rubric: json<Rubric>("rubric").notNull().default(DEFAULT_RUBRIC),
  /** Which model version and preset fill each of the K completion slots; null: K slots of "base", preset i mod P. */
  completionSlots: json<{ versionId: string; preset: string }[]>("completion_slots"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at"),
});

/**
 * One import of a preference file into a project. Its rows (prompts, completions,
 * rankings) carry its id, so an import that fails part-way is swept away whole,
 * and exports show a run's rankings only once it is done, in the file's order.
 */
export const importRuns = pgTable("import_runs", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  format: text("format").notNull(),
  fileName: text("file_name").notNull(),
  /** Where an upload from the app waits for its import; null for the CLI, which reads the user's own file. */
  uploadPath: text("upload_path"),
  status: text("status").$type<ImportRunStatus>().notNull(),
  skipInvalid: bool("skip_invalid").notNull().default(false),
  /** Size of the file as uploaded or read (compressed when gzipped). */
  bytes: bigint("bytes", { mode: "number" }).notNull().default(0),
  lines: integer("lines").notNull().default(0),
  records: integer("records").notNull().default(0),
  invalid: integer("invalid").notNull().default(0),
  /** What validation found: line errors, bad line ranges, preview, warnings. */
  report: json<ImportReport>("report"),
  /** What the import stored. */
  stored: json<ImportStored>("stored"),
  error: text("error"),
  jobId: text("job_id"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  /** Renewed by every stored batch: a run "importing" with an old heartbeat was abandoned. */
  updatedAt: timestamp("updated_at"),
  finishedAt: timestamp("finished_at"),
}, (t) => [index("import_runs_project_idx").on(t.projectId, t.createdAt)]);

export const prompts = pgTable("prompts", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  text: text("text"),
  messages: json<{ role: string; content: string }[]>("messages"),
  contentHash: text("content_hash").notNull(),
  source: text("source").notNull().default("manual"),
  metadata: json<Record<string, unknown>>("metadata"),
  verifierId: text("verifier_id"),
  gold: json<GoldAnswer>("gold"),
  /**
   * Set when generation failed for this prompt alone (too long for the model's
   * context, a message the chat template refuses, an engine error): the job
   * skips it and goes on. The key fingerprints the project's generation
   * settings at the time; a mark made under other settings is stale and the
   * prompt is tried again. "Retry skipped prompts" clears the marks.
   */
  generationError: text("generation_error"),
  generationErrorAt: timestamp("generation_error_at"),
  generationErrorKey: text("generation_error_key"),
  /** The import that created the prompt (swept with it if it fails). */
  importRunId: text("import_run_id").references(() => importRuns.id, { onDelete: "set null" }),
  /** Lower-cased language code for targeting (null: none given). */
  language: text("language"),
  createdAt: createdAt(),
}, (t) => [
  index("prompts_project_idx").on(t.projectId),
  uniqueIndex("prompts_project_hash_idx").on(t.projectId, t.contentHash),
]);

/** The policies a project can sample (see db/schema/sqlite.ts). */
export const modelVersions = pgTable("model_versions", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  kind: text("kind").$type<"base" | "endpoint" | "trained">().notNull(),
  parentId: text("parent_id").references((): AnyPgColumn => modelVersions.id, { onDelete: "set null" }),
  method: text("method"),
  source: json<Record<string, unknown>>("source"),
  folder: text("folder"),
  files: json<Record<string, number>>("files"),
  card: json<Record<string, unknown>>("card"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("model_versions_project_name_idx").on(t.projectId, t.name)]);

export const completions = pgTable("completions", {
  id: id(),
  promptId: text("prompt_id").notNull().references(() => prompts.id, { onDelete: "cascade" }),
  text: text("text").notNull(),
  modelId: text("model_id").notNull(),
  presetName: text("preset_name"),
  decodingConfig: json<Record<string, unknown>>("decoding_config"),
  seed: integer("seed"),
  tokenCount: integer("token_count"),
  finishReason: text("finish_reason"),
  logprobs: json<number[]>("logprobs"),
  features: bytea("features"),
  /**
   * The conversation this completion answers when it is not its prompt's: an imported pair
   * whose chosen and rejected conversations differ before the last reply keeps both.
   */
  context: json<{ role: string; content: string }[]>("context"),
  importRunId: text("import_run_id").references(() => importRuns.id, { onDelete: "set null" }),
  /** "human" for an annotator's rewrite of another completion (author and parent set); "model" otherwise. */
  source: text("source").$type<WrittenBy>().notNull().default("model"),
  authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
  parentId: text("parent_id").references((): AnyPgColumn => completions.id, { onDelete: "set null" }),
  versionId: text("version_id").references(() => modelVersions.id, { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [index("completions_prompt_idx").on(t.promptId)]);

export const assignments = pgTable("assignments", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  promptId: text("prompt_id").notNull().references(() => prompts.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  status: text("status").$type<"active" | "submitted" | "skipped" | "expired">().notNull().default("active"),
  skipReason: text("skip_reason"),
  leaseExpiresAt: timestamp("lease_expires_at").notNull(),
  shownOrder: json<string[]>("shown_order"),
  /** A regular task, an injected gold prompt, or an item of the member's qualification batch. */
  kind: text("kind").$type<AssignmentKind>().notNull().default("task"),
  /** Which qualification attempt a qualification item belongs to (an admin's reset starts the next). */
  qualificationAttempt: integer("qualification_attempt"),
  /** For gold and qualification items, fixed when submitted (a skipped qualification item is a miss), so amending the ranking later cannot change it. */
  goldMiss: bool("gold_miss"),
  createdAt: createdAt(),
}, (t) => [
  index("assignments_prompt_idx").on(t.promptId, t.status),
  index("assignments_user_idx").on(t.userId, t.status),
]);

/** Tags of a prompt (lower-cased), for targeting: a member limited to tags gets prompts with one of them. */
export const promptTags = pgTable("prompt_tags", {
  promptId: text("prompt_id").notNull().references(() => prompts.id, { onDelete: "cascade" }),
  tag: text("tag").notNull(),
}, (t) => [primaryKey({ columns: [t.promptId, t.tag] }), index("prompt_tags_tag_idx").on(t.tag)]);

/**
 * Who works on a project. Annotators and reviewers see and claim only projects
 * they are members of; `quota` caps their regular rankings, `tags`/`languages`
 * (null: any) limit which prompts they are handed, and the qualification
 * columns record the member's current qualification attempt.
 */
export const projectMembers = pgTable("project_members", {
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: text("role").$type<MemberRole>().notNull().default("annotator"),
  quota: integer("quota"),
  tags: json<string[]>("tags"),
  languages: json<string[]>("languages"),
  qualificationStatus: text("qualification_status").$type<QualificationStatus>().notNull().default("pending"),
  qualificationAttempt: integer("qualification_attempt").notNull().default(1),
  addedBy: text("added_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index("project_members_user_idx").on(t.userId)]);

export const rankings = pgTable("rankings", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  promptId: text("prompt_id").notNull().references(() => prompts.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  assignmentId: text("assignment_id").references(() => assignments.id, { onDelete: "set null" }),
  shownOrder: json<string[]>("shown_order").notNull(),
  ranks: json<Record<string, number>>("ranks").notNull(),
  flags: json<Record<string, string[]>>("flags").notNull(),
  ratings: json<Record<string, number>>("ratings").notNull(),
  /** completion id → aspect id → 1–7, for the aspects of the project's rubric. */
  aspectRatings: json<Record<string, Record<string, number>>>("aspect_ratings").notNull().default({}),
  rationale: text("rationale").notNull().default(""),
  timeSpentMs: integer("time_spent_ms").notNull(),
  submissionKey: text("submission_key").notNull(),
  /** Imported rankings: their run and the file line they came from (the export keeps that order). */
  importRunId: text("import_run_id").references(() => importRuns.id, { onDelete: "set null" }),
  importLine: integer("import_line"),
  /** Fields of an imported record the app has no column for, written back by exports in pair formats. */
  extra: json<Record<string, unknown>>("extra"),
  createdAt: createdAt(),
  /** 1 as submitted; each amendment by the annotator adds one (earlier versions are in ranking_revisions). */
  revision: integer("revision").notNull().default(1),
  /** A rejected ranking no longer counts towards N; an adjudicated one is exported with the reviewer's ranks. */
  reviewStatus: text("review_status").$type<ReviewStatus>().notNull().default("pending"),
  amendedAt: timestamp("amended_at"),
}, (t) => [
  index("rankings_import_idx").on(t.importRunId, t.importLine),
  uniqueIndex("rankings_prompt_user_idx").on(t.promptId, t.userId),
  uniqueIndex("rankings_submission_idx").on(t.submissionKey),
  index("rankings_project_idx").on(t.projectId),
  index("rankings_review_idx").on(t.projectId, t.reviewStatus),
]);

/**
 * Earlier versions of an amended ranking: `content` is the ranking row as it
 * was (ranks, flags, ratings, rationale, time, submission key and whatever
 * else the annotator submitted), `submittedAt` when that version was stored.
 */
export const rankingRevisions = pgTable("ranking_revisions", {
  id: id(),
  rankingId: text("ranking_id").notNull().references(() => rankings.id, { onDelete: "cascade" }),
  revision: integer("revision").notNull(),
  content: json<Record<string, unknown>>("content").notNull(),
  submittedAt: timestamp("submitted_at").notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("ranking_revisions_ranking_idx").on(t.rankingId, t.revision)]);

/** A reviewer's decision on one ranking (one per ranking); `ranks` holds the re-ranking of an adjudicated one. */
export const rankingReviews = pgTable("ranking_reviews", {
  id: id(),
  rankingId: text("ranking_id").notNull().references(() => rankings.id, { onDelete: "cascade" }),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  reviewerId: text("reviewer_id").references(() => users.id, { onDelete: "set null" }),
  decision: text("decision").$type<ReviewDecision>().notNull(),
  /** The ranking's revision the reviewer saw. */
  revision: integer("revision").notNull(),
  ranks: json<Record<string, number>>("ranks"),
  note: text("note").notNull().default(""),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("ranking_reviews_ranking_idx").on(t.rankingId),
  index("ranking_reviews_project_idx").on(t.projectId, t.createdAt),
]);

export const rewardModels = pgTable("reward_models", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  version: integer("version").notNull(),
  config: json<Record<string, unknown>>("config").notNull(),
  metrics: json<Record<string, unknown>>("metrics"),
  dataSnapshot: json<Record<string, unknown>>("data_snapshot"),
  weights: bytea("weights"),
  status: text("status").$type<"training" | "ready" | "failed" | "cancelled">().notNull(),
  jobId: text("job_id"),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("reward_models_version_idx").on(t.projectId, t.version)]);

export const rewardScores = pgTable("reward_scores", {
  rewardModelId: text("reward_model_id").notNull().references(() => rewardModels.id, { onDelete: "cascade" }),
  completionId: text("completion_id").notNull().references(() => completions.id, { onDelete: "cascade" }),
  score: doublePrecision("score").notNull(),
}, (t) => [primaryKey({ columns: [t.rewardModelId, t.completionId] })]);

export const jobs = pgTable("jobs", {
  id: id(),
  kind: text("kind").notNull(),
  status: text("status").$type<"queued" | "running" | "succeeded" | "failed" | "cancelled">().notNull().default("queued"),
  projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
  progressDone: integer("progress_done").notNull().default(0),
  progressTotal: integer("progress_total").notNull().default(0),
  payload: json<Record<string, unknown>>("payload").notNull(),
  result: json<Record<string, unknown>>("result"),
  checkpoint: json<Record<string, unknown>>("checkpoint"),
  error: text("error"),
  cancelRequested: bool("cancel_requested").notNull().default(false),
  attempts: integer("attempts").notNull().default(0),
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: timestamp("lease_expires_at"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  startedAt: timestamp("started_at"),
  finishedAt: timestamp("finished_at"),
  updatedAt: timestamp("updated_at"),
}, (t) => [index("jobs_status_idx").on(t.status, t.createdAt)]);

export const auditLog = pgTable("audit_log", {
  id: id(),
  actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
  action: text("action").notNull(),
  targetType: text("target_type"),
  targetId: text("target_id"),
  details: json<Record<string, unknown>>("details"),
  createdAt: createdAt(),
}, (t) => [index("audit_log_created_idx").on(t.createdAt)]);
