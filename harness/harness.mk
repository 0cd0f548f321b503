# soak-harness: run the soak and write soak-events(5) on stdout.
HARNESS_LIB  = harness/spread.c harness/prng.c harness/key.c \
	       harness/utf8.c harness/symbols.c harness/symbols_py.c \
	       harness/symbols_c.c harness/sqlcode.c harness/cache.c \
	       harness/clock.c harness/lock.c harness/linebuf.c \
	       harness/event.c harness/files.c harness/clean.c \
	       harness/proto.c harness/relay.c harness/out.c harness/ledger.c \
	       harness/chaos.c harness/prepare.c harness/checks.c \
	       harness/report.c harness/child.c harness/builtin.c \
	       harness/builtin_op.c harness/cmd.c harness/exec.c \
	       harness/telemetry.c harness/envinfo.c harness/dbwatch.c \
	       harness/errtail.c harness/sampler.c harness/pool.c harness/shard.c \
	       harness/run.c
HARNESS_OBJS = $(HARNESS_LIB:%.c=$(B)/%.o)

BINS += $(B)/soak-harness
UNIT_TESTS += $(B)/tests/unit/test_harness
MAN1 += man/soak-harness.1

$(B)/soak-harness: $(B)/harness/main.o $(B)/harness/args.o $(HARNESS_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(B)/tests/unit/test_harness: $(B)/tests/unit/test_harness.o $(HARNESS_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(TEST_LIBS)

# The floor of the benchmark: the same lock and SQL loop, no events.
# Built by scripts/bench-harness, not installed.
$(B)/tests/bench/floor: $(B)/tests/bench/floor.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

# libFuzzer on the harness's parsers; seeds made from the unit tests' cases.
FUZZ_TARGETS += build/fuzz/fuzz_harness
build/fuzz/fuzz_harness: tests/fuzz/fuzz_harness.c $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(DEP_LIBS)

build/fuzz/seeds/fuzz_harness: tests/fuzz/harness-seeds
	@mkdir -p $@
	@i=0; while IFS= read -r line; do i=$$((i + 1)); \
	    printf '%b' "$$line" > $@/seed-$$i; done < $<
	@touch $@
