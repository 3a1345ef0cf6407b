#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a browser a tool downloads).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
  echo "Chromium is missing: install Debian's package with 'apt-get install -y chromium' (as root)." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" != "0" ] && SUDO="sudo"
echo "Installing Debian's chromium for the browser tests…"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
