"""The rules enrichment backend: what an analyst filtering the dataset would see."""

import pytest
from pydantic import ValidationError

from tasks.enrich import enrich_postings, get_enricher
from tasks.enrich.rules import (
    RulesEnricher,
    Usage,
    detect_employment_type,
    detect_remote,
    detect_seniority,
    normalize_title,
    parse_locations,
    parse_salary,
    salary_problem,
)
from tasks.models import (
    EmploymentType,
    Enrichment,
    Location,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Seniority,
    Source,
)
from tasks.settings import Settings
from tasks.skills import extract_skills

Y, H, M, D = SalaryPeriod.year, SalaryPeriod.hour, SalaryPeriod.month, SalaryPeriod.day


def posting(title: str = "Software Engineer", description: str = "", **fields) -> Posting:
    return Posting(
        company_id="acme",
        company="Acme",
        source=Source.greenhouse,
        title=title,
        url="https://boards.greenhouse.io/acme/jobs/1",
        description=description,
        **fields,
    )


# --- salary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$120,000 - $150,000 per year", (120_000, 150_000, "USD", Y)),
        ("$120k\u2013$150k", (120_000, 150_000, "USD", Y)),
        ("$120-150k", (120_000, 150_000, "USD", Y)),
        ("€60k\u201380k", (60_000, 80_000, "EUR", Y)),
        ("£45,000 to £55,000 annually", (45_000, 55_000, "GBP", Y)),
        ("USD 50/hour", (50, 50, "USD", H)),
        ("50-60 EUR per hour", (50, 60, "EUR", H)),
        ("CHF 9,000 per month", (9_000, 9_000, "CHF", M)),
        ("up to $90,000", (None, 90_000, "USD", Y)),
        ("starting at $30/hr", (30, None, "USD", H)),
        ("$150k+ depending on experience", (150_000, None, "USD", Y)),
        ("between $100,000 and $130,000 a year", (100_000, 130_000, "USD", Y)),
        ("Pay: $18.50 an hour", (18.5, 18.5, "USD", H)),
        ("Hourly rate: $45-55", (45, 55, "USD", H)),
        ("Day rate £500-£600", (500, 600, "GBP", D)),
        ("CA$90,000 - CA$110,000", (90_000, 110_000, "CAD", Y)),
        ("A$100k", (100_000, 100_000, "AUD", Y)),
        ("$120,000 - $150,000 CAD", (120_000, 150_000, "CAD", Y)),
        ("60.000 € - 70.000 € brutto", (60_000, 70_000, "EUR", Y)),
        ("₹12,00,000 per annum", (1_200_000, 1_200_000, "INR", Y)),
        ("Salary: USD 4,000 monthly", (4_000, 4_000, "USD", M)),
        ("$2,500", (2_500, 2_500, "USD", None)),  # no wording, too ambiguous to guess a period
        # Perks added to pay are not perks instead of pay.
        ("$25/hour plus benefits", (25, 25, "USD", H)),
        ("$120,000 + great benefits and equity", (120_000, 120_000, "USD", Y)),
        ("We pay $30 an hour and offer full benefits", (30, 30, "USD", H)),
    ],
)
def test_salary_formats(text, expected):
    salary = parse_salary(f"About the role. {text}. Benefits follow.")
    assert salary == Salary(
        min=expected[0], max=expected[1], currency=expected[2], period=expected[3]
    )


@pytest.mark.parametrize(
    "text",
    [
        "401(k) with a 4% company match",
        "Founded in 2024, we are a team of 50 engineers.",
        "You have 10+ years of experience and 3-5 years in fintech.",
        "We raised $50M in our Series B.",
        "We just closed a $6.7M seed round.",
        "Wir haben $6.7 Millionen eingesammelt.",
        "Our customers process $2 billion a year.",
        "A $1,000 annual learning budget and a $500 home office stipend.",
        "A $5,000 signing bonus.",
        "$150k - $120k",  # min above max: garbled, dropped rather than swapped
        "$0 per hour",
        "$5,000 per hour",
        "Python 3.12, 100% test coverage, 99.9 uptime.",
        # Each read as pay on real postings: perks, deals and loans in a sentence not about pay.
        "Experience selling ACVs of €50k+ to mid-market customers.",
        "Employees can take an $11,000 loan at 0% interest.",
        "Up to $200 per year for wellbeing expenses.",
        "Perks: commuter benefit; $200 per month.",
        "$1,000 for your home office setup.",
        "You will close deals worth $250k on average.",
    ],
)
def test_things_that_are_not_salaries(text):
    assert parse_salary(text) is None


