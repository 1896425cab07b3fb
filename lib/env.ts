/**
 * Every environment variable the app reads, parsed once. Nothing else reads
 * process.env (HOUSE_STYLE rule 6); .env.example documents each one.
 */
import { z } from "zod";

const optionalString = z.string().trim().min(1).optional();

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
  SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  RUN_JOBS_IN_SERVER: z.enum(["auto", "true", "false"]).default("auto"),
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

/** For tests that change variables between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
