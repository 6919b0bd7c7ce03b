"""The disclosure and queue helpers, for the role walks."""
from tests.disclosures.conftest import approved, clients, draft  # noqa: F401  (fixtures)
from tests.queue.conftest import monday_morning  # noqa: F401  (fixture)
