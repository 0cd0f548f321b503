# soak-gate: judge one soak-metrics(5) document.
GATE_LIB  = gate/doc.c gate/criteria.c
GATE_OBJS = $(GATE_LIB:%.c=$(B)/%.o)

BINS += $(B)/soak-gate
UNIT_TESTS += $(B)/tests/unit/test_gate
MAN1 += man/soak-gate.1
MAN5 += man/soak-metrics.5

$(B)/soak-gate: $(B)/gate/main.o $(GATE_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(B)/tests/unit/test_gate: $(B)/tests/unit/test_gate.o $(GATE_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(TEST_LIBS)
