"""Register N bench screens in the demo township at once (createScreen's own rule, one transaction)
and print their device tokens, one a line. Run with the server's environment (KIOSK_INSTANCE_PATH,
KIOSK_DATABASE_URL); `screens_push.py` calls it, because 5,000 createScreen requests would take
minutes of the benchmark's time and measure nothing it reports.

    python bench/seed_screens.py 1000 > tokens.txt
"""
import sys

from sqlalchemy import select

from kiosk import create_app
from kiosk.accounts.models import User
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code
from kiosk.screens.models import ScreenKind
from kiosk.screens.operations import create_group, create_screen, get_group


def main() -> None:
    count = int(sys.argv[1])
    app = create_app()
    with app.app_context(), app.test_request_context():
        manager = db.session.scalar(select(User).where(User.username == "screens"))
        township = get_unit_by_code("jinjia")
        try:
            group = get_group(township, "bench")
        except NotFound:  # the first run makes it
            group = create_group(manager, township, "bench", "压测屏幕")
        tokens = []
        for number in range(count):
            _screen, token = create_screen(manager, township, ScreenKind.noticeboard_landscape,
                                           f"压测屏{number:05d}", [group])
            tokens.append(token)
        db.session.commit()
        group_id = group.id
    print(f"group {group_id}", flush=True)
    print("\n".join(tokens))


if __name__ == "__main__":
    main()
