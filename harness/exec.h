/* exec.h: a worker of exec mode, running a command once per operation. */
#include <signal.h>

struct config;
struct wstat;

/* Run worker number index (1-based) for share operations (-1: until the
 * deadline or *stop), writing one soak.exec line per run to fd, starting
 * when worker_go(gofd) returns. Returns
 * the exit status: 0 done, 3 the log could not be opened, 4 fd could not
 * be written. */
int exec_main(const struct config *, int index, long long share, int fd,
    int gofd, struct wstat *, double deadline_ms,
    volatile sig_atomic_t *stop);
/* One argument with {run_id}, {worker} and {op} replaced and {{ made {;
 * malloc'd, NULL when memory ran out. */
char *exec_subst(const char *arg, const char *run_id, int worker,
    long long op);
/* The command's environment: environ without the names set here, then
 * SOAK_RUN_ID, SOAK_WORKER, SOAK_OP (its value left for the caller at
 * *op_slot, room for 24 digits), the run id under each of run_id_env,
 * then env (NAME=VALUE). A malloc'd array of malloc'd strings ending in
 * NULL, freed with exec_env_free(). */
char **exec_env(char *const *environ_, const char *run_id, int worker,
    char *const *run_id_env, int nrun_id_env, char *const *env, int nenv,
    char **op_slot);
void exec_env_free(char **);
/* The command name's file: name itself when it holds a '/', else the
 * first executable regular file of that name on PATH; malloc'd, or NULL. */
char *exec_find(const char *name, const char *pathvar);
