/* run.h: the parent of a run: it starts the workers, relays their lines
 * to standard output, sends the chaos kills, and ends with the checks. */
#ifndef HARNESS_RUN_H
#define HARNESS_RUN_H

struct config;
struct workload;

/* How a run ended, for main() to turn into the exit status. */
struct outcome {
	int signal;	/* the signal that interrupted the run, or 0 */
	int died;	/* workers that died other than by --chaos-kill */
	int out_err;	/* standard output's errno (EPIPE: the reader went
			 * away), or 0 */
};

/* Run workload wl (prepared: its state) under cf: soak.run.start, the
 * workers, their lines relayed, the checks, soak.run.end. Returns 0 with
 * *oc filled in, or -1 when the run could not start (message printed). */
int run_main(const struct config *cf, const struct workload *wl,
    const void *state, struct outcome *oc);

#endif
