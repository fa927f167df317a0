"""Read and validate the companies file (YAML or CSV) before anything is enqueued.

An entry that cannot be scraped (no name, a careers_url that is no web address, an unknown field)
is set aside with its problems, by entry and field: the run records it as failed and goes on for
everything else. A file that cannot be read at all, or lists nothing usable, fails the run up
front with one message listing every problem.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from tasks.fetch.sources import ATS_ADAPTERS, detect_source
from tasks.models import Company, Source, slugify


class CompaniesFileError(ValueError):
    """The companies file cannot be used; the message says what is wrong and where."""


@dataclass(frozen=True)
class BadEntry:
    """An entry of the companies file that cannot be scraped, and every problem with it."""

    company_id: str  # from its name, so that the entry, once fixed, is the same company
    name: str  # its name, or "entry N" when it has none
    problems: tuple[str, ...]  # "<file>: entry 3 (Acme): careers_url: ..."

    @property
    def error(self) -> str:
        return "; ".join(self.problems)


@dataclass(frozen=True)
class CompaniesFile:
    companies: list[Company]
    bad: list[BadEntry]  # recorded as failed by the run, which goes on without them
    duplicates: list[str]  # entries that repeat an earlier one: read once


def load_companies(path: str | Path) -> CompaniesFile:
    path = Path(path)
    if not path.is_file():
        raise CompaniesFileError(f"{path}: no such companies file")
    companies: list[Company] = []
    failing: list[tuple[int, str, list[str]]] = []  # entry number, name, problems
    duplicates: list[str] = []
    first_seen: dict[str, int] = {}
    for number, entry in enumerate(_read_entries(path), start=1):
        named = isinstance(entry, dict) and entry.get("name") not in (None, "")
        name = str(entry["name"]).strip() if named else f"entry {number}"
        label = f"{path}: entry {number}" + (f" ({name})" if named else "")
        if not isinstance(entry, dict):
            failing.append(
                (number, name, [f"{label}: expected a mapping with name and careers_url"])
            )
            continue
        problems, company = _check(entry, label)
        if company is None:
            failing.append((number, name, problems))
        elif company.company_id in first_seen:
            duplicates.append(
                f"{label}: duplicate of entry {first_seen[company.company_id]}"
                f" (same company id {company.company_id!r}); read once"
            )
        else:
            first_seen[company.company_id] = number
            companies.append(company)
    if not companies:
        every = [problem for *_, problems in failing for problem in problems]
        if every:
            raise CompaniesFileError("no usable company in the file:\n  " + "\n  ".join(every))
        raise CompaniesFileError(f"{path}: no companies listed")
    bad: dict[str, BadEntry] = {}
    for number, name, problems in failing:
        company_id = slugify(name)
        if not company_id or company_id in first_seen or company_id in bad:
            company_id = f"{company_id or 'entry'}-{number}"  # ids are unique within a run
        bad[company_id] = BadEntry(company_id, name, tuple(problems))
    return CompaniesFile(companies, list(bad.values()), duplicates)


def _check(entry: dict, label: str) -> tuple[list[str], Company | None]:
    """The entry's problems, by field, or the company it describes."""
    try:
        company = Company.model_validate(_drop_empty(entry))
    except ValidationError as exc:
        return [f"{label}: {_describe(error)}" for error in exc.errors()], None
    if problem := _board_problem(company):
        return [f"{label}: careers_url: {problem}"], None
    return [], company


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


# libyaml's parser where PyYAML was built with it (its wheels are): 8x faster than PyYAML's own,
# on a file each run reads twice.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_entries(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(text.splitlines()))
    if path.suffix.lower() not in {".yaml", ".yml"}:
        raise CompaniesFileError(f"{path}: unsupported file type (use .yaml, .yml or .csv)")
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise CompaniesFileError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from exc
    if isinstance(data, dict) and "companies" in data:
        data = data["companies"]
    if not isinstance(data, list):
        raise CompaniesFileError(
            f"{path}: expected a list of companies (or a 'companies:' key holding one)"
        )
    return data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line, where and what: PyYAML's own text spans several, quoting "<unicode string>"."""
    mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
    if mark is None or problem is None:
        return " ".join(str(exc).split())
    where = f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None:
        where += f" ({context} at line {start.line + 1}, column {start.column + 1})"
    return where


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
