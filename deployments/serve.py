"""One process that schedules and runs the flow on a single box (`prefect.serve`).

    python -m deployments.serve companies.yaml --cron "0 6 * * *" --output data

Then trigger a run from the Prefect UI or `prefect deployment run 'scrape-companies/daily'`.
"""

import argparse

from prefect import serve

from flows.scrape import scrape_companies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deployments.serve", description=__doc__)
    parser.add_argument("companies_file")
    parser.add_argument("--output", default="data")
    parser.add_argument("--cron", default="0 6 * * *", help="schedule, UTC (default daily 06:00)")
    parser.add_argument("--name", default="daily")
    args = parser.parse_args(argv)
    deployment = scrape_companies.to_deployment(
        name=args.name,
        cron=args.cron,
        parameters={"companies_file": args.companies_file, "output_dir": args.output},
    )
    serve(deployment)


if __name__ == "__main__":
    main()
