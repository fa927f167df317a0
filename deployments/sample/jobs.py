"""The sample site's postings: generated from `random.Random(slug)`, so a slug always gives the
same postings, with varied titles, seniority, skills, work arrangements, employment types and
salary wording (some postings state no salary). Every ATS shape and page renders these.
"""

import html
import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

# Postings are dated back from a fixed day so the same slug always gives the same postings.
ANCHOR = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)

DEMO = [
    # (name, source, slug, what the company does)
    ("Acme Robotics", "greenhouse", "acmerobotics", "builds warehouse robots for online retailers"),
    ("Globex Logistics", "lever", "globex", "runs a freight platform for mid-sized shippers"),
    ("Initech Health", "ashby", "initech", "makes scheduling software for hospitals"),
    ("Northwind Analytics", "jsonld", "northwind-analytics", "sells analytics for retail chains"),
    ("Bluebird Energy", "html", "bluebird-energy", "installs and operates community solar farms"),
]
_BLURBS = [
    "builds payment infrastructure for marketplaces",
    "develops open-source tooling for data teams",
    "makes accounting software for small businesses",
    "operates a network of electric-vehicle chargers",
    "builds collaboration tools for design teams",
]
# (role, department, skill family, manager title)
_ROLES = [
    ("Software Engineer", "Engineering", "eng", "Engineering Manager, Platform"),
    ("Backend Engineer", "Engineering", "eng", "Engineering Manager, Backend"),
    ("Frontend Engineer", "Engineering", "web", "Engineering Manager, Web"),
    ("Site Reliability Engineer", "Infrastructure", "ops", "Engineering Manager, Infrastructure"),
    ("Data Engineer", "Data", "data", "Engineering Manager, Data"),
    ("Data Scientist", "Data", "data", "Data Science Manager"),
    ("Machine Learning Engineer", "Data", "ml", "Engineering Manager, Machine Learning"),
    ("Product Designer", "Design", "design", "Design Manager"),
    ("Product Manager", "Product", "product", "Group Product Manager"),
    ("Account Executive", "Sales", "sales", "Sales Manager, Mid-Market"),
]
_TEAMS = ["Platform", "Payments", "Growth", "Core Experience", "Insights", "Integrations"]
_SKILLS = {
    "eng": ["Python", "Go", "Java", "PostgreSQL", "Kubernetes", "AWS", "Docker", "Kafka", "gRPC"],
    "web": ["React", "TypeScript", "JavaScript", "GraphQL", "CSS", "Next.js", "Node.js"],
    "ops": ["Kubernetes", "Terraform", "AWS", "GCP", "Prometheus", "Linux", "Go", "Python"],
    "data": ["Python", "SQL", "Spark", "Airflow", "dbt", "Snowflake", "AWS", "Kafka"],
    "ml": ["Python", "PyTorch", "SQL", "Kubernetes", "AWS", "Spark", "TensorFlow"],
    "design": ["Figma", "user research", "prototyping", "design systems", "HTML", "CSS"],
    "product": ["SQL", "Jira", "A/B testing", "product analytics", "Amplitude"],
    "sales": ["Salesforce", "HubSpot", "negotiation", "SaaS sales", "forecasting"],
}
_DUTIES = {
    "eng": [
        "design and build reliable backend services",
        "own features from design doc to production",
        "improve our test coverage and deployment pipelines",
        "review code and help teammates grow",
    ],
    "web": [
        "build fast, accessible user interfaces",
        "turn designs into polished, reusable components",
        "improve page performance across the product",
        "work closely with designers and backend engineers",
    ],
    "ops": [
        "keep production infrastructure healthy and observable",
        "automate infrastructure as code",
        "lead incident response and write blameless postmortems",
        "reduce cloud costs without hurting reliability",
    ],
    "data": [
        "build and maintain batch and streaming data pipelines",
        "model data for analytics and reporting",
        "add data quality checks and alerting",
        "partner with analysts to answer business questions",
    ],
    "ml": [
        "train, evaluate and ship machine learning models",
        "build feature pipelines and model monitoring",
        "run experiments and share the results",
        "serve models at low latency with the platform team",
    ],
    "design": [
        "design end-to-end product experiences",
        "run user interviews and usability tests",
        "contribute to our design system",
        "prototype ideas quickly and iterate with engineers",
    ],
    "product": [
        "own the roadmap for a product area",
        "talk to customers every week",
        "write clear specs and define success metrics",
        "ship iteratively with engineering and design",
    ],
    "sales": [
        "run the full sales cycle from first call to signed contract",
        "build relationships with decision makers at mid-market companies",
        "keep an accurate forecast in our CRM",
        "work with solutions engineers on technical evaluations",
    ],
}
# level: (years of experience, yearly USD base, sentence about the level)
_LEVELS = {
    "intern": (0, 0, "You will be paired with a mentor and ship real work from your first week."),
    "junior": (
        1,
        70_000,
        "This is a great early-career role with plenty of support from the team.",
    ),
    "mid": (3, 100_000, "You will work independently on well-scoped projects."),
    "senior": (5, 140_000, "You will lead technical projects and set standards for quality."),
    "staff": (8, 175_000, "You will shape the technical direction across several teams."),
    "principal": (10, 205_000, "You will drive our hardest, most ambiguous problems company-wide."),
    "manager": (6, 170_000, "You will manage a team of five to eight people, run 1:1s and hire."),
    "director": (10, 215_000, "You will lead several teams and report to the VP."),
}
_PLACES = {  # currency: (city, region, country, ISO country code)
    "USD": [
        ("San Francisco", "CA", "United States", "US"),
        ("New York", "NY", "United States", "US"),
        ("Austin", "TX", "United States", "US"),
        ("Seattle", "WA", "United States", "US"),
    ],
    "EUR": [
        ("Berlin", "Berlin", "Germany", "DE"),
        ("Amsterdam", "North Holland", "Netherlands", "NL"),
        ("Paris", "Île-de-France", "France", "FR"),
        ("Munich", "Bavaria", "Germany", "DE"),
    ],
    "GBP": [
        ("London", "England", "United Kingdom", "GB"),
        ("Manchester", "England", "United Kingdom", "GB"),
    ],
    "CAD": [("Toronto", "ON", "Canada", "CA"), ("Vancouver", "BC", "Canada", "CA")],
}
_FACTOR = {"USD": 1.0, "EUR": 0.6, "GBP": 0.55, "CAD": 0.85}
_YEARLY_TEXT = {
    "USD": ["${lo:,} - ${hi:,} per year", "${klo}K\N{EN DASH}${khi}K annually"],
    "EUR": ["€{klo}k\N{EN DASH}{khi}k", "EUR {lo:,} \N{EN DASH} {hi:,} per annum"],
    "GBP": ["£{lo:,} to £{hi:,} annually", "£{klo}k-£{khi}k per annum"],
    "CAD": ["CA${lo:,} - CA${hi:,} per year", "CAD {lo:,}\N{EN DASH}{hi:,} annually"],
}
_MONTHLY_TEXT = {
    "USD": "${lo:,} - ${hi:,} per month",
    "EUR": "€{lo:,} per month",
    "GBP": "£{lo:,} a month",
    "CAD": "CAD {lo:,}/month",
}
_HOURLY_TEXT = {
    "USD": ["USD {lo}/hour", "${lo}\N{EN DASH}${hi} per hour"],
    "EUR": ["€{lo}-{hi} per hour"],
    "GBP": ["£{lo} per hour"],
    "CAD": ["CAD {lo}-{hi}/hr"],
}
_REMOTE_TEXT = {
    "remote": [
        "This position is fully remote within {country}.",
        "We are remote-first: work from anywhere in {country} and meet the team twice a year.",
    ],
    "hybrid": [
        "This is a hybrid role: we are in our {city} office three days a week.",
        "Hybrid working: two days per week in the {city} office, the rest from home.",
    ],
    "onsite": [
        "This role is on-site at our {city} office.",
        "You will work on-site in {city}, five days a week, alongside the team.",
    ],
}
_EMPLOYMENT_TEXT = {
    "full_time": ["This is a full-time, permanent position.", "Full-time employment."],
    "part_time": [
        "This is a part-time role (20 to 24 hours per week).",
        "Part-time, three days a week.",
    ],
    "contract": [
        "This is a 6-month contract with the possibility of extension.",
        "Contract role, initially for 3 months.",
    ],
    "temporary": ["This is a temporary, fixed-term position for 9 months (parental leave cover)."],
    "internship": [
        "This is a paid 12-week summer internship.",
        "Paid internship for 6 months, starting in January.",
    ],
}
_SALARY_TEXT = [
    "The salary range for this role is {pay}.",
    "Compensation: {pay}.",
    "Pay: {pay}, depending on experience.",
]
_NO_SALARY_TEXT = [
    "We offer a competitive compensation package.",
    "Compensation is discussed in the first call.",
]
_BENEFITS = {
    "US": "Benefits include health, dental and vision insurance and a 401(k) match.",
    "other": "Benefits include health insurance, 25 days of vacation and a learning budget.",
}


