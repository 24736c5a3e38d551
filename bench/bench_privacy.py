"""What people's data rights cost on a busy programme: one person's export, their erasure
(which rewrites every other statement that names them), the check that nothing refers to
them afterwards, and a day's retention run.

Data: 2,000 people, 200,000 ledger statements (the erased person has 2,000 of them, and
500 statements of others name them, as recognitions given and received do), 100,000 raw
clicks of which half are past retention. Run on a scratch database:
    .venv/bin/python bench/bench_privacy.py   (DATABASE_URL=... for PostgreSQL)
"""

import json
import time
from datetime import timedelta

from _setup import django_with_scratch_database

django_with_scratch_database()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.activity.models import Activity  # noqa: E402
from portal.people.models import Profile, User  # noqa: E402
from portal.privacy.erasure import Identity, person_erase, references_find  # noqa: E402
from portal.privacy.export import person_export  # noqa: E402
from portal.privacy.retention import retention_apply  # noqa: E402
from portal.sharing.models import ContentItem, Share, ShareClick  # noqa: E402

PEOPLE = 2_000
STATEMENTS = 200_000
OWN = 2_000
NAMING = 500
CLICKS = 100_000


def setup() -> User:
    User.objects.bulk_create(
        User(email=f"person{n}@example.com", first_name="Person", last_name=str(n))
        for n in range(PEOPLE)
    )
    people = list(User.objects.order_by("pk"))
    Profile.objects.bulk_create(Profile(user=user) for user in people)
    target = people[0]
    target.first_name, target.last_name = "Zebulon", "Quixwort"
    target.save()
    now = timezone.now()
    rows = []
    for number in range(STATEMENTS):
        actor = target if number < OWN else people[1 + number % (PEOPLE - 1)]
        naming = OWN <= number < OWN + NAMING
        rows.append(
            Activity(
                actor=actor,
                verb="recognition.received" if naming else "points.adjusted",
                key=f"bench:{number}",
                points=5,
                result={"from": "Zebulon Quixwort", "message": "Thanks!"} if naming else {},
                context={"by": target.email} if naming else {},
                timestamp=now - timedelta(minutes=number),
            )
        )
        if len(rows) == 10_000:
            Activity.objects.bulk_create(rows)
            rows = []
    Activity.objects.bulk_create(rows)
    item = ContentItem.objects.create(title="Item", url="https://example.com/")
    shares = Share.objects.bulk_create(
        Share(item=item, user=people[1 + n], network="linkedin", code=f"c{n:07d}", caption="x")
        for n in range(100)
    )
    old = now - timedelta(days=40)
    ShareClick.objects.bulk_create(
        (
            ShareClick(
                share=shares[n % 100],
                day=(old if n % 2 else now).date(),
                visitor=f"{n:032x}",
                kind="human",
                at=old if n % 2 else now,
            )
            for n in range(CLICKS)
        ),
        batch_size=5_000,
    )
    return target


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def main() -> None:
    print(f"database: {connection.vendor}")
    target = timed("set-up", setup)
    document = timed("export of one person (2,000 statements)", lambda: person_export(user=target))
    print(f"  export size: {len(json.dumps(document, default=str)) / 1024:.0f} KiB")
    identity = Identity.of(target)
    report = timed("erasure (rewrites 500 statements of others)", lambda: person_erase(user=target))
    print(f"  pseudonymised: {report.pseudonymised}")
    found = timed(
        "search of every table for their id, email and names",
        lambda: references_find(
            user_id=identity.user_id, profile_id=identity.profile_id, strings=identity.strings
        ),
    )
    print(f"  references left: {len(found)}")
    retention = timed("retention run (50,000 raw clicks past retention)", retention_apply)
    print(f"  removed: {retention.removed}")


if __name__ == "__main__":
    main()
