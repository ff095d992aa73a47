#!/usr/bin/env bash
# Installs the Debian packages the tests and demo need, when missing (root), or says plainly what is missing.
set -euo pipefail
PKGS=(python3 make g++ ffmpeg sox festival festvox-us-slt-hts libpocketsphinx3 pocketsphinx-en-us pocketsphinx-testdata postgresql redis-server chromium)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
