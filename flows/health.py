"""`python -m flows.health [--output-dir DIR] [--json]`: the health of the queue system.

Prints queue depths, workers and their heartbeats, Redis memory and the database size, then
"Healthy" or each problem with the limit it broke. Exits 0 when healthy, 1 when not, so it
serves as a container healthcheck, e.g. `HEALTHCHECK CMD python -m flows.health`. It imports no
Prefect and answers in about a second.
"""

import argparse
import sys
from pathlib import Path

from tasks.settings import Settings
from tasks.upkeep.health import check_health


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 healthy, 1 unhealthy (Redis unreachable included), 2 bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m flows.health", description=__doc__)
    parser.add_argument(
        "--output-dir",
        help="where the SQLite database is, when DATABASE_URL is unset "
        "(default: $OPENINGS_OUTPUT_DIR or ./data)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    settings = Settings()
    database_url = settings.database_url_for(Path(args.output_dir or settings.output_dir))
    report = check_health(None, settings, database_url)
    print(report.model_dump_json(indent=2) if args.json else report.markdown(), end="")
    if args.json:
        print()
    return 0 if report.healthy else 1


if __name__ == "__main__":
    sys.exit(main())
