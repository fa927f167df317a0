"""The rules backend: structured fields read out of free text with regexes and vocabularies.

Fast, free and reproducible: the default when no model is configured, and the fallback for any
field a model got wrong. It prefers saying nothing to guessing: every field is None (or empty,
or remote "unknown") unless the text gives evidence, because a wrong value in an analyst's filter
is worse than a missing one.
"""

import re
from dataclasses import dataclass

import pycountry

from tasks.models import (
    EmploymentType,
    Enrichment,
    Location,
    Posting,
    PostingFields,
    Provenance,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Seniority,
    country_code,
)
from tasks.skills import extract_skills


@dataclass
class Usage:
    """What a batch cost: requests to the model (retries included) and tokens."""

    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.model_calls + other.model_calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


# --------------------------------------------------------------------------------------------
# Remote policy. Hybrid beats remote (a hybrid role usually also says "remote"), remote beats
# onsite ("remote, with occasional on-site visits"). Bare "remote" only counts in the title or
# location: in descriptions it is too often "remote sensing", "remote monitoring"...

_REMOTE_TEXT = re.compile(
    r"\b(?:"
    # First, so "not a remote position" is consumed before the remote branch can see it.
    r"(?P<not_remote>(?:not|no|isn't|is\s+not)\s+(?:a\s+)?(?:fully\s+)?remote(?:[\s-]+\w+)?"
    r"|non-remote)"
    r"|(?P<hybrid>hybrid\b(?![\s-]+(?:cloud|apps?|applications?|mobile|infrastructure|vehicles?"
    r"|cars?|engines?|architectures?|deployments?|search|systems?|solutions?|quantum|storage|it"
    r"|ai|ml)\b)"
    r"|(?:partially|partly)[\s-]+remote\b"
    r"|(?:[1-4]|one|two|three|four)(?:\s*(?:-|to|or)\s*(?:[1-4]|two|three|four))?\s+days?"
    r"\s+(?:(?:a|per|each)\s+week\s+)?(?:(?:in|at|from)\s+(?:the\s+|our\s+)?office"
    r"|on[\s-]?site|in[\s-]person)"
    r"|in\s+(?:the\s+)?office\s+(?:[1-4]|one|two|three|four)(?:\s*(?:-|to|or)\s*[1-4])?\s+days?)"
    r"|(?P<remote>(?:fully|completely|entirely|100\s?%)[\s-]+remote\b"
    r"|remote[\s-]+(?:first|only|friendly|position|role|job|opportunity|work(?:ing)?|company"
    r"|employee|based)\b"
    r"|work(?:ing)?[\s-]+(?:from|at)[\s-]+home\b|work(?:ing)?\s+remotely\b"
    r"|work[\s-]+from[\s-]+anywhere\b|wfh\b"
    r"|(?:this|the)\s+(?:is\s+a|role\s+is|position\s+is|job\s+is)\s+remote\b"
    r"|location:?\s*remote\b)"
    r"|(?P<onsite>on[\s-]?site\b(?![\s-]+(?:interviews?|gym|cafeteria|parking|childcare|daycare"
    r"|amenities|meals?|lunch|visits?|clinic|fitness)\b)"
    r"|in[\s-]office\b(?!\s+hours)"
    r"|in[\s-]person\b(?![\s-]+(?:interviews?|events?|meetups?|offsites?|gatherings?)\b)"
    r"|office[\s-]based\b"
    r"|(?:5|five)\s+days\s+(?:a|per)\s+week\s+(?:in|at)\s+(?:the\s+|our\s+)?office)"
    r")"
)
# Substrings every _REMOTE_TEXT branch needs: skipping the regex when none occurs is 10x cheaper.
_REMOTE_KEYWORDS = ("remote", "hybrid", "office", "home", "anywhere", "wfh", "site", "person")
# In a title or location the bare words are enough ("Remote - US", "Berlin (Hybrid)").
_REMOTE_HEADER = re.compile(
    r"\b(?:(?P<not_remote>(?:not|no|non)[\s-]+remote)|(?P<hybrid>hybrid)"
    r"|(?P<remote>remote\b(?![\s-]+(?:sensing|monitoring|pilots?|patients?|access|control"
    r"|devices?|operat\w+|viewing)\b)|anywhere|wfh)"
    r"|(?P<onsite>on[\s-]?site|in[\s-]office))\b"
)
# Recruiters' LinkedIn tags ("#LI-Remote") state the policy as plainly as a location field does.
_LINKEDIN_TAG = re.compile(r"#li-(?:(?P<remote>remote)|(?P<hybrid>hybrid)|(?P<onsite>on-?site))\b")


