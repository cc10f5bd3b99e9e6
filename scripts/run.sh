#!/usr/bin/env bash
# Install Yizhan into .venv, prepare the embedded SQLite database with demo data, and serve it
# with the timer scheduler running. HOST/PORT may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
export YIZHAN_MOVABLE_CLOCK=${YIZHAN_MOVABLE_CLOCK:-1}  # a demo: `yizhan clock advance 1d` moves time
.venv/bin/yizhan demo
exec .venv/bin/yizhan serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
