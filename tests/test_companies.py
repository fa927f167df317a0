"""The companies file: YAML and CSV, ATS detection, and errors that say what and where."""

import pytest

from tasks.companies import CompaniesFileError, load_companies, resolve_source
from tasks.models import Source


def test_yaml_list_with_detection(tmp_path):
    path = tmp_path / "companies.yml"
    path.write_text(
        "- name: Acme\n  careers_url: https://boards.greenhouse.io/acme\n"
        "- name: Beta\n  careers_url: https://job-boards.greenhouse.io/beta\n"
        "- name: Gamma\n  careers_url: https://jobs.lever.co/gamma\n"
        "- name: Delta\n  careers_url: https://jobs.ashbyhq.com/delta\n"
        "- name: Epsilon\n  careers_url: https://epsilon.example/careers\n"
        "- name: Zeta\n  careers_url: https://zeta.example/jobs\n  ats: html\n"
        "  api_url: http://127.0.0.1:9/ignored\n"
    )
    companies = load_companies(path)
    assert [resolve_source(c) for c in companies] == [
        Source.greenhouse,
        Source.greenhouse,
        Source.lever,
        Source.ashby,
        Source.jsonld,
        Source.html,
    ]
    assert companies[0].company_id == "acme"


def test_csv_with_blank_optional_columns(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text(
        "name,careers_url,ats,api_url\n"
        "Acme Robotics,https://jobs.lever.co/acme,,\n"
        "Beta GmbH,https://beta.example/karriere,jsonld,\n"
    )
    companies = load_companies(path)
    assert [(c.name, c.ats) for c in companies] == [
        ("Acme Robotics", Source.auto),
        ("Beta GmbH", Source.jsonld),
    ]
    assert companies[0].company_id == "acme-robotics"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- name: A\n", "entry 1 (A): careers_url: required field is missing"),
        ("- name: A\n  careers_url: not a url\n", "entry 1 (A): careers_url:"),
        ("- name: A\n  careers_url: https://a.example\n  ats: workday9\n", "entry 1 (A): ats:"),
        (
            "- name: A\n  careers_url: https://a.example\n  colour: red\n",
            "entry 1 (A): colour: unknown field",
        ),
        ("- just a string\n", "entry 1: expected a mapping"),
        ("companies: {a: 1}\n", "expected a list of companies"),
        ("- [unclosed\n", "not valid YAML"),
        ("[]\n", "no companies listed"),
    ],
)
def test_malformed_files_name_the_entry_and_field(tmp_path, content, expected):
    path = tmp_path / "companies.yaml"
    path.write_text(content)
    with pytest.raises(CompaniesFileError) as error:
        load_companies(path)
    assert expected in str(error.value)


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "companies.yaml"
    path.write_text(
        "- name: A\n  careers_url: https://a.example\n"
        "- name: B\n"
        "- name: a\n  careers_url: https://other.example\n"
    )
    with pytest.raises(CompaniesFileError) as error:
        load_companies(path)
    message = str(error.value)
    assert "entry 2 (B): careers_url: required" in message
    assert "entry 3 (a): duplicate of entry 1 (same company id 'a')" in message


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(CompaniesFileError, match="no such companies file"):
        load_companies(tmp_path / "nope.yaml")
    (tmp_path / "c.json").write_text("[]")
    with pytest.raises(CompaniesFileError, match="unsupported file type"):
        load_companies(tmp_path / "c.json")
