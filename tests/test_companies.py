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
    companies = load_companies(path).companies
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
    companies = load_companies(path).companies
    assert [(c.name, c.ats) for c in companies] == [
        ("Acme Robotics", Source.auto),
        ("Beta GmbH", Source.jsonld),
    ]
    assert companies[0].company_id == "acme-robotics"


def test_other_keys_are_attributes_that_leave_the_company_id_alone(tmp_path):
    path = tmp_path / "companies.yaml"
    path.write_text(
        "- name: Acme Robotics\n  careers_url: https://jobs.lever.co/acme\n"
        "  industry: robotics\n  employees: 120\n  public: true\n  score: 4.5\n"
        "  founded: 2019-03-01\n  careers_email: jobs@acme.example\n  industry_code:\n"
        "- name: Beta\n  careers_url: https://beta.example/jobs\n"
    )
    acme, beta = load_companies(path).companies
    assert acme.attributes == {
        "industry": "robotics",
        "employees": 120,
        "public": True,
        "score": 4.5,
        "founded": "2019-03-01",  # as the file writes it
        "careers_email": "jobs@acme.example",  # near careers_url, but no misspelling of it
    }  # industry_code: no value, no attribute
    assert beta.attributes == {}
    assert acme.company_id == "acme-robotics"  # attributes are no part of who it is


def test_extra_csv_columns_are_attributes_as_text(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text(
        "name,careers_url,industry,employees\n"
        "Acme,https://jobs.lever.co/acme,robotics,120\n"
        "Beta,https://beta.example/jobs,,\n"
    )
    acme, beta = load_companies(path).companies
    assert (acme.attributes, beta.attributes) == ({"industry": "robotics", "employees": "120"}, {})
    assert acme.company_id == "acme"


GOOD = "- name: Fine\n  careers_url: https://fine.example/jobs\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- name: A\n", "entry 2 (A): careers_url: required field is missing"),
        ("- name: A\n  careers_url: not a url\n", "entry 2 (A): careers_url:"),
        ("- name: A\n  careers_url: https://a.example\n  ats: workday9\n", "entry 2 (A): ats:"),
        (
            "- name: A\n  careers_url: https://a.example\n  carrers_url: https://a.example/jobs\n",
            "entry 2 (A): carrers_url: unknown field (did you mean careers_url?)",
        ),
        (
            "- name: A\n  careers_url: https://a.example\n  api-url: https://a.example/api\n",
            "entry 2 (A): api-url: unknown field (did you mean api_url?)",
        ),
        (
            "- name: A\n  careers_url: https://a.example\n  Name: A Inc\n",
            "entry 2 (A): Name: unknown field (did you mean name?)",
        ),
        (
            "- name: A\n  careers_url: https://a.example\n  colour: [red, blue]\n",
            "entry 2 (A): colour: an attribute must be a single value: text, a number or"
            " true/false (got a list)",
        ),
        (
            "- name: A\n  careers_url: https://a.example\n  owner: {team: data}\n",
            "entry 2 (A): owner: an attribute must be a single value: text, a number or"
            " true/false (got a mapping)",
        ),
    ],
)
def test_a_bad_entry_is_set_aside_naming_entry_and_field(tmp_path, content, expected):
    path = tmp_path / "companies.yaml"
    path.write_text(GOOD + content)
    listed = load_companies(path)
    assert [c.name for c in listed.companies] == ["Fine"]  # the rest of the file goes on
    [bad] = listed.bad
    assert (bad.company_id, bad.name) == ("a", "A")
    assert bad.error.startswith(f"{path}: {expected}"), bad.error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("companies: {a: 1}\n", "expected a list of companies"),
        (
            "- [unclosed\n",
            "not valid YAML: line 2, column 1: did not find expected ',' or ']' "
            "(while parsing a flow sequence at line 1, column 3)",
        ),
        ("[]\n", "no companies listed"),
        ("- just a string\n", "no usable company in the file:\n  "),
        ("- name: A\n", "entry 1 (A): careers_url: required field is missing"),
    ],
)
def test_a_file_with_nothing_usable_is_refused(tmp_path, content, expected):
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
        "- just a string\n"
        "- name: A\n  careers_url: ftp://a.example\n"
    )
    listed = load_companies(path)
    assert [c.company_id for c in listed.companies] == ["a"]
    assert listed.duplicates == [
        f"{path}: entry 3 (a): duplicate of entry 1 (same company id 'a'); read once"
    ]
    # Each bad entry has an id of its own within the run, one that a fixed entry keeps.
    assert [(b.company_id, b.name) for b in listed.bad] == [
        ("b", "B"),
        ("entry-4", "entry 4"),
        ("a-5", "A"),
    ]
    assert listed.bad[0].error == f"{path}: entry 2 (B): careers_url: required field is missing"
    assert listed.bad[1].error == f"{path}: entry 4: expected a mapping with name and careers_url"


def test_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(CompaniesFileError, match="no such companies file"):
        load_companies(tmp_path / "nope.yaml")
    (tmp_path / "c.json").write_text("[]")
    with pytest.raises(CompaniesFileError, match="unsupported file type"):
        load_companies(tmp_path / "c.json")
