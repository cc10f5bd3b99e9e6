#!/usr/bin/env bash
# Re-extract the English UI strings from web/ and merge them into the Chinese catalogue; new strings
# appear with an empty msgstr for a translator to fill. The English catalogue holds the translations
# of diagram and form texts (keyed by their Chinese) and is edited by hand; `pytest tests/web` checks both.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o "$pot" .
.venv/bin/pybabel update -i "$pot" -d web/translations -l zh --no-fuzzy-matching
