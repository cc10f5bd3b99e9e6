"""SpiffWorkflow's script environment and engine on the sandbox.

Every evaluate/execute is either

* **cheap** (policy.cheap_code: a comparison, a lookup, an assignment of such, a date function with small
  arguments): run here, in the server's process, with no builtins but ``len`` and ``bool``; or
* **shipped** to a worker process (pool.py) with the task data, the clock's reading and the calendar:
  there it runs under RestrictedPython's guards and a deadline, inside the operating system's memory
  limit, and is killed if it runs past the time limit. The diagram functions are rebuilt in the worker
  (notices come back and go to the command's Outbox); any other injected function is called back here.

Either way what a script writes back is measured and refused above the data limit, and a refused,
failed or stopped script changes nothing: task data is replaced only when the script finishes.

Refusals raise :class:`ScriptRejected` (a timeout :class:`ScriptTimeout`, too much memory or data
:class:`ScriptTooLarge`). Inside a workflow the engine from :func:`build_script_engine` turns them into
SpiffWorkflow's ``WorkflowTaskException`` whose message is the reason, whose ``task_spec.bpmn_id`` names
the element and whose ``__cause__`` is the ``ScriptRejected``.
"""
from __future__ import annotations

import hashlib
import pickle
import weakref
from collections.abc import Callable, Mapping

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from ..diagram_functions import DATE_FUNCTIONS, DiagramFunctions, Notice
from . import pool
from .errors import ScriptError, ScriptRejected, ScriptTooLarge
from .guards import is_data
from .limits import DEFAULT_CASE_DATA_LIMIT, data_size, too_large_reason
from .policy import cheap_code, compiled

CHEAP_ARGUMENT = 3660      # a date function called in-process takes numbers up to this (ten years of days)
CHEAP_TEXT = 64            # and texts (ISO instants) up to this many characters
_CHEAP_BUILTINS = {"len": len, "bool": bool}
_NO_CALENDAR: frozenset = frozenset()


class DataLookup:
    """`data_value(name, default)`: a value of the case that may be missing, without a NameError."""

    def __init__(self, data: Mapping):
        self.data = data

    def __call__(self, name, default=None):
        return self.data.get(str(name), default)


class _Ship(Exception):
    """A cheap call met arguments it will not take in-process: run the code in a worker instead."""


def _checked(function: Callable) -> Callable:
    def call(*args):
        for value in args:
            if isinstance(value, bool) or not (
                    isinstance(value, (int, float)) and abs(value) <= CHEAP_ARGUMENT
                    or isinstance(value, str) and len(value) <= CHEAP_TEXT):
                raise _Ship
        return function(*args)
    return call