def detect_remote(title: str, location: str | None, description: str) -> RemotePolicy | None:
    """Remote policy from wording; title and location may use the bare words."""
    found = {m.lastgroup for m in _REMOTE_HEADER.finditer(f"{title} {location or ''}".lower())}
    text = description.lower()
    if any(keyword in text for keyword in _REMOTE_KEYWORDS):
        found.update(m.lastgroup for m in _REMOTE_TEXT.finditer(text))
        found.update(m.lastgroup for m in _LINKEDIN_TAG.finditer(text))
    if "hybrid" in found:
        return RemotePolicy.hybrid
    if "remote" in found:
        return RemotePolicy.remote
    if "onsite" in found or "not_remote" in found:
        return RemotePolicy.onsite
    return None


# --------------------------------------------------------------------------------------------
# Employment type. The title decides when it says anything. Descriptions mention other kinds of
# work in passing ("mentor our interns", "contract negotiations"), so they need a phrase. When
# several kinds appear, the rarer, more specific one wins: a "full-time internship" is an
# internship, a "full-time 6-month contract" a contract.

_EMPLOYMENT_ORDER = (
    EmploymentType.internship,
    EmploymentType.temporary,
    EmploymentType.contract,
    EmploymentType.part_time,
    EmploymentType.full_time,
)
_EMPLOYMENT_TITLE = re.compile(
    r"\b(?:(?P<internship>intern(?:ship)?s?|co-?op|apprentice(?:ship)?|working\s+student)"
    r"|(?P<temporary>temp|temporary|seasonal|fixed[\s-]term)"
    r"|(?P<contract>contract(?![\s-]+(?:manager|management|administrator|specialist|analyst"
    r"|negotiator|attorney|lawyer|counsel|officer|coordinator)\b)|contractor|freelancer?)"
    r"|(?P<part_time>part[\s-]?time)"
    r"|(?P<full_time>full[\s-]?time|permanent))\b"
)
_EMPLOYMENT_TEXT = re.compile(
    r"\b(?:(?P<internship>internships?|intern\s+(?:role|position|program(?:me)?))"
    r"|(?P<temporary>fixed[\s-]term|temporary\s+(?:role|position|contract|assignment|job|basis)"
    r"|seasonal\s+(?:role|position|job|work))"
    r"|(?P<contract>contract(?:or)?\s+(?:role|position|basis|assignment|opportunity|engagement"
    r"|job)|contract[\s-]to[\s-]hire|on\s+a\s+contract|freelancer?"
    r"|as\s+an?\s+(?:independent\s+)?contractor|\d+[\s-]months?\s+contract|1099)"
    r"|(?P<part_time>part[\s-]?time)"
    r"|(?P<full_time>full[\s-]?time|permanent\s+(?:role|position|contract|employment|job)))\b"
)

# Substrings every _EMPLOYMENT_TEXT branch needs (see _REMOTE_KEYWORDS).
_EMPLOYMENT_KEYWORDS = (
    "intern",
    "fixed",
    "temporary",
    "seasonal",
    "contract",
    "freelance",
    "1099",
    "time",
    "permanent",
)


def detect_employment_type(title: str, description: str) -> EmploymentType | None:
    """Employment type from the title, else from phrases in the description."""
    found = {m.lastgroup for m in _EMPLOYMENT_TITLE.finditer(title.lower())}
    if not found:
        text = description.lower()
        if any(keyword in text for keyword in _EMPLOYMENT_KEYWORDS):
            found = {m.lastgroup for m in _EMPLOYMENT_TEXT.finditer(text)}
    return next((kind for kind in _EMPLOYMENT_ORDER if kind.value in found), None)


# --------------------------------------------------------------------------------------------
# Seniority, from the title only: descriptions talk about other people's levels ("report to
# the Director", "mentor junior engineers"). Checked in this order, first match wins, so an
# intern is an intern whatever else the title says and a "Senior Engineering Manager" is a
# manager. Decisions: "Lead"/"Tech Lead" -> senior (an IC level, not a management one);
# "Head of" -> manager; VP -> director; "Product/Project/Program/Account... Manager" are job
# families, not management levels, so they do not make a title "manager"; no "mid" without
# explicit "mid-level"/"intermediate" (levels like "II" mean different things per company).

