#!/usr/bin/env bash
# The whole test suite: system packages, node modules, lint, types, the web build, then every test on PGlite
# (with the browser end-to-end tests) and the integration tests again on a real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node-modules.sh
echo "== lint and types"
npx eslint .
npx tsc --noEmit -p .
npx tsc --noEmit -p web
npx tsc --noEmit -p test/e2e
echo "== web app build (the end-to-end tests in test/e2e drive it in Chromium)"
npm run build:web
echo "== tests on PGlite (and the browser end-to-end tests, once)"
npx vitest run
if [ "$(id -u)" = 0 ]; then
  echo "== integration tests on PostgreSQL"
  # Only the tests that touch the database run twice (speech engines and the demo process do not use TEST_DATABASE_URL).
  pg_url=$(timeout 120 bash scripts/start-postgres.sh)  # on its own line so that a failure stops the script
  TEST_DATABASE_URL=$pg_url npx vitest run test/ --exclude 'test/e2e/**' \
    --exclude 'test/asr-*' --exclude 'test/vad-*' --exclude 'test/models-*' --exclude 'test/demo.int.test.ts' --exclude 'test/live-cluster.int.test.ts'
else
  echo "== skipping PostgreSQL run: not root, cannot start Debian's postgresql" >&2
fi