def test_salary_prefers_the_salary_over_perk_amounts():
    text = "Enjoy a $1,000 gift card. The base salary range is $140,000 - $170,000 plus equity."
    assert parse_salary(text) == Salary(min=140_000, max=170_000, currency="USD", period=Y)


def test_salary_is_read_through_the_enricher():
    enrichment = RulesEnricher().fields(posting(description="Compensation: €70k\u2013€85k."))
    assert enrichment.salary == Salary(min=70_000, max=85_000, currency="EUR", period=Y)


# --- remote policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "location", "description", "expected"),
    [
        ("Engineer", "Remote - US", "", RemotePolicy.remote),
        ("Engineer (Remote)", None, "", RemotePolicy.remote),
        ("Engineer", "Berlin", "We are a remote-first company.", RemotePolicy.remote),
        ("Engineer", "Berlin", "This role is fully remote.", RemotePolicy.remote),
        ("Engineer", None, "You can work from home anywhere in Spain.", RemotePolicy.remote),
        ("Engineer", "London (Hybrid)", "", RemotePolicy.hybrid),
        ("Engineer", "NYC", "Hybrid: 2 days in the office.", RemotePolicy.hybrid),
        ("Engineer", "NYC", "Fully remote possible; hybrid preferred.", RemotePolicy.hybrid),
        ("Engineer", "NYC", "Three days a week on-site.", RemotePolicy.hybrid),
        ("Engineer", "Remote", "Hybrid, 2-3 days per week in our office.", RemotePolicy.hybrid),
        ("Engineer", "Austin", "This position is on-site in Austin.", RemotePolicy.onsite),
        ("Engineer", "Austin", "Onsite, 5 days a week in the office.", RemotePolicy.onsite),
        ("Engineer", "Austin", "This is an in-office role.", RemotePolicy.onsite),
        ("Engineer", "Austin", "This is not a remote position.", RemotePolicy.onsite),
        ("Engineer", "Austin", "Meet us in person. #LI-Remote", RemotePolicy.remote),
        ("Engineer", "Austin", "Great team. #LI-Hybrid", RemotePolicy.hybrid),
        ("Engineer", "Austin", "We build hybrid cloud tools. Onsite interviews.", None),
        ("Remote Sensing Scientist", "Denver", "", None),
        ("Engineer", "Denver", "We build remote monitoring for wind farms.", None),
        ("Engineer", "Denver", "Great team, great product.", None),
    ],
)
def test_remote_policy(title, location, description, expected):
    assert detect_remote(title, location, description) is expected


# --- employment type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Software Engineer", "This is a full-time, permanent position.", EmploymentType.full_time),
        ("Barista (Part-Time)", "", EmploymentType.part_time),
        ("Support Agent", "A part time role, 20 hours a week.", EmploymentType.part_time),
        ("Freelance Illustrator", "", EmploymentType.contract),
        ("Data Engineer", "This is a 6-month contract role.", EmploymentType.contract),
        ("Data Engineer", "Contract-to-hire, full-time hours.", EmploymentType.contract),
        ("Data Engineer", "Fixed-term contract for 12 months.", EmploymentType.temporary),
        ("Temporary Warehouse Associate", "", EmploymentType.temporary),
        ("Software Engineering Intern", "", EmploymentType.internship),
        ("Summer Analyst", "Our full-time summer internship program.", EmploymentType.internship),
        ("Contract Manager", "A full-time role.", EmploymentType.full_time),
        ("Engineer", "You will mentor our interns.", None),
        ("Lawyer", "Draft smart contracts and lead contract negotiations.", None),
        ("Engineer", "Full stack work on our platform.", None),
    ],
)
def test_employment_type(title, description, expected):
    assert detect_employment_type(title, description) is expected


