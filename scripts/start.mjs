// `npm start`: install what is missing, migrate, seed the demo (not when the
// caller sets NODE_ENV=production), build, serve on http://localhost:3000 and
// print the demo logins. Safe to run again: data is
// kept and nothing is seeded twice.
import fs from "node:fs";
import path from "node:path";
import { quickStartSeed } from "./lib/demo-seed.mjs";
import { ensureNodeModules, localAuthSecret, log, newestMtime, root, run, startNextServer, stopServer, waitForHttp } from "./lib/run.mjs";

const port = process.env.PORT ?? "3000";
const env = {
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? localAuthSecret(),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  NODE_ENV: "production",
  // `npm start` is the one-machine set-up: keep a job worker beside the server on either database.
  RUN_JOBS_IN_SERVER: process.env.RUN_JOBS_IN_SERVER ?? "true",
};

ensureNodeModules();

const studio = (args, extraEnv = {}) => run("npx", ["tsx", "--conditions=react-server", "cli/index.ts", ...args], { env: { ...env, ...extraEnv } });
log(process.env.DATABASE_URL ? "Using PostgreSQL from DATABASE_URL." : "Using the embedded SQLite database in data/.");
studio(["migrate"]);
// The demo is seeded for local use, not when the caller says NODE_ENV=production (unless SEED_DEMO=true).
const seed = quickStartSeed(process.env);
studio(seed.args, { NODE_ENV: seed.nodeEnv });

const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "db", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs"];
if (!fs.existsSync(buildId) || newestMtime(sources) > fs.statSync(buildId).mtimeMs) {
  log("Building the app (next build)…");
  run("npx", ["next", "build"], { env });
}

log(`Starting the server on http://localhost:${port} …`);
const server = startNextServer(port, { env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => void stopServer(server, sig));
server.on("exit", (code) => process.exit(code ?? 0));

await waitForHttp(`http://localhost:${port}/api/health`, { child: server });
log(`RLHF Studio is running at http://localhost:${port}`);
if (seed.demo) studio(["demo-logins"]);
