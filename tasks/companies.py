"""Read and validate the companies file (YAML or CSV) before anything is enqueued.

A bad file fails the run up front with one message listing every problem by entry and field, so a
typo in entry 40 is found before 39 companies have been scraped.
"""

import csv
from pathlib import Path

import yaml
from pydantic import ValidationError

from tasks.fetch.sources import ATS_ADAPTERS, detect_source
from tasks.models import Company, Source


class CompaniesFileError(ValueError):
    """The companies file cannot be used; the message says what is wrong and where."""


def load_companies(path: str | Path) -> list[Company]:
    path = Path(path)
    if not path.is_file():
        raise CompaniesFileError(f"{path}: no such companies file")
    entries = _read_entries(path)
    companies: list[Company] = []
    problems: list[str] = []
    first_seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        label = f"{path}: entry {number}"
        if isinstance(entry, dict) and entry.get("name"):
            label += f" ({entry['name']})"
        if not isinstance(entry, dict):
            problems.append(f"{label}: expected a mapping with name and careers_url")
            continue
        try:
            company = Company.model_validate(_drop_empty(entry))
        except ValidationError as exc:
            problems.extend(f"{label}: {_describe(error)}" for error in exc.errors())
            continue
        if problem := _board_problem(company):
            problems.append(f"{label}: careers_url: {problem}")
            continue
        if company.company_id in first_seen:
            problems.append(
                f"{label}: duplicate of entry {first_seen[company.company_id]}"
                f" (same company id {company.company_id!r})"
            )
            continue
        first_seen[company.company_id] = number
        companies.append(company)
    if problems:
        raise CompaniesFileError("invalid companies file:\n  " + "\n  ".join(problems))
    if not companies:
        raise CompaniesFileError(f"{path}: no companies listed")
    return companies


def resolve_source(company: Company) -> Source:
    """The source to read: the one the file names, else recognised from the careers URL."""
    return company.ats if company.ats != Source.auto else detect_source(str(company.careers_url))


def _board_problem(company: Company) -> str | None:
    """Why an ATS company's careers URL names no board (caught here, before anything runs)."""
    adapter = ATS_ADAPTERS.get(resolve_source(company))
    if adapter is None or company.api_url is not None:
        return None
    try:
        adapter.api_url(str(company.careers_url))
    except ValueError as exc:
        return f"{exc} (or give api_url)"
    return None


def _read_entries(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(text.splitlines()))
    if path.suffix.lower() not in {".yaml", ".yml"}:
        raise CompaniesFileError(f"{path}: unsupported file type (use .yaml, .yml or .csv)")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CompaniesFileError(f"{path}: not valid YAML: {exc}") from exc
    if isinstance(data, dict) and "companies" in data:
        data = data["companies"]
    if not isinstance(data, list):
        raise CompaniesFileError(
            f"{path}: expected a list of companies (or a 'companies:' key holding one)"
        )
    return data


def _drop_empty(entry: dict) -> dict:
    # CSV gives "" for a blank optional column; treat it as absent so defaults apply.
    return {key: value for key, value in entry.items() if value not in ("", None)}


def _describe(error: dict) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "entry"
    if error["type"] == "missing":
        return f"{field}: required field is missing"
    if error["type"] == "extra_forbidden":
        return f"{field}: unknown field"
    return f"{field}: {error['msg']} (got {error.get('input')!r})"
