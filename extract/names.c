/* names: the cmds soak-extract knows, by name. */
#include <string.h>

#include "event.h"

#define CMD(id, name)	[id] = { name, sizeof(name) - 1 }

static const struct {
	const char	*name;
	size_t		 len;
} cmd_names[C_COUNT] = {
	CMD(C_HIT, "ast.cache.hit"),
	CMD(C_MISS, "ast.cache.miss"),
	CMD(C_WRITE, "ast.cache.write"),
	CMD(C_LOCK_WAIT, "ast.cache.lock_wait"),
	CMD(C_LOCK_TIMEOUT, "ast.cache.lock_timeout"),
	CMD(C_ERROR, "ast.cache.error"),
	CMD(C_INTEGRITY, "ast.cache.integrity_check"),
	CMD(C_SYMBOLS, "ast.symbols"),
	CMD(C_EXEC, "soak.exec"),
	CMD(C_RUN_START, "soak.run.start"),
	CMD(C_RUN_END, "soak.run.end"),
	CMD(C_WORKER_EXIT, "soak.worker.exit"),
	CMD(C_VERIFY, "soak.verify"),
	CMD(C_DB_SAMPLE, "soak.db.sample"),
	CMD(C_DB_INFO, "soak.db.info"),
};

enum cmd_id
event_cmd_id(const char *s, size_t len)
{
	int k;

	for (k = 1; k < C_COUNT; k++)
		if (cmd_names[k].len == len &&
		    memcmp(cmd_names[k].name, s, len) == 0)
			return k;
	return C_OTHER;
}
