/**
 * Keyboard shortcuts of the ranking screen as a pure mapping, so the rules (which key does what,
 * and where it must NOT fire, e.g. while typing a rationale) are unit-tested rather than buried
 * in an event handler.
 */
import type { RankScale } from "./rubric";
import { flatOrder, type RankingAction, type RankingState } from "./state";

export interface KeyInput {
  key: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * Where the key was pressed: the completion card itself, a button/link (inside a card or not),
 * a text-like control (input, textarea, select, radio, contenteditable), or anything else.
 */
export type TargetKind = "card" | "control" | "text" | "other";

export interface KeyContext {
  target: TargetKind;
  /** Whether the target is a completion card or inside one. */
  inCard: boolean;
  /** Number of completions (K); digits above K do nothing. */
  count: number;
  /** Under "best" only 1 (best) and clearing it mean anything; moves and ties do nothing. Default "full". */
  scale?: RankScale;
}

export type Shortcut =
  | { type: "focusNext" }
  | { type: "focusPrev" }
  | { type: "setRank"; rank: number }
  | { type: "clearRank" }
  | { type: "moveUp" }
  | { type: "moveDown" }
  | { type: "tie" }
  | { type: "untie" }
  | { type: "submit" }
  | { type: "help" };

/** The card shortcuts that mean something when the project asks only for the best response. */
const BEST_ONLY = new Set<Shortcut["type"]>(["setRank", "clearRank", "focusNext", "focusPrev"]);

/** Shortcuts that act on the focused card; they also work from a button inside that card. */
function cardAction(e: KeyInput, count: number): Shortcut | null {
  const moving = e.altKey || e.shiftKey;
  if (e.key === "ArrowUp" && moving) return { type: "moveUp" };
  if (e.key === "ArrowDown" && moving) return { type: "moveDown" };
  if (e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) {
    const rank = Number(e.key);
    return rank <= count ? { type: "setRank", rank } : null;
  }
  switch (e.key) {
    case "0":
    case "Delete":
    case "Backspace":
      return { type: "clearRank" };
    case "t":
      return { type: "tie" };
    case "u":
      return { type: "untie" };
    case "j":
      return { type: "focusNext" };
    case "k":
      return { type: "focusPrev" };
    case "J":
      return { type: "moveDown" };
    case "K":
      return { type: "moveUp" };
    default:
      return null;
  }
}

export function shortcutFor(e: KeyInput, ctx: KeyContext): Shortcut | null {
  // Never steal the browser's or the OS's own shortcuts, nor keys typed into a field.
  if (e.ctrlKey || e.metaKey || ctx.target === "text") return null;
  if (e.key === "?") return { type: "help" };
  if (ctx.target === "card") {
    if (e.key === "Enter" && !e.altKey && !e.shiftKey) return { type: "submit" };
    if (!e.altKey && !e.shiftKey && e.key === "ArrowDown") return { type: "focusNext" };
    if (!e.altKey && !e.shiftKey && e.key === "ArrowUp") return { type: "focusPrev" };
  }
  // On a button, Enter and plain arrows keep their native meaning (press, drag-handle moves).
  if (ctx.inCard && (ctx.target === "card" || ctx.target === "control")) {
    if (ctx.scale !== "best") return cardAction(e, ctx.count);
    const s = cardAction(e, 1);
    return s && BEST_ONLY.has(s.type) ? s : null;
  }
  if (ctx.target === "other" && e.key === "Enter" && !e.altKey && !e.shiftKey) return { type: "submit" };
  return null;
}

/** The shortcut list shown in the help dialog and the side legend (one source of truth). */
export const SHORTCUT_HELP: readonly { keys: string; what: string }[] = [
  { keys: "Tab, j / k, ↓ / ↑", what: "Focus the next / previous response" },
  { keys: "1 … 9", what: "Give the focused response that rank (same number twice = tie)" },
  { keys: "0, Delete", what: "Clear its rank" },
  { keys: "Alt+↑ / Alt+↓ (or Shift+↑↓, K / J)", what: "Move it up / down" },
  { keys: "t", what: "Tie it with the response above" },
  { keys: "u", what: "Untie it" },
  { keys: "Space on ⠿ handle, then ↑↓, Space", what: "Drag with the keyboard" },
  { keys: "Enter", what: "Submit (when every response is ranked)" },
  { keys: "?", what: "Show these shortcuts" },
];

/** The help list for a rank scale: best-only leaves out moves and ties. */
export function shortcutHelp(scale: RankScale): readonly { keys: string; what: string }[] {
  if (scale === "full") return SHORTCUT_HELP;
  return [
    { keys: "Tab, j / k, ↓ / ↑", what: "Focus the next / previous response" },
    { keys: "1", what: "Mark the focused response as the best (again on another = tie for best)" },
    { keys: "0, Delete", what: "Unmark it" },
    { keys: "Enter", what: "Submit (when a best response is picked)" },
    { keys: "?", what: "Show these shortcuts" },
  ];
}

export type CardShortcut = Exclude<Shortcut, { type: "submit" } | { type: "help" }>;

/**
 * What a card shortcut does to the ranking of card `id`, and which card should have focus after.
 * On a first pass (ranking a still-unranked response) focus jumps to the next unranked one, so
 * "read, press a number" repeats without extra keys; everywhere else focus stays on the card.
 */
export function planShortcut(state: RankingState, s: CardShortcut, id: string): { action: RankingAction | null; focus: string } {
  const order = flatOrder(state);
  const i = order.indexOf(id);
  switch (s.type) {
    case "focusNext":
      return { action: null, focus: order[Math.min(i + 1, order.length - 1)] };
    case "focusPrev":
      return { action: null, focus: order[Math.max(i - 1, 0)] };
    case "setRank": {
      const u = state.unranked.indexOf(id);
      const next = u >= 0 ? (state.unranked[u + 1] ?? state.unranked.find((x) => x !== id)) : undefined;
      return { action: { type: "setRank", id, rank: s.rank }, focus: next ?? id };
    }
    case "clearRank":
      return { action: { type: "clearRank", id }, focus: id };
    case "moveUp":
      return { action: { type: "moveUp", id }, focus: id };
    case "moveDown":
      return { action: { type: "moveDown", id }, focus: id };
    case "tie":
      return { action: { type: "tieWithPrevious", id }, focus: id };
    case "untie":
      return { action: { type: "untie", id }, focus: id };
  }
}
