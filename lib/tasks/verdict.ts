/** The rule-based verdict on a completion, for prompts that came with a verifier. */
import { verifiers, type TaskMeta, type Verdict } from "@/lib/tasks";

export function verdictFor(prompt: { verifierId: string | null; metadata: Record<string, unknown> | null }, completionText: string): Verdict | null {
  if (!prompt.verifierId) return null;
  const verify = verifiers[prompt.verifierId];
  const meta = prompt.metadata?.verifier;
  if (!verify || !meta || typeof meta !== "object") return null;
  try {
    return verify(meta as TaskMeta, completionText);
  } catch (err) {
    return { correct: false, reason: `verifier failed: ${(err as Error).message}` };
  }
}
