"""The SSRF guard refuses private addresses, after DNS and on redirects, on both fetch paths."""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tasks.errors import FetchError
from tasks.fetch import netguard
from tasks.fetch.http import Fetcher
from tasks.settings import Settings


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_refused(ip):
    with pytest.raises(netguard.BlockedAddressError, match="non-public address"):
        netguard.check_address(ip, "host")


def test_public_addresses_pass():
    netguard.check_address("93.184.216.34", "example.com")
    netguard.check_address("2606:2800:220:1:248:1893:25c8:1946", "example.com")


def test_localhost_name_is_refused_after_resolution():
    with pytest.raises(
        netguard.BlockedAddressError, match=r"localhost resolves to \S+, a non-public"
    ):
        netguard.check_url("http://localhost:8000/jobs")


def _get(redis, settings: Settings, url: str, page: bool = False):
    async def main():
        async with Fetcher(settings, redis) as fetcher:
            return await (fetcher.page(url) if page else fetcher.get_json(url))

    return asyncio.run(main())


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_fetcher_refuses_private_hosts_unless_allowed(redis, site, page):
    url = f"{site.base_url}/jsonld/acme/careers" if page else f"{site.base_url}/nasty/json"
    with pytest.raises(FetchError) as error:
        _get(redis, Settings(allow_private_hosts=False), url, page)
    assert error.value.category == "blocked"
    assert "127.0.0.1, a non-public address" in str(error.value)
    assert "OPENINGS_ALLOW_PRIVATE_HOSTS" in str(error.value) and url in str(error.value)
    assert _get(redis, Settings(allow_private_hosts=True), url, page)


class _Redirect(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_redirect_to_a_private_address_is_refused_when_dialled(monkeypatch, redis, site):
    """The check runs on the address each connection dials: redirects and DNS rebinding too."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    _Redirect.target = f"{site.base_url}/nasty/json"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialled = []
    real_check = netguard.check_address

    def public_first_hop(ip, host):  # pretend the redirecting server is on the internet
        dialled.append(ip)
        if len(dialled) > 1:
            real_check(ip, host)

    monkeypatch.setattr(netguard, "check_address", public_first_hop)
    settings = Settings(allow_private_hosts=False, retry_attempts=1)
    try:
        with pytest.raises(FetchError) as error:
            _get(redis, settings, f"http://127.0.0.1:{server.server_port}/start")
    finally:
        server.shutdown()
    assert error.value.category == "blocked"
    assert dialled == ["127.0.0.1", "127.0.0.1"]
