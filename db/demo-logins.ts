import type { Role } from "@/lib/users/roles";

/** The demo users `npm start` seeds and prints. Local demo only: not seeded under NODE_ENV=production unless SEED_DEMO=true. */
export const DEMO_LOGINS: { email: string; password: string; role: Role; name: string }[] = [
  { email: "admin@demo.local", password: "demo-admin-pass", role: "admin", name: "Ada Admin" },
  { email: "researcher@demo.local", password: "demo-researcher-pass", role: "researcher", name: "Rosa Researcher" },
  { email: "reviewer@demo.local", password: "demo-reviewer-pass", role: "reviewer", name: "Rhea Reviewer" },
  { email: "annotator@demo.local", password: "demo-annotator-pass", role: "annotator", name: "Anna Annotator" },
];
