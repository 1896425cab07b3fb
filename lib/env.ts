/**
 * Every environment variable the app reads, parsed once. Nothing else reads
 * process.env (HOUSE_STYLE rule 6); .env.example documents each one.
 */
import path from "node:path";
import { z } from "zod";
import { hubUrlProblem } from "@/lib/hub/url-policy";

const optionalString = z.string().trim().min(1).optional();
// true/false, 1/0, yes/no, on/off (any case).
const flag = z.stringbool();

/** API keys of completion sources live in variables with this prefix, and only there. */
export const SOURCE_KEY_PREFIX = "STUDIO_SOURCE_KEY_";
export const sourceKeyNamePattern = /^STUDIO_SOURCE_KEY_[A-Z0-9_]+$/;

// huggingface_hub's reading of a boolean variable: 1/ON/YES/TRUE, any case; we also refuse typos.
const hubFlag = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => ["1", "ON", "YES", "TRUE", "0", "OFF", "NO", "FALSE"].includes(v), "must be 1/0, true/false, yes/no or on/off")
  .transform((v) => ["1", "ON", "YES", "TRUE"].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  SQLITE_PATH: z.string().trim().min(1).default("data/studio.db"),
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: optionalString,
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters").optional(),
  GITHUB_ID: optionalString,
  GITHUB_SECRET: optionalString,
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  MODEL_PATH: z.string().trim().min(1).default("models/demo"),
  /** The folders a project's model path must lie in, separated by ":" (";" on Windows); relative to the app folder. */
  MODELS_DIR: z.string().trim().min(1).default(["models", "data/models"].join(path.delimiter)),
  /** Largest KV cache one generation request may ask for, in MB; unset: a quarter of this machine's memory. */
  KV_CACHE_BUDGET_MB: z.coerce.number().int().min(1).optional(),
  /** Where the app keeps files it writes (trained model versions under versions/); relative to the app folder. */
  STUDIO_DATA_DIR: z.string().trim().min(1).default("data"),
  SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  RUN_JOBS_IN_SERVER: z.enum(["auto", "true", "false"]).default("auto"),
  /** Hugging Face Hub (lib/hub): the cache root (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub). */
  HF_HOME: optionalString,
  HF_HUB_CACHE: optionalString,
  HF_TOKEN: optionalString,
  HF_ENDPOINT: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = hubUrlProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((v) => v.replace(/\/+$/, ""))
    .default("https://huggingface.co"),
  HF_HUB_OFFLINE: hubFlag.default(false),
  /** Let completion sources reach loopback, link-local and private addresses (a model server on this machine or LAN). */
  STUDIO_ALLOW_PRIVATE_SOURCES: flag.default(false),
  /** How many reverse proxies stand in front of the app; 0 = none, X-Forwarded-For is not trusted. */
  STUDIO_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** `studio seed` also seeds the demo users (with their published passwords) and project. */
  SEED_DEMO: flag.optional(),
  /** Largest preference file an import reads, in bytes once decompressed (a gzip that inflates past it is refused). */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(4 * 1024 ** 3),
  /** Largest upload the import page accepts, in bytes as sent (gzip counts compressed). */
  IMPORT_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(1024 ** 3),
  /** Where uploads wait for their import; the web server and the workers must share it. */
  IMPORT_DIR: z.string().trim().min(1).default("data/imports"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The parsed environment; throws once at start-up with every bad variable named. */
export function env(): Env {
  if (cached) return cached;
  // An empty variable (DATABASE_URL=) means "not set", as in most dotenv tools.
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * The API key a completion source names in `apiKeyEnv`. Only variables with
 * the STUDIO_SOURCE_KEY_ prefix can be read, so a source setting can never
 * send NEXTAUTH_SECRET or DATABASE_URL to a remote server.
 */
export function sourceApiKey(name: string): string {
  if (!sourceKeyNamePattern.test(name)) throw new Error(`apiKeyEnv must name a variable starting with ${SOURCE_KEY_PREFIX} (A-Z, 0-9, _), got "${name.slice(0, 80)}"`);
  const value = process.env[name];
  if (!value) throw new Error(`${name} (the completion source's API key) is not set`);
  return value;
}

/** For tests that change variables between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