@dataclass(frozen=True)
class Pay:
    min: int
    max: int
    currency: str
    period: str  # "year" | "month" | "hour"
    text: str


@dataclass(frozen=True)
class Job:
    """One generated posting; every source format renders the same Job."""

    n: int
    slug: str
    company: str
    title: str
    level: str
    department: str
    team: str
    city: str
    region: str
    country: str
    country_code: str
    remote: str  # "remote" | "hybrid" | "onsite"
    employment: str  # an EmploymentType value
    pay: Pay | None
    posted_at: datetime
    uid: str  # a UUID, for Lever and Ashby
    number: int  # a numeric id, for Greenhouse
    blocks: tuple  # ("p", text) or ("ul", heading, items)

    @property
    def location(self) -> str:
        return f"{self.city}, {self.country}"


def company_name(slug: str) -> str:
    for name, _, demo_slug, _ in DEMO:
        if demo_slug == slug:
            return name
    return " ".join(word.capitalize() for word in re.split(r"[-_.]+", slug) if word) or slug


def generate_jobs(slug: str, count: int) -> list[Job]:
    """`count` postings for a company slug; posting n depends only on the slug and n."""
    rng = random.Random(slug)
    roles = rng.sample(_ROLES, len(_ROLES))
    levels = rng.sample(list(_LEVELS), len(_LEVELS))
    remotes = rng.sample(["remote", "hybrid", "onsite"], 3)
    no_pay_at = rng.randrange(4)
    blurb = next((b for _, _, s, b in DEMO if s == slug), rng.choice(_BLURBS))
    base_id = rng.randrange(4_000_000, 7_000_000)
    return [
        _job(slug, n, roles, levels, remotes, (n - 1) % 4 == no_pay_at, blurb, base_id)
        for n in range(1, count + 1)
    ]