_CALENDARS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _calendar_payload(calendar) -> tuple[str, bytes]:
    """The calendar pickled once, and a key the workers cache it by."""
    found = _CALENDARS.get(calendar)
    if found is None:
        payload = pickle.dumps(calendar, protocol=pickle.HIGHEST_PROTOCOL)
        found = _CALENDARS[calendar] = (hashlib.sha256(payload).hexdigest(), payload)
    return found


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """A `BasePythonScriptEngineEnvironment` that runs designer code cheaply here or bounded in a worker.

    `environment_globals` are the injected functions (working_days, notify, ...). As in SpiffWorkflow's
    TaskDataEnvironment, evaluate() sees the functions, then `external_context`, then task data (later
    ones win); execute() refuses task data that reuses the name of an injected function or of an
    `external_context` key (ValueError, like TaskDataEnvironment), and afterwards the task data holds
    the script's variables, minus the injected functions, the `external_context` keys and anything that
    is not data. `data_limit` bounds, in bytes of JSON, a script's task data and an expression's value.
    """

    def __init__(self, environment_globals: Mapping[str, Callable] | None = None, time_limit: float = 1.0,
                 data_limit: int = DEFAULT_CASE_DATA_LIMIT):
        super().__init__(dict(environment_globals or {}))
        if not time_limit or time_limit <= 0:
            raise ValueError("time_limit must be a positive number of seconds")
        self.time_limit = float(time_limit)
        self.data_limit = int(data_limit)
        self.bound = environment_globals if isinstance(environment_globals, DiagramFunctions) else None
        self._calendar_names = DATE_FUNCTIONS if self.bound is not None else _NO_CALENDAR
        self._cheap_globals = dict(self.globals)
        for name in self._calendar_names:
            if name in self._cheap_globals:
                self._cheap_globals[name] = _checked(self._cheap_globals[name])

    # -- SpiffWorkflow's interface -----------------------------------------------------------------
    def evaluate(self, expression, context, external_context=None):
        external_context = external_context or {}
        code = cheap_code(expression, "eval", self._calendar_names)
        if code is not None:
            scope = self._cheap_scope(context, external_context)
            try:
                value = eval(code, scope)
            except _Ship:
                pass
            else:
                return self._measured_value(expression, value)
        compiled(expression, "eval")  # a refusal is raised here, before anything is shipped
        return self._ship("eval", expression, context, external_context)

    def execute(self, script, context, external_context=None):
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        code = cheap_code(script, "exec", self._calendar_names)
        if code is not None:
            scope = self._cheap_scope(context, external_context)
            try:
                exec(code, scope)
            except _Ship:
                code = None
            else:
                self._write_back_cheap(script, code, scope, context, external_context)
                return True
        compiled(script, "exec")
        result = self._ship("exec", script, context, external_context)
        context.clear()
        context.update(result)
        return True

    def call_service(self, context, **kwargs):
        # Deployment refuses serviceTask elements (engine/bpmn/checks.py); a state from elsewhere that still
        # reaches one fails like any refused script, with a clear message and nothing saved.
        raise ScriptRejected("服务任务不受支持：流程不调用外部服务")

    def check_for_overwrite(self, context, external_context):
        overwrites = set(self.globals).intersection(context)
        overwrites.update(set(external_context).intersection(context))
        if overwrites:
            raise ValueError(
                "You have task data that overwrites a predefined function(s). Please change the following "
                f"variable or field name(s) to something else: {overwrites}")

    # -- in-process --------------------------------------------------------------------------------
    def _cheap_scope(self, context, external_context) -> dict:
        scope = dict(self._cheap_globals)
        scope.update(external_context)
        scope.update(context)
        scope["__builtins__"] = _CHEAP_BUILTINS
        return scope

    def _measured_value(self, expression, value):
        """`value`, unless it is larger than the data limit (a literal of the source, or data joined by `+`)."""
        if isinstance(value, (bool, int, float, type(None))) or isinstance(value, str) and len(value) < 1000:
            return value
        try:
            size = data_size(value)
        except (ValueError, TypeError, RecursionError) as exc:
            raise ScriptRejected("表达式的结果无法保存", expression) from exc
        if size > self.data_limit:
            raise ScriptTooLarge(too_large_reason(size, self.data_limit, "表达式的结果"), expression)
        return value

    def _write_back_cheap(self, script, code, scope, context, external_context) -> None:
        injected = set(self.globals) | set(external_context)
        result = dict(context)
        measure = False
        for name in code.co_names:
            if name in scope and name not in injected and name != "__builtins__" and is_data(scope[name]):
                value = scope[name]
                result[name] = value
                measure = measure or not isinstance(value, (bool, int, float, type(None)))
        if measure:
            try:
                size = data_size(result)
            except (ValueError, TypeError, RecursionError) as exc:
                raise ScriptRejected("脚本写入的数据无法保存", script) from exc
            if size > self.data_limit:
                raise ScriptTooLarge(too_large_reason(size, self.data_limit), script)
        context.clear()
        context.update(result)

    # -- in a worker -------------------------------------------------------------------------------
    def _ship(self, mode: str, source: str, context, external_context):
        functions = self.globals
        proxied = {name: f for name, f in functions.items() if self.bound is None or name not in self.bound}
        external = {}
        data_value = False
        for name, value in external_context.items():
            if isinstance(value, DataLookup) and value.data is context:
                data_value = True
            elif callable(value):
                proxied[name] = value
            else:
                external[name] = value
        request = {"mode": mode, "source": source, "context": context, "external": external,
                   "proxied": sorted(proxied), "data_value": data_value, "time_limit": self.time_limit,
                   "data_limit": self.data_limit}
        calendar = None
        if self.bound is not None:
            request["diagram"] = self.bound.clock.now()
            calendar = _calendar_payload(self.bound.calendar)
        try:
            value, notices = pool.run(request, calendar, proxied)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise ScriptRejected("任务数据中有无法交给脚本的值", source) from exc
        if self.bound is not None:
            self.bound.outbox.notices.extend(Notice(*notice) for notice in notices)
        return value


