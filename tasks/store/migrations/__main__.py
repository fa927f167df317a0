"""Alembic's command line for these migrations, without an alembic.ini:

    DATABASE_URL=sqlite:///scratch.db python -m tasks.store.migrations upgrade head
    DATABASE_URL=sqlite:///scratch.db python -m tasks.store.migrations revision \
        --autogenerate -m "..."

The database is DATABASE_URL, else the pipeline's default SQLite file. Applications do not need
this: `tasks.store.persist.open_database` upgrades (with locking and adoption of older databases).
"""

import logging
import sys

from alembic.config import CommandLine

from tasks.settings import Settings
from tasks.store.migrations import alembic_config


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog="python -m tasks.store.migrations")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-5.5s [%(name)s] %(message)s")
    settings = Settings()
    config = alembic_config()
    url = settings.database_url_for(settings.output_dir)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    # New revision files come out linted and formatted like the rest of the code.
    hooks = {"ruff_fix": "check --fix --quiet", "ruff_format": "format --quiet"}
    config.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
    for name, command in hooks.items():
        config.set_section_option("post_write_hooks", f"{name}.type", "module")
        config.set_section_option("post_write_hooks", f"{name}.module", "ruff")
        config.set_section_option(
            "post_write_hooks", f"{name}.options", f"{command} REVISION_SCRIPT_FILENAME"
        )
    cli.run_cmd(config, options)


if __name__ == "__main__":
    main(sys.argv[1:])
