"""The SSRF guard refuses private addresses, after DNS and on redirects, on both fetch paths."""

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tasks import http, netguard
from tasks.errors import FetchError
from tasks.models import Company, Source
from tasks.settings import Settings
from tasks.sources.web import crawl_postings


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
    with pytest.raises(netguard.BlockedAddressError, match="localhost resolves to non-public"):
        netguard.check_url("http://localhost:8000/jobs")


def test_httpx_path_refuses_private_hosts_unless_allowed(site):
    url = f"{site.base_url}/greenhouse/v1/boards/acme/jobs"
    guarded = Settings(allow_private_hosts=False)
    with http.client(guarded) as client, pytest.raises(FetchError) as error:
        http.get_json(client, url, guarded)
    assert error.value.category == "blocked"
    assert "OPENINGS_ALLOW_PRIVATE_HOSTS" in str(error.value)

    allowed = Settings(allow_private_hosts=True)
    with http.client(allowed) as client:
        assert "jobs" in http.get_json(client, url, allowed)


class _Redirect(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", self.target)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_crawl_refuses_private_addresses_at_connect_time(monkeypatch, site):
    # The guard sits in the connector, so it also covers redirect hops and DNS rebinding: with
    # the up-front check out of the way, the connection itself is still refused.
    monkeypatch.setattr(netguard, "check_url", lambda url: None)
    company = Company(name="Private", careers_url=f"{site.base_url}/jsonld/private/careers")
    settings = Settings(allow_private_hosts=False, retry_attempts=1)
    with pytest.raises(FetchError) as error:
        asyncio.run(crawl_postings(company, Source.jsonld, settings))
    assert error.value.category == "blocked"


def test_httpx_redirect_to_private_address_is_refused(monkeypatch, site):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    _Redirect.target = f"{site.base_url}/greenhouse/v1/boards/acme/jobs"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    calls = []
    real_check = netguard.check_url

    def check_only_the_redirect(url):  # treat the first (redirecting) host as public
        calls.append(url)
        if len(calls) > 1:
            real_check(url)

    monkeypatch.setattr(netguard, "check_url", check_only_the_redirect)
    settings = Settings(allow_private_hosts=False, retry_attempts=1)
    try:
        with http.client(settings) as client, pytest.raises(FetchError) as error:
            http.get_json(client, f"http://127.0.0.1:{server.server_port}/start", settings)
    finally:
        server.shutdown()
    assert error.value.category == "blocked"
    assert calls[1] == _Redirect.target
