import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Keeps one `studio worker` child process running beside the web server.
 * The child shares the server's environment (database, model path); when it
 * exits unexpectedly it is restarted after a short pause, and it is stopped
 * with the server.
 */
export function superviseWorker(): void {
  const cli = path.resolve(process.cwd(), "cli/index.ts");
  const tsx = path.resolve(process.cwd(), "node_modules/tsx/dist/cli.mjs");
  if (!fs.existsSync(cli) || !fs.existsSync(tsx)) {
    console.warn("[jobs] cli/index.ts or tsx not found; start `npm run worker` separately to run jobs");
    return;
  }
  let child: ChildProcess | null = null;
  let stopping = false;
  const launch = () => {
    child = spawn(process.execPath, [tsx, "--conditions=react-server", cli, "worker"], { stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => {
      child = null;
      if (stopping) return;
      console.warn(`[jobs] worker exited (${code ?? signal}); restarting in 2 s`);
      setTimeout(launch, 2000).unref();
    });
  };
  launch();
  const stop = () => {
    stopping = true;
    child?.kill("SIGTERM");
  };
  process.once("exit", stop);
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      stop();
      // Our listener replaced Node's default "exit on signal"; keep that behaviour
      // unless the server registered its own shutdown handler.
      if (process.listenerCount(sig) === 0) process.exit(sig === "SIGINT" ? 130 : 143);
    });
  }
}
