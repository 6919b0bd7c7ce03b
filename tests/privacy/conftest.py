"""The privacy tests draft notices with the disclosures tests' helpers."""
from tests.disclosures.conftest import approved, clients, draft, frozen  # noqa: F401
