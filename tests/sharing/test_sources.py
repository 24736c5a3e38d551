"""Content sources: feeds served by a local server become draft hub items in moderation,
once each; a bad or unreachable feed is reported on its source, and the rest go on."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.sharing.models import ContentItem, ContentSource, Kind
from portal.sharing.sources import source_check, sources_check
from tests.servers import free_port

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Newsroom</title><link>https://news.example.com/</link>
<description>Company news</description>
<item><title>Our wind farm is live</title><link>https://news.example.com/wind</link>
<guid>news-1</guid>
<description>&lt;p&gt;It powers &lt;b&gt;200,000&lt;/b&gt; homes.&lt;/p&gt;</description></item>
<item><title>We are hiring engineers</title><link>https://news.example.com/jobs</link>
<guid>news-2</guid><description>Join us.</description></item>
<item><title>Broken entry</title><link>javascript:alert(1)</link><guid>news-3</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Industry</title><id>urn:x</id>
<updated>2026-12-01T00:00:00Z</updated>
<entry><title>Solar beats coal again</title><id>urn:entry:1</id>
<link href="https://industry.example.org/solar"/><updated>2026-12-01T00:00:00Z</updated>
<summary>Another record year.</summary></entry></feed>"""


@pytest.fixture
def feeds():
    served = {"/rss": (200, RSS), "/atom": (200, ATOM), "/broken": (200, b"<html>not a feed")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = served.get(self.path, (404, b"missing"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_new_entries_become_draft_items_once_with_the_sources_topics(feeds):
    newsroom = ContentSource.objects.create(
        name="Newsroom", url=f"{feeds}/rss", kind=Kind.OWN, topics="News, Energy"
    )
    industry = ContentSource.objects.create(name="Industry", url=f"{feeds}/atom")
    assert sources_check() == 3
    assert sources_check() == 0  # the same entries again: nothing new

    wind = ContentItem.objects.get(url="https://news.example.com/wind")
    assert not wind.live  # a draft, waiting for moderation
    assert wind.kind == Kind.OWN
    assert wind.summary == "It powers 200,000 homes."
    assert sorted(tag.name for tag in wind.tags.all()) == ["energy", "news"]
    solar = ContentItem.objects.get(title="Solar beats coal again")
    assert solar.kind == Kind.CURATED
    assert not ContentItem.objects.filter(title="Broken entry").exists()
    newsroom.refresh_from_db()
    industry.refresh_from_db()
    assert (newsroom.status, newsroom.items_made, industry.items_made) == ("OK", 2, 1)


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/broken", "not an RSS or Atom feed"),
        ("/gone", "answered 404"),
    ],
)
def test_a_bad_feed_is_reported_on_its_source(feeds, path, problem):
    bad = ContentSource.objects.create(name="Bad", url=f"{feeds}{path}")
    good = ContentSource.objects.create(name="Good", url=f"{feeds}/atom")
    assert sources_check() == 1
    bad.refresh_from_db()
    assert problem in bad.problem
    assert bad.ok_at is None
    good.refresh_from_db()
    assert good.status == "OK"


def test_an_unreachable_feed_is_reported_not_fatal():
    source = ContentSource.objects.create(name="Down", url=f"http://127.0.0.1:{free_port()}/feed")
    assert source_check(source) == 0
    source.refresh_from_db()
    assert source.problem.startswith("The feed could not be reached")