# --------------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------------

class SandboxScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose errors name the sandbox's reason.

    A ScriptRejected/ScriptTimeout/ScriptTooLarge (any ScriptError) becomes a WorkflowTaskException with
    message = the reason and the snippet, `error_type` = the class name, `task_spec` = the element's spec
    (`.bpmn_id`), `line_number`/`error_line`, and `__cause__` = the ScriptError. Other errors are wrapped
    as PythonScriptEngine wraps them (with the line the worker reported for errors raised there).
    """

    @staticmethod
    def _task_context(task, external_context):
        return {"data_value": DataLookup(task.data), **(external_context or {})}

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, self._task_context(task, external_context))
        except ScriptError as error:
            raise self.sandbox_exception(task, expression, error) from error
        except SpiffWorkflowException as se:
            se.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as e:
            raise WorkflowTaskException(f"Error evaluating expression '{expression}'", task=task,
                                        exception=e) from e

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, self._task_context(task, external_context))
        except ScriptError as error:
            raise self.sandbox_exception(task, script, error) from error
        except Exception as err:
            raise self.create_task_exec_exception(task, script, err) from err

    def create_task_exec_exception(self, task, script, err):
        """As PythonScriptEngine's, without its TypeError on exceptions whose first argument is not a str
        (KeyError(1), for example), and with the line a worker reported."""
        if isinstance(err, SpiffWorkflowException):
            return super().create_task_exec_exception(task, script, err)
        line_number, error_line = self.get_error_line_number_and_content(script, err)
        reported = getattr(err, "sandbox_line", None)
        if reported:
            lines = (script or "").splitlines()
            line_number = reported
            error_line = lines[reported - 1] if 0 < reported <= len(lines) else ""
        detail = err.__class__.__name__
        if err.args:
            detail += ":" + str(err.args[0])
        return WorkflowTaskException(detail, task=task, exception=err, line_number=line_number,
                                     error_line=error_line)

    @staticmethod
    def sandbox_exception(task, source: str, error: ScriptError) -> WorkflowTaskException:
        lines = (source or "").splitlines()
        error_line = lines[error.line - 1] if error.line and 0 < error.line <= len(lines) else ""
        return WorkflowTaskException(str(error), task=task, exception=error,
                                     line_number=error.line or 0, error_line=error_line)


def build_script_engine(functions: Mapping[str, Callable] | None = None, time_limit: float = 1.0,
                        data_limit: int = DEFAULT_CASE_DATA_LIMIT) -> PythonScriptEngine:
    """The engine every workflow uses: sandboxed, bounded, with `functions` callable by scripts.

    Set it on every workflow after deserializing too (deserializing installs the unsafe default), and
    on nothing else: subprocesses use their top workflow's engine.
    """
    return SandboxScriptEngine(environment=SandboxEnvironment(functions, time_limit=time_limit,
                                                              data_limit=data_limit))


def warm() -> None:
    """Start the sandbox's worker processes now (server start), so the first script does not wait."""
    pool.pool().warm()
