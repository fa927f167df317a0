"""Quality of an enrichment backend, measured on real postings whose source states the answer.

Run from the repository root:

    PYTHONPATH=. python -m tests.benchmarks.eval_enrich [--corpus ../shared/corpus]
        [--backend rules|openai|vllm] [--verbose]

Every posting of every `<corpus>/ashby/*.json` (real Ashby job-board API answers, read with the
Ashby adapter's `parse`) has fields the source states in structured form. Those are the ground
truth. The backend is shown a copy of the posting with those fields removed (remote,
employment_type and salary set to None), so it must find them in the text it normally reads:
the description, and also the title and the location field (a location of "Remote" is the
backend reading the location field, not the description).

Ground truth and scores, per field:

employment_type
    Truth: the adapter's reading of `employmentType`. Predicted: postings where the backend gave
    a value; correct: that value equals the truth.
    precision = correct / predicted (on postings with a truth); recall = correct / actual, where
    actual = postings with a truth.

remote (positive class: "remote")
    Truth: `workplaceType` when the board states it (remote, hybrid or onsite), else
    `isRemote`. `isRemote: true` says "remote". `isRemote: false` only says "not remote": it does
    not tell hybrid from onsite (the adapter therefore leaves `remote` unset for it), so on those
    postings a predicted "remote" is a false positive, but a predicted "hybrid" or "onsite"
    cannot be verified and counts neither way.
    TP = predicted remote and truth remote; predicted = postings with a truth where the backend
    said remote; actual = postings whose truth is remote.
    precision = TP / predicted; recall = TP / actual. A table of truth against prediction follows.

salary
    Truth: the adapter's reading of the structured compensation (a "Salary" component; a
    "$0 - $X" placeholder is no salary). A prediction is correct when its currency equals the
    stated one and each of min and max is within 5% of the stated value (a bound the source
    leaves empty must be empty in the prediction too); the pay period is not part of
    "correct" and is reported separately (correct and the same period).
    precision = correct / predicted, where predicted = postings WITH a stated salary where the
    backend gave one; recall = correct / actual, actual = postings with a stated salary.
    Salaries the backend finds on postings whose source states none are counted on their own
    line: the description may well state a salary the source's structured field omits, so they
    are neither right nor wrong.

Coverage (no ground truth, plain counts over every posting): seniority set, at least one
location, at least one location with a country, skills found.
"""

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tasks.enrich import BACKENDS, backend_name, get_enricher
from tasks.fetch.sources.ats import ashby
from tasks.models import Company, Enrichment, Posting, RemotePolicy, Salary
from tasks.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared/corpus"
SALARY_TOLERANCE = 0.05
NOT_REMOTE = "not remote"  # isRemote false without a workplaceType: hybrid or onsite


@dataclass
class Case:
    board: str
    posting: Posting  # as the source states it
    remote: str | None  # RemotePolicy value, NOT_REMOTE, or None when the source says nothing


def load_corpus(corpus: Path) -> list[Case]:
    folder = corpus / "ashby"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        sys.exit(
            f"no Ashby corpus at {folder} (expected *.json answers of Ashby's job-board API); "
            "pass --corpus DIR, the folder that holds ashby/"
        )
    cases = []
    for path in files:
        payload = json.loads(path.read_text())
        jobs = {str(job.get("id")): job for job in payload.get("jobs", []) if isinstance(job, dict)}
        company = Company(name=path.stem, careers_url=f"https://jobs.ashbyhq.com/{path.stem}")
        for posting in ashby.parse(payload, company):
            cases.append(
                Case(path.stem, posting, _remote_truth(posting, jobs[posting.external_id]))
            )
    return cases


def _remote_truth(posting: Posting, job: dict) -> str | None:
    if posting.remote is not None:  # workplaceType, or isRemote true
        return posting.remote.value
    return NOT_REMOTE if job.get("isRemote") is False else None


def without_stated_fields(posting: Posting) -> Posting:
    return posting.model_copy(update={"remote": None, "employment_type": None, "salary": None})


