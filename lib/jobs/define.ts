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
 */
import type { z } from "zod";
import type { JobRow } from "@/db/queries/jobs";

/** Payloads are stored as JSON objects in jobs.payload. */
export type JobPayloadSchema = z.ZodType<Record<string, unknown>>;

/** A job kind as callers see it: the name stored in jobs.kind and the schema its payload must satisfy. */
export interface JobKind<K extends string = string, S extends JobPayloadSchema = JobPayloadSchema> {
  readonly kind: K;
  readonly payload: S;
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

/** Declares a job kind; the literal kind name is kept in the type. */
export function jobKind<K extends string, S extends JobPayloadSchema>(spec: { kind: K; payload: S }): JobKind<K, S> {
  return Object.freeze({ kind: spec.kind, payload: spec.payload });
}

/** Attaches the handler to a kind: `defineJob({ ...someJob, handler })`. */
export function defineJob<K extends string, S extends JobPayloadSchema>(def: JobDefinition<K, S>): JobDefinition<K, S> {
  return Object.freeze({ kind: def.kind, payload: def.payload, handler: def.handler });
}
