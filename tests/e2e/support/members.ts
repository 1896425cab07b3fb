import { expect, type APIRequestContext } from "@playwright/test";

/** Makes the user with `email` a member of the project (annotators label only projects they belong to); returns their id. */
export async function addMember(admin: APIRequestContext, projectId: string, email: string, settings: { quota?: number } = {}): Promise<string> {
  const users = (await (await admin.get("/api/users")).json()).users as { id: string; email: string }[];
  const user = users.find((u) => u.email === email.toLowerCase());
  expect(user, `user ${email}`).toBeTruthy();
  const res = await admin.post(`/api/projects/${projectId}/members`, { data: { userIds: [user!.id], ...settings } });
  expect(res.status(), `add ${email} to the project`).toBe(200);
  return user!.id;
}
