"""The `yizhan` command: database, deployment, demo data, web server and scheduler."""
from __future__ import annotations

import logging
import re
import signal
import sys
from datetime import timedelta
from pathlib import Path

import click

from engine import definitions, schema, users
from engine import settings as settings_module
from engine.clock import local
from engine.demo import DEMO_PASSWORD, load_demo
from engine.errors import YizhanError
from engine.migration import migrate as migration
from engine.runtime import Runtime
from engine.sandbox.environment import warm as warm_sandbox
from engine.studio.context import CheckContext
from engine.studio.forms import current_forms
from engine.studio.lint import lint_paths
from engine.studio.problems import RULES
from engine.studio.settings import CheckSettings
from engine.users import SYSTEM
from forms import FormRegistry

from . import config as config_module
from .serving import ServeOptions, port_refusal, serve_with_workers


def _runtime(url: str | None) -> Runtime:
    settings = config_module.from_environment()
    rt = Runtime.from_url(url or settings["DATABASE_URL"])
    config_module.configure_runtime(rt, settings)
    return rt


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


@main.command(help="Move running cases of PROCESS to its version N, one transaction per case; a case that "
                   "cannot move stays as it was and is listed with the reason. Exits 1 if any case was refused.")
@click.argument("process")
@click.option("--to", "version", type=int, required=True, help="The version to move the cases to.")
@click.option("--case", "case_nos", multiple=True, help="A case number (repeat); default: every running case of "
                                                        "PROCESS on another version.")
@click.option("--dry-run", is_flag=True, help="Only tell which cases would move and why the others would not.")
@click.option("--note", default="", help="Why the cases are moved (kept in the audit log).")
@database_option
def migrate(process: str, version: int, case_nos: tuple[str, ...], dry_run: bool, note: str,
            database_url: str | None) -> None:
    run = migration.migrate(_runtime(database_url), process, version, SYSTEM, list(case_nos) or None, note, dry_run)
    verb = "可迁移" if dry_run else "已迁移"
    for case_no in run.moved:
        click.echo(f"{case_no}: {verb}")
    for verdict in run.refused:
        click.echo(f"{verdict.case_no}: 不能迁移：{'；'.join(r.message for r in verdict.reasons)}")
    click.echo(f"{len(run.moved)} 件{verb}，{len(run.refused)} 件不能迁移（{process} 第 {version} 版）")
    sys.exit(1 if run.refused else 0)


@main.command(help="Check BPMN/DMN files with the same rules as deploy and the studio. Prints "
                   "`file:element_id: rule: message` per problem; exits 1 if any is an error.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Check settings (severities, own rules); default workflows/checks.toml or $YIZHAN_CHECKS_FILE.")
@click.option("--database-url", default=None,
              help="Read departments, the group mapping and users from this database instead of the shipped "
                   "department list.")
@click.option("--rules", "list_rules", is_flag=True, help="List every rule and its severity, then exit.")
def lint(paths: tuple[Path, ...], settings_file: Path | None, database_url: str | None, list_rules: bool) -> None:
    settings = CheckSettings.load(settings_file or Path(config_module.from_environment()["CHECKS_FILE"]))
    if list_rules:
        for rule in RULES.values():
            severity = rule.severity if rule.fixed else settings.severities.get(rule.id, rule.severity)
            click.echo(f"{rule.id}: {severity}{'（固定）' if rule.fixed else ''} — {rule.title}")
        for rule in settings.custom:
            click.echo(f"{rule.id}: {rule.severity}（本中心规则） — {rule.message}")
        return
    if not paths:
        raise click.UsageError("give one or more .bpmn/.dmn files or directories")
    forms = FormRegistry()
    forms_by_key = {key: forms.get(key) for key in forms.keys()}
    if database_url:
        rt = _runtime(database_url)
        with rt.unit_of_work(write=False) as session:
            ctx = CheckContext.of_database(session, current_forms(rt, session), settings)
    else:
        ctx = CheckContext.offline(forms_by_key, settings)
    try:
        problems = lint_paths(list(paths), ctx)
    except Exception as exc:  # a checker bug must still end in a message, never a traceback
        click.echo(f"-:-: internal: 检查时出错：{exc.__class__.__name__}: {exc}", err=True)
        sys.exit(1)
    for problem in problems:
        click.echo(problem.text())
    errors = sum(1 for p in problems if p.severity == "error")
    click.echo(f"{errors} 个错误，{len(problems) - errors} 个警告", err=True)
    sys.exit(1 if errors else 0)


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


