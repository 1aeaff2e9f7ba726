#!/bin/sh
# deps.sh: installs the Debian packages mkcitybook needs to build, to
# make its cover and to be tested, when they are missing.  Debian 12,
# as root.  "make deps" runs it.
set -eu

build="make gcc libc6-dev pkg-config libxml2-dev libzip-dev libcmark-dev
    libyaml-dev zlib1g-dev libcairo2-dev libpango1.0-dev fonts-ebgaramond
    fonts-noto-cjk"
test="epubcheck default-jre-headless unzip zip valgrind mandoc"

missing=
for p in $build $test; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps.sh: everything is installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: as root, run: apt-get install$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    $missing
