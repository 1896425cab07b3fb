/**
 * The one prompt → tokens path: a chat conversation (and optionally the
 * assistant's reply) to token ids, for generation, reward features, training
 * data and the CLI alike, so every consumer reads the tokens generation
 * prefills.
 *
 * Rules, expressed here once:
 * - With a chat template, the template renders the real messages (generation:
 *   with the generation prompt; with a reply: the reply as one more assistant
 *   message) and the text is encoded without the tokenizer's BOS/EOS, because
 *   the template writes its own (HF's apply_chat_template, tokenize=True).
 * - Without a chat template (fallback), the messages' contents are joined by a
 *   blank line and the prompt ends with one, so the reply starts a new
 *   paragraph; BOS is prepended when the tokenizer adds one, EOS never.
 * - Prompt and reply agree: ids[0, replyStart) are exactly the generation
 *   prompt's ids. The whole text is encoded at once (as HF does) when that
 *   keeps the prompt's ids as its prefix; when a merge would cross the
 *   boundary, the reply is encoded on its own after the prompt's ids, as a
 *   model sees its own reply tokens follow the prompt.
 * - A conversation ends where generation would stop: at the reply's first
 *   end-of-turn/EOS id (tokenizer.eosIds). What a template writes after it
 *   (ChatML's "\n" after <|im_end|>, the next assistant header some Llama 3
 *   templates always append) is dropped, so reward features read the
 *   end-of-turn token and SFT never trains on what follows it. Without such an
 *   id (the fallback), trailing whitespace-only tokens are dropped instead.
 * - Truncation keeps the last tokens (keepLast): the end of a conversation is
 *   what reward features read. Generation and SFT reject what does not fit.
 */
import { EngineError } from "@/lib/engine/errors";
import type { ChatMessage, Tokenizer } from "./types";

/** Token ids of a conversation + reply, and where the reply starts. */
export interface ConversationIds {
  /** (n) prompt ids, then the reply and its end-of-turn marker. */
  readonly ids: number[];
  /** ids[0, replyStart) are the ids promptIds() gives for the same messages; ids[replyStart, n) are the reply's. */
  readonly replyStart: number;
}

/** What the fallback puts between messages and before the reply when the tokenizer has no chat template. */
const FALLBACK_SEPARATOR = "\n\n";

/** The prompt as text plus the ids no template writes (BOS in the fallback). */
interface RenderedPrompt {
  lead: number[];
  text: string;
}

function renderPrompt(tokenizer: Tokenizer, messages: readonly ChatMessage[]): RenderedPrompt {
  if (messages.length === 0) throw new EngineError("a conversation needs at least one message");
  if (tokenizer.chatTemplate) return { lead: [], text: tokenizer.applyChatTemplate([...messages], { addGenerationPrompt: true }) };
  return { lead: bosIds(tokenizer), text: messages.map((m) => m.content).join(FALLBACK_SEPARATOR) + FALLBACK_SEPARATOR };
}

/** The conversation with the reply, as text; it must begin with the prompt's text. */
function renderWithReply(tokenizer: Tokenizer, messages: readonly ChatMessage[], reply: string, prompt: RenderedPrompt): string {
  if (!tokenizer.chatTemplate) return prompt.text + reply;
  const text = tokenizer.applyChatTemplate([...messages, { role: "assistant", content: reply }]);
  if (!text.startsWith(prompt.text)) {
    throw new EngineError(
      "the chat template renders a reply that does not follow its generation prompt, so the reply's tokens cannot be told from the prompt's",
    );
  }
  return text;
}

function bosIds(tokenizer: Tokenizer): number[] {
  return tokenizer.addBosToken && tokenizer.bosId !== null ? [tokenizer.bosId] : [];
}

const encodeBare = (tokenizer: Tokenizer, text: string): number[] => tokenizer.encode(text, { addSpecialTokens: false });

/**
 * The ids generation prefills for a conversation: the chat template with the
 * generation prompt (or the fallback, see the module comment).
 * @throws EngineError for an empty conversation or a template that fails to render.
 */
export function promptIds(tokenizer: Tokenizer, messages: readonly ChatMessage[]): number[] {
  const prompt = renderPrompt(tokenizer, messages);
  return [...prompt.lead, ...encodeBare(tokenizer, prompt.text)];
}

/**
 * The ids of a conversation followed by the assistant's `reply`, as reward
 * features and SFT read them; ids[0, replyStart) equal promptIds(messages).
 * @throws EngineError for an empty conversation, or a template whose reply turn does not extend its generation prompt.
 */
export function conversationIds(tokenizer: Tokenizer, messages: readonly ChatMessage[], reply: string): ConversationIds {
  const prompt = renderPrompt(tokenizer, messages);
  const head = [...prompt.lead, ...encodeBare(tokenizer, prompt.text)];
  const text = renderWithReply(tokenizer, messages, reply, prompt);
  const whole = [...prompt.lead, ...encodeBare(tokenizer, text)];
  const ids = startsWith(whole, head) ? whole : [...head, ...encodeBare(tokenizer, text.slice(prompt.text.length))];
  return { ids: ids.slice(0, replyEnd(tokenizer, ids, head.length)), replyStart: head.length };
}

/** One past the reply's last id: its first end-of-turn/EOS id, else its last token that is not whitespace. */
function replyEnd(tokenizer: Tokenizer, ids: readonly number[], replyStart: number): number {
  const stops = new Set(tokenizer.eosIds);
  for (let i = replyStart; i < ids.length; i++) if (stops.has(ids[i]!)) return i + 1;
  let n = ids.length;
  while (n > replyStart && tokenizer.decode([ids[n - 1]!]).trim() === "") n--;
  return n;
}

/**
 * Plain text as a generation prompt, for base-model continuation without a chat
 * turn (`studio generate --prompt` without --chat): BOS when the tokenizer adds one, never EOS.
 */
export function plainTextIds(tokenizer: Tokenizer, text: string): number[] {
  return [...bosIds(tokenizer), ...encodeBare(tokenizer, text)];
}

/** The last `maxTokens` ids of a conversation (the end is what is read); replyStart moves with the cut. */
export function keepLast(c: ConversationIds, maxTokens: number): ConversationIds {
  if (!(Number.isInteger(maxTokens) && maxTokens > 0)) throw new EngineError(`maxTokens must be a positive integer, got ${maxTokens}`);
  const cut = c.ids.length - maxTokens;
  if (cut <= 0) return c;
  return { ids: c.ids.slice(cut), replyStart: Math.max(0, c.replyStart - cut) };
}

function startsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}
