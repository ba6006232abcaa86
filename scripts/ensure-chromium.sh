#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser smoke test. Quiet when it already is.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "ensure-chromium: /usr/bin/chromium not found, installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: installation finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