# ---------------------------------------------------------------------------------- scoring


def ratio(n: int, d: int) -> str:
    return f"{n / d:6.1%}" if d else "     -"


def score_line(field: str, tp: int, predicted: int, actual: int) -> str:
    return (
        f"{field:<16} precision {ratio(tp, predicted)} ({tp}/{predicted})   "
        f"recall {ratio(tp, actual)} ({tp}/{actual})   TP {tp}  predicted {predicted}  "
        f"actual {actual}"
    )


def salary_matches(predicted: Salary, stated: Salary) -> bool:
    if (predicted.currency or "").upper() != (stated.currency or "").upper():
        return False
    for got, want in ((predicted.min, stated.min), (predicted.max, stated.max)):
        if want is None or got is None:
            if got is not want:
                return False
        elif abs(got - want) > SALARY_TOLERANCE * want:
            return False
    return True


def show_salary(salary: Salary | None) -> str:
    if salary is None:
        return "none"
    period = salary.period.value if salary.period else "?"
    low = "?" if salary.min is None else f"{salary.min:g}"
    high = "?" if salary.max is None else f"{salary.max:g}"
    return f"{low}-{high} {salary.currency or '?'}/{period}"


def report(cases: list[Case], answers: list[Enrichment], verbose: bool) -> None:
    pairs = list(zip(cases, answers, strict=True))
    misses: list[str] = []

    def note(case: Case, field: str, truth: object, got: object) -> None:
        misses.append(
            f"  {case.board:<12} {field:<15} truth={truth!s:<22} got={got!s:<22} "
            f"{case.posting.title[:60]}"
        )

    # employment_type
    with_truth = [(c, a) for c, a in pairs if c.posting.employment_type is not None]
    predicted = [(c, a) for c, a in with_truth if a.employment_type is not None]
    correct = [(c, a) for c, a in predicted if a.employment_type == c.posting.employment_type]
    print(score_line("employment_type", len(correct), len(predicted), len(with_truth)))
    for c, a in with_truth:
        if a.employment_type != c.posting.employment_type:
            note(
                c,
                "employment_type",
                c.posting.employment_type.value,
                a.employment_type and a.employment_type.value,
            )

    # remote
    judged = [(c, a) for c, a in pairs if c.remote is not None]
    said_remote = [(c, a) for c, a in judged if a.remote == RemotePolicy.remote]
    tp = [(c, a) for c, a in said_remote if c.remote == RemotePolicy.remote]
    actual = [(c, a) for c, a in judged if c.remote == RemotePolicy.remote]
    print(score_line("remote", len(tp), len(said_remote), len(actual)))
    from_header = sum(
        1 for c, _ in tp if "remote" in f"{c.posting.title} {c.posting.location}".lower()
    )
    print(f"{'':<16} of the TP, {from_header} have the word 'remote' in their title or location")
    for c, a in judged:
        wrong = (c.remote == RemotePolicy.remote) != (a.remote == RemotePolicy.remote) or (
            c.remote in ("hybrid", "onsite") and a.remote.value != c.remote
        )
        if wrong:
            note(c, "remote", c.remote, a.remote.value)

    # salary
    stated = [(c, a) for c, a in pairs if c.posting.salary is not None]
    predicted = [(c, a) for c, a in stated if a.salary is not None]
    correct = [(c, a) for c, a in predicted if salary_matches(a.salary, c.posting.salary)]
    same_period = [(c, a) for c, a in correct if a.salary.period == c.posting.salary.period]
    unverifiable = [(c, a) for c, a in pairs if c.posting.salary is None and a.salary is not None]
    print(score_line("salary", len(correct), len(predicted), len(stated)))
    print(f"{'':<16} correct with the same period too: {len(same_period)}/{len(correct)}")
    print(
        f"{'':<16} salaries found where the source states none (not verifiable): "
        f"{len(unverifiable)}"
    )
    right = {id(c) for c, _ in same_period}
    for c, a in stated:
        if id(c) not in right:
            note(c, "salary", show_salary(c.posting.salary), show_salary(a.salary))
    for c, a in unverifiable:
        note(c, "salary (extra)", "none stated", show_salary(a.salary))

    # remote: the whole picture
    columns = [p.value for p in RemotePolicy]
    print("\nremote: truth (rows) against prediction (columns)")
    print(f"  {'truth':<28}" + "".join(f"{col:>9}" for col in columns) + f"{'total':>9}")
    rows = Counter((c.remote or "(source says nothing)", a.remote.value) for c, a in pairs)
    for truth in ["remote", "hybrid", "onsite", NOT_REMOTE, "(source says nothing)"]:
        total = sum(n for (t, _), n in rows.items() if t == truth)
        if total:
            cells = "".join(f"{rows[truth, col]:>9}" for col in columns)
            label = "not remote (isRemote false)" if truth == NOT_REMOTE else truth
            print(f"  {label:<28}{cells}{total:>9}")
    print(f"  (on {NOT_REMOTE!r} rows only the 'remote' column is known to be wrong)")

    # employment_type: the whole picture
    print("\nemployment_type: truth -> prediction (count)")
    for (truth, got), n in sorted(
        Counter((c.posting.employment_type, a.employment_type) for c, a in pairs).items(),
        key=lambda item: (str(item[0][0]), str(item[0][1])),
    ):
        print(f"  {truth and truth.value!s:<12} -> {got and got.value!s:<12} {n:>3}")

    # coverage
    n = len(pairs)
    print(f"\ncoverage of fields without ground truth ({n} postings)")
    counts = {
        "seniority set": sum(1 for _, a in pairs if a.seniority is not None),
        "locations non-empty": sum(1 for _, a in pairs if a.locations),
        "a location with a country": sum(
            1 for _, a in pairs if any(loc.country for loc in a.locations)
        ),
        "skills non-empty": sum(1 for _, a in pairs if a.skills),
        "summary set": sum(1 for _, a in pairs if a.summary),
    }
    for label, count in counts.items():
        print(f"  {label:<27} {count:>3}/{n}  {ratio(count, n)}")
    fallbacks = Counter(f for _, a in pairs for f in a.provenance.fallbacks)
    if fallbacks:
        print(
            "fields taken from the rules fallback: "
            + ", ".join(f"{f} {k}" for f, k in fallbacks.most_common())
        )

    if verbose and misses:
        print("\ndisagreements with the source")
        print("\n".join(misses))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="folder holding ashby/*.json (default: %(default)s)",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", *BACKENDS),
        help="enrichment backend; default: OPENINGS_ENRICH_BACKEND (auto)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every posting where the backend disagrees with the source",
    )
    args = parser.parse_args(argv)

    cases = load_corpus(args.corpus)
    overrides = {"enrich_backend": args.backend} if args.backend else {}
    settings = Settings(**overrides)
    try:
        enricher = get_enricher(settings)
    except (ValueError, ImportError) as exc:  # e.g. openai without OPENINGS_LLM_BASE_URL
        sys.exit(f"cannot build the {backend_name(settings)!r} backend: {exc}")
    answers, usage = enricher.enrich([without_stated_fields(c.posting) for c in cases])

    boards = Counter(c.board for c in cases)
    print(f"corpus: {args.corpus / 'ashby'}: {len(cases)} postings from {len(boards)} boards")
    model = f", model {enricher.model}" if enricher.model else ""
    calls = f", {usage.model_calls} model calls" if usage.model_calls else ""
    print(f"backend: {enricher.name}{model}{calls}")
    print(
        "input: each posting without its stated remote, employment_type and salary; the "
        "backend reads title, location and description as it normally does"
    )
    print(f"salary correct: same currency, min and max within {SALARY_TOLERANCE:.0%}\n")
    report(cases, answers, args.verbose)


if __name__ == "__main__":
    main()
