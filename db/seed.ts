/**
 * Idempotent seeding: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, and the
 * demo (three users and a demo project) when asked. Running it twice changes
 * nothing the second time.
 */
import { countPromptsWithoutCompletions } from "./queries/completions";
import { enqueueJob, findOpenJob } from "./queries/jobs";
import { addMembers } from "./queries/members";
import { createProject, getProjectByName } from "./queries/projects";
import { addPrompts } from "./queries/prompts";
import { createUser, getUserByEmail } from "./queries/users";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { hashPassword } from "@/lib/users/password";
import type { Role } from "@/lib/users/roles";
import { DEMO_LOGINS } from "./demo-logins";
import { DEMO_PROJECT, demoPrompts } from "./seed-data";

export { DEMO_LOGINS };


async function ensureUser(u: { email: string; password: string; role: Role; name: string }): Promise<{ id: string; created: boolean }> {
  const existing = await getUserByEmail({ email: u.email });
  if (existing) return { id: existing.id, created: false };
  const row = await createUser({ email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password) });
  return { id: row.id, created: true };
}

export async function seedAdmin(admin: { email?: string; password?: string }): Promise<boolean> {
  if (!admin.email || !admin.password) return false;
  return (await ensureUser({ email: admin.email, password: admin.password, role: "admin", name: "Admin" })).created;
}

export async function seedDemo(): Promise<{ usersCreated: number; projectId: string; promptsAdded: number; generationQueued: boolean }> {
  let usersCreated = 0;
  let adminId = "";
  const annotatorIds: string[] = [];
  for (const login of DEMO_LOGINS) {
    const { id, created } = await ensureUser(login);
    if (login.role === "admin") adminId = id;
    if (login.role === "annotator") annotatorIds.push(id);
    if (created) usersCreated++;
  }
  let project = await getProjectByName({ name: DEMO_PROJECT.name });
  if (!project) {
    project = await createProject({ ...DEMO_PROJECT, createdBy: adminId, status: "active" });
    // Annotators label only projects they are members of. Only on creation: a later seed never re-adds someone an admin removed.
    await addMembers({ projectId: project.id, userIds: annotatorIds, addedBy: adminId });
  }
  const { added } = await addPrompts({ projectId: project.id, source: "demo-seed", prompts: demoPrompts() });
  const generationQueued = await queueDemoGeneration(project.id, adminId);
  return { usersCreated, projectId: project.id, promptsAdded: added, generationQueued };
}

/**
 * Queues completions for demo prompts that have none; the server's job worker
 * writes them with the shipped demo model after start-up.
 */
async function queueDemoGeneration(projectId: string, adminId: string): Promise<boolean> {
  const remaining = await countPromptsWithoutCompletions({ projectId });
  if (remaining === 0 || (await findOpenJob({ projectId, job: generateJob }))) return false;
  await enqueueJob({ job: generateJob, payload: { projectId }, projectId, createdBy: adminId, progressTotal: remaining });
  return true;
}
