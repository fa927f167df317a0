"""`make run`: the whole pipeline, offline, against the sample career site served on 127.0.0.1.

Writes the sample companies file into the output directory, so you can see what the input looks
like, then runs `python -m flows.scrape` on it with the embedded defaults.
"""

import argparse
import os
import sys
from pathlib import Path

import yaml

from deployments.sample.site import SampleSite, demo_companies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deployments.demo", description=__doc__)
    parser.add_argument("--output", default="data")
    # A fixed port keeps posting URLs (and so posting ids) stable between runs, so a second
    # `make run` shows nothing new or closed; a free port is used when this one is taken.
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    # The sample site lives on 127.0.0.1, which the SSRF guard refuses by default.
    os.environ["OPENINGS_ALLOW_PRIVATE_HOSTS"] = "true"
    from flows.scrape import main as scrape

    site = _start_sample_site(args.port)
    try:
        companies_file = output / "sample_companies.yaml"
        companies = demo_companies(site.base_url)
        companies_file.write_text(yaml.safe_dump({"companies": companies}, sort_keys=False))
        print(f"Sample career site on {site.base_url}; companies in {companies_file}")
        return scrape([str(companies_file), "--output", str(output)])
    finally:
        site.stop()


def _start_sample_site(port: int) -> SampleSite:
    try:
        return SampleSite(port=port).start()
    except OSError:
        return SampleSite().start()


if __name__ == "__main__":
    sys.exit(main())