_SENIORITY = (
    (
        Seniority.intern,
        re.compile(r"\b(?:intern(?:ship)?|co-?op|apprentice(?:ship)?|working\s+student)s?\b"),
    ),
    (
        Seniority.executive,
        re.compile(
            r"\bchief\b(?!\s+of\s+staff)|\b(?:ceo|cto|cfo|coo|cio|cmo|cpo|ciso|c-level|c-suite)\b"
            r"|(?<!vice )(?<!vice-)\bpresident\b"
        ),
    ),
    (
        Seniority.director,
        re.compile(r"\b(?:director|vp|svp|evp|avp)\b|\bvice[\s-]+president\b"),
    ),
    (
        Seniority.manager,
        re.compile(
            r"\bhead\s+of\b|(?<!product )(?<!project )(?<!program )(?<!programme )(?<!account )"
            r"(?<!success )(?<!community )(?<!relationship )(?<!partner )(?<!partnerships )"
            r"(?<!territory )(?<!case )\bmanager\b"
        ),
    ),
    (Seniority.principal, re.compile(r"\bprincipal\b")),
    (
        Seniority.staff,
        re.compile(
            r"(?<!of )\bstaff\b(?![\s-]+(?:accountant|nurse|auditor|attorney|pharmacist|physician"
            r"|writer|assistant|member|scheduler)\b)"
        ),
    ),
    (Seniority.senior, re.compile(r"\b(?:senior|sr|snr)\b|\blead\b(?![\s-]+gen)")),
    (Seniority.mid, re.compile(r"\bmid[\s-]?level\b|\bintermediate\b")),
    (
        Seniority.junior,
        re.compile(r"\b(?:junior|jr|graduate|grad|trainee)\b|\bentry[\s-]?level\b"),
    ),
)


def detect_seniority(title: str) -> Seniority | None:
    """Seniority from the job title; None without evidence."""
    lowered = title.lower()
    for level, pattern in _SENIORITY:
        if pattern.search(lowered):
            return level
    return None


# --------------------------------------------------------------------------------------------
# Salary. An amount only counts with a currency marker next to it (symbol or ISO code), which is
# what keeps "401(k)", "2024", "10+ years" and "a team of 50" out. Amounts inside funding,
# bonus or perk sentences are skipped; amounts introduced as salary/compensation/pay are
# preferred over others. A single amount is min = max, "up to X" is max only, "from X"/"X+"
# is min only.

_DOLLAR_PREFIXES = {
    "": "USD",
    "US": "USD",
    "CA": "CAD",
    "CAD": "CAD",
    "C": "CAD",
    "AU": "AUD",
    "AUD": "AUD",
    "A": "AUD",
    "NZ": "NZD",
    "NZD": "NZD",
    "S": "SGD",
    "SG": "SGD",
    "SGD": "SGD",
    "HK": "HKD",
    "HKD": "HKD",
    "MX": "MXN",
    "R": "BRL",
}
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_CODES = frozenset(
    {
        "USD",
        "EUR",
        "GBP",
        "CAD",
        "AUD",
        "NZD",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "JPY",
        "CNY",
        "INR",
        "SGD",
        "HKD",
        "BRL",
        "MXN",
        "ZAR",
        "ILS",
        "AED",
        "KRW",
    }
)
_CODE_ALIASES = {"RMB": "CNY"}
# Currencies whose salaries routinely run to millions; the sanity caps below do not apply.
HIGH_DENOMINATION = frozenset({"JPY", "KRW", "INR", "HUF", "CNY"})
# What one period's pay can plausibly be: outside these, the amounts or the period are wrong.
PERIOD_MIN = {
    SalaryPeriod.hour: 1,
    SalaryPeriod.day: 10,
    SalaryPeriod.week: 50,
    SalaryPeriod.month: 100,
    SalaryPeriod.year: 1_000,
}
PERIOD_MAX = {
    SalaryPeriod.hour: 2_000,
    SalaryPeriod.day: 20_000,
    SalaryPeriod.week: 100_000,
    SalaryPeriod.month: 500_000,
    SalaryPeriod.year: 5_000_000,
}

