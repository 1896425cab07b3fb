/**
 * Prepares a running server for a load run through its public API, as an
 * admin would: a project whose prompts arrive with their completions (so no
 * model has to run), and annotators invited and signed in.
 */
import { DEMO_LOGINS } from "@/db/demo-logins";
import { StudioClient } from "./http";

export async function signInDemoAdmin(baseUrl: string): Promise<StudioClient> {
  const admin = DEMO_LOGINS.find((l) => l.role === "admin")!;
  return StudioClient.signIn(baseUrl, admin.email, admin.password);
}

function expectStatus(res: { status: number; body: unknown }, want: number, what: string): void {
  if (res.status !== want) throw new Error(`${what}: got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** A project with `prompts` prompts of `completions` completions each, wanting `rankingsPerPrompt` rankings. */
export async function createLoadProject(admin: StudioClient, opts: { prompts: number; completions: number; rankingsPerPrompt: number; name?: string }): Promise<string> {
  const created = await admin.request<{ project: { id: string } }>("POST", "/api/projects", {
    name: opts.name ?? `load ${new Date().toISOString()}`,
    completionsPerPrompt: opts.completions,
    rankingsPerPrompt: opts.rankingsPerPrompt,
    decodingPresets: [{ name: "greedy", config: { temperature: 0 } }],
  });
  expectStatus(created, 200, "create project");
  const id = created.body.project.id;
  const lines = Array.from({ length: opts.prompts }, (_, i) =>
    JSON.stringify({ prompt: `load prompt ${i}: ${crypto.randomUUID()}`, completions: Array.from({ length: opts.completions }, (_, j) => `answer ${j} to prompt ${i}`) }),
  );
  const imported = await admin.request<{ added: number }>("POST", `/api/projects/${id}/prompts`, { format: "jsonl", content: lines.join("\n") });
  expectStatus(imported, 200, "import prompts");
  if (imported.body.added !== opts.prompts) throw new Error(`import added ${imported.body.added} of ${opts.prompts} prompts`);
  await addAnnotatorsAsMembers(admin, id);
  return id;
}

/** Makes every enabled annotator a member of the project (annotators label only projects they belong to). */
export async function addAnnotatorsAsMembers(admin: StudioClient, projectId: string): Promise<void> {
  const users = await admin.request<{ users: { id: string; role: string; disabled: boolean }[] }>("GET", "/api/users");
  expectStatus(users, 200, "list users");
  const ids = users.body.users.filter((u) => u.role === "annotator" && !u.disabled).map((u) => u.id);
  for (let i = 0; i < ids.length; i += 500) {
    expectStatus(await admin.request("POST", `/api/projects/${projectId}/members`, { userIds: ids.slice(i, i + 500) }), 200, "add members");
  }
}

/** Invites `count` annotators, accepts each invite and signs each in; `parallel` at a time (bcrypt is CPU-bound). */
export async function createAnnotators(admin: StudioClient, opts: { count: number; tag: string; parallel?: number }): Promise<StudioClient[]> {
  const out: StudioClient[] = new Array(opts.count);
  let next = 0;
  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      const email = `load-${opts.tag}-${i}@load.test`;
      const password = `pw-${crypto.randomUUID()}`;
      const invite = await admin.request<{ url: string }>("POST", "/api/invites", { email, role: "annotator" });
      expectStatus(invite, 200, `invite ${email}`);
      const token = new URL(invite.body.url).pathname.split("/").pop()!;
      const accepted = await admin.request("POST", "/api/invites/accept", { token, name: `Load ${i}`, password });
      expectStatus(accepted, 200, `accept invite ${email}`);
      out[i] = await StudioClient.signIn(admin.baseUrl, email, password);
    }
  };
  await Promise.all(Array.from({ length: opts.parallel ?? 4 }, worker));
  return out;
}
