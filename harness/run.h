/* run.h: the parent of a built-in run. */
struct config;
struct fileset;

/* Prepare the cache, write soak.run.start, run the workers, relay their
 * lines to stdout, check the cache and write soak.run.end. Returns the
 * exit status: 0 completed, 1 the harness failed, 130 or 143 interrupted. */
int run_main(const struct config *, const struct fileset *);
/* Check the cache before a run: clean it unless cf->keep, create its
 * folder and schema and open its lock file. Returns 0, 1 (the clean
 * failed) or 2 (refused, or the cache or its lock file could not be
 * created or opened); messages go to stderr. */
int run_prepare(const struct config *);