# --- seniority ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Software Engineer Intern", Seniority.intern),
        ("Intern, Engineering Manager Office", Seniority.intern),
        ("Junior Developer", Seniority.junior),
        ("Graduate Software Engineer", Seniority.junior),
        ("Entry-Level Data Analyst", Seniority.junior),
        ("Mid-Level Backend Engineer", Seniority.mid),
        ("Senior Software Engineer", Seniority.senior),
        ("Sr. Data Engineer", Seniority.senior),
        ("Tech Lead, Payments", Seniority.senior),
        ("Senior Product Manager", Seniority.senior),
        ("Staff Engineer", Seniority.staff),
        ("Senior Staff Engineer", Seniority.staff),
        ("Principal Engineer", Seniority.principal),
        ("Engineering Manager", Seniority.manager),
        ("Senior Engineering Manager", Seniority.manager),
        ("Head of Data", Seniority.manager),
        ("Director of Engineering", Seniority.director),
        ("Senior Director, Product", Seniority.director),
        ("VP Engineering", Seniority.director),
        ("Vice President, Sales", Seniority.director),
        ("Chief Technology Officer", Seniority.executive),
        ("CFO", Seniority.executive),
        ("Software Engineer", None),
        ("Software Engineer II", None),
        ("Product Manager", None),
        ("Staff Accountant", None),
        ("Chief of Staff", None),
        ("Lead Generation Specialist", None),
    ],
)
def test_seniority_from_title(title, expected):
    assert detect_seniority(title) is expected


def test_seniority_ignores_the_description():
    enrichment = RulesEnricher().fields(
        posting("Software Engineer", "Report to the Director; mentor junior engineers.")
    )
    assert enrichment.seniority is None


# --- skills -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Python, Go and Kafka on k8s with postgres",
            ["Go", "Kafka", "Kubernetes", "PostgreSQL", "Python"],
        ),
        ("golang, JS, Node.js and React Native", ["Go", "JavaScript", "Node.js", "React Native"]),
        ("Java and JavaScript", ["Java", "JavaScript"]),
        ("C++, C# and .NET / ASP.NET", [".NET", "ASP.NET", "C#", "C++"]),
        (
            "PYTHON, Django, FastAPI, Terraform on AWS",
            ["AWS", "Django", "FastAPI", "Python", "Terraform"],
        ),
        ("react.js, Vue.js and Next.js", ["Next.js", "React", "Vue.js"]),
        ("SQL Server and MySQL", ["MySQL", "SQL Server"]),
        ("scikit-learn, Power BI, dbt and Airflow", ["Airflow", "Power BI", "dbt", "scikit-learn"]),
        ("Python or R for analysis", ["Python", "R"]),
        ("Services written in Go.", ["Go"]),
        ("Python, python, PYTHON", ["Python"]),
        # Not skills:
        ("Own our Go to market plan and the go-to-market team.", []),
        ("Support the Go-live of the new site.", []),
        ("We react to incidents swiftly and excel at it.", []),
        ("Join our R&D team; see python.org.", []),
        ("C-level stakeholders, Plan C, grade C.", []),
        ("Check the airflow in HVAC units; DBT therapy sessions.", []),
    ],
)
def test_skills(text, expected):
    assert extract_skills(text) == expected


def test_skills_come_from_title_and_description():
    enrichment = RulesEnricher().fields(posting("Senior Go Engineer", "We use Postgres."))
    assert enrichment.skills == ["Go", "PostgreSQL"]


# --- backend and pipeline -------------------------------------------------------------------------


def test_rules_enricher_keeps_batch_order():
    batch = [
        posting("Data Intern", "Python."),
        posting("Staff Engineer", "Rust, remote-first."),
        posting("Barista", ""),
    ]
    enrichments, usage = RulesEnricher().enrich(batch)
    assert [e.seniority for e in enrichments] == [Seniority.intern, Seniority.staff, None]
    assert [e.skills for e in enrichments] == [["Python"], ["Rust"], []]
    assert {e.provenance.backend for e in enrichments} == {"rules"}
    assert usage == Usage()  # no model calls


