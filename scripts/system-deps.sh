#!/usr/bin/env bash
# Install the Debian packages the app and its tests need, if any are missing.
# WeasyPrint needs Pango; browser tests need Chromium; PDF checks need poppler; translations need gettext.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium redis-server gettext)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
