"""Worker hosts on one machine: Linux network namespaces joined by a bridge, no Docker needed.

The test process's own namespace is the services host: Redis, the database, the Prefect server and
the flow run there, reachable at SERVICES_IP on a bridge. Each worker host is a namespace of its
own whose only way out is a veth into that bridge, so cutting its link (`ip link set ... down`
inside the namespace, as a host losing its network) cuts everything it talks to. This is the
scale-out topology of infra/docker-compose.yml (Redis, PostgreSQL and Prefect on one host, `rq
worker`s on others), with real sockets and real routing. Needs root and iproute2; `available()`
says why not where the machine refuses.
"""

import subprocess
import uuid
from collections.abc import Sequence

SUBNET = "10.231.{}.0/24"  # private, on no interface of these machines; a /24 per network


def _ip(*args: str, netns: str | None = None) -> None:
    command = ["ip", *(["netns", "exec", netns, "ip"] if netns else []), *args]
    subprocess.run(command, check=True, capture_output=True, text=True)


def available() -> str | None:
    """None when this machine lets us create a namespace; else what stops it."""
    name = f"openings-probe-{uuid.uuid4().hex[:6]}"
    try:
        _ip("netns", "add", name)
    except FileNotFoundError:
        return "iproute2 (`ip`) is not installed"
    except subprocess.CalledProcessError as exc:
        return f"`ip netns add` refused: {exc.stderr.strip()}"
    _ip("netns", "delete", name)
    return None


class WorkerHosts:
    """`count` worker hosts around a bridge; use as a context manager (it removes them all)."""

    def __init__(self, count: int):
        self.tag = uuid.uuid4().hex[:6]
        octet = int(self.tag, 16) % 200 + 20
        self.services_ip = SUBNET.format(octet).replace(".0/24", ".1")
        self.bridge = f"opbr{self.tag}"
        self.hosts = [f"openings-{self.tag}-{i}" for i in range(count)]
        self._prefix = SUBNET.format(octet).rsplit(".", 1)[0]

    def __enter__(self) -> "WorkerHosts":
        try:
            _ip("link", "add", self.bridge, "type", "bridge")
            _ip("addr", "add", f"{self.services_ip}/24", "dev", self.bridge)
            _ip("link", "set", self.bridge, "up")
            for i, host in enumerate(self.hosts):
                outside, inside = self._veth(i)
                _ip("netns", "add", host)
                _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
                _ip("link", "set", inside, "netns", host)
                _ip("link", "set", outside, "master", self.bridge, "up")
                _ip("addr", "add", f"{self._prefix}.{10 + i}/24", "dev", inside, netns=host)
                _ip("link", "set", inside, "up", netns=host)
                _ip("link", "set", "lo", "up", netns=host)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for host in self.hosts:  # deleting a namespace deletes its end of the veth, and so both
            subprocess.run(["ip", "netns", "delete", host], capture_output=True)
        subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)

    def _veth(self, i: int) -> tuple[str, str]:
        return f"vo{self.tag}{i}", f"vi{self.tag}{i}"  # interface names: 15 characters at most

    def run_in(self, i: int, command: Sequence[str]) -> list[str]:
        """`command` as run on host `i`."""
        return ["ip", "netns", "exec", self.hosts[i], *command]

    def cut(self, i: int) -> None:
        """Host `i` loses its network (its link goes down): everything it talks to is gone."""
        _ip("link", "set", self._veth(i)[1], "down", netns=self.hosts[i])

    def reconnect(self, i: int) -> None:
        _ip("link", "set", self._veth(i)[1], "up", netns=self.hosts[i])
