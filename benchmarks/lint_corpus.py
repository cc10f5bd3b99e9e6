"""How diagrams from other modelers fare against Yizhan's checks, each file on its own as one upload.

    .venv/bin/python benchmarks/lint_corpus.py FOLDER [FOLDER ...]

Prints, per folder, how many .bpmn files have no error, which rules refuse the others (a file counts once per
rule), and any file the checks could not handle (there should be none). No database: the shipped departments
and forms, no group mapping (a centre maps its groups once in the studio).
"""
from __future__ import annotations

import collections
import sys
import time
import traceback
from pathlib import Path

from engine.studio.compiler import compile_files
from engine.studio.context import CheckContext
from forms import FormRegistry


def main(folders: list[str]) -> None:
    forms = FormRegistry()
    ctx = CheckContext.offline({key: forms.get(key) for key in forms.keys()})
    for folder in folders:
        files = sorted(Path(folder).rglob("*.bpmn"))
        clean, rules, crashes = 0, collections.Counter(), []
        started = time.perf_counter()
        for path in files:
            try:
                problems = compile_files({path.name: path.read_bytes()}, ctx).problems
            except Exception:  # a crash is what this script is here to find
                crashes.append((path, traceback.format_exc(limit=2)))
                continue
            errors = {p.rule for p in problems if p.severity == "error"}
            clean += not errors
            rules.update(errors)
        elapsed = (time.perf_counter() - started) * 1000 / max(len(files), 1)
        print(f"{folder}: {len(files)} files, {clean} without errors, {len(crashes)} crashed, "
              f"{elapsed:.1f} ms per file")
        for rule, count in rules.most_common():
            print(f"  {rule}: {count}")
        for path, trace in crashes:
            print(f"CRASH {path}\n{trace}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["workflows"])
