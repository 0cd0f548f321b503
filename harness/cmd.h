/* cmd.h: a command's arguments, environment and file for exec mode. */
#ifndef HARNESS_CMD_H
#define HARNESS_CMD_H

/* Room for the digits of SOAK_OP in the environment cmd_env() makes. */
#define CMD_OP_DIGITS 24

/* One argument with {run_id}, {worker} and {op} replaced and {{ made {;
 * malloc'd, NULL when memory ran out. */
char *cmd_subst(const char *arg, const char *run_id, int worker,
    long long op);
/* The command's environment: environ without the names set here, then
 * SOAK_RUN_ID, SOAK_WORKER, SOAK_OP (its value left for the caller at
 * *op_slot, room for CMD_OP_DIGITS digits), the run id under each of
 * run_id_env, then env (NAME=VALUE). A malloc'd array of malloc'd strings
 * ending in NULL, freed with cmd_env_free(); NULL when memory ran out. */
char **cmd_env(char *const *environ_, const char *run_id, int worker,
    char *const *run_id_env, int nrun_id_env, char *const *env, int nenv,
    char **op_slot);
void cmd_env_free(char **);
/* The command name's file: name itself when it holds a '/', else the
 * first executable regular file of that name on PATH; malloc'd, or NULL
 * (for a name with a '/', errno then says why: ENOENT, EACCES, EISDIR). */
char *cmd_find(const char *name, const char *pathvar);

#endif