def test_source_stated_fields_win_over_the_backend():
    stated = Salary(min=90_000, max=100_000, currency="USD", period=Y)
    source = posting(
        description="Fully remote, full-time. Salary $120k\u2013$150k. Python.",
        remote=RemotePolicy.onsite,
        employment_type=EmploymentType.contract,
        salary=stated,
    )
    inferred = posting(description="Fully remote, full-time. Salary $120k\u2013$150k. Python.")
    [from_source, from_text], _ = enrich_postings([source, inferred], RulesEnricher())

    assert from_source.posting is source
    assert from_source.enrichment.remote is RemotePolicy.onsite
    assert from_source.enrichment.employment_type is EmploymentType.contract
    assert from_source.enrichment.salary == stated
    assert from_source.enrichment.skills == ["Python"]  # not stated by the source: inferred

    assert from_text.enrichment.remote is RemotePolicy.remote
    assert from_text.enrichment.employment_type is EmploymentType.full_time
    assert from_text.enrichment.salary == Salary(min=120_000, max=150_000, currency="USD", period=Y)


def test_a_source_salary_without_amounts_does_not_hide_the_inferred_one():
    source = posting(description="Salary: $120k\u2013$150k.", salary=Salary(currency="USD"))
    [enriched], _ = enrich_postings([source], RulesEnricher())
    assert enriched.enrichment.salary == Salary(min=120_000, max=150_000, currency="USD", period=Y)


def test_enrich_postings_rejects_a_backend_that_drops_postings():
    class Lossy(RulesEnricher):
        name = "lossy"

        def enrich(self, postings: list[Posting]) -> tuple[list[Enrichment], Usage]:
            enrichments, usage = super().enrich(postings)
            return enrichments[:1], usage

    with pytest.raises(RuntimeError, match="returned 1 results for 2 postings"):
        enrich_postings([posting(), posting()], Lossy())


def test_without_a_model_configured_the_backend_is_rules():
    enricher = get_enricher(Settings())
    assert isinstance(enricher, RulesEnricher)
    assert enricher.model is None
    assert get_enricher(Settings()) is enricher  # loaded once per process


def test_an_unknown_backend_name_lists_the_known_ones(monkeypatch):
    monkeypatch.setenv("OPENINGS_ENRICH_BACKEND", "gpt-9")
    with pytest.raises(ValidationError, match=r"'auto', 'rules', 'openai' or 'vllm'"):
        Settings()


# --- title ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Sr. Backend Engineer (m/w/d)", "Senior Backend Engineer"),
        ("Software Engineer (f/m/x)", "Software Engineer"),
        ("Data Scientist (all genders)", "Data Scientist"),
        ("Werkstudent Marketing (m/w/divers)", "Werkstudent Marketing"),
        ("Produktmanager m/w/d", "Produktmanager"),
        ("Ingénieur logiciel (H/F)", "Ingénieur logiciel"),
        ("Backend Engineer [R12345]", "Backend Engineer"),
        ("Backend Engineer - Req #4521", "Backend Engineer"),
        ("Jr. Data Analyst - REQ-1234", "Junior Data Analyst"),
        ("Senior Engineer (Job #123)", "Senior Engineer"),
        ("Engineer | Job ID: 998877", "Engineer"),
        ("Senior Engineer (all genders) [R12345]", "Senior Engineer"),
        ("Sales Mgr.", "Sales Manager"),
        ("Snr Designer", "Senior Designer"),
        # Words that only look like noise stay.
        ("Requirements Engineer", "Requirements Engineer"),
        ("Job Coach", "Job Coach"),
        ("Software Engineer (Python)", "Software Engineer (Python)"),
        # A title that is nothing but noise is kept as it was rather than emptied.
        ("Req #4521", "Req #4521"),
        ("(m/w/d)", "(m/w/d)"),
    ],
)
def test_normalize_title(title, expected):
    assert normalize_title(title) == expected


def test_normalized_titles_fit_the_schema():
    assert len(normalize_title("Engineer " * 40 + "(m/w/d)")) == 200
    assert RulesEnricher().fields(posting("x" * 250)).title == "x" * 200


