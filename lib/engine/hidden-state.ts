/**
 * The final-norm hidden state of a sequence's last token: what a reward model
 * reads (InstructGPT), from any model whose sessions expose Session.hidden.
 */
import { check } from "@/lib/engine/errors";
import { prefill } from "./generate-steps";
import type { Session } from "./models/types";

/**
 * Prefills `ids` into `slot` (in chunks of session.maxRows, from position 0)
 * and copies the last token's final-norm hidden state (dim) into `out`.
 * @throws EngineError when the session has no hidden states or `ids` is empty.
 */
export function lastHiddenState(session: Session, ids: readonly number[], out: Float32Array, slot = 0): Float32Array {
  check(session.hidden !== undefined, "this model family does not expose hidden states");
  check(ids.length > 0, "a sequence needs at least one token for its hidden state");
  prefill(session, ids, slot);
  session.hidden!(out, 0);
  return out;
}