@main.command(help="Serve the web application (embedded scheduler included unless --no-scheduler). "
                   "With --workers N (N > 1) it serves from N processes on gunicorn and runs the scheduler "
                   "in a process of its own beside them.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes (default 1, $YIZHAN_WORKERS); more than one needs PostgreSQL to pay off.")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Request threads per process (default 8, $YIZHAN_THREADS).")
@click.option("--timeout", default=None, type=click.IntRange(10, 3600),
              help="Seconds one request may take before its worker is replaced (workers > 1; default 60).")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Fire due timers (inside this process; with workers, in a process of its own).")
def serve(host: str, port: int, workers: int | None, threads: int | None, timeout: int | None,
          scheduler: bool) -> None:
    settings = config_module.from_environment()
    options = ServeOptions(host=host, port=port, workers=workers or settings["WORKERS"],
                           threads=threads or settings["THREADS"], timeout=timeout or 60,
                           scheduler=scheduler and settings["SCHEDULER_ENABLED"])
    base = f"http://{host}:{port}"

    def announce():
        click.echo(f"Yizhan is serving on {base}/  — sign in at {base}/login  (API: {base}/api/v1/openapi.json)"
                   + (f"  [{options.workers} workers × {options.threads} threads]" if options.workers > 1 else ""))

    if options.workers > 1:
        serve_with_workers(options, announce)
        return
    from waitress import create_server

    from . import create_app
    app = create_app()
    try:  # bind first: only a server that has its port says it is serving
        server = create_server(app, host=host, port=port, threads=options.threads)
    except OSError as exc:
        raise port_refusal(host, port, exc) from exc
    warm_sandbox()
    if options.scheduler:
        config_module.timer_scheduler(app.extensions["yizhan"], app.config).start_background()
    announce()
    server.run()


@main.command(help="Run the timer scheduler as its own process (for deployments with several web workers). "
                   "Start two for failover: one holds the lease and fires, the other takes over if it dies.")
@database_option
@click.option("--interval", default=None, type=float,
              help="Seconds between beats (default 5, $YIZHAN_SCHEDULER_INTERVAL).")
@click.option("--lease-seconds", default=None, type=float,
              help="How long the lease lasts without renewal (default 30, $YIZHAN_SCHEDULER_LEASE).")
def scheduler(database_url: str | None, interval: float | None, lease_seconds: float | None) -> None:
    timers = config_module.timer_scheduler(_runtime(database_url), config_module.from_environment(), interval,
                                           lease_seconds)
    warm_sandbox()
    click.echo(f"scheduler {timers.holder} running; Ctrl+C to stop")

    def terminate(*_):
        # SIGTERM (a service manager stopping us) ends the run like Ctrl+C: a beat working through a backlog
        # stops after its current timer and the lease is handed back at once. A second SIGTERM while that
        # happens must not cut the hand-over short.
        timers.request_stop()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminate)
    timers.run_blocking()


@main.group(help="The movable clock of demos and training (processes started with YIZHAN_MOVABLE_CLOCK=1).")
def clock() -> None:
    pass


@clock.command("show", help="Print the clock's time and how far it runs ahead of real time.")
@database_option
def clock_show(database_url: str | None) -> None:
    rt = _runtime(database_url)
    click.echo(f"offset {settings_module.clock_offset(rt)}; movable clock reads "
               f"{local(settings_module.movable_clock(rt).now()).isoformat(timespec='seconds')}")