# --- locations ----------------------------------------------------------------------------------


def here(city=None, region=None, country=None) -> Location:
    return Location(city=city, region=region, country=country)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "San Francisco, CA; New York, NY",
            [here("San Francisco", "CA", "US"), here("New York", "NY", "US")],
        ),
        ("Berlin, Germany", [here("Berlin", None, "DE")]),
        ("Toronto, ON, Canada", [here("Toronto", "ON", "CA")]),
        ("Vancouver, BC", [here("Vancouver", "BC", "CA")]),
        ("Portland, OR", [here("Portland", "OR", "US")]),  # "OR" is Oregon, not "or"
        # England is an ISO 3166-2 subdivision of GB: kept as the region.
        ("London, England, United Kingdom", [here("London", "England", "GB")]),
        ("London, UK", [here("London", None, "GB")]),
        ("UK", [here(country="GB")]),
        ("The Netherlands", [here(country="NL")]),
        ("Remote - US", [here(country="US")]),
        ("Remote in the US", [here(country="US")]),
        ("Remote (Canada)", [here(country="CA")]),
        ("New York, NY / Remote", [here("New York", "NY", "US")]),
        ("Hybrid - Paris, France", [here("Paris", None, "FR")]),
        ("Berlin", [here("Berlin")]),  # no country guessed
        ("Canada; USA", [here(country="CA"), here(country="US")]),
        ("Dublin, Ireland & London, UK", [here("Dublin", None, "IE"), here("London", None, "GB")]),
        ("Berlin, Germany; Berlin, Germany | Berlin, Germany", [here("Berlin", None, "DE")]),
        # No place, or an area wider than a country: nothing an analyst could filter on.
        ("Remote", []),
        ("Fully Remote", []),
        ("Anywhere", []),
        ("Europe", []),
        ("Remote, EMEA", []),
        ("", []),
        (None, []),
    ],
)
def test_parse_locations(text, expected):
    assert parse_locations(text) == expected


def test_locations_are_capped_at_ten():
    text = "; ".join(f"Office {i}, Germany" for i in range(15))
    assert [place.city for place in parse_locations(text)] == [f"Office {i}" for i in range(10)]


# --- salary sanity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("salary", "problem"),
    [
        (None, None),
        (Salary(min=120_000, max=150_000, currency="USD", period=Y), None),
        (Salary(min=None, max=90_000, currency="EUR", period=Y), None),
        (Salary(min=500, max=600, currency="GBP", period=D), None),
        (Salary(min=120_000, max=150_000, currency="USD"), None),  # no period: nothing to check
        (Salary(min=6_000_000, max=9_000_000, currency="JPY", period=Y), None),  # yen run high
        (Salary(min=6_000_000, max=9_000_000, currency="jpy", period=Y), None),
        (
            Salary(min=1, max=2, currency="XYZ", period=H),
            "currency 'XYZ' is not an ISO 4217 code",
        ),
        (Salary(min=0, max=100, currency="USD"), "amounts must be positive"),
        (
            Salary(min=150_000, max=120_000, currency="USD", period=Y),
            "min 150000 is above max 120000",
        ),
        (
            Salary(min=2_500_000, max=1_500_000, currency="INR", period=Y),
            "min 2500000 is above max 1500000",
        ),
        (Salary(min=18.5, max=1, currency="USD", period=H), "min 18.5 is above max 1"),
        (
            Salary(min=120_000, max=120_000, currency="USD", period=H),
            "120000-120000 does not fit an hourly salary",
        ),
        (Salary(min=75, max=75, currency="USD", period=Y), "75-75 does not fit a yearly salary"),
        (
            Salary(min=50_000, currency="GBP", period=D),
            "50000-? does not fit a daily salary",
        ),
        (
            Salary(min=6_000_000, max=9_000_000, currency="USD", period=Y),
            "6000000-9000000 does not fit a yearly salary",
        ),
        (Salary(min=5, max=5, currency="JPY", period=Y), "5-5 does not fit a yearly salary"),
    ],
)
def test_salary_problem(salary, problem):
    assert salary_problem(salary) == problem
