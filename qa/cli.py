"""The ``newsdesk`` command: a click group whose subcommands live one module each.

This module owns only the group and the error boundary: a ``NewsdeskError``
becomes one clear line on stderr and its documented exit code, never a
traceback. Subcommand modules register themselves with ``@cli.command``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys

import click

from index.errors import NewsdeskError
from index.settings import Settings


class AppContext:
    """What every subcommand receives: the settings, built once per invocation."""

    def __init__(self) -> None:
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings()
            except Exception as exc:  # pydantic ValidationError: a bad NEWSDESK_* value
                from index.errors import ConfigError

                raise ConfigError(
                    f"invalid setting: {exc} — fix the NEWSDESK_* variable or .env entry"
                ) from exc
        return self._settings


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for date options: a bad date is a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-01-31") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdesk")
def cli() -> None:
    """newsdesk: ask questions about news articles, get answers citing the exact sentence.

    Settings come from NEWSDESK_* environment variables or a .env file
    (see .env.example). Exit codes: 0 ok, 1 some inputs failed, 2 bad
    setting or usage, 3 bad article, 4 model problem, 5 store unavailable,
    6 index busy, 7 limit exceeded, 8 empty index, 9 LLM unavailable,
    10 bad dataset.
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point with the user-facing error boundary."""
    _register_commands(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=argv, prog_name="newsdesk", standalone_mode=False)
    except NewsdeskError as exc:
        click.secho(f"error: {exc}", err=True, fg="red")
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


#: The module that registers each command, so that a cold `newsdesk ask` imports
#: only its own (the eval command's rich and runner modules are not its business).
#: A command missing here still works: every module is then imported.
_COMMAND_MODULES = {
    "ask": "qa.cli_ask",
    "chat": "qa.cli_chat",
    "ingest": "qa.cli_index",
    "delete": "qa.cli_index",
    "stats": "qa.cli_index",
    "chroma": "qa.cli_index",
    "reader": "qa.cli_reader",
    "services": "qa.cli_server_mode",
    "migrate": "qa.cli_server_mode",
    "serve": "qa.cli_service",
    "mcp": "qa.cli_service",
    "token": "qa.cli_service",
    "eval": "qa.eval.cli",
    "stories": "qa.cli_stories",
}


def _register_commands(argv: list[str] | None = None) -> None:
    """Import the subcommand modules (each adds itself to ``cli``): only the named
    command's when ``argv`` names a known one, else all (``--help`` lists them)."""
    command = next((a for a in argv or [] if not a.startswith("-")), None)
    if command in _COMMAND_MODULES:
        importlib.import_module(_COMMAND_MODULES[command])
        return
    # Each module registers its commands on ``cli``; kept here so ``qa`` imports stay light.
    for module in (
        "qa.cli_ask",
        "qa.cli_chat",
        "qa.cli_index",
        "qa.cli_reader",
        "qa.cli_server_mode",
        "qa.cli_service",
        "qa.eval.cli",
        "qa.cli_stories",
    ):
        importlib.import_module(module)
