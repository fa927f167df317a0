"""One process that schedules and runs the flows on a single box (`prefect.serve`).

    python -m deployments.serve companies.yaml --cron "0 6 * * *" --output data

Then trigger a run from the Prefect UI or `prefect deployment run 'scrape-companies/served'`.
The deployment is named `served`, not `daily`, so that it never replaces the `daily` deployment
that `prefect deploy` makes from prefect.yaml. It runs one run at a time: a run due while
another is in flight waits for it (a concurrency limit of 1). The maintenance flow is served
beside it, hourly (`maintenance/served`), on the same output directory.
"""

import argparse
import sys
from pathlib import Path

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from flows.maintenance import maintenance
from flows.scrape_companies import scrape_companies
from tasks.companies import CompaniesFileError, load_companies

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deployments.serve", description=__doc__)
    parser.add_argument("companies_file")
    parser.add_argument("--output", default="data")
    parser.add_argument("--cron", default="0 6 * * *", help="schedule, UTC (default daily 06:00)")
    parser.add_argument("--name", default="served")
    args = parser.parse_args(argv)
    # Checked now, not at 06:00 tomorrow; absolute, so runs do not depend on the runner's cwd.
    companies_file = Path(args.companies_file).resolve()
    try:
        listed = load_companies(companies_file)
    except CompaniesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for entry in listed.bad:  # each run records it as failed and goes on: fix it before 06:00
        print(f"warning: {entry.error}", file=sys.stderr)
    deployment = scrape_companies.to_deployment(
        name=args.name,
        cron=args.cron,
        parameters={
            "companies_file": str(companies_file),
            "output_dir": str(Path(args.output).resolve()),
        },
        concurrency_limit=ONE_AT_A_TIME,
    )
    upkeep = maintenance.to_deployment(
        name=args.name,
        cron="17 * * * *",
        parameters={"output_dir": str(Path(args.output).resolve())},
        concurrency_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
    )
    serve(deployment, upkeep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
