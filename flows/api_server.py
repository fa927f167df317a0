"""The temporary Prefect API of a run started from a shell with no Prefect server configured,
started before the run imports Prefect so that the two start side by side.

Prefect starts the same server itself (`SubprocessASGIServer`: uvicorn serving
`prefect.server.api.server:create_app`, UI off) when a flow is called without PREFECT_API_URL,
but only then: after the run's own imports, one after the other. Both take seconds of CPU (on a
2-core machine, about 6 s for the server and 3 s for the run's imports), so started early the
server is ready seconds sooner.

`python -m flows.api_server` is the server process: it says on stdout which port it serves, or
`configured` when Prefect's settings (environment, profile, prefect.toml) name a server already,
and exits then.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

# Prefect's own environment for its temporary server (SubprocessASGIServer._run_uvicorn_command).
_EPHEMERAL_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
}
CONFIGURED = "configured"
temporary_url: str | None = None  # the API of the temporary server this process runs against


class EarlyServer:
    """A temporary Prefect API starting in a process of its own; see the module docstring."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flows.api_server", str(os.getpid())],
            env={**os.environ, **_EPHEMERAL_ENV},
            stdout=subprocess.PIPE,
            text=True,
        )

    @contextlib.contextmanager
    def in_use(self) -> Iterator[str | None]:
        """Run Prefect against this server while in the block (yields its API URL, or None when
        Prefect's settings name a server of their own); stop it at the end."""
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
            get_current_settings,
            temporary_settings,
        )

        try:
            said = "" if get_current_settings().api.url else self.process.stdout.readline().strip()
            if not said.isdigit():
                # A server is configured (for this process too: a caller's temporary_settings),
                # or this one could not start (its error is on stderr): Prefect goes its own
                # way, as without this module.
                yield None
                return
            url = f"http://127.0.0.1:{said}/api"
            self._wait_healthy(url, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
            global temporary_url
            with temporary_settings(updates={PREFECT_API_URL: url}):
                try:
                    temporary_url = url
                    yield url
                finally:
                    temporary_url = None
                    # The run's last logs and events are still on their way to the server.
                    for service in (APILogWorker, EventsWorker):
                        service.drain_all(timeout=5)
        finally:
            self.stop()

    def _wait_healthy(self, url: str, timeout_s: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(
            f"the temporary Prefect server did not answer at {url} within {timeout_s:.0f} s "
            f"(exit status {self.process.poll()}); its errors are above. Set "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS higher, or run `prefect server "
            "start` and set PREFECT_API_URL."
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


def start() -> EarlyServer | None:
    """Start the temporary server now, unless PREFECT_API_URL is set in the environment."""
    return None if os.environ.get("PREFECT_API_URL") else EarlyServer()


def _serve(parent_pid: int) -> int:
    listener = socket.create_server(("127.0.0.1", 0))
    from prefect.settings import get_current_settings

    if get_current_settings().api.url:
        print(CONFIGURED, flush=True)
        return 0
    port = listener.getsockname()[1]
    print(port, flush=True)
    # Gone with the run: a run killed with SIGKILL leaves no server behind.
    threading.Thread(target=_exit_with, args=(parent_pid,), daemon=True).start()
    import uvicorn

    config = uvicorn.Config(
        "prefect.server.api.server:create_app", factory=True, log_level="error", lifespan="on"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=_warm_up, args=(server, port), daemon=True).start()
    server.run(sockets=[listener])
    return 0


def _warm_up(server, port: int) -> None:
    """Ask the server one API question as soon as it serves. FastAPI builds its routes on the
    first request that needs them (~0.45 s of CPU here): paid now, while the run is still busy
    with its own imports, not by the run's first request."""
    while not server.started:
        time.sleep(0.02)
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/admin/version", timeout=30).close()


def _exit_with(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1])))
