from kiosk.catalogs import problems


def test_every_user_facing_string_has_a_chinese_translation():
    assert problems() == []


def test_a_lowercase_word_means_one_thing_across_the_catalogues():
    """Flask-Babel merges every feature's catalogue into one: a short state word ("waiting", "closed")
    translated two ways shows the other feature's meaning on one of the pages. Such words take a
    context (pgettext) where their meanings differ."""
    from collections import defaultdict
    from pathlib import Path

    from babel.messages.pofile import read_po

    import kiosk
    meanings = defaultdict(dict)
    for path in Path(kiosk.__file__).parent.rglob("translations/zh/LC_MESSAGES/messages.po"):
        with path.open("rb") as file:
            for message in read_po(file):
                if message.context is None and isinstance(message.id, str) and message.string \
                        and message.id[:1].islower() and len(message.id.split()) <= 3:
                    meanings[message.id][path.parts[-5]] = message.string
    assert {word: by for word, by in meanings.items() if len(set(by.values())) > 1} == {}
