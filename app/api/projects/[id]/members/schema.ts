import { z } from "zod";
import { memberRoleSchema } from "@/lib/queue/membership";
import { languageListSchema, tagListSchema } from "@/lib/queue/targeting";

export const memberParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });

/** An empty list means no limit, stored as null like an absent one. */
const limitList = <T extends z.ZodType<string[]>>(schema: T) => schema.transform((l) => (l.length ? l : null)).nullable().optional();

const memberSettings = {
  role: memberRoleSchema.optional(),
  /** Most regular rankings this member may submit in the project; null = no quota. */
  quota: z.number().int().min(0).max(1_000_000).nullable().optional(),
  /** Only prompts with one of these tags (null or empty = any). */
  tags: limitList(tagListSchema),
  /** Only prompts in one of these languages (null or empty = any). */
  languages: limitList(languageListSchema),
};

export const addMembersSchema = z.object({ userIds: z.array(z.uuid()).min(1).max(500), ...memberSettings }).strict();

export const updateMemberSchema = z
  .object(memberSettings)
  .strict()
  .refine((b) => Object.keys(b).length > 0, "give at least one of role, quota, tags, languages");
