from urllib.parse import parse_qs, urlsplit

from portal.sharing import links


def test_destination_adds_utm_tags_and_replaces_old_ones():
    url = links.destination(
        url="https://www.example.com/news/wind?ref=home&utm_source=old&UTM_MEDIUM=x#top",
        network="linkedin",
        campaign="12-our-wind-farm",
        code="abcdEFGH",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "www.example.com",
        "/news/wind",
        "top",
    )
    assert parse_qs(parts.query) == {
        "ref": ["home"],
        "utm_source": ["linkedin"],
        "utm_medium": ["advocacy"],
        "utm_campaign": ["12-our-wind-farm"],
        "utm_content": ["abcdEFGH"],
    }


def test_share_pages_encode_the_text_and_the_link():
    link = "http://testserver/s/abcdEFGH"
    text = "Proud of this & more: 100% #wind"
    linkedin = links.share_page_url(network="linkedin", text=text, link=link, subject="S")
    assert linkedin == (
        "https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Fs%2FabcdEFGH"
    )
    x = urlsplit(links.share_page_url(network="x", text=text, link=link, subject="S"))
    assert (x.netloc, x.path) == ("twitter.com", "/intent/tweet")
    assert parse_qs(x.query) == {"text": [text], "url": [link]}
    facebook = urlsplit(links.share_page_url(network="facebook", text=text, link=link, subject="S"))
    assert parse_qs(facebook.query) == {"u": [link]}
    email = links.share_page_url(network="email", text=text, link=link, subject="Wind & sun")
    assert email.startswith("mailto:?subject=Wind%20%26%20sun&body=")
    assert "+" not in email  # spaces are %20 in mailto links
    assert parse_qs(urlsplit(email).query)["body"] == [f"{text}\n\n{link}"]


def test_codes_are_random_and_checked_for_shape():
    codes = {links.code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(links.code_is_well_formed(code) for code in codes)
    assert not links.code_is_well_formed("abc")
    assert not links.code_is_well_formed("abcd/../")
    assert not links.code_is_well_formed("abcdefg0")  # 0 is not in the alphabet
