#!/usr/bin/env bash
# Installs Debian's chromium (and a font, so text in screenshots is not tofu) when no Chromium is on the
# PATH. The report test (src/test/java/org/l1net/report/ReportRenderTest.java) renders report.html with it.
# Needs root or sudo; apt-get talks to the configured Debian mirrors only. Prints the browser's path.
set -euo pipefail

for name in chromium chromium-browser; do
  if path="$(command -v "$name")"; then
    echo "$path"
    exit 0
  fi
done

if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
  sudo=(sudo -n)
else
  echo "install-chromium.sh: chromium is missing and installing it needs root (or password-less sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
command -v chromium
