# soak-gate: judge one soak-metrics(5) document.
GATE_LIB  = gate/doc.c gate/pointer.c gate/jgen.c gate/require.c \
	    gate/criteria.c gate/compare.c gate/baseline.c gate/report.c \
	    gate/text.c gate/junit.c gate/markdown.c
GATE_OBJS = $(GATE_LIB:%.c=$(B)/%.o)
# The program's own parts: the command line and main().
GATE_PROG = $(B)/gate/main.o $(B)/gate/cli.o $(B)/gate/input.o \
	    $(B)/gate/output.o

# libxml2's xmlTextWriter writes the JUnit report: soak-gate's alone.
XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0)
XML_LIBS   = $(shell pkg-config --libs libxml-2.0)
$(GATE_OBJS) $(GATE_PROG): ALL_CFLAGS += $(XML_CFLAGS)

BINS += $(B)/soak-gate
UNIT_TESTS += $(B)/tests/unit/test_gate
MAN1 += man/soak-gate.1
MAN5 += man/soak-metrics.5

$(B)/soak-gate: $(GATE_PROG) $(GATE_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(XML_LIBS) -lm

$(B)/tests/unit/test_gate: $(B)/tests/unit/test_gate.o $(GATE_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(XML_LIBS) $(TEST_LIBS) -lm

FUZZ_TARGETS += build/fuzz/fuzz_gate build/fuzz/fuzz_baseline
build/fuzz/fuzz_gate build/fuzz/fuzz_baseline: build/fuzz/%: tests/fuzz/%.c \
    tests/fuzz/gate_check.h $(GATE_LIB)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(XML_CFLAGS) -o $@ $< $(GATE_LIB) \
	    $(DEP_LIBS) $(XML_LIBS) -lm

# Seeds: each test document behind a --require expression line.
build/fuzz/seeds/fuzz_gate: $(wildcard tests/gate/in/*.json)
	@mkdir -p $@
	@for f in $^; do { echo '/cache/hit_rate_warm >= 0.9'; cat $$f; } \
	    > $@/$$(basename $$f); done
	@touch $@

# Seeds: a baseline, a NUL, then metrics; each baseline of the tests with
# each metrics document compared with one.
BASE_SEEDS = $(wildcard tests/gate/in/base*.json)
CAND_SEEDS = $(wildcard tests/gate/in/cand-*.json) tests/gate/in/pass.json
build/fuzz/seeds/fuzz_baseline: $(BASE_SEEDS) $(CAND_SEEDS)
	@mkdir -p $@
	@for b in $(BASE_SEEDS); do for c in $(CAND_SEEDS); do \
	    { cat $$b; printf '\0'; cat $$c; } \
		> $@/$$(basename $$b .json)+$$(basename $$c); \
	done; done
	@touch $@
