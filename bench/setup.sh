#!/usr/bin/env bash
# Installs the peers `npm run bench` compares jorm with: GNU make, ninja and doit from Debian's packages.
# p-graph comes with `npm install` (a dev dependency). Run as root (or with sudo) on Debian or Ubuntu.
# A peer that is missing is skipped by the bench with a note, so this script is optional.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v apt-get >/dev/null; then
  echo "bench/setup.sh: apt-get not found; install make, ninja and doit with your package manager" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq make ninja-build python3-doit >/dev/null
for tool in make ninja doit; do
  printf '%-6s %s\n' "$tool" "$(command -v "$tool" || echo 'not found')"
done
