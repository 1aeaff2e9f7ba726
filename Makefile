# mkcitybook: compile a folder of plain-text city articles into an EPUB 3 book.
#
#   make deps         install the Debian packages it needs (as root)
#   make              build ./mkcitybook and its cover helper
#   make cities.epub  build the book the project ships, from content/
#   make check        the test suite
#   make asan         the suite under AddressSanitizer and UBSan
#   make valgrind     the suite under valgrind
#   make check-all    all of these: what CI runs

VERSION	= 1.0.0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/mkcitybook

CC	?= cc
B	?= build
PROG	?= mkcitybook
# The cover helper lives next to the program (cover.c finds it there).
HELPER	= $(dir $(PROG))mkcitybook-cover
PROGS	= $(PROG) $(HELPER)
CFLAGS	?= -O2 -g
PKGS	= libxml-2.0 libzip libcmark yaml-0.1 zlib libdeflate
# The cover helper's alone: mkcitybook itself never loads them.
DRAW_PKGS = pangocairo libdeflate
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
# Evaluated when used, so that "make deps cities.epub" works in one go.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(DRAW_PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
DRAW_LIBS  = $(shell pkg-config --libs $(DRAW_PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DCMARK_NO_SHORT_NAMES $(WARN) -Isrc $(PKG_CFLAGS) \
	     -DMKC_VERSION='"$(VERSION)"' $(CFLAGS)
LIBS	= $(PKG_LIBS) -lpthread

# Objects shared by the program, the unit tests and the fuzzers.
LIB_OBJS = $(B)/msg.o $(B)/util.o $(B)/article.o $(B)/markdown.o \
	   $(B)/meta.o $(B)/typo.o $(B)/slug.o $(B)/sha1.o $(B)/image.o
OUT_OBJS = $(B)/decode.o $(B)/book.o $(B)/template.o $(B)/xml.o \
	   $(B)/pages.o $(B)/package.o $(B)/epub.o $(B)/pool.o $(B)/cover.o \
	   $(B)/file.o $(B)/templates_data.o
OBJS	= $(B)/main.o $(LIB_OBJS) $(OUT_OBJS)
HEADERS	= src/mkcitybook.h src/epub.h

TEMPLATES = templates/chapter.xhtml templates/titlepage.xhtml \
	    templates/cover.xhtml templates/colophon.xhtml \
	    templates/nav.xhtml templates/book.css

all: $(PROGS)

$(PROG): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(HELPER): $(B)/drawcover.o $(B)/util.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/drawcover.o $(B)/util.o \
	    $(DRAW_LIBS)

$(B)/%.o: src/%.c $(HEADERS)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default templates are compiled in, so the program works anywhere.
$(B)/templates_data.c: $(TEMPLATES) Makefile
	@mkdir -p $(B)
	@{ echo '/* Generated from templates/ by make; do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  i=0; for f in $(TEMPLATES); do \
	    echo "static const unsigned char t$$i[] = {"; \
	    od -An -v -tx1 $$f | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo "0x00 };"; i=$$((i+1)); done; \
	  echo 'const struct embedded_file { const char *name;'; \
	  echo '    const unsigned char *data; size_t len; }'; \
	  echo 'embedded_templates[] = {'; \
	  i=0; for f in $(TEMPLATES); do \
	    echo "{ \"$${f#templates/}\", t$$i, sizeof(t$$i) - 1 },"; \
	    i=$$((i+1)); done; \
	  echo '{ NULL, NULL, 0 } };'; } > $@.tmp && mv $@.tmp $@

$(B)/templates_data.o: $(B)/templates_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/unit: tests/unit.c $(LIB_OBJS) $(HEADERS)
	$(CC) $(ALL_CFLAGS) -o $@ tests/unit.c $(LIB_OBJS) $(LIBS)

# Writes N city articles for the benchmarks and the big tests.
$(B)/gencities: tests/bench/gencities.c
	@mkdir -p $(B)
	$(CC) -O2 $(WARN) -o $@ tests/bench/gencities.c

# The book the project ships.
cities.epub: $(PROGS) content/book.yaml content/*.txt
	./$(PROG) content -o $@

# ------------------------------------------------------------------ tests

check: $(PROGS) $(B)/unit $(B)/gencities lint-man
	tests/run.sh

# The same suite, with the program built for AddressSanitizer and
# UndefinedBehaviorSanitizer.  Any report fails a test (its messages no
# longer match, or the exit status is wrong).  EPUBCheck is skipped: the
# books are the same bytes as in "make check".
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
asan:
	$(MAKE) B=build-asan PROG=build-asan/mkcitybook CFLAGS="$(SAN_FLAGS)" \
	    LDFLAGS="$(SAN_FLAGS)" build-asan/mkcitybook \
	    build-asan/mkcitybook-cover build-asan/unit
	$(MAKE) build/gencities
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=98 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:exitcode=97 \
	EPUBCHECK=0 MKC=build-asan/mkcitybook UNIT=build-asan/unit tests/run.sh

# The same suite under valgrind: memory errors and definite leaks fail.
valgrind: $(PROGS) $(B)/unit $(B)/gencities
	VALGRIND=1 EPUBCHECK=0 tests/run.sh

# Real readers and checkers: EPUB 3.3 rules, Ace, MuPDF, calibre.
check-readers: $(PROGS)
	tests/run.sh readers

check-all: check asan valgrind check-readers

# -------------------------------------------------------------- benchmark

# mkcitybook against zip -r -6 and pandoc on 100 to 100,000 generated
# articles (BENCH_SIZES); not part of "make check".  Needs time, zip,
# unzip and pandoc.
BENCH_SIZES ?= 100 1000 10000 100000
bench: $(PROGS) $(B)/gencities
	tests/bench/run.sh $(BENCH_SIZES)

# ---------------------------------------------------------------- fuzzing

# libFuzzer targets in tests/fuzz, built with clang, ASan and UBSan:
# the plain-text and Markdown readers, the YAML readers, and parse then
# render.  "make fuzz" runs each for FUZZ_TIME seconds (or FUZZ_RUNS
# executions) from a seed corpus of the tests' own articles.
FUZZERS	  = article markdown meta render
FUZZ_CC	  = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME ?= 60

fuzz-build:
	$(MAKE) B=build-fuzz CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS)" \
	    $(FUZZERS:%=build-fuzz/fuzz_%)

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJS) $(OUT_OBJS) $(HEADERS)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJS) \
	    $(OUT_OBJS) $(LIBS)

fuzz: fuzz-build
	FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh $(FUZZERS)

# --------------------------------------------------------------- install

# The program, its cover helper, its manual, and a copy of the built-in
# templates to start from; nothing outside $(DESTDIR)$(PREFIX).  The
# helper goes in $(LIBEXECDIR)/mkcitybook, which mkcitybook finds as
# ../libexec/mkcitybook from its own folder: keep LIBEXECDIR and BINDIR
# siblings.
install: $(PROGS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(LIBEXECDIR)/mkcitybook
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/mkcitybook
	install -m 755 $(HELPER) \
	    $(DESTDIR)$(LIBEXECDIR)/mkcitybook/mkcitybook-cover
	install -m 644 src/mkcitybook.1 $(DESTDIR)$(MANDIR)/man1/mkcitybook.1
	install -m 644 $(TEMPLATES) $(DESTDIR)$(DATADIR)/templates/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mkcitybook \
	    $(DESTDIR)$(LIBEXECDIR)/mkcitybook/mkcitybook-cover \
	    $(DESTDIR)$(MANDIR)/man1/mkcitybook.1 \
	    $(addprefix $(DESTDIR)$(DATADIR)/templates/,$(notdir $(TEMPLATES)))
	-rmdir $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(LIBEXECDIR)/mkcitybook 2>/dev/null

# The manual must lint clean.  Whether a page it refers to (iconv(1),
# zip(1)) is installed, or in mandoc.db, is about the machine, not the
# page: those notes are left out.
lint-man:
	mandoc -Tlint src/mkcitybook.1 2>&1 | \
	    grep -Ev 'mandoc\.db|referenced manual not found' | { ! grep .; }

# Installs the Debian packages that building and testing need, when
# they are missing.  Root only.
deps:
	tests/deps.sh

clean:
	rm -rf build build-asan build-fuzz mkcitybook mkcitybook-cover \
	    cities.epub

.PHONY: all check asan valgrind check-readers check-all deps clean fuzz bench \
	fuzz-build \
	install uninstall lint-man
