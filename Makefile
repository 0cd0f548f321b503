# soak: soak-harness | soak-extract | soak-gate
#
#   make            build the three tools into $(B)
#   make check      install missing Debian packages, build, run every test, lint
#   make check SANITIZE=1   the same with ASan + UBSan
#   make soak       the main job: soak this tree and gate the result
#   make chaos      100 runs with workers SIGKILLed mid-run, and the tally
#   make bench      benchmarks with ratios against named baselines
#
# Each target first installs the Debian packages it needs, and only those
# (scripts/install-deps: build, soak, check, fuzz, memcheck, bench).
#
# The caller's CFLAGS, CPPFLAGS and LDFLAGS are kept; dependency flags come
# from pkg-config.

.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g

VERSION = 1.0.0

ifeq ($(SANITIZE),1)
B       ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
else
B       ?= build/plain
SANFLAGS =
endif

PKGS      = yajl sqlite3 libbsd-overlay libmd
# pkg-config is asked when a flag is first used, once (the packages may
# be installed only by then); cmocka only where a unit test is built.
once = $(eval $(1) := $(shell pkg-config $(2)))$($(1))
DEP_CFLAGS = $(call once,DEP_CFLAGS,--cflags $(PKGS))
DEP_LIBS   = $(call once,DEP_LIBS,--libs $(PKGS))
TEST_CFLAGS = $(call once,TEST_CFLAGS,--cflags cmocka)
TEST_LIBS   = $(call once,TEST_LIBS,--libs cmocka)

