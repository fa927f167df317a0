"""The skills vocabulary: canonical names analysts filter on, and how text mentions them.

One vocabulary serves every enrichment backend: the rules backend finds its names in text, and a
model's answer is normalised against it (aliases to canonical names, anything else dropped), so
a skill is spelled one way whichever backend produced it.
"""

import re
from collections.abc import Iterable

# Canonical name -> aliases, matched case-insensitively as whole tokens ("Node.js" is
# not "js", "python.org" is not Python). Words that are also ordinary English are matched
# case-sensitively (_CASED_SKILLS), and "Go" and "R" only in a programming context. "C" is
# never matched.

SKILLS: dict[str, tuple[str, ...]] = {
    # Languages
    "Python": ("python",),
    "Java": ("java",),
    "JavaScript": ("javascript", "js", "ecmascript"),
    "TypeScript": ("typescript",),
    "Go": ("golang",),
    "Rust": (),
    "C++": ("c++", "cpp"),
    "C#": ("c#", "csharp"),
    "Ruby": ("ruby",),
    "PHP": ("php",),
    "Kotlin": ("kotlin",),
    "Swift": (),
    "Objective-C": ("objective-c", "objective c", "objc"),
    "Scala": ("scala",),
    "Elixir": ("elixir",),
    "Erlang": ("erlang",),
    "Haskell": ("haskell",),
    "Clojure": ("clojure",),
    "OCaml": ("ocaml",),
    "F#": ("f#",),
    "Perl": ("perl",),
    "Lua": ("lua",),
    "Dart": (),
    "Julia": (),
    "R": (),
    "MATLAB": ("matlab",),
    "SAS": (),
    "Solidity": ("solidity",),
    "SQL": ("sql",),
    "Bash": ("bash",),
    "PowerShell": ("powershell",),
    "HTML": ("html", "html5"),
    "CSS": ("css", "css3"),
    "GraphQL": ("graphql",),
    # Frameworks and libraries
    "React": ("react.js", "reactjs"),
    "React Native": ("react native",),
    "Angular": ("angular", "angularjs", "angular.js"),
    "Vue.js": ("vue", "vue.js", "vuejs"),
    "Svelte": ("svelte", "sveltekit"),
    "Next.js": ("next.js", "nextjs"),
    "Node.js": ("node.js", "nodejs"),
    "Express": ("express.js", "expressjs"),
    "jQuery": ("jquery",),
    "Redux": ("redux",),
    "Tailwind CSS": ("tailwind", "tailwindcss", "tailwind css"),
    "Django": ("django",),
    "Flask": ("flask",),
    "FastAPI": ("fastapi",),
    "Spring Boot": ("spring boot", "springboot", "spring framework"),
    "Ruby on Rails": ("ruby on rails", "ror"),
    "Laravel": ("laravel",),
    "Symfony": ("symfony",),
    ".NET": (".net", "dotnet", ".net core"),
    "ASP.NET": ("asp.net", "asp.net core"),
    "Flutter": ("flutter",),
    "SwiftUI": ("swiftui",),
    "iOS": ("ios",),
    "Android": ("android",),
    "Unreal Engine": ("unreal engine",),
    # Databases and stores
    "PostgreSQL": ("postgresql", "postgres", "psql"),
    "MySQL": ("mysql",),
    "SQLite": ("sqlite",),
    "SQL Server": ("sql server", "mssql", "ms sql"),
    "Oracle Database": ("oracle database", "oracle db", "pl/sql", "plsql"),
    "MongoDB": ("mongodb", "mongo"),
    "Redis": ("redis",),
    "Memcached": ("memcached",),
    "Cassandra": ("cassandra",),
    "DynamoDB": ("dynamodb",),
    "Elasticsearch": ("elasticsearch", "elastic search"),
    "OpenSearch": ("opensearch",),
    "Neo4j": ("neo4j",),
    "ClickHouse": ("clickhouse",),
    "NoSQL": ("nosql",),
    "Firebase": ("firebase",),
    # Data and ML
    "Snowflake": ("snowflake",),
    "BigQuery": ("bigquery", "big query"),
    "Redshift": ("redshift",),
    "Databricks": ("databricks",),
    "DuckDB": ("duckdb",),
    "Spark": ("apache spark", "pyspark", "spark sql"),
    "Kafka": ("kafka", "apache kafka"),
    "Flink": ("flink", "apache flink"),
    "Hadoop": ("hadoop",),
    "Airflow": ("apache airflow",),
    "dbt": (),
    "Dagster": ("dagster",),
    "Prefect": ("prefect",),
    "Fivetran": ("fivetran",),
    "Trino": ("trino",),
    "Presto": ("presto", "prestodb"),
    "pandas": ("pandas",),
    "NumPy": ("numpy",),
    "SciPy": ("scipy",),
    "Polars": ("polars",),
    "scikit-learn": ("scikit-learn", "scikit learn", "sklearn"),
    "PyTorch": ("pytorch",),
    "TensorFlow": ("tensorflow",),
    "Keras": ("keras",),
    "Hugging Face": ("hugging face", "huggingface"),
    "LangChain": ("langchain",),
    "OpenCV": ("opencv",),
    "CUDA": ("cuda",),
    "MLflow": ("mlflow",),
    "Jupyter": ("jupyter",),
    "Tableau": ("tableau",),
    "Power BI": ("power bi", "powerbi"),
    "Looker": ("looker",),
    "Excel": ("ms excel", "microsoft excel"),
    # Cloud, infrastructure, tooling
    "AWS": ("aws", "amazon web services"),
    "GCP": ("gcp", "google cloud", "google cloud platform"),
    "Azure": ("azure", "microsoft azure"),
    "Docker": ("docker",),
    "Kubernetes": ("kubernetes", "k8s"),
    "Helm": (),
    "Terraform": ("terraform",),
    "Pulumi": ("pulumi",),
    "CloudFormation": ("cloudformation",),
    "Ansible": ("ansible",),
    "Jenkins": ("jenkins",),
    "GitHub Actions": ("github actions",),
    "CircleCI": ("circleci",),
    "Git": ("git",),
    "Linux": ("linux",),
    "Nginx": ("nginx",),
    "Prometheus": ("prometheus",),
    "Grafana": ("grafana",),
    "Datadog": ("datadog",),
    "Splunk": ("splunk",),
    "OpenTelemetry": ("opentelemetry",),
    "RabbitMQ": ("rabbitmq",),
    "Celery": (),
    "gRPC": ("grpc",),
    "Selenium": ("selenium",),
    "Cypress": ("cypress.io",),
    "Playwright": ("playwright",),
    "Jest": ("jest",),
    "pytest": ("pytest",),
    "JUnit": ("junit",),
    "Figma": ("figma",),
    "Jira": ("jira",),
    "Salesforce": ("salesforce",),
    "HubSpot": ("hubspot",),
}
# Ordinary English words (or names, places, therapies) that only count written the way the
# technology is: "react to", "swift", "at the helm", "airflow" in HVAC, "DBT" therapy.
_CASED_SKILLS = {
    "React": "React",
    "Rust": "Rust",
    "Swift": "Swift",
    "Dart": "Dart",
    "Julia": "Julia",
    "SAS": "SAS",
    "Spark": "Spark",
    "Excel": "Excel",
    "Helm": "Helm",
    "Rails": "Ruby on Rails",
    "Airflow": "Airflow",
    "dbt": "dbt",
    "Celery": "Celery",
}
_LANGS_FOR_R = r"python|sql|sas|stata|spss|matlab|julia|scala|excel|tableau"


