/**
 * The PostgreSQL schema, used when DATABASE_URL is set. Mirrors
 * db/schema/sqlite.ts table by table (same names, columns and indexes);
 * tests/integration/db/schema-parity.test.ts keeps the two in step.
 */
import {
  boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp as pgTimestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ReviewDecision, ReviewStatus } from "@/lib/datasets/review-status";
import type { Role } from "@/lib/users/roles";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const id = () => text("id").primaryKey().$defaultFn(() => crypto.randomUUID());
const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => timestamp("created_at").notNull().$defaultFn(() => new Date());
const json = <T>(name: string) => jsonb(name).$type<T>();
const bool = (name: string) => boolean(name);

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
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at"),
});

export const prompts = pgTable("prompts", {
  id: id(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  text: text("text"),
  messages: json<{ role: string; content: string }[]>("messages"),
  contentHash: text("content_hash").notNull(),
  source: text("source").notNull().default("manual"),
  metadata: json<Record<string, unknown>>("metadata"),
  verifierId: text("verifier_id"),
  gold: json<{ best?: string; worst?: string }>("gold"),
  createdAt: createdAt(),
}, (t) => [
  index("prompts_project_idx").on(t.projectId),
  uniqueIndex("prompts_project_hash_idx").on(t.projectId, t.contentHash),
]);

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
  createdAt: createdAt(),
}, (t) => [
  index("assignments_prompt_idx").on(t.promptId, t.status),
  index("assignments_user_idx").on(t.userId, t.status),
]);

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
  rationale: text("rationale").notNull().default(""),
  timeSpentMs: integer("time_spent_ms").notNull(),
  submissionKey: text("submission_key").notNull(),
  createdAt: createdAt(),
  /** 1 as submitted; each amendment by the annotator adds one (earlier versions are in ranking_revisions). */
  revision: integer("revision").notNull().default(1),
  /** A rejected ranking no longer counts towards N; an adjudicated one is exported with the reviewer's ranks. */
  reviewStatus: text("review_status").$type<ReviewStatus>().notNull().default("pending"),
  amendedAt: timestamp("amended_at"),
}, (t) => [
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
