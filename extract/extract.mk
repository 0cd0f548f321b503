# soak-extract: soak-events(5) JSON Lines in, one soak-metrics(5) document out.
EXTRACT_LIB  = extract/event.c extract/names.c extract/filter.c extract/lines.c \
	       extract/metrics.c extract/out.c extract/layout.c \
	       extract/cmds.c extract/cache.c extract/locks.c \
	       extract/integrity.c extract/verify.c extract/workers.c \
	       extract/runend.c extract/tree.c \
	       extract/chaos.c extract/db.c extract/env.c extract/ts.c \
	       extract/hist.c extract/timeline.c extract/start.c \
	       extract/hosts.c \
	       extract/stats.c extract/strtab.c extract/utf8.c extract/work.c
EXTRACT_OBJS = $(EXTRACT_LIB:%.c=$(B)/%.o)

BINS += $(B)/soak-extract
UNIT_TESTS += $(B)/tests/unit/test_extract $(B)/tests/extract/test_time
MAN1 += man/soak-extract.1
MAN5 += man/soak-events.5

$(B)/soak-extract: $(B)/extract/main.o $(EXTRACT_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) -lm -pthread

$(B)/tests/unit/test_extract: $(B)/tests/unit/test_extract.o $(EXTRACT_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(TEST_LIBS) -lm -pthread

$(B)/tests/extract/test_time: $(B)/tests/extract/test_time.o $(EXTRACT_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(TEST_LIBS) -lm -pthread

# The floor of the benchmark: yajl alone over the log, on one thread a
# part.  Built by scripts/bench-extract, not installed.
$(B)/tests/bench/parse-floor: $(B)/tests/bench/parse-floor.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) -pthread

FUZZ_TARGETS += build/fuzz/fuzz_extract
build/fuzz/fuzz_extract: tests/fuzz/fuzz_extract.c $(EXTRACT_LIB)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS) -lm -pthread

# Seeds: the hand-checked streams of the golden tests.
build/fuzz/seeds/fuzz_extract: $(wildcard tests/extract/in/*.jsonl)
	@mkdir -p $@
	@cp $^ $@/
	@touch $@

FUZZ_TARGETS += build/fuzz/fuzz_ts
build/fuzz/fuzz_ts: tests/fuzz/fuzz_ts.c extract/ts.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

# Seeds: the stamps of the unit tests and of the golden streams.
build/fuzz/seeds/fuzz_ts: tests/extract/test_time.c $(wildcard tests/extract/in/*.jsonl)
	@mkdir -p $@
	@{ grep -o '"[0-9+][^"]*"' tests/extract/test_time.c; \
	  cat $(filter %.jsonl,$^) | grep -o '"ts": *"[^"]*"' | \
	  sed 's/^"ts": *//'; } | tr -d '"' | sort -u | \
	  awk -v d=$@ '{ f = sprintf("%s/%03d", d, NR); printf "%s", $$0 > f; close(f) }'
	@touch $@