def _job(slug, n, roles, levels, remotes, no_pay, blurb, base_id) -> Job:
    rng = random.Random(f"{slug}#{n}")
    k = n - 1
    role, department, family, manager_title = roles[k % len(roles)]
    level = levels[k % len(levels)]
    title = {
        "intern": f"{role} Intern",
        "junior": f"Junior {role}",
        "mid": role,
        "senior": f"Senior {role}",
        "staff": f"Staff {role}",
        "principal": f"Principal {role}",
        "manager": manager_title,
        "director": f"Director of {department}",
    }[level]
    if level == "intern":
        employment = "internship"
    elif level in ("mid", "junior", "senior"):
        employment = rng.choices(["full_time", "part_time", "contract", "temporary"], [6, 1, 2, 1])[
            0
        ]
    else:
        employment = "full_time"
    currency = rng.choices(list(_PLACES), [45, 25, 15, 15])[0]
    city, region, country, code = rng.choice(_PLACES[currency])
    remote = remotes[k % 3]
    pay = None if no_pay else _pay(rng, level, employment, currency)
    company = company_name(slug)
    skills = rng.sample(_SKILLS[family], 4)
    duties = rng.sample(_DUTIES[family], 3)
    years, _, level_text = _LEVELS[level]
    article = "an" if title[0] in "AEIOU" else "a"
    where = (
        f"our distributed {department} team"
        if remote == "remote"
        else f"our {department} team in {city}"
    )
    requirements = [
        f"{years}+ years of professional experience with {skills[0]} and {skills[1]}"
        if years
        else f"Currently studying towards a degree, with coursework or projects using {skills[0]}",
        f"Hands-on experience with {skills[2]}",
        f"Familiarity with {skills[3]} is a plus",
        "Clear written and verbal communication in English",
    ]
    blocks = (
        ("p", f"{company} {blurb}. We are looking for {article} {title} to join {where}."),
        ("p", f"In this role you will {duties[0]} and {duties[1]}. {level_text}"),
        ("ul", "What you'll do", [d[0].upper() + d[1:] for d in duties]),
        ("ul", "What we're looking for", requirements),
        ("p", rng.choice(_REMOTE_TEXT[remote]).format(city=city, country=country)),
        ("p", rng.choice(_EMPLOYMENT_TEXT[employment])),
        (
            "p",
            rng.choice(_SALARY_TEXT).format(pay=pay.text) if pay else rng.choice(_NO_SALARY_TEXT),
        ),
        ("p", _BENEFITS["US" if code == "US" else "other"]),
    )
    posted = ANCHOR - timedelta(
        days=rng.randint(1, 45), hours=rng.randint(0, 12), minutes=rng.randint(0, 59)
    )
    return Job(
        n=n,
        slug=slug,
        company=company,
        title=title,
        level=level,
        department=department,
        team=rng.choice(_TEAMS),
        city=city,
        region=region,
        country=country,
        country_code=code,
        remote=remote,
        employment=employment,
        pay=pay,
        posted_at=posted,
        uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        number=base_id + n * 97,
        blocks=blocks,
    )


