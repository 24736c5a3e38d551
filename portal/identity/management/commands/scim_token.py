"""python manage.py scim_token create NAME | list | revoke NAME"""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils import timezone

from portal.identity.models import ScimToken


class Command(BaseCommand):
    help = "Create, list or revoke the bearer tokens provisioning clients call /scim/v2/ with."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token; it is printed once.")
        create.add_argument("name", help="Who uses it (for example: entra-id).")
        actions.add_parser("list", help="The tokens, without their secrets.")
        revoke = actions.add_parser("revoke", help="Stop a token from working.")
        revoke.add_argument("name")

    def handle(self, *args, action, **options):
        if action == "create":
            name = options["name"].strip()
            if not name or len(name) > 100:
                raise CommandError("Give the token a name of 1 to 100 characters.")
            try:
                _, token = ScimToken.issue(name)
            except IntegrityError:
                raise CommandError(f"A token named {name!r} exists already.") from None
            self.stdout.write(token)
            self.stderr.write(
                f"Token {name!r} made. Copy it now: it is not stored and cannot be shown again."
            )
        elif action == "list":
            for token in ScimToken.objects.all():
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = (
                    f"last used {token.last_used_at:%Y-%m-%d %H:%M}"
                    if token.last_used_at
                    else "never used"
                )
                self.stdout.write(f"{token.name}\t{state}\t{used}")
        else:
            revoked = (
                ScimToken.objects.active()
                .filter(name=options["name"])
                .update(revoked_at=timezone.now())
            )
            if not revoked:
                raise CommandError(f"No active token named {options['name']!r}.")
            self.stdout.write(f"Token {options['name']!r} revoked.")
