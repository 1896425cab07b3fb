import { ANIMALS, CAPITALS, COLORS, FRUITS, NAMES, NOUNS, OBJECTS, OPPOSITES, PLURALS } from "./words";
import type { TaskFamily } from "./types";
import { normalize, num, str, strs, verdict } from "./types";

function exactWords(want: string, answer: string) {
  const got = normalize(answer).toLowerCase();
  return got === want ? verdict(true, "words match") : verdict(false, `got "${got}", expected "${want}"`);
}

/** "Reverse the words: red cat owl" → "owl cat red". */
export const reverseWords: TaskFamily = {
  family: "reverse-words",
  verifierId: "reverse-words",
  generate(rng) {
    const words = rng.sample([...NOUNS, ...COLORS], rng.int(2, 4));
    return { prompt: `Reverse the words: ${words.join(" ")}`, response: [...words].reverse().join(" "), meta: { words } };
  },
  verify: (meta, answer) => exactWords([...strs(meta, "words")].reverse().join(" "), answer),
  nearMiss: (meta) => strs(meta, "words").join(" "),
};

/** "Sort: pear fig apple" → "apple fig pear" (alphabetical). */
export const sortWords: TaskFamily = {
  family: "sort-words",
  verifierId: "sort-words",
  generate(rng) {
    const words = rng.sample([...NOUNS, ...COLORS], rng.int(2, 4));
    return { prompt: `Sort: ${words.join(" ")}`, response: [...words].sort().join(" "), meta: { words } };
  },
  verify: (meta, answer) => exactWords([...strs(meta, "words")].sort().join(" "), answer),
  nearMiss: (meta) => [...strs(meta, "words")].sort().reverse().join(" "),
};

const FACT_TABLES = { capital: CAPITALS, opposite: OPPOSITES, plural: PLURALS } as const;
type FactKind = keyof typeof FACT_TABLES;

function factTable(kind: string): Record<string, string> {
  if (!(kind in FACT_TABLES)) throw new Error(`task meta: kind must be capital, opposite or plural, got ${kind}`);
  return FACT_TABLES[kind as FactKind];
}

/** Capitals, opposites and plurals from fixed tables: pure recall. */
export const factPick: TaskFamily = {
  family: "fact-pick",
  verifierId: "fact-table",
  generate(rng) {
    const kind = rng.pick(["capital", "opposite", "plural"] as const);
    const key = rng.pick(Object.keys(FACT_TABLES[kind]));
    const want = FACT_TABLES[kind][key]!;
    const prompt = kind === "capital" ? `Capital of ${key}?` : kind === "opposite" ? `Opposite of ${key}?` : `Plural of ${key}?`;
    return { prompt, response: want, meta: { kind, key, want } };
  },
  verify(meta, answer) {
    const want = factTable(str(meta, "kind"))[str(meta, "key")];
    return exactWords((want ?? "").toLowerCase(), answer);
  },
  nearMiss: (meta) => str(meta, "key"),
};

const CATEGORIES = { animals: ANIMALS, colors: COLORS, fruits: FRUITS } as const;

/** Format control: "Uppercase: blue cat" → "BLUE CAT", or "Name 3 colors." → exactly 3 distinct colors. */
export const formatInstruction: TaskFamily = {
  family: "format",
  verifierId: "format-rule",
  generate(rng) {
    if (rng.next() < 0.5) {
      const words = rng.sample([...NOUNS, ...COLORS], rng.int(1, 3));
      const text = words.join(" ");
      return { prompt: `Uppercase: ${text}`, response: text.toUpperCase(), meta: { rule: "upper", text, n: 0, category: "" } };
    }
    const category = rng.pick(Object.keys(CATEGORIES) as (keyof typeof CATEGORIES)[]);
    const n = rng.int(1, 4);
    const picks = rng.sample(CATEGORIES[category], n);
    return { prompt: `Name ${n} ${category}.`, response: picks.join(" "), meta: { rule: "nwords", text: "", n, category } };
  },
  verify(meta, answer) {
    const got = normalize(answer);
    if (str(meta, "rule") === "upper") {
      const want = str(meta, "text").toUpperCase();
      return got === want ? verdict(true, "uppercase text matches") : verdict(false, `got "${got}", expected "${want}"`);
    }
    const n = num(meta, "n");
    const category = str(meta, "category") as keyof typeof CATEGORIES;
    const allowed: readonly string[] = CATEGORIES[category] ?? [];
    const words = got.toLowerCase().split(/[\s,]+/).filter(Boolean);
    if (words.length !== n) return verdict(false, `${words.length} words, expected ${n}`);
    const bad = words.find((w) => !allowed.includes(w));
    if (bad) return verdict(false, `"${bad}" is not one of the ${category}`);
    if (new Set(words).size !== n) return verdict(false, "words repeat");
    return verdict(true, `${n} distinct ${category}`);
  },
  nearMiss: (meta) => (str(meta, "rule") === "upper" ? str(meta, "text") : "stone ".repeat(num(meta, "n")).trim()),
};

const STORY_TEMPLATES = [
  (n: string[], o: string[]) => `${n[0]} found a ${o[0]}. ${n[1]} took the ${o[1]}.`,
  (n: string[], o: string[]) => `${n[0]} and ${n[1]} had a ${o[0]} and a ${o[1]}.`,
  (n: string[], o: string[]) => `${n[0]} gave ${n[1]} a ${o[0]}. They lost the ${o[1]}.`,
] as const;

/** "Story about Anna, Ben, lamp, key." → a two-sentence story that must mention all four. */
export const story: TaskFamily = {
  family: "story",
  verifierId: "story-mentions",
  generate(rng) {
    const names = rng.sample(NAMES, 2);
    const objects = rng.sample(OBJECTS, 2);
    const response = rng.pick(STORY_TEMPLATES)(names, objects);
    return { prompt: `Story about ${names.join(", ")}, ${objects.join(", ")}.`, response, meta: { names, objects } };
  },
  verify(meta, answer) {
    const words = new Set(answer.toLowerCase().match(/[a-z]+/g) ?? []);
    const missing = [...strs(meta, "names"), ...strs(meta, "objects")].filter((w) => !words.has(w.toLowerCase()));
    if (missing.length > 0) return verdict(false, `does not mention ${missing.join(", ")}`);
    if (answer.trim().split(/\s+/).length > 30) return verdict(false, "longer than 30 words");
    return verdict(true, "mentions every name and object");
  },
  nearMiss: (meta) => `${strs(meta, "names")[0]} went home.`,
};
