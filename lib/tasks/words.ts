/** Small closed vocabularies: the demo model is tiny, so the corpus reuses few words often. */
export const NOUNS = [
  "apple", "banana", "cherry", "grape", "lemon", "melon", "pear", "plum",
  "cat", "dog", "fox", "owl", "bear", "frog", "lion", "wolf",
  "book", "lamp", "cup", "door", "hat", "key", "ring", "ship",
] as const;

export const ANIMALS = ["cat", "dog", "fox", "owl", "bear", "frog", "lion", "wolf", "duck", "goat"] as const;
export const COLORS = ["red", "blue", "green", "black", "white", "pink", "gray", "gold"] as const;
export const FRUITS = ["apple", "banana", "cherry", "grape", "lemon", "melon", "pear", "plum"] as const;

export const NAMES = ["Anna", "Ben", "Cara", "Dan", "Eva", "Finn", "Gina", "Hugo", "Ivy", "Jack"] as const;
export const OBJECTS = ["lamp", "key", "ball", "map", "box", "kite", "coin", "drum", "hat", "boat"] as const;

export const CAPITALS: Record<string, string> = {
  France: "Paris", Spain: "Madrid", Italy: "Rome", Japan: "Tokyo", Egypt: "Cairo",
  Peru: "Lima", Kenya: "Nairobi", Norway: "Oslo", Greece: "Athens", Cuba: "Havana",
  Chile: "Santiago", Canada: "Ottawa",
};

export const OPPOSITES: Record<string, string> = {
  hot: "cold", big: "small", up: "down", fast: "slow", old: "new", happy: "sad",
  light: "dark", open: "closed", early: "late", hard: "soft", high: "low", wet: "dry",
};

export const PLURALS: Record<string, string> = {
  mouse: "mice", child: "children", foot: "feet", tooth: "teeth", goose: "geese", man: "men",
  box: "boxes", city: "cities", leaf: "leaves", wolf: "wolves", baby: "babies", fox: "foxes",
};
