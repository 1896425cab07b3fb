/**
 * Runs once when the Next.js server starts. On the embedded SQLite set-up it
 * starts a job worker as a child process (off the web server's thread, and
 * free to use worker threads for the engine), restarting it if it dies. On
 * PostgreSQL, workers are separate `npm run worker` processes by default.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const e = env();
  const enabled = e.RUN_JOBS_IN_SERVER === "true" || (e.RUN_JOBS_IN_SERVER === "auto" && !e.DATABASE_URL);
  if (!enabled) return;
  const { superviseWorker } = await import("@/lib/jobs/supervise");
  superviseWorker();
}
