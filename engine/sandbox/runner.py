"""Running compiled code with the guards, as SpiffWorkflow's TaskDataEnvironment would, inside a worker.

* evaluate(): the expression sees the injected functions, then `external_context`, then task data
  (later ones win);
* execute(): afterwards the task data holds the script's variables, minus the injected functions, the
  `external_context` keys and anything that is not data (functions, modules, iterators). The context is
  the worker's own copy, so a refused or failed script changes nothing in the server's task data.

What comes back is JSON text, as the case will store it, and is refused when longer than the data
limit: the server reads that text back (pool.py), so it gets plain data only and measures it itself.
"""
from __future__ import annotations

from collections.abc import Mapping

from .errors import ScriptError, ScriptRejected, ScriptTooLarge
from .guards import Run, failing_line, is_data
from .limits import encode, too_large_reason
from .policy import compiled


def _run(run: Run, code, scope: dict, source: str, runner):
    try:
        result = runner(code, scope)
    except ScriptError as error:
        raise (run.refusal or error).attach(source, failing_line(error)) from None
    except MemoryError:
        raise
    except Exception as error:
        if run.refusal is not None:  # the script caught a refusal and then failed some other way
            raise run.refusal.attach(source, failing_line(error)) from error
        raise
    if run.refusal is not None:  # the script caught the refusal and carried on: it still fails
        raise run.refusal.attach(source, None)
    return result


def measured(value, limit: int, source: str, what: str) -> bytes:
    """`value` as JSON if that fits in `limit` bytes; else ScriptTooLarge."""
    try:
        text = encode(value)
    except (ValueError, TypeError, RecursionError) as exc:
        raise ScriptRejected(f"{what}无法保存（嵌套过深、引用自身或含有无法保存的值）", source) from exc
    if len(text) > limit:
        raise ScriptTooLarge(too_large_reason(len(text), limit, what), source)
    return text


def evaluate(expression: str, context: dict, functions: Mapping, external_context: Mapping,
             time_limit: float, data_limit: int) -> bytes:
    """The expression's value as JSON."""
    code = compiled(expression, "eval")
    run = Run(time_limit)
    scope = dict(functions)
    scope.update(external_context)
    scope.update(context)
    scope.update(run.globals())
    value = _run(run, code, scope, expression, eval)
    return measured(value, data_limit, expression, "表达式的结果")


def execute(script: str, context: dict, functions: Mapping, external_context: Mapping,
            time_limit: float, data_limit: int) -> bytes:
    """The task data after `script` as JSON; `context` is the worker's copy and may be changed."""
    code = compiled(script, "exec")
    run = Run(time_limit)
    data = dict(context)
    scope = dict(functions)
    scope.update(external_context)
    scope.update(context)
    scope.update(run.globals())
    _run(run, code, scope, script, exec)
    injected = set(functions) | set(external_context)
    result = {}
    for key, value in scope.items():
        if key.startswith("_"):
            # a script cannot name "_" variables: these are the sandbox's own, or task data that the
            # script could not see or change, which goes back untouched
            if key in data:
                result[key] = data[key]
        elif key not in injected and is_data(value):
            result[key] = value
    return measured(result, data_limit, script, "脚本写入的数据")
