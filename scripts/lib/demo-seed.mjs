/**
 * Whether `npm start` seeds the demo: three users whose passwords are in the
 * README, and a demo project. The quick start on a developer's machine does
 * (NODE_ENV unset); a deployment that sets NODE_ENV=production does not,
 * unless SEED_DEMO=true asks for it (then `studio seed` prints a warning);
 * SEED_DEMO=false always turns it off. start.mjs runs the server with
 * NODE_ENV=production whatever the caller set, so this reads the caller's
 * environment, and the seed step runs with the caller's kind of NODE_ENV.
 *
 * @param {Record<string, string | undefined>} callerEnv the environment `npm start` was given
 * @returns {{ demo: boolean, args: string[], nodeEnv: "production" | "development" }}
 */
export function quickStartSeed(callerEnv) {
  const production = callerEnv.NODE_ENV === "production";
  // The spellings lib/env.ts accepts for SEED_DEMO (zod's stringbool).
  const said = (callerEnv.SEED_DEMO ?? "").trim().toLowerCase();
  const on = ["true", "1", "yes", "on", "y", "enabled"].includes(said);
  const off = ["false", "0", "no", "off", "n", "disabled"].includes(said);
  const demo = on || (!off && !production);
  return { demo, args: ["seed", ...(demo ? ["--demo", "--quiet"] : [])], nodeEnv: production ? "production" : "development" };
}
