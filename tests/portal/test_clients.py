"""The network an address belongs to: the fast IPv4 path and the general one agree."""

import ipaddress

import pytest

from portal.clients import network_of


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("0.0.0.0", "0.0.0.0/24"),  # noqa: S104 - an address to parse, not to bind
        ("255.255.255.255", "255.255.255.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        # Not addresses: nothing.
        ("", ""),
        ("010.1.1.1", ""),  # leading zeros are ambiguous (octal): refused by both
        ("256.1.1.1", ""),
        ("1.2.3", ""),
        ("203.0.113.7\x00", ""),
        ("203.0.113.7 ", ""),
        ("unknown", ""),
    ],
)
def test_the_network_of_an_address(address, network):
    assert network_of(address) == network
    try:  # the same as the standard library's reading of it
        parsed = ipaddress.ip_address(address)
    except ValueError:
        assert network == ""
    else:
        size = 24 if parsed.version == 4 else 64
        assert network == str(ipaddress.ip_network(f"{parsed}/{size}", strict=False))
