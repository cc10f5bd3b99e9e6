"""`yizhan scenario run`: play the scenario files beside the diagrams on a throw-away database."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from engine.runtime import Runtime
from engine.scenarios import report, sources
from engine.scenarios.runner import run_paths
from engine.users import SYSTEM

from . import config as config_module


@click.group(help="Scenario tests of the diagrams: intake data, steps and expectations in YAML/JSON files "
                  "(workflows/scenarios/).")
def scenario() -> None:
    pass


def _against(text: str, paths: list[Path]) -> tuple[str, int | None]:
    """`disk`, `draft`, or `version N` (also written `version:N` or, as two words, `--against version N`)."""
    words = text.replace(":", " ").split()
    if words == ["disk"] or words == ["draft"]:
        return words[0], None
    if words and words[0] == "version":
        number = words[1] if len(words) == 2 else None
        if number is None and paths and str(paths[0]).isdigit() and not paths[0].exists():
            number = str(paths.pop(0))
        if number is not None and number.isdigit() and int(number) > 0:
            return "version", int(number)
        raise click.BadParameter("write the version's number: --against version 3", param_hint="--against")
    raise click.BadParameter("draft, version N, or disk (the default)", param_hint="--against")


@scenario.command("run", help="Run scenario files (PATH: files or directories; default workflows/scenarios) on a "
                              "throw-away SQLite database with a manual clock. Prints each step, PASS/FAIL per "
                              "scenario with the first expectation that failed, and `N passed, M failed`; exits 1 "
                              "on any failure. --against draft uses the studio's saved drafts, --against version N "
                              "a published version of --process, both from the database of --database-url.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--against", "against_text", default="disk", show_default=True,
              help="disk (the files under --workflows), draft, or version N.")
@click.option("--process", "process_key", default="dispute_resolution", show_default=True,
              help="The process whose version --against version N means.")
@click.option("--workflows", "workflows_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The diagrams on disk (default workflows/, or $YIZHAN_WORKFLOWS).")
@click.option("--database-url", envvar="DATABASE_URL", default=None,
              help="The real database drafts and versions are read from (or $DATABASE_URL).")
@click.option("--quiet", is_flag=True, help="Print only the verdicts and the closing count.")
def run(paths: tuple[Path, ...], against_text: str, process_key: str, workflows_dir: Path | None,
        database_url: str | None, quiet: bool) -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the throw-away database's migrations are no news
    settings = config_module.from_environment()
    workflows = workflows_dir or Path(settings["WORKFLOWS_DIR"])
    paths_list = list(paths)
    against, version = _against(against_text, paths_list)
    if not paths_list:
        paths_list = [workflows / "scenarios"]
    missing = [str(p) for p in paths_list if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or directory: {', '.join(missing)}")
    if against == "disk":
        source = sources.on_disk(workflows)
    else:
        rt = Runtime.from_url(database_url or settings["DATABASE_URL"])
        try:
            source = (sources.against_drafts(rt, workflows, SYSTEM) if against == "draft"
                      else sources.against_version(rt, workflows, process_key, version, SYSTEM))
        finally:
            rt.session_factory.kw["bind"].dispose()
    click.echo(f"场景测试：{source.label or workflows}")

    def on_step(scenario, step) -> None:
        if quiet:
            return
        if step.number == 0:
            click.echo(scenario.title)
        click.echo(report.step_line(step))

    results = run_paths(paths_list, source, on_step, root=Path.cwd(),
                        on_result=lambda result: click.echo(report.verdict_line(result)))
    click.echo(report.closing_line(results))
    sys.exit(0 if all(r.passed for r in results) else 1)
