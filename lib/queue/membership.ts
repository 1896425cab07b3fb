/**
 * Who works on which project. Pure, so the schema (row types), the query layer,
 * the routes and the UI share one definition.
 */
import { z } from "zod";
import type { Role } from "@/lib/users/roles";

/** What a member does in a project; every member may label it, reviewers also review it. */
export const memberRoleSchema = z.enum(["annotator", "reviewer"]);
export type MemberRole = z.infer<typeof memberRoleSchema>;

/**
 * Admins and researchers set projects up and try them, so they label any
 * project without being added; every other role (annotators, reviewers) sees
 * and works only on the projects it is a member of.
 */
export function worksWithoutMembership(role: Role): boolean {
  return role === "admin" || role === "researcher";
}
