# soak-plot: draw a soak-metrics(5) document (and its events) with gnuplot.
PLOT_LIB  = extract/plotdoc.c extract/plotev.c extract/plotgp.c \
	    extract/plotpic.c extract/plotcdf.c extract/plotrun.c
PLOT_OBJS = $(PLOT_LIB:%.c=$(B)/%.o)
PLOT_LIBS = $(shell pkg-config --libs yajl) -lm

BINS += $(B)/soak-plot
UNIT_TESTS += $(B)/tests/unit/test_plot
MAN1 += man/soak-plot.1

$(B)/soak-plot: $(B)/extract/plot.o $(PLOT_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PLOT_LIBS)

$(B)/tests/unit/test_plot: $(B)/tests/unit/test_plot.o $(PLOT_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PLOT_LIBS) $(TEST_LIBS)
