"""Check hosted assertions and baked PNGs with 1EdTech's official Open Badges validator.

The validator (``openbadges`` on PyPI, last released 2020) pins packages that do not
import on Python 3.11, so it lives in its own virtualenv, never in the project's:
``make validate-badges`` builds ``.venv-openbadges`` and runs this script against a
running portal (``make run``) and an assertion URL, or any number of them:

    .venv-openbadges/bin/python scripts/validate_open_badges.py URL [URL ...]

The JSON-LD context at https://w3id.org/openbadges/v2 cannot be fetched here, so it is
served from the validator's own copy. Exits non-zero if any check reports an error.
"""

import io
import json
import sys

import requests
from openbadges import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT

CONTEXT_URLS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")

_send = requests.adapters.HTTPAdapter.send


def _send_with_local_context(self, request, **kwargs):
    if request.url.rstrip("/") in CONTEXT_URLS or request.url.startswith(CONTEXT_URLS):
        response = requests.Response()
        response.status_code = 200
        response.url = request.url
        response.headers["Content-Type"] = "application/ld+json"
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        response.request = request
        return response
    return _send(self, request, **kwargs)


requests.adapters.HTTPAdapter.send = _send_with_local_context


def check(label: str, source) -> bool:
    report = verify(source)
    errors = [m for m in report["report"]["messages"] if m.get("messageLevel") == "ERROR"]
    valid = report["report"]["valid"] and not errors
    print(f"{'VALID  ' if valid else 'INVALID'} {label}")
    for message in report["report"]["messages"]:
        print(f"    {message.get('messageLevel')}: {message.get('result')}")
    return valid


def main(urls: list[str]) -> int:
    if not urls:
        print(__doc__)
        return 2
    ok = True
    for url in urls:
        ok &= check(f"hosted {url}", url)
        baked = requests.get(url.removesuffix(".json") + ".png", timeout=10)
        baked.raise_for_status()
        # A file-like object is how the validator takes a baked image.
        ok &= check(f"baked  {url.removesuffix('.json')}.png", io.BytesIO(baked.content))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
