/**
 * `npm run studio -- <command> [flags]`: the command-line entry point. Each
 * command lives in cli/commands and returns an exit code; this file only
 * dispatches and makes sure the database is closed and errors are readable.
 */
import { closeDb } from "@/db/client";
import { runBackup, runRestore } from "./commands/backup";
import { CONVERT_HELP, runConvert } from "./commands/convert";
import { printDemoLogins, runMigrate, runSeed } from "./commands/db";
import { runExport } from "./commands/export";
import { runGenerate } from "./commands/generate";
import { runImport } from "./commands/import";
import { runProject } from "./commands/project";
import { runSft } from "./commands/sft";
import { runTrainDemo } from "./commands/train-demo";
import { runVersions, VERSIONS_HELP } from "./commands/versions";
import { runWorker } from "./commands/worker";

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  migrate: { run: () => runMigrate(), help: "apply database migrations" },
  "demo-logins": { run: async () => (printDemoLogins(), 0), help: "print the demo users' emails and passwords" },
  convert: { run: runConvert, help: CONVERT_HELP },
  generate: { run: runGenerate, help: "generate K completions with the built-in engine (--model PATH --prompt TEXT -n K …)" },
  "train-demo": { run: runTrainDemo, help: "train the demo model that ships in models/demo (resumable)" },
  sft: { run: runSft, help: "supervised fine-tuning on (prompt, response) JSONL (--model DIR --data F --out DIR)" },
  project: { run: runProject, help: "create, list or update projects (project create --name N [--k K] [--n N] [--model M] prints the id; project list [--json])" },
  export: { run: runExport, help: "write a project's rankings as a preference dataset (--project P --format trl-standard --out FILE …)" },
  import: { run: runImport, help: "load a preference dataset file (gzip ok; import --help lists the formats) into a project, streaming (--project P --file F [--format F] [--skip-invalid])" },
  versions: { run: runVersions, help: VERSIONS_HELP },
  worker: { run: runWorker, help: "claim and run queued jobs (generation, training, exports) until stopped" },
  backup: { run: runBackup, help: "copy the database to --out FILE (SQLite online backup; pg_dump on PostgreSQL)" },
  restore: { run: runRestore, help: "replace the SQLite database with --from FILE (checked first; stop the server before)" },
  seed: { run: runSeed, help: "create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD; --demo adds the demo users and project" },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.help}`);
  return `Usage: npm run studio -- <command> [flags]\n\nCommands:\n${lines.join("\n")}`;
}

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  if (!name || name === "help" || name === "--help") {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return command.run(argv);
}

main()
  .then(async (code) => {
    await closeDb();
    process.exitCode = code;
  })
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    await closeDb().catch(() => undefined);
    process.exitCode = 1;
  });
