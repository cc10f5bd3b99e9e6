"""The `yizhan` command: database, deployment, demo data, web server and scheduler."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from engine import definitions, schema, users
from engine.demo import DEMO_PASSWORD, load_demo
from engine.errors import YizhanError
from engine.runtime import Runtime
from engine.scheduler import run_blocking
from engine.users import SYSTEM

from . import config as config_module


def _runtime(url: str | None) -> Runtime:
    return Runtime.from_url(url or config_module.from_environment()["DATABASE_URL"])


def _url(url: str | None) -> str:
    return url or config_module.from_environment()["DATABASE_URL"]


database_option = click.option("--database-url", envvar="DATABASE_URL", default=None,
                               help="SQLAlchemy URL; default: SQLite file under ./instance (or $DATABASE_URL).")


class _Group(click.Group):
    """Engine errors are printed as plain messages, never as tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except YizhanError as exc:
            raise click.ClickException(exc.message) from exc


@click.group(cls=_Group, help="Yizhan (一站): one-stop dispute mediation workflow.")
def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # APScheduler reports every run of the timer job and SpiffWorkflow every task state change at INFO;
    # only their warnings matter to an operator.
    for chatty in ("apscheduler", "spiff"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


@main.command("init-db", help="Create or upgrade the database schema and load the departments.")
@database_option
def init_db(database_url: str | None) -> None:
    url = _url(database_url)
    schema.upgrade(url)
    schema.seed_departments(_runtime(url))
    click.echo(f"database ready: {url}")


@main.command(help="Deploy BPMN/DMN files: PATH is a .bpmn/.dmn file or a directory of them. "
                   "Files that replace part of a deployed process become its next version.")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@database_option
def deploy(path: Path, database_url: str | None) -> None:
    info = definitions.deploy(_runtime(database_url), definitions.files_from_path(path), by=SYSTEM)
    state = "deployed" if info.created else "unchanged"
    click.echo(f"{state}: {info.key} v{info.version} ({', '.join(info.files)})")


@main.command(help="Set up a demo: schema, departments, the diagrams under workflows/, one user per "
                   "department and role, and a few cases at different stages. Prints the logins.")
@database_option
def demo(database_url: str | None) -> None:
    url = _url(database_url)
    schema.upgrade(url)
    rt = _runtime(url)
    schema.seed_departments(rt)
    workflows = Path(config_module.from_environment()["WORKFLOWS_DIR"])
    definitions.deploy(rt, definitions.files_from_path(workflows), by=SYSTEM)
    report = load_demo(rt)
    click.echo(f"demo data ready in {url}")
    click.echo(f"{len(report.cases)} demo cases: {', '.join(report.cases)}")
    click.echo(f"logins (password {DEMO_PASSWORD}):")
    for line in report.logins:
        click.echo(f"  {line}")


@main.command(help="Serve the web application (embedded scheduler included unless --no-scheduler).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Fire due timers inside this process (the one-machine default).")
def serve(host: str, port: int, scheduler: bool) -> None:
    from waitress import serve as waitress_serve

    from engine.scheduler import start_background

    from . import create_app
    app = create_app()
    if scheduler:
        start_background(app.extensions["yizhan"], app.config["SCHEDULER_INTERVAL_SECONDS"])
    base = f"http://{host}:{port}"
    click.echo(f"Yizhan is serving on {base}/  — sign in at {base}/login  (API: {base}/api/v1/openapi.json)")
    waitress_serve(app, host=host, port=port, threads=8)


@main.command(help="Run the timer scheduler as its own process (for deployments with several web workers).")
@database_option
@click.option("--interval", default=15.0, show_default=True, help="Seconds between checks for due timers.")
def scheduler(database_url: str | None, interval: float) -> None:
    click.echo("scheduler running; Ctrl+C to stop")
    run_blocking(_runtime(database_url), interval)


@main.command("create-user", help="Add a staff account.")
@click.argument("username")
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(users.ROLES), required=True)
@click.option("--department", required=True)
@click.password_option()
@database_option
def create_user(username, display_name, role, department, password, database_url) -> None:
    users.create_user(_runtime(database_url), username=username, display_name=display_name, role=role,
                      department_id=department, password=password)
    click.echo(f"created {username}")


@main.command("issue-token", help="Issue an API bearer token for a user (shown once).")
@click.argument("username")
@click.option("--label", default="")
@database_option
def issue_token(username: str, label: str, database_url: str | None) -> None:
    click.echo(users.issue_token(_runtime(database_url), username, label))
