"""`yizhan lint`: the studio's checks over files on disk, each problem as `file:element_id: rule: message`."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..bpmn.xml import MAX_FILE_BYTES
from ..definitions import check_context
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..users import Actor
from .compiler import compile_files
from .context import CheckContext
from .problems import ERROR, Problem

SUFFIXES = (".bpmn", ".dmn", ".xml")


def collect(paths: Sequence[Path]) -> tuple[dict[str, bytes], list[Problem]]:
    """The diagram files under `paths` (files as given, directories searched for .bpmn/.dmn), by display path."""
    found: dict[str, bytes] = {}
    problems: list[Problem] = []
    for path in paths:
        candidates = [path] if not path.is_dir() else \
            sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".bpmn", ".dmn"))
        if path.is_dir() and not candidates:
            problems.append(Problem("xml-invalid", ERROR, "目录中没有 .bpmn 或 .dmn 文件", str(path)))
        for candidate in candidates:
            try:
                if candidate.stat().st_size > MAX_FILE_BYTES:
                    problems.append(Problem("xml-invalid", ERROR, f"文件过大（上限 {MAX_FILE_BYTES} 字节）",
                                            str(candidate)))
                    continue
                found[str(candidate)] = candidate.read_bytes()
            except OSError as exc:
                problems.append(Problem("xml-invalid", ERROR, f"无法读取文件：{exc.strerror or exc}", str(candidate)))
    return found, problems


_CALLED = re.compile(rb"calledDecisionId>\s*([^<\s]+)\s*<")
_DECISION = re.compile(rb"<(?:\w+:)?decision\s[^>]*\bid=\"([^\"]+)\"")
_MAX_NEIGHBOURS = 200


def called_tables(paths: Sequence[Path], files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The decision tables the diagrams call that are not among `files`, found beside them (the .dmn files
    under the folder that holds a given folder, or a given file's folder: `workflows/bpmn` calls what
    `workflows/dmn` defines), as a
    deploy of the whole folder would have them."""
    wanted = {m.decode() for content in files.values() for m in _CALLED.findall(content)}
    wanted -= {m.decode() for content in files.values() for m in _DECISION.findall(content)}
    found: dict[str, bytes] = {}
    for base in dict.fromkeys(path.resolve().parent if path.is_dir() else path.resolve().parent.parent
                              for path in paths):
        if not wanted:
            break
        for candidate in sorted(base.rglob("*.dmn"))[:_MAX_NEIGHBOURS]:
            if str(candidate) in files or candidate.stat().st_size > MAX_FILE_BYTES:
                continue
            content = candidate.read_bytes()
            defined = {m.decode() for m in _DECISION.findall(content)}
            if defined & wanted:
                found[str(candidate)] = content
                wanted -= defined
    return found


def lint_paths(paths: Sequence[Path], ctx: CheckContext) -> list[Problem]:
    """Every problem in the files under `paths`, checked together (a call activity may call another file;
    a business rule task a decision table beside them, which is read but not itself reported on)."""
    files, problems = collect(paths)
    if files:
        beside = called_tables(paths, files)
        problems += [p for p in compile_files({**files, **beside}, ctx).problems if p.file not in beside]
    return problems


def check_texts(rt: Runtime, files: Mapping[str, str], forms: Mapping[str, dict], by: Actor) -> list[Problem]:
    """The problems of diagrams sent as text (the studio's canvas, an integrator's files), with edited forms."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        ctx = check_context(rt, session).with_forms(forms)
    return compile_files({name: text.encode("utf-8") for name, text in files.items()}, ctx).problems