_CODE_RE = "|".join(sorted(_CODES | _CODE_ALIASES.keys()))
_SYMBOL_RE = (
    r"(?<![A-Za-z])(?:"
    + "|".join(sorted((re.escape(p) for p in _DOLLAR_PREFIXES if p), key=len, reverse=True))
    + r")?\$|[€£¥₹₩]"
)
_NUMBER_RE = (
    r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?!\d)"  # 120,000 / 60.000 / 60 000
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?!\d)"  # Indian grouping: 12,00,000
    r"|\d+(?:[.,]\d{1,2})?(?!\d)"
)


def _side(g: str) -> str:
    return (
        rf"(?:\b(?P<code{g}>{_CODE_RE})\s?)?(?P<sym{g}>{_SYMBOL_RE})?\s?"
        rf"(?P<num{g}>{_NUMBER_RE})(?:\s?(?P<k{g}>[kK])(?![A-Za-z]))?(?![A-Za-z%])"
        r"(?![.,]\d)"  # "$6.7M": never read as "$6"
        r"(?!\s*(?i:million|millionen|billion|milliarden|trillion|mio|mrd|mn|bn|mm|m|b)\b)"
        rf"(?:\s?(?:(?P<post{g}>{_CODE_RE})\b|(?P<postsym{g}>[€£])))?"
    )


_AMOUNT = re.compile(
    r"(?=[\dA-Z$€£¥₹₩])"  # cheap rejection of most positions
    + _side("1")
    + r"(?:\s*(?:[-\u2012\u2013\u2014]|\bto\b|\band\b)\s*(?P<hi>"
    + _side("2")
    + "))?"
)
_CODE_HINT = re.compile(_CODE_RE)  # literal branches: the engine skips lowercase text fast
_DECIMAL = re.compile(r"(.*?)[.,](\d{1,2})")

_UNITS = {
    "year": SalaryPeriod.year,
    "yr": SalaryPeriod.year,
    "annum": SalaryPeriod.year,
    "annual": SalaryPeriod.year,
    "annually": SalaryPeriod.year,
    "yearly": SalaryPeriod.year,
    "pa": SalaryPeriod.year,
    "hour": SalaryPeriod.hour,
    "hr": SalaryPeriod.hour,
    "h": SalaryPeriod.hour,
    "hourly": SalaryPeriod.hour,
    "ph": SalaryPeriod.hour,
    "p/h": SalaryPeriod.hour,
    "month": SalaryPeriod.month,
    "mo": SalaryPeriod.month,
    "mth": SalaryPeriod.month,
    "monthly": SalaryPeriod.month,
    "pcm": SalaryPeriod.month,
    "day": SalaryPeriod.day,
    "daily": SalaryPeriod.day,
    "week": SalaryPeriod.week,
    "wk": SalaryPeriod.week,
    "weekly": SalaryPeriod.week,
}
_PERIOD_AFTER = re.compile(
    r"[\s,(]*(?:(?:gross|base|salary|pay|compensation|total|ote|before\s+tax)\s+)*"
    r"(?:(?:/\s*|per\s+|an?\s+|each\s+)(?P<unit>year|yr|annum|hour|hr|h|month|mth|mo|day|week|wk)\b"
    r"|(?P<adv>annually|annual|yearly|hourly|monthly|daily|weekly|p\.\s?a\.?|(?-i:pa)|pcm|p/h|ph)"
    r"(?![A-Za-z]))",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?P<adv>annual(?:ly)?|yearly|hourly|monthly|weekly|daily)\b|\bday\s+rate\b(?P<day>)",
    re.IGNORECASE,
)
_MAX_ONLY = re.compile(
    r"\b(?:up\s+to|max(?:imum)?(?:\s+of)?|not\s+to\s+exceed|as\s+much\s+as)\s*:?\s*$", re.IGNORECASE
)
_MIN_ONLY = re.compile(
    r"\b(?:from|starting\s+(?:at|from)|starts\s+at|min(?:imum)?(?:\s+of)?|at\s+least"
    r"|upwards\s+of|in\s+excess\s+of)\s*:?\s*$",
    re.IGNORECASE,
)
_NOT_SALARY_AFTER = re.compile(
    r"[\s,]*(?:(?!plus\b|and\b|with\b)[\w-]+\s+){0,2}?(?:bonus|stipend|budget|allowance"
    r"|reimbursement|credit|grant|match|gift|voucher|relocation|referral|funding|revenue"
    r"|valuation|arr|in\s+(?:funding|revenue|sales))\b",
    re.IGNORECASE,
)
_NOT_SALARY_BEFORE = re.compile(
    r"\b(?:raised|raising|funding|funded|revenue|valuation|valued|arr|bonus|stipend|budget"
    r"|allowance|reimburse\w*|invested|investment|backed|series\s+[a-e])\b[^.;\n]{0,25}$",
    re.IGNORECASE,
)
# A lone amount in a sentence about perks, deals or loans, and not about pay, is not a salary:
# "Up to $200 per year for wellbeing expenses", "commuter benefit; $200 per month", "ACVs of
# €50k+", "an $11,000 loan" (each seen read as pay on real postings). "Plus benefits" and the like
# add to a salary rather than name a perk, so they are left out first.
_PERK_CONTEXT = re.compile(
    r"\b(?:loans?|expenses?|benefits?|perks?|well-?being|wellness|commut\w*|set-?up|equipment"
    r"|acvs?|deals?|quotas?|contract\s+values?|insurance|pension|gym|childcare|tuition"
    r"|donations?)\b",
    re.IGNORECASE,
)
_ADDED_TO_PAY = re.compile(
    r"(?:\+|\bplus\b|\band\b|\bwith\b|&)\s*(?:[\w-]+\s+){0,2}?(?:benefits?|perks?|bonus(?:es)?"
    r"|equity)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_SALARY_CONTEXT = re.compile(
    r"\b(?:salary|salaries|compensation|pay|paid|wage|wages|rate|range|ote|base|earn|earnings"
    r"|remuneration|package)\b",
    re.IGNORECASE,
)


