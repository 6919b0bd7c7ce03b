"""Pinyin input for the kiosk's message form: letters typed on the on-screen keyboard become
Chinese words chosen from a row of candidates, as with a phone's pinyin keyboard.

Words and their frequencies come from jieba's dictionary (the most used first), their readings from
pypinyin, so a polyphonic character is found under the reading it has in the word (银行 under
yinhang). A character alone is offered under every reading it has (长: zhang and chang, pypinyin's
heteronyms), its frequency shared between them as the dictionary's words read it: 长 is chang in
长期 and 很长, zhang in 成长, so it comes early under both, while 的 stays behind 低 under di. A visitor types full pinyin without tones; the candidates are the words that spell the
longest run of whole syllables at the start of what was typed, then the characters of its first
syllable. Each candidate says how many letters it uses up, so that choosing 低 in "dibao" leaves
"bao" to choose next.
"""
import importlib.resources
import threading
from collections import Counter, defaultdict
from functools import cache

from pypinyin import Style, lazy_pinyin, pinyin

# Words rarer than this are left out (jieba counts in its corpus; at 50 about 52,000 words remain,
# enough for a message to the hall, and the index builds in about a second).
MIN_WORD_FREQUENCY = 50
MIN_CHARACTER_FREQUENCY = 5
MAX_WORD_LENGTH = 4
MAX_TYPED = 30

_building = threading.Lock()


class _Index:
    def __init__(self):
        self.words: dict[str, list[str]] = {}      # "shenqing" -> ["申请", "神情", "深情"], most used first
        self.syllables: set[str] = set()


def _dictionary_entries():
    """(word, frequency) from jieba's dictionary, read as a file: jieba's segmenter is not needed."""
    with (importlib.resources.files("jieba") / "dict.txt").open(encoding="utf-8") as entries:
        for line in entries:
            word, frequency, _tag = line.rstrip("\n").split(" ")
            yield word, int(frequency)


def _index() -> _Index:
    with _building:  # built once, on the first letters typed; a second caller waits for it
        return _build_index()


@cache
def _build_index() -> _Index:
    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    characters: list[tuple[str, int]] = []
    # How often each character is read each way in the dictionary's words: 长 -> {chang: ..., zhang: ...}
    word_readings: dict[str, Counter] = defaultdict(Counter)
    for word, frequency in _dictionary_entries():
        if len(word) == 1:
            if frequency >= MIN_CHARACTER_FREQUENCY:
                characters.append((word, frequency))
            continue
        if len(word) > MAX_WORD_LENGTH or frequency < MIN_WORD_FREQUENCY:
            continue
        readings = lazy_pinyin(word, errors="ignore")
        if len(readings) != len(word) or not all(_spelt(r) for r in readings):
            continue  # letters, digits or characters pypinyin cannot read
        found["".join(readings)].append((frequency, word))
        for character, reading in zip(word, readings):
            word_readings[character][reading] += frequency
    index = _Index()
    for character, frequency in characters:
        for reading, share in _reading_shares(character, word_readings[character]).items():
            found[reading].append((frequency * share, character))
            index.syllables.add(reading)
    index.words = {spelling: [word for _f, word in sorted(words, key=lambda fw: -fw[0])]
                   for spelling, words in found.items()}
    return index


def _spelt(reading: str) -> bool:
    return reading.isascii() and reading.isalpha()


def _reading_shares(character: str, in_words: Counter) -> dict[str, float]:
    """Each toneless reading of a character and the share of its uses that read it so, from the
    words it appears in (one use added to each, so a reading no word shows still gets a little)."""
    readings = list(dict.fromkeys(r for r in pinyin(character, heteronym=True, style=Style.NORMAL)[0] if _spelt(r)))
    total = sum(in_words[r] for r in readings) + len(readings)
    return {reading: (in_words[reading] + 1) / total for reading in readings}


def _syllable_ends(letters: str, syllables: set[str]) -> list[int]:
    """Where the whole syllables at the start of `letters` end, greedily taking the longest syllable
    each time ("xianzai" -> [4, 7]: xian zai)."""
    ends, position = [], 0
    while position < len(letters):
        step = next((length for length in range(min(6, len(letters) - position), 0, -1)
                     if letters[position:position + length] in syllables), 0)
        if not step:
            break
        position += step
        ends.append(position)
    return ends


def candidates(typed: str, limit: int = 24) -> list[dict]:
    """[{"text": "申请", "uses": 8}, ...] for the letters typed so far, best first; the letters
    themselves come last, for a name or a word in English."""
    letters = "".join(c for c in typed.lower() if "a" <= c <= "z")[:MAX_TYPED]
    if not letters:
        return []
    index = _index()
    ends = _syllable_ends(letters, index.syllables)
    chosen, seen = [], set()
    for end in reversed(ends):  # the longest run of syllables first, down to the first syllable
        for word in index.words.get(letters[:end], ()):
            if word not in seen:
                seen.add(word)
                chosen.append({"text": word, "uses": end})
    return chosen[:limit - 1] + [{"text": letters, "uses": len(letters)}]
