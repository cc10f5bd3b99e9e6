"""Parsed specs per definition version, cached: parsing costs milliseconds, a command must not."""
from __future__ import annotations

import threading

from .bpmn.bundle import ParsedBundle, parse_bundle
from .models import Definition


class SpecCache:
    """definition id -> ParsedBundle; definitions are immutable once deployed, so entries never go stale."""

    def __init__(self):
        self._bundles: dict[int, ParsedBundle] = {}
        self._lock = threading.Lock()

    def get(self, definition: Definition) -> ParsedBundle:
        """The parsed bundle of a stored definition."""
        bundle = self._bundles.get(definition.id)
        if bundle is None:
            bundle = parse_bundle(definition.executable or definition.files, definition.key, definition.meta)
            with self._lock:
                self._bundles.setdefault(definition.id, bundle)
        return bundle

    def for_id(self, session, definition_id: int) -> ParsedBundle:
        """The parsed bundle of a definition id, reading the row only on a cache miss."""
        bundle = self._bundles.get(definition_id)
        return bundle if bundle is not None else self.get(session.get(Definition, definition_id))

    def put(self, definition_id: int, bundle: ParsedBundle) -> None:
        with self._lock:
            self._bundles[definition_id] = bundle