def _amount(m: re.Match[str], g: str) -> float:
    raw = re.sub(r"[\s\u00a0\u202f]", "", m[f"num{g}"])
    if decimal := _DECIMAL.fullmatch(raw):
        return float(decimal[1].replace(",", "").replace(".", "") + "." + decimal[2])
    return float(raw.replace(",", "").replace(".", ""))


def _currency(m: re.Match[str]) -> str | None:
    """ISO code: a written code wins over a symbol ("$120k CAD" is CAD)."""
    for key in ("code1", "post1", "code2", "post2"):
        if code := m[key]:
            return _CODE_ALIASES.get(code, code)
    for key in ("sym1", "postsym1", "sym2", "postsym2"):
        if symbol := m[key]:
            return _SYMBOLS.get(symbol) or _DOLLAR_PREFIXES[symbol[:-1]]
    return None


def _period(text: str, start: int, end: int, top: float) -> SalaryPeriod | None:
    if after := _PERIOD_AFTER.match(text, end):
        word = after["unit"] or after["adv"]
        return _UNITS[re.sub(r"[\s.]", "", word.lower())]
    window = text[max(0, start - 60) : start]
    window = re.split(r"[.;\n]", window)[-1]  # the same sentence only
    found = None
    for before in _PERIOD_BEFORE.finditer(window):
        found = SalaryPeriod.day if before["day"] is not None else _UNITS[before["adv"].lower()]
    if found:
        return found
    if top >= 10_000:
        return SalaryPeriod.year
    if top < 500:
        return SalaryPeriod.hour
    return None


def parse_salary(text: str) -> Salary | None:
    """The posting's salary from free text, or None; see the module notes on what counts."""
    if not any(symbol in text for symbol in "$€£¥₹₩") and not _CODE_HINT.search(text):
        return None
    best: tuple[tuple[bool, bool], Salary] | None = None
    pos = 0
    while m := _AMOUNT.search(text, pos):
        pos = m.end()
        marked_lo = any(m[k] for k in ("code1", "sym1", "post1", "postsym1"))
        marked_hi = m["hi"] is not None and any(
            m[k] for k in ("code2", "sym2", "post2", "postsym2")
        )
        if not marked_lo and not (m["post2"] or m["postsym2"]):
            if marked_hi:  # "team of 10 - $150k": the salary starts at the second amount
                pos = m.start("hi")
            continue
        candidate = _salary_from_match(text, m)
        if candidate is None:
            continue
        score = (
            bool(_SALARY_CONTEXT.search(text, max(0, m.start() - 60), m.start())),
            m["hi"] is not None,
        )
        if best is None or score > best[0]:
            best = (score, candidate)
        if score == (True, True):
            break
    return best[1] if best else None


