"""The engine assembled: storage, clock, calendar, forms and spec cache handed in, nothing global."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from forms import FormRegistry

from .bpmn.state import StateSerializer
from .calendar import WorkingCalendar
from .clock import Clock, SystemClock
from .db import make_engine
from .sandbox.limits import DEFAULT_CASE_DATA_LIMIT
from .specs import SpecCache
from .studio.settings import CheckSettings
from .token_cache import TokenCache


@dataclass
class Runtime:
    """What every engine service needs; built once per process (app, CLI, scheduler, test)."""

    session_factory: Callable[[], Session]
    clock: Clock = field(default_factory=SystemClock)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.from_file)
    forms: FormRegistry = field(default_factory=FormRegistry)
    specs: SpecCache = field(default_factory=SpecCache)
    state: StateSerializer = field(default_factory=StateSerializer)
    checks: CheckSettings = field(default_factory=CheckSettings)  # the centre's severities and own rules
    script_time_limit: float = 1.0
    lock_wait_seconds: float = 10.0  # how long a command waits for an item or case another command holds
    case_data_limit: int = DEFAULT_CASE_DATA_LIMIT  # bytes of JSON a case's data may hold (scripts and saves)
    prune_state: bool = True  # save only what a case needs to go on (engine/bpmn/pruning.py)
    webhook_enabled: bool = False  # queue webhook events only when a centre has configured a webhook
    tokens: TokenCache = field(default_factory=TokenCache, repr=False)  # bearer tokens checked a moment ago
    listing_cache: dict = field(default_factory=dict, repr=False)  # choices a list may show a few seconds late

    @classmethod
    def from_url(cls, url: str, **kwargs) -> Runtime:
        """A runtime with its own SQLAlchemy engine (CLI, scheduler process, tests)."""
        engine = make_engine(url)
        return cls(session_factory=sessionmaker(engine, expire_on_commit=False, autoflush=False), **kwargs)

    _departments: frozenset = field(default=frozenset(), repr=False)
    _definition_forms: dict = field(default_factory=dict, repr=False)

    def forms_of(self, session: Session | None, definition_id: int) -> FormRegistry:
        """The forms a definition was published with (a running case keeps them); others from `forms`."""
        registry = self._definition_forms.get(definition_id)
        if registry is None:
            from .models import Definition
            if session is None:
                with self.unit_of_work(write=False) as own:
                    return self.forms_of(own, definition_id)
            copies = session.scalar(select(Definition.forms).where(Definition.id == definition_id)) or {}
            registry = FormRegistry.of(copies, self.forms) if copies else self.forms
            self._definition_forms[definition_id] = registry
        return registry

    def department_ids(self, session: Session, reload: bool = False) -> frozenset:
        """Known department ids, cached; a miss reloads them (a department added since start-up)."""
        if reload or not self._departments:
            from .models import Department
            self._departments = frozenset(session.scalars(select(Department.id)))
        return self._departments

    @functools.cached_property
    def dialect(self) -> str:
        session = self.session_factory()
        try:
            return session.get_bind().dialect.name
        finally:
            session.close()

    @contextmanager
    def unit_of_work(self, write: bool = True) -> Iterator[Session]:
        """One transaction: commit if the block finishes, roll back if it raises."""
        session = self.session_factory()
        try:
            if write:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
