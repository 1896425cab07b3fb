import { FRUITS, NOUNS } from "./words";
import type { TaskFamily, TaskMeta } from "./types";
import { firstInt, num, str, verdict } from "./types";

function intVerdict(expected: number, answer: string) {
  const got = firstInt(answer);
  if (got === null) return verdict(false, `no integer in answer, expected ${expected}`);
  return got === expected ? verdict(true, `${got} is right`) : verdict(false, `got ${got}, expected ${expected}`);
}

function arithResult(meta: TaskMeta): number {
  const a = num(meta, "a");
  const b = num(meta, "b");
  const op = str(meta, "op");
  if (op === "+") return a + b;
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  throw new Error(`task meta: op must be +, - or *, got ${op}`);
}

/** "What is 7 + 5?" → "12". Subtraction keeps a >= b so answers stay non-negative. */
export const arithmetic: TaskFamily = {
  family: "arithmetic",
  verifierId: "int-equals-arith",
  generate(rng) {
    const op = rng.pick(["+", "-", "*"] as const);
    let a = op === "*" ? rng.int(0, 9) : rng.int(0, 20);
    let b = op === "*" ? rng.int(0, 9) : rng.int(0, 20);
    if (op === "-" && b > a) [a, b] = [b, a];
    const meta = { a, b, op };
    return { prompt: `What is ${a} ${op} ${b}?`, response: String(arithResult(meta)), meta };
  },
  verify: (meta, answer) => intVerdict(arithResult(meta), answer),
  nearMiss: (meta) => String(arithResult(meta) + 1),
};

/** "Which is larger: 37 or 52?" → "52". */
export const compare: TaskFamily = {
  family: "compare",
  verifierId: "compare-pick",
  generate(rng) {
    const larger = rng.next() < 0.5;
    const a = rng.int(0, 99);
    let b = rng.int(0, 99);
    if (b === a) b = (a + rng.int(1, 50)) % 100;
    const word = larger ? "larger" : "smaller";
    const want = larger ? Math.max(a, b) : Math.min(a, b);
    return { prompt: `Which is ${word}: ${a} or ${b}?`, response: String(want), meta: { a, b, want } };
  },
  verify: (meta, answer) => intVerdict(num(meta, "want"), answer),
  nearMiss: (meta) => String(num(meta, "want") === num(meta, "a") ? num(meta, "b") : num(meta, "a")),
};

/** "How many r in carrot?" → "2". The letter is drawn from the word half the time so 0 is not the usual answer. */
export const countLetters: TaskFamily = {
  family: "count-letters",
  verifierId: "count-letter",
  generate(rng) {
    const word = rng.pick([...NOUNS, ...FRUITS]);
    const letter = rng.next() < 0.8 ? rng.pick([...word]) : rng.pick([..."abcdefghijklmnopqrstuvwxyz"]);
    const count = [...word].filter((c) => c === letter).length;
    return { prompt: `How many ${letter} in ${word}?`, response: String(count), meta: { word, letter, count } };
  },
  verify: (meta, answer) => intVerdict(num(meta, "count"), answer),
  nearMiss: (meta) => String(num(meta, "count") + 1),
};

interface Unit {
  from: string;
  to: string;
  factor: number;
}
const UNITS: readonly Unit[] = [
  { from: "km", to: "m", factor: 1000 },
  { from: "m", to: "cm", factor: 100 },
  { from: "kg", to: "g", factor: 1000 },
  { from: "hours", to: "minutes", factor: 60 },
  { from: "minutes", to: "seconds", factor: 60 },
  { from: "days", to: "hours", factor: 24 },
];

/** "Convert 3 km to m." → "3000 m". The verifier checks the number; the unit word is optional. */
export const unitConversion: TaskFamily = {
  family: "unit-conversion",
  verifierId: "unit-convert",
  generate(rng) {
    const u = rng.pick(UNITS);
    const n = rng.int(1, 9);
    const want = n * u.factor;
    return { prompt: `Convert ${n} ${u.from} to ${u.to}.`, response: `${want} ${u.to}`, meta: { n, from: u.from, to: u.to, want } };
  },
  verify(meta, answer) {
    const v = intVerdict(num(meta, "want"), answer);
    // The word right after the number is the unit; it may be left out but must not be a different unit.
    const unit = /-?\d+\s*([a-z]+)/i.exec(answer)?.[1]?.toLowerCase();
    const to = str(meta, "to");
    if (v.correct && unit !== undefined && unit !== to) return verdict(false, `number right but unit is ${unit}, not ${to}`);
    return v;
  },
  nearMiss: (meta) => `${num(meta, "n") * 10} ${str(meta, "to")}`,
};