def _round(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


def _pay(rng: random.Random, level: str, employment: str, currency: str) -> Pay:
    _, base, _ = _LEVELS[level]
    if employment == "internship":
        lo = _round(
            {"USD": 6000, "EUR": 1800, "GBP": 1900, "CAD": 4500}[currency] * rng.uniform(0.9, 1.2),
            100,
        )
        template = _MONTHLY_TEXT[currency]
        hi = lo + 1000 if "{hi" in template else lo
        return Pay(lo, hi, currency, "month", template.format(lo=lo, hi=hi))
    yearly = base * _FACTOR[currency] * rng.uniform(0.9, 1.1)
    if employment in ("part_time", "contract", "temporary"):
        lo = _round(yearly / 2080, 5)
        template = rng.choice(_HOURLY_TEXT[currency])
        hi = lo + 5 * rng.randint(2, 4) if "{hi" in template else lo
        return Pay(lo, hi, currency, "hour", template.format(lo=lo, hi=hi))
    lo = _round(yearly, 5000)
    hi = _round(lo * rng.uniform(1.15, 1.3), 5000)
    text = rng.choice(_YEARLY_TEXT[currency]).format(lo=lo, hi=hi, klo=lo // 1000, khi=hi // 1000)
    return Pay(lo, hi, currency, "year", text)


# ---------------------------------------------------------------- rendering


def blocks_html(blocks) -> str:
    out = []
    for block in blocks:
        if block[0] == "p":
            out.append(f"<p>{html.escape(block[1])}</p>")
        else:
            items = "".join(f"<li>{html.escape(item)}</li>" for item in block[2])
            out.append(f"<h3>{html.escape(block[1])}</h3><ul>{items}</ul>")
    return "".join(out)


def blocks_text(blocks) -> str:
    out = []
    for block in blocks:
        if block[0] == "p":
            out.append(block[1])
        else:
            out.append(block[1] + "\n" + "\n".join(f"- {item}" for item in block[2]))
    return "\n\n".join(out)


def iso_time(moment: datetime, offset_h: int = 0) -> str:
    return moment.astimezone(timezone(timedelta(hours=offset_h))).isoformat(timespec="seconds")