def _salary_from_match(text: str, m: re.Match[str]) -> Salary | None:
    start, end = m.start(), m.end()
    if _NOT_SALARY_AFTER.match(text, end):
        return None
    if _NOT_SALARY_BEFORE.search(text, max(0, start - 40), start) and not _SALARY_CONTEXT.search(
        text, max(0, start - 40), start
    ):  # "bonus of up to $20k", but "salary and bonus: $150k-$180k" is a salary
        return None
    if m["hi"] is None and _about_perks(text, start, end):
        return None
    lo = _amount(m, "1")
    hi = _amount(m, "2") if m["hi"] is not None else None
    if hi is not None:
        # "$120-150k" and "€60k-80k": a k on one side applies to a small bare number on the other.
        if m["k1"]:
            lo *= 1000
            if not m["k2"] and hi < 1000:
                hi *= 1000
        if m["k2"]:
            hi *= 1000
            if not m["k1"] and lo < 1000:
                lo *= 1000
    elif m["k1"]:
        lo *= 1000
    low: float | None = lo
    high: float | None = hi
    if hi is None:
        before = text[max(0, start - 25) : start]
        if _MAX_ONLY.search(before):
            low, high = None, lo
        elif _MIN_ONLY.search(before) or text.startswith("+", end):
            low, high = lo, None
        else:
            low, high = lo, lo
    amounts = [a for a in (low, high) if a is not None]
    if any(a <= 0 for a in amounts) or (low is not None and high is not None and low > high):
        return None
    currency = _currency(m)
    period = _period(text, start, end, max(amounts))
    if (
        period is not None
        and currency not in HIGH_DENOMINATION
        and max(amounts) > PERIOD_MAX[period]
    ):
        return None
    return Salary(min=low, max=high, currency=currency, period=period)


def _about_perks(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] speaks of perks, deals or loans, not pay."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    sentence = _ADDED_TO_PAY.sub(
        " ", text[ends[-1] if ends else 0 : after.start() if after else None]
    )
    return bool(_PERK_CONTEXT.search(sentence)) and not _SALARY_CONTEXT.search(sentence)


def salary_problem(salary: Salary | None) -> str | None:
    """Why a salary cannot be right (unknown currency, or see `amount_problem`), or None."""
    if salary is None:
        return None
    if salary.currency and pycountry.currencies.get(alpha_3=salary.currency) is None:
        return f"currency {salary.currency!r} is not an ISO 4217 code"
    return amount_problem(salary)


def amount_problem(salary: Salary | None) -> str | None:
    """Why a salary's amounts cannot be right (not positive, min above max, unfit for the
    period), or None."""
    if salary is None:
        return None
    amounts = [a for a in (salary.min, salary.max) if a is not None]
    if any(a <= 0 for a in amounts):
        return "amounts must be positive"
    if salary.min is not None and salary.max is not None and salary.min > salary.max:
        return f"min {salary.min:.10g} is above max {salary.max:.10g}"
    if salary.period and amounts:
        low, high = PERIOD_MIN[salary.period], PERIOD_MAX[salary.period]
        if (salary.currency or "").upper() in HIGH_DENOMINATION:
            high = float("inf")
        if min(amounts) < low or max(amounts) > high:
            shown = "-".join("?" if a is None else f"{a:.10g}" for a in (salary.min, salary.max))
            return f"{shown} does not fit {_PERIOD_ADJECTIVE[salary.period]} salary"
    return None


_PERIOD_ADJECTIVE = {
    SalaryPeriod.hour: "an hourly",
    SalaryPeriod.day: "a daily",
    SalaryPeriod.week: "a weekly",
    SalaryPeriod.month: "a monthly",
    SalaryPeriod.year: "a yearly",
}


# --------------------------------------------------------------------------------------------
# Title and locations

