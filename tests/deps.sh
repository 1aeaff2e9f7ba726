#!/bin/sh
# deps.sh: installs what mkcitybook needs to build, to draw its covers
# and to be tested, when it is missing: Debian 12 packages (as root), and
# the npm checkers that "make check-readers" uses, pinned by
# tests/readers/package-lock.json.  "make deps" runs it.
set -eu
cd "$(dirname "$0")/.."

build="make gcc libc6-dev pkg-config libxml2-dev libzip-dev libcmark-dev
    libyaml-dev zlib1g-dev libdeflate-dev libcairo2-dev
    libpango1.0-dev fonts-ebgaramond fonts-noto-cjk"
test="epubcheck default-jre-headless unzip zip valgrind mandoc man-db
    libxml2-utils procps gdb
    chromium mupdf-tools calibre"
command -v node >/dev/null 2>&1 || test="$test nodejs npm"

missing=
for p in $build $test; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: as root, run: apt-get install$missing" >&2
		exit 1
	fi
	echo "deps.sh: installing$missing"
	apt-get update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends $missing
fi

# Ace and epubcheck-ts, without the browser puppeteer would download:
# Ace drives Debian's chromium.
if [ ! -f tests/readers/node_modules/.package-lock.json ] ||
    ! cmp -s tests/readers/package-lock.json \
    tests/readers/node_modules/.mkcitybook-lock; then
	echo "deps.sh: installing the npm checkers in tests/readers"
	(cd tests/readers && PUPPETEER_SKIP_DOWNLOAD=1 \
	    PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --no-audit --no-fund \
	    --ignore-scripts && cp package-lock.json \
	    node_modules/.mkcitybook-lock)
fi
echo "deps.sh: everything is installed"
