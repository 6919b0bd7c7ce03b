from kiosk.catalogs import problems


def test_every_user_facing_string_has_a_chinese_translation():
    assert problems() == []
