"""`python -m flows.watch [RUN_ID] [--after STREAM_ID]`: follow a run from a terminal.

It replays the run's event stream in Redis (tasks.queueing.events) from the start, then follows
it live: a progress bar (companies done, fetching, enriching, queued) and one line per company
as it settles. It exits when the run ends, or when the run's flow has fallen silent (gone). Ctrl-C
prints the command that picks up where it stopped: `--after` replays the stream up to that id
quietly, so the counts are right, and prints only what came after it, so no company is missed or
shown twice. It reads Redis only (no Prefect), so it starts in a second and works from any host
that reaches the run's REDIS_URL.
"""

import argparse
import re
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from redis import Redis
from redis.exceptions import RedisError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from tasks.queueing import events
from tasks.queueing.events import Event
from tasks.queueing.queue import redacted
from tasks.settings import Settings

GONE_AFTER_S = 4 * events.HEARTBEAT_S  # no event for this long: the run's flow is gone
EXIT_OK, EXIT_RUN_FAILED, EXIT_CANNOT_WATCH, EXIT_INTERRUPTED = 0, 1, 2, 130
_STREAM_ID = re.compile(r"^(\d+)(?:-(\d+))?$")
_STYLE = {"succeeded": "green", "partial": "yellow", "failed": "red", "cancelled": "magenta"}


class CannotWatch(Exception):
    """No REDIS_URL, no such run, Redis unreachable: exit 2 with this message."""


def parse_id(stream_id: str) -> tuple[int, int]:
    match = _STREAM_ID.match(stream_id)
    if match is None:
        raise ValueError(f"not a stream id: {stream_id!r} (expected MILLISECONDS-SEQUENCE)")
    return int(match[1]), int(match[2] or 0)


@dataclass
class Tally:
    """What the events so far say about the run's companies (the latest attempt of the run)."""

    companies: int = 0
    kept: int = 0  # saved by an earlier attempt of a resumed run
    attempts: int = 0  # `run started` events: more than one for a resumed run
    settled: dict[str, str] = field(default_factory=dict)  # this attempt: company -> status
    working: dict[str, str] = field(default_factory=dict)  # company -> fetch | enrich
    ended: Event | None = None

    @property
    def done(self) -> int:
        return self.kept + len(self.settled)

    @property
    def queued(self) -> int:
        return max(0, self.companies - self.done - len(self.working))

    def stage_count(self, stage: str) -> int:
        return sum(1 for s in self.working.values() if s == stage)

    def apply(self, event: Event) -> None:
        if event.stage == "run":
            if event.state == "started":  # the first attempt, or a resumed run (Retry)
                self.attempts += 1
                self.companies = event.counts.get("companies", self.companies)
                self.kept = event.counts.get("kept", 0)
                self.settled, self.working, self.ended = {}, {}, None
            elif event.run_ended:
                self.ended = event
        elif event.stage == "company":
            self.settled[event.company_id] = event.state
            self.working.pop(event.company_id, None)
        elif event.company_id not in self.settled:  # fetch, enrich (late ones are stale)
            if event.state == "started":
                self.working[event.company_id] = event.stage
            elif self.working.get(event.company_id) == event.stage:
                del self.working[event.company_id]  # finished, or failed (RQ may retry it)


def describe(event: Event, tally: Tally) -> str | None:
    """The line an event deserves once applied to `tally`, or None (worker events, heartbeats)."""
    if event.stage == "company":
        line = f"[{tally.done}/{tally.companies}] {event.company_id}  {event.state}"
        if event.state in ("succeeded", "partial"):
            rejected = ["rejected"] if event.counts.get("rejected") else []
            shown = ["found", "new", "closed", *rejected]
            line += "  " + ", ".join(f"{name} {event.counts.get(name, 0)}" for name in shown)
            if event.state == "partial":
                line += f"; {event.detail}"
            return line
        return f"{line}  {event.detail}"
    if event.stage == "run" and event.state == "started":
        if tally.attempts == 1:
            return f"run {event.run_id}: {tally.companies} companies"
        return (
            f"run {event.run_id} resumed (attempt {tally.attempts}): {tally.companies} companies,"
            f" {tally.kept} already saved are kept"
        )
    if event.run_ended:
        line = f"run {event.state}: {event.detail or _statuses(tally)}"
        c = event.counts
        if "found" in c:
            totals = ", ".join(f"{name} {c.get(name, 0)}" for name in events.COMPANY_COUNTS)
            line += f"; postings {totals}"
        return line
    return None


