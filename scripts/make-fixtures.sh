#!/usr/bin/env bash
# Regenerates the synthetic test calls in test/fixtures/calls/ from test/fixtures/calls/scripts/*.yaml.
# Needs Debian's festival, festvox-us-slt-hts and sox (and pocketsphinx for --asr). The output is committed,
# so tests never need these tools. See test/fixtures/calls/README.md.
#   bash scripts/make-fixtures.sh                 # all calls
#   bash scripts/make-fixtures.sh support-good    # one call
#   bash scripts/make-fixtures.sh --asr           # plus a PocketSphinx word-error report per line
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in text2wave sox; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool not found (apt-get install festival festvox-us-slt-hts sox)" >&2; exit 1; }
done
dpkg -s festvox-us-slt-hts >/dev/null 2>&1 || { echo "make-fixtures: voice missing (apt-get install festvox-us-slt-hts)" >&2; exit 1; }
if [[ " $* " == *" --asr "* ]] && ! command -v pocketsphinx_continuous >/dev/null; then
  echo "make-fixtures: --asr needs pocketsphinx_continuous (apt-get install pocketsphinx pocketsphinx-en-us)" >&2; exit 1
fi
exec npx tsx scripts/make-fixtures.ts "$@"
