// On-screen keyboards for visitors without a keyboard habit: letters (for pinyin, full or just
// initials: "dbgs" finds 低保公示) and a digit pad. Keys are large; nothing is typed by the system
// keyboard, so the browser never pops one up.
import { button, el } from "./net.js";

const LETTER_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

// keys: rows of key strings; words: {delete, clear, space}; onKey(key) gets a letter or "delete"/"clear"/"space".
function pad(className, rows, words, onKey, extras) {
  const board = el("div", `keyboard ${className}`);
  for (const row of rows) {
    const line = el("div", "key-row");
    for (const key of row) {
      const keyButton = button("key", key.toUpperCase(), () => onKey(key));
      keyButton.dataset.key = key;
      line.append(keyButton);
    }
    board.append(line);
  }
  const controls = el("div", "key-row controls");
  for (const name of extras) {
    const control = button(`key ${name}`, words[name], () => onKey(name));
    control.dataset.key = name;
    controls.append(control);
  }
  board.append(controls);
  return board;
}

export function letterKeyboard(words, onKey) {
  return pad("letters", LETTER_ROWS.map((row) => [...row]), words, onKey, ["space", "delete", "clear"]);
}

// The ticket keypad: the hall's service letters, then the digits.
export function ticketKeypad(letters, words, onKey) {
  return pad("digits", [letters.map((l) => l.toLowerCase()), [..."12345"], [..."67890"]], words, onKey, ["delete", "clear"]);
}

export function digitKeypad(words, onKey) {
  return pad("digits", [[..."123"], [..."456"], [..."789"], ["0"]], words, onKey, ["delete", "clear"]);
}

// A letter key, as opposed to the controls ("delete", "clear", "space"), which are words too.
export function isLetter(key) {
  return /^[a-z]$/.test(key);
}

// Applies a key to a typed value, at most `max` characters.
export function typed(value, key, max) {
  if (key === "delete") return value.slice(0, -1);
  if (key === "clear") return "";
  if (key === "space") return value.length < max && value && !value.endsWith(" ") ? `${value} ` : value;
  return value.length < max ? value + key : value;
}
