"""SSRF guard: refuse loopback, private, link-local and other non-public addresses.

Career URLs come from a file many people edit; a worker must not be turned into a probe of the
network it runs in. The check runs on resolved addresses and on every redirect hop. Turn it off
with OPENINGS_ALLOW_PRIVATE_HOSTS=true (the sample site and the tests serve on 127.0.0.1).
"""

import errno
import ipaddress
import socket
from urllib.parse import urlsplit


class BlockedAddressError(OSError):
    """Raised before connecting to an address the guard refuses."""

    def __init__(self, message: str):
        # errno + strerror: aiohttp reports an OSError by its strerror, so the reason survives.
        super().__init__(errno.EACCES, message)


def check_address(ip: str, host: str) -> None:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_global:
        what = f"{host} resolves to {address}" if host != str(address) else str(address)
        raise BlockedAddressError(
            f"{what}, a non-public address; refused "
            "(set OPENINGS_ALLOW_PRIVATE_HOSTS=true to allow private hosts)"
        )


def check_url(url: str) -> None:
    """Resolve the URL's host and refuse it if any address it resolves to is not public."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return  # unresolvable: the request itself will fail with a clear network error
    for *_, sockaddr in infos:
        check_address(sockaddr[0], host)


def guarded_socket_factory(addr_info: tuple) -> socket.socket:
    """aiohttp socket factory: checks the exact address about to be dialled (no DNS rebinding)."""
    family, type_, proto, _, sockaddr = addr_info
    check_address(sockaddr[0], sockaddr[0])
    return socket.socket(family=family, type=type_, proto=proto)