def _statuses(tally: Tally) -> str:
    counts = Counter(tally.settled.values())
    return ", ".join(f"{n} {status}" for status, n in counts.items()) or "no company settled"


class Display:
    """Settle lines on stdout; a progress bar on whichever of stdout or stderr is a terminal.
    Piped into a file (or a test), stdout gets plain lines only."""

    def __init__(self, run_id: str):
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.lines: Console | None = None  # rich lines when stdout is a terminal
        if sys.stdout.isatty():
            self.lines = Console()
            console = self.lines
        elif sys.stderr.isatty():
            console = Console(stderr=True)
        else:
            return
        self.progress = Progress(
            TextColumn("[bold]run {task.fields[run]}[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            redirect_stdout=False,  # stdout may be a file while the bar is on stderr
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("waiting", total=None, run=run_id[:8])

    def __enter__(self) -> "Display":
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def line(self, text: str, status: str | None = None) -> None:
        if self.lines is not None:
            # A Text, not print(style=): that style would paint the live bar printed with it.
            self.lines.print(Text(text, style=_STYLE.get(status or "", "")))
        else:
            print(text, flush=True)

    def update(self, tally: Tally) -> None:
        if self.progress is None or self.task is None:
            return
        self.progress.update(
            self.task,
            total=tally.companies or None,
            completed=tally.done,
            description=(
                f"{tally.stage_count('fetch')} fetching · {tally.stage_count('enrich')} enriching"
                f" · {tally.queued} queued"
            ),
        )


class Interrupt:
    """SIGINT: raised at once while blocked on Redis (nothing read yet is lost: it is read again
    on resume), else deferred until the event being shown is done, so `last` is exact."""

    def __init__(self) -> None:
        self.requested = False
        self.blocking = False

    def __call__(self, signum, frame) -> None:
        self.requested = True
        if self.blocking:
            raise KeyboardInterrupt


def resume_command(run_id: str, last: str | None) -> str:
    return f"python -m flows.watch {run_id}" + (f" --after {last}" if last else "")


def connect(redis_url: str, block_s: float) -> Redis:
    try:
        redis = Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=block_s + 10)
        redis.ping()
    except (RedisError, ValueError) as exc:
        raise CannotWatch(
            f"Redis at {redacted(redis_url)} is not reachable ({exc}); check REDIS_URL"
        ) from None
    return redis


def find_run(redis: Redis, run_id: str | None, where: str) -> str:
    if run_id is None:
        run_id = events.latest_run(redis)
        if run_id is None:
            raise CannotWatch(f"no runs in Redis at {where}")
    if not redis.exists(events.stream_key(run_id)):
        raise CannotWatch(
            f"no run {run_id} in Redis at {where}: no stream {events.stream_key(run_id)} (is it"
            " the Redis the run used? an ended run's events are removed after a while)"
        )
    return run_id


def watch(
    redis: Redis,
    run_id: str,
    after: tuple[int, int] | None,
    interrupt: Interrupt,
    gone_after_s: float,
) -> tuple[int, str | None]:
    """Show the run until it ends; the exit status, and a message for stderr."""
    tally, last = Tally(), None
    block_ms = int(_block_s(gone_after_s) * 1000)
    lost_since: float | None = None
    with Display(run_id) as display:
        while not interrupt.requested:
            try:
                interrupt.blocking = True
                # After the run ended: only what is already there (a Retry may have resumed it).
                batch = list(
                    events.read(redis, run_id, last or "0-0", 0 if tally.ended else block_ms)
                )
            except KeyboardInterrupt:
                break
            except RedisError as exc:  # a restart, a failover: try again for a while
                lost_since = lost_since or time.monotonic()
                if time.monotonic() - lost_since > gone_after_s:
                    return EXIT_CANNOT_WATCH, (
                        f"error: lost Redis ({exc}); to resume: {resume_command(run_id, last)}"
                    )
                time.sleep(1)
                continue
            finally:
                interrupt.blocking = False
            lost_since = None
            for stream_id, event in batch:
                tally.apply(event)
                text = describe(event, tally)
                if text and (after is None or parse_id(stream_id) > after):
                    display.line(text, event.state)
                last = stream_id
                if interrupt.requested:
                    break
            display.update(tally)
            if batch:
                continue
            if tally.ended is not None:
                return (EXIT_OK if tally.ended.state == "completed" else EXIT_RUN_FAILED), None
            silent_s = _silent_s(redis, last)
            if silent_s is not None and silent_s > gone_after_s:
                return EXIT_RUN_FAILED, (
                    f"run {run_id}: no event for {silent_s:.0f} s (its flow sends one every"
                    f" {events.HEARTBEAT_S:.0f} s): the run's flow seems gone (crashed or"
                    " killed). Its state in Prefect says more; Retry resumes it. Then watch on"
                    f" with: {resume_command(run_id, last)}"
                )
    return EXIT_INTERRUPTED, f"interrupted; to resume: {resume_command(run_id, last)}"


def _block_s(gone_after_s: float) -> float:
    """How long one read waits: often enough to notice silence, rarely enough to cost nothing."""
    return max(0.1, min(5.0, gone_after_s / 4))


def _silent_s(redis: Redis, last: str | None) -> float | None:
    """Seconds since the last event, by Redis's clock (which stamped the stream id)."""
    if last is None:
        return None
    try:
        seconds, micros = redis.time()
    except RedisError:
        return None
    return seconds + micros / 1e6 - parse_id(last)[0] / 1000


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None, gone_after_s: float = GONE_AFTER_S) -> int:
    """Exit status: 0 the run completed, 1 it failed, crashed, was cancelled or its flow is
    gone, 2 it cannot be watched (no REDIS_URL, no such run, Redis unreachable), 130 Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m flows.watch", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument("run_id", nargs="?", metavar="RUN_ID", help="default: the latest run")
    parser.add_argument(
        "--after",
        metavar="STREAM_ID",
        help="show only events after this stream id (what an interrupted watch printed)",
    )
    args = parser.parse_args(argv)
    try:
        after = parse_id(args.after) if args.after else None
    except ValueError as exc:
        parser.error(str(exc))
    redis_url = Settings().redis_url
    if not redis_url:
        _say(
            "error: REDIS_URL is not set. A run without REDIS_URL keeps its events in an embedded"
            " Redis inside its own process, which cannot be watched from another process: start"
            " runs with REDIS_URL set, and watch them with the same REDIS_URL."
        )
        return EXIT_CANNOT_WATCH
    interrupt = Interrupt()
    in_main = threading.current_thread() is threading.main_thread()  # else signals are not ours
    previous = signal.signal(signal.SIGINT, interrupt) if in_main else None
    try:
        redis = connect(redis_url, _block_s(gone_after_s))
        try:
            run_id = find_run(redis, args.run_id, redacted(redis_url))
            code, message = watch(redis, run_id, after, interrupt, gone_after_s)
        finally:
            redis.close()
    except CannotWatch as exc:
        code, message = EXIT_CANNOT_WATCH, f"error: {exc}"
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    if message:
        _say(message)
    return code


if __name__ == "__main__":
    sys.exit(main())
