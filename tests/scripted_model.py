"""ScriptedModel: an OpenAI-compatible chat server on 127.0.0.1 that answers what a test says.

A stand-in for a model's behaviour, not for the server code path: the `openai` backend talks to
it over real HTTP with the real client. Real models give bad answers unpredictably; tests of
validation, retry and fallback need them on cue. The llm lane runs a real model.
"""

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = str | int  # the assistant's text, or an HTTP error status


def good_answer(title: str, **overrides) -> str:
    answer = {
        "title": title,
        "seniority": "senior",
        "employment_type": "full_time",
        "remote": "hybrid",
        "locations": [{"city": "Berlin", "region": None, "country": "DE"}],
        "salary": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
        "skills": ["Python", "postgres"],
        "summary": f"Builds things as {title}.",
    }
    return json.dumps({**answer, **overrides})


def posting_title(messages: list[dict]) -> str:
    """The title the prompt shows (the first user message starts with `Title: ...`)."""
    user = next(m["content"] for m in messages if m["role"] == "user")
    return re.match(r"Title: (.*)", user)[1]


class ScriptedModel:
    def __init__(self, reply: Callable[[list[dict]], Reply] | None = None, delay_s: float = 0):
        self.reply = reply or (lambda messages: good_answer(posting_title(messages)))
        self.delay_s = delay_s
        self.requests: list[dict] = []
        self.in_flight = self.peak_in_flight = 0
        self._lock = threading.Lock()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with model._lock:
                    model.requests.append(body)
                    model.in_flight += 1
                    model.peak_in_flight = max(model.peak_in_flight, model.in_flight)
                try:
                    time.sleep(model.delay_s)
                    reply = model.reply(body["messages"])
                finally:
                    with model._lock:
                        model.in_flight -= 1
                if isinstance(reply, int):
                    self._send(reply, {"error": {"message": f"scripted {reply}"}})
                    return
                self._send(
                    200,
                    {
                        "id": "chatcmpl-scripted",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": reply},
                            }
                        ],
                        "usage": {
                            "prompt_tokens": 100,
                            "completion_tokens": 20,
                            "total_tokens": 120,
                        },
                    },
                )

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
