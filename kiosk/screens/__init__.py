"""Screens: registration and pairing, groups, rotations, urgent notices, live push and the player."""


def register(app):
    pass
