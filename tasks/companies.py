"""Read and validate the companies file (YAML or CSV) before anything is enqueued.

An entry's keys that are not Company fields are its attributes (industry, owner, tier...: a
CSV's extra columns), kept with the company and exported in companies.parquet. Each holds a single
value (text, a number, true/false; a YAML date becomes its ISO text); a CSV cell is always text.
A key that reads like a misspelt field (`carrers_url`, `api-url`, `Name`) is no attribute but a
problem, so that a typo cannot quietly turn a setting into an attribute.

An entry that cannot be scraped (no name, a careers_url that is no web address, a misspelt field,
a list or mapping as an attribute) is set aside with its problems, by entry and field: the run
records it as failed and goes on for everything else. A file that cannot be read at all, or lists
nothing usable, fails the run up front with one message listing every problem.
"""

import csv
import difflib
from dataclasses import dataclass
from datetime import date
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
    fields, attributes, key_problems = _split(_drop_empty(entry))
    problems = []
    try:
        company = Company.model_validate({**fields, "attributes": attributes})
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()]
        company = None
    if company is not None and (problem := _board_problem(company)):
        problems.append(f"careers_url: {problem}")
    # The fields' problems first: "careers_url: required field is missing; carrers_url: ..."
    if problems := problems + key_problems:
        return [f"{label}: {problem}" for problem in problems], None
    return [], company


# The keys an entry may set; `attributes` is no key: its other keys are the attributes.
_FIELDS = [name for name in Company.model_fields if name != "attributes"]
# How alike a key and a field's name must be for the key to be taken as that field misspelt:
# catches `carrers_url`, `apiurl`, `rendr`, and leaves `careers_email`, `ats_id`, `url` to be
# attributes (difflib's ratio, after case, `-` and spaces are made the field names' own).
_MISSPELT = 0.8


def _split(entry: dict) -> tuple[dict, dict, list[str]]:
    """The entry's fields, its attributes, and the problems of its other keys."""
    fields, attributes, problems = {}, {}, []
    for key, value in entry.items():
        name = str(key)
        if name in _FIELDS:
            fields[name] = value
        elif meant := _misspelt_field(name):
            problems.append(f"{name}: unknown field (did you mean {meant}?)")
        else:
            # YAML reads `founded: 2020-01-01` as a date: its text is what the file says.
            value = value.isoformat() if isinstance(value, date) else value
            if isinstance(value, str | bool | int | float):
                attributes[name] = value
            else:
                problems.append(
                    f"{name}: an attribute must be a single value: text, a number or true/false"
                    f" (got {_kind(value)})"
                )
    return fields, attributes, problems


def _kind(value: object) -> str:
    return {list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _misspelt_field(key: str) -> str | None:
    normal = key.strip().lower().replace("-", "_").replace(" ", "_")
    close = difflib.get_close_matches(normal, _FIELDS, n=1, cutoff=_MISSPELT)
    return close[0] if close else None


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
    return f"{field}: {error['msg']} (got {error.get('input')!r})"