_GENDER_MARKER = re.compile(
    r"\(\s*(?:[mwfdxhi*]\s*/\s*)+(?:[mwfdxhi*]|diverse?)\s*\)|\b[mwfd]\s*/\s*[mwfd]\s*/\s*[dxi]\b"
    r"|\(\s*all\s+genders?\s*\)|\(\s*gn\s*\)",
    re.IGNORECASE,
)
_REQUISITION = re.compile(
    r"[\[(]\s*(?:req\w*\s*)?#?\s*[A-Z]*-?\d{3,}\s*[\])]"
    r"|\b(?:req(?:uisition)?|job)\s*(?:id)?\s*[#:]\s*[^\s()\[\]]+|\breq-\d{3,}\b",
    re.IGNORECASE,
)
_ABBREVIATIONS = {
    r"\bsr\b\.?": "Senior",
    r"\bsnr\b\.?": "Senior",
    r"\bjr\b\.?": "Junior",
    r"\bmgr\b\.?": "Manager",
    r"\bassoc\b\.?": "Associate",
}
_ABBREVIATION_RES = [(re.compile(k, re.IGNORECASE), v) for k, v in _ABBREVIATIONS.items()]


def normalize_title(title: str) -> str:
    """The title without gender markers or requisition codes, abbreviations spelled out."""
    text = _REQUISITION.sub(" ", _GENDER_MARKER.sub(" ", title))
    for pattern, word in _ABBREVIATION_RES:
        text = pattern.sub(word, text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" -|,/:;")
    return (text or title.strip())[:200]


# Areas wider than a country: no city, no single country.
_AREAS = frozenset(
    {
        "africa",
        "americas",
        "apac",
        "asia",
        "asia pacific",
        "emea",
        "eu",
        "europe",
        "global",
        "latam",
        "latin america",
        "north america",
        "south america",
        "worldwide",
    }
)
_WORK_MODE = re.compile(
    r"^\s*(?:fully\s+)?(?:remote|hybrid|on-?site|anywhere)\b[\s:(\-\u2013\u2014,]*"
    r"(?:(?:in|within|from)\s+(?:the\s+)?)?|[\s(\-\u2013\u2014,]*\b(?:remote|hybrid"
    r"|on-?site)\b\s*\)?\s*$",
    re.IGNORECASE,
)
_PLACE_SEPARATORS = re.compile(r"\s*(?:;|\||\n|\s/\s|\bor\b|\s&\s)\s*")


def _subdivision(code: str) -> str | None:
    """The country of a US state or Canadian province code ("CA" is California here)."""
    for country in ("US", "CA"):
        if pycountry.subdivisions.get(code=f"{country}-{code.upper()}"):
            return country
    return None


def parse_location(text: str) -> Location | None:
    """One place: "Berlin, Germany", "Austin, TX", "Toronto, ON, Canada", "Remote - US"."""
    text = _WORK_MODE.sub("", text).strip(" ()-\u2013\u2014,")
    parts = [p for p in (p.strip() for p in text.split(",")) if p and p.lower() not in _AREAS]
    if not parts:
        return None
    city = region = country = None
    last = parts[-1]
    if len(parts) > 1 and len(last) == 2 and last.isupper() and (country := _subdivision(last)):
        region = last
    else:
        country = country_code(last)
    rest = parts[:-1] if country else parts
    if rest:
        city = rest[0]
        if len(rest) > 1 and region is None:
            region = rest[1]
    if not (city or country):
        return None
    return Location(city=city and city[:100], region=region and region[:100], country=country)


def parse_locations(location: str | None) -> list[Location]:
    """Every place a location field names, deduplicated, in order."""
    found: list[Location] = []
    for part in _PLACE_SEPARATORS.split(location or ""):
        place = parse_location(part)
        if place is not None and place not in found:
            found.append(place)
    return found[:10]


# --------------------------------------------------------------------------------------------
# The backend


class RulesEnricher:
    """Deterministic regex and vocabulary backend: reads title, location and description."""

    name = "rules"
    model = None
    batch_size = None  # instant: nothing to stop between

    def enrich(self, postings: list[Posting]) -> tuple[list[Enrichment], Usage]:
        provenance = Provenance(backend=self.name)
        enrichments = [
            Enrichment(**self.fields(p).model_dump(), provenance=provenance) for p in postings
        ]
        return enrichments, Usage()

    def fields(self, posting: Posting) -> PostingFields:
        title, description = posting.title, posting.description
        return PostingFields(
            title=normalize_title(title),
            seniority=detect_seniority(title),
            employment_type=detect_employment_type(title, description),
            remote=detect_remote(title, posting.location, description) or RemotePolicy.unknown,
            locations=parse_locations(posting.location),
            salary=parse_salary(description) or parse_salary(title),
            skills=extract_skills(f"{title}\n{description}"),
            summary=None,  # a summary needs a model
        )
