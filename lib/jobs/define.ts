/**
 * Typed jobs. A job kind is declared once, as its name and the zod schema of
 * its payload; everything that queues a job and the worker that runs it use
 * that one declaration:
 *
 *   lib/jobs/kinds/<kind>.ts     jobKind({ kind, payload })       light: zod only, imported by
 *                                                                  routes, the seed and the CLI
 *   lib/jobs/handlers/<kind>.ts  defineJob({ ...kind, handler })  heavy (engine, trainer), imported
 *                                                                  only by the worker's registry
 *   lib/jobs/registry.ts         the list the worker runs
 *
 * enqueueJob({ job, payload }) (db/queries/jobs.ts) parses the payload with
 * the kind's schema before writing it; the runner parses the stored payload
 * again before calling the handler, so a handler only ever sees a valid one.
 * A new kind is those two files, one entry in the registry and its test
 * (tests/unit/jobs/registry.test.ts fails until it is registered).
 *
 * A job whose worker dies (out of memory, a native crash) is claimed again when
 * its lease expires; `maxAttempts` bounds that, so a job that kills every
 * worker that runs it stops as failed instead of being reclaimed forever.
 */
import type { z } from "zod";
import type { JobRow } from "@/db/queries/jobs";

/** Payloads are stored as JSON objects in jobs.payload. */
export type JobPayloadSchema = z.ZodType<Record<string, unknown>>;

/** Claims of one job (the first run and each take-over after its worker stopped) unless its kind says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** A job kind as callers see it: the name stored in jobs.kind, the schema its payload must satisfy, and how often it may be claimed. */
export interface JobKind<K extends string = string, S extends JobPayloadSchema = JobPayloadSchema> {
  readonly kind: K;
  readonly payload: S;
  /** Most claims of one job; one more claim after that marks it failed ("gave up after N attempts"). */
  readonly maxAttempts: number;
}

/** What a handler gets besides its payload: its row, a signal that fires on cancel or lost lease, and a way to report progress. */
export interface JobContext {
  job: JobRow;
  signal: AbortSignal;
  /** Records progress (and optionally a checkpoint to resume from); throws if the job was cancelled or taken over. */
  progress(update: { done: number; total?: number; checkpoint?: Record<string, unknown>; result?: Record<string, unknown> }): Promise<void>;
}

/** What a handler returns is stored as the job's result. */
export type JobResult = Record<string, unknown> | void;

/** A job kind with the code that runs it. */
export interface JobDefinition<K extends string = string, S extends JobPayloadSchema = JobPayloadSchema> extends JobKind<K, S> {
  /** Runs one claimed job; `payload` has been parsed (defaults applied) by the kind's schema. */
  handler(payload: z.output<S>, ctx: JobContext): Promise<JobResult>;
}

/** Declares a job kind; the literal kind name is kept in the type. `maxAttempts` defaults to DEFAULT_MAX_ATTEMPTS. */
export function jobKind<K extends string, S extends JobPayloadSchema>(spec: { kind: K; payload: S; maxAttempts?: number }): JobKind<K, S> {
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`job kind "${spec.kind}": maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  return Object.freeze({ kind: spec.kind, payload: spec.payload, maxAttempts });
}

/** Attaches the handler to a kind: `defineJob({ ...someJob, handler })`. */
export function defineJob<K extends string, S extends JobPayloadSchema>(def: JobDefinition<K, S>): JobDefinition<K, S> {
  return Object.freeze({ kind: def.kind, payload: def.payload, maxAttempts: def.maxAttempts, handler: def.handler });
}