@clock.command("advance", help="Move the clock forward, e.g. `2d`, `36h`, `90m`.")
@click.argument("amount")
@database_option
def clock_advance(amount: str, database_url: str | None) -> None:
    delta = parse_amount(amount)
    offset = settings_module.advance_clock(_runtime(database_url), delta)
    click.echo(f"clock moved forward by {delta}; now {offset} ahead of real time")


@clock.command("reset", help="Back to real time.")
@database_option
def clock_reset(database_url: str | None) -> None:
    settings_module.reset_clock(_runtime(database_url))
    click.echo("clock back to real time")


@main.command("hours", help="Show or set the centre's closing time and lunch break: working-day limits end "
              "at the closing time of their last day. E.g. `yizhan hours --closing 17:30 --lunch 12:00-13:30`; "
              "`--lunch none` removes the break. Other running processes pick it up when restarted.")
@click.option("--closing", default=None, help="HH:MM, default 18:00.")
@click.option("--lunch", default=None, help="HH:MM-HH:MM, or `none`.")
@database_option
def hours(closing: str | None, lunch: str | None, database_url: str | None) -> None:
    rt = _runtime(database_url)
    if closing is not None or lunch is not None:
        current = rt.calendar.hours
        lunch_text = lunch if lunch is not None else (
            "-".join(t.strftime("%H:%M") for t in current.lunch) if current.lunch else "")
        settings_module.set_working_hours(rt, closing or current.closing.strftime("%H:%M"), lunch_text)
    shown = rt.calendar.hours
    click.echo(f"closing {shown.closing.strftime('%H:%M')}; lunch break "
               + ("-".join(t.strftime("%H:%M") for t in shown.lunch) if shown.lunch else "none"))


def parse_amount(text: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dhm])\s*", text)
    if not match:
        raise click.BadParameter("use a number followed by d, h or m, e.g. 2d")
    value, unit = float(match.group(1)), match.group(2)
    units = {"d": "days", "h": "hours", "m": "minutes"}
    return timedelta(**{units[unit]: value})


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


@main.group(help="API tokens: named, expiring, revocable; only their hash is stored.")
def token() -> None:
    pass


@token.command("create", help="Issue a named API bearer token for USERNAME (printed once; keep it safe).")
@click.argument("username")
@click.option("--name", "label", required=True, help="What the token is for, e.g. sms-bridge.")
@click.option("--days", default=users.TOKEN_DAYS, show_default=True, type=click.IntRange(1, users.MAX_TOKEN_DAYS),
              help="How many days it lasts.")
@database_option
def token_create(username: str, label: str, days: int, database_url: str | None) -> None:
    click.echo(users.issue_token(_runtime(database_url), username, label, days=days))


@token.command("list", help="List API tokens (of USERNAME, or everyone's): name, state, expiry, last use.")
@click.argument("username", required=False)
@database_option
def token_list(username: str | None, database_url: str | None) -> None:
    rows = users.list_tokens(_runtime(database_url), SYSTEM, username or "*")
    if not rows:
        click.echo("no tokens")
    for row in rows:
        def when(at):
            return local(at).strftime("%Y-%m-%d %H:%M") if at else "-"
        click.echo(f"{row.id:>5}  {row.username:<26} {row.name or '-':<20} {row.state:<8} "
                   f"expires {when(row.expires_at)}  last used {when(row.last_used_at)}")


@token.command("revoke", help="Revoke the API token with this id (see `yizhan token list`); it stops at once.")
@click.argument("token_id", type=int)
@database_option
def token_revoke(token_id: int, database_url: str | None) -> None:
    row = users.revoke_token(_runtime(database_url), token_id, SYSTEM)
    click.echo(f"revoked token {row.id} ({row.name or '-'}) of {row.username}")


@main.command("issue-token", hidden=True, help="Same as `yizhan token create` (kept for older scripts).")
@click.argument("username")
@click.option("--label", default="")
@database_option
def issue_token(username: str, label: str, database_url: str | None) -> None:
    click.echo(users.issue_token(_runtime(database_url), username, label))


from .scenario_cli import scenario  # noqa: E402 - the scenario group lives in a module of its own

main.add_command(scenario)