WARN = -std=c17 -Wall -Wextra -Wshadow -Wmissing-prototypes \
       -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wvla
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -DSOAK_VERSION='"$(VERSION)"' \
	     $(DEP_CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# Each tool's fragment appends to these.
BINS =
UNIT_TESTS =
FUZZ_TARGETS =
MAN1 =
MAN5 =

include gate/gate.mk
include extract/extract.mk
include extract/plot.mk
include harness/harness.mk

# The fragments define rules first; `make` alone still means `make all`.
.DEFAULT_GOAL := all

.PHONY: all deps check check-run lint install uninstall clean soak chaos bench fuzz fuzz-run memcheck lint-build mutants soak-long

all: $(BINS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

# Each target installs what it needs first (scripts/install-deps SET...).
deps:
	@scripts/install-deps build

# check installs what is missing first, then builds with the now-present
# pkg-config data in a sub-make.
check:
	@scripts/install-deps build check
	@$(MAKE) --no-print-directory check-run

# The tests run in the C.UTF-8 locale, which every Debian has: the caller's
# (LANG=en_US.UTF-8 with no locales installed, say) would have perl, which
# GNU parallel and some tests run, warn on stderr.
check-run: all $(UNIT_TESTS)
	@mandoc -T lint -W warning $(MAN1) $(MAN5)
	@LC_ALL=C.UTF-8 PATH="$(CURDIR)/$(B):$$PATH" SOAK_TOP="$(CURDIR)" SOAK_B="$(CURDIR)/$(B)" \
	  prove --exec tests/run-one $(UNIT_TESTS) $(sort $(wildcard tests/*/*.bats))

lint:
	@scripts/install-deps build check
	mandoc -T lint -W warning $(MAN1) $(MAN5)
	@$(MAKE) --no-print-directory B=build/lint EXTRA_CFLAGS=-Werror lint-build

lint-build: all $(UNIT_TESTS)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	cp -f $(BINS) $(DESTDIR)$(BINDIR)/
	cp -f $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp -f $(MAN5) $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(BINS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))

# The main job. OPS and WORKERS may be overridden: make soak OPS=1000 WORKERS=8
OPS ?= 200
WORKERS ?= 4
soak:
	@scripts/install-deps build soak
	@$(MAKE) -s --no-print-directory all
	@PATH="$(CURDIR)/$(B):$$PATH" OPS=$(OPS) WORKERS=$(WORKERS) scripts/soak-run

# 100 chaos runs (scripts/chaos): workers SIGKILLed mid-run, then the tally.
chaos:
	@scripts/install-deps build soak
	@$(MAKE) -s --no-print-directory all
	@PATH="$(CURDIR)/$(B):$$PATH" scripts/chaos

# libFuzzer targets (clang), each run FUZZ_SECONDS on its seeds, or with
# FUZZ_EXECS=N for N executions in two jobs on two processors; any crash,
# leak, timeout or sanitizer report stops with a non-zero status.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_EXECS ?=
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	      -fno-sanitize-recover=all $(WARN) -D_GNU_SOURCE \
	      -DSOAK_VERSION='"$(VERSION)"' $(DEP_CFLAGS)
fuzz:
	@scripts/install-deps build fuzz
	@$(MAKE) --no-print-directory fuzz-run
fuzz-run: $(FUZZ_TARGETS) $(FUZZ_TARGETS:build/fuzz/%=build/fuzz/seeds/%)
	@for t in $(FUZZ_TARGETS); do n=$${t##*/}; \
	  mkdir -p build/fuzz/corpus/$$n; \
	  if [ -n "$(FUZZ_EXECS)" ]; then \
	    echo "fuzz: $$n for $(FUZZ_EXECS) runs on 2 processors" >&2; \
	    how="-jobs=2 -workers=2 -runs=$$(( $(FUZZ_EXECS) / 2 ))"; \
	  else \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s" >&2; \
	    how="-max_total_time=$(FUZZ_SECONDS)"; \
	  fi; \
	  rm -f build/fuzz/$$n.log fuzz-*.log; \
	  $$t $$how -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
	    build/fuzz/corpus/$$n build/fuzz/seeds/$$n >build/fuzz/$$n.log 2>&1 \
	    || { cat build/fuzz/$$n.log fuzz-*.log 2>/dev/null | \
	      tail -40 >&2; exit 1; }; \
	  if ls fuzz-*.log >/dev/null 2>&1; then \
	    cat fuzz-*.log > build/fuzz/$$n.jobs.log; rm -f fuzz-*.log; \
	  else : > build/fuzz/$$n.jobs.log; fi; \
	  cat build/fuzz/$$n.jobs.log >> build/fuzz/$$n.log; \
	  grep -hE '^stat::number_of_executed_units' build/fuzz/$$n.jobs.log \
	    $$( [ -s build/fuzz/$$n.jobs.log ] || echo build/fuzz/$$n.log ) | \
	    awk -v n=$$n '{ s += $$2 } END { print "fuzz: " n " executed " s }' >&2; \
	  if grep -qE '^==[0-9]+==ERROR|^SUMMARY: .*Sanitizer|deadly signal' \
	    build/fuzz/$$n.log; then tail -40 build/fuzz/$$n.log >&2; exit 1; fi; \
	done

# The long soak (scripts/soak-long): 30 minutes of the built-in workload
# with chaos kills in WAL mode, then 10 of sqlite3 with kills. Not in CI.
soak-long:
	@scripts/install-deps build soak
	@$(MAKE) -s --no-print-directory all
	@PATH="$(CURDIR)/$(B):$$PATH" scripts/soak-long

# The suite checked by mutation (scripts/mutants): each alarm silenced in
# turn must make a test fail. Not in CI: it builds and tests once per
# mutant.
mutants:
	@scripts/install-deps build check
	@$(MAKE) --no-print-directory all
	@scripts/mutants

# The pipeline under valgrind memcheck: zero errors, zero leaks.
memcheck:
	@scripts/install-deps build memcheck
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(B):$$PATH" scripts/memcheck

# Benchmarks print medians and ratios against named baselines.
bench:
	@scripts/install-deps build bench
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(B):$$PATH" SOAK_B="$(CURDIR)/$(B)" scripts/bench

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