def _key(alias: str) -> str:
    return re.sub(r"[\s-]+", " ", alias.lower())


_ALIASES = {_key(alias): name for name, aliases in SKILLS.items() for alias in aliases}


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation factored by prefix, so the regex engine branches once per character."""
    trie: dict = {}
    for word in words:
        node = trie
        for atom in (r"[\s-]+" if ch == " " else re.escape(ch) for ch in word):
            node = node.setdefault(atom, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [atom + build(child) for atom, child in node.items() if atom]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


_TOKEN_START = r"(?<![\w.@+#])"
_TOKEN_END = r"(?![\w+#]|\.[A-Za-z0-9])"
_SKILL_RE = re.compile(_TOKEN_START + "(?:" + _trie_regex(_ALIASES) + ")" + _TOKEN_END)
# Literal first, word-start check after it: lets the regex engine skip ahead by literal prefix.
_CASED_SKILL_RE = re.compile(
    "(?:" + "|".join(rf"{word}(?<![\w.@+#]{word})" for word in _CASED_SKILLS) + ")"
    r"(?![\s-]+Native)" + _TOKEN_END
)
# "Go" counts in a programming context only: in a list, after in/with/using, before a tech noun.
# Never "Go to market", "go-to-market", "Go-live".
_GO_RE = re.compile(r"Go(?<!\wGo)\b(?![\s-]+(?:to|live|ahead)\b|-)")
_GO_BEFORE = re.compile(r"(?:[,/(&]\s?|\b(?:in|with|using|or|and)\s)$")
_GO_AFTER = re.compile(
    r"\s*[,/)]|\s+\(|\s+(?:and|or)\s|\s+(?i:programming|lang|language|developers?|engineers?"
    r"|services|microservices|backend|code|modules)\b"
)
# "R" counts next to another analysis language ("Python or R", "R/SQL") or as "R programming".
_R_RE = re.compile(r"R(?<![\w&.'\u2019-]R)(?![\w&+#'\u2019-])")
_R_BEFORE = re.compile(rf"(?i:{_LANGS_FOR_R})\s*(?:,|/|\bor\b|\band\b)\s*$")
_R_AFTER = re.compile(
    rf"\s*(?:,|/|\bor\b|\band\b)\s*(?i:{_LANGS_FOR_R})\b|\s+(?i:programming|language)\b"
)


def _in_context(
    token: re.Pattern[str], before: re.Pattern[str], after: re.Pattern[str], text: str
) -> bool:
    return any(
        before.search(text, max(0, m.start() - 20), m.start()) or after.match(text, m.end())
        for m in token.finditer(text)
    )


def extract_skills(text: str) -> list[str]:
    """Canonical skill names mentioned in the text, sorted and deduplicated."""
    found = {_ALIASES[_key(m)] for m in _SKILL_RE.findall(text.lower())}
    found.update(_CASED_SKILLS[m] for m in _CASED_SKILL_RE.findall(text))
    if "Go" not in found and _in_context(_GO_RE, _GO_BEFORE, _GO_AFTER, text):
        found.add("Go")
    if "RStudio" in text or _in_context(_R_RE, _R_BEFORE, _R_AFTER, text):
        found.add("R")
    return sorted(found)


_CANONICAL = {_key(name): name for name in SKILLS}


def normalize_skills(names: Iterable[str]) -> list[str]:
    """Canonical vocabulary names for a list of skills (aliases mapped, unknown names dropped)."""
    found = set()
    for name in names:
        key = _key(name.strip())
        if canonical := _CANONICAL.get(key) or _ALIASES.get(key):
            found.add(canonical)
    return sorted(found)
