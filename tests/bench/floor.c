/* floor: the benchmark floor of soak-harness. The same work per operation
 * as the built-in workload's cache path (flock, SELECT, UPDATE on a hit,
 * INSERT on a miss, release) in the same number of processes, with no
 * file reading, no extraction and no events.
 *
 * The lock is taken with a blocking flock(2), as the harness takes it
 * (-l block), or by non-blocking polls sleeping 20 us doubling to 2 ms
 * between them (-l poll), which falls away with many workers on few
 * processors.
 *
 * usage: floor [-w workers] [-n ops] [-k keys] [-j delete|wal]
 *              [-l poll|block] db */
#include <sys/file.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

static const char value[] =
    "[{\"kind\":\"function\",\"name\":\"floor\",\"line\":1}]";

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int poll_lock = 1;

/* Take the lock: blocking, or polling with backoff. */
static void
take(int fd)
{
	struct timespec ts = { 0, 20000L };

	if (!poll_lock) {
		if (flock(fd, LOCK_EX) < 0)
			err(1, "flock");
		return;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			err(1, "flock");
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 2000000L)
			ts.tv_nsec *= 2;
	}
}

static void
check(sqlite3 *db, int rc, int want, const char *what)
{
	if (rc != want)
		errx(1, "%s: %s", what, sqlite3_errmsg(db));
}

/* One worker: ops operations over keys keys, key i picked round-robin
 * from a per-worker start. */
static int
floor_worker(const char *path, const char *lock, int index, long long ops,
    long long keys)
{
	sqlite3 *db;
	sqlite3_stmt *sel, *upd, *ins;
	char key[64];
	long long op;
	int fd, rc;

	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		err(1, "%s", lock);
	check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK, path);
	sqlite3_busy_timeout(db, 5000);
	/* As the harness's cache_exec(): busy answers are retried. */
	while ((rc = sqlite3_exec(db, "PRAGMA synchronous=full", NULL, NULL,
	    NULL)) == SQLITE_BUSY)
		usleep(1000);
	check(db, rc, SQLITE_OK, "synchronous");
	check(db, sqlite3_prepare_v2(db,
	    "SELECT length(value) FROM cache WHERE key = ?1", -1, &sel, NULL),
	    SQLITE_OK, "prepare");
	check(db, sqlite3_prepare_v2(db,
	    "UPDATE cache SET last_access = ?2 WHERE key = ?1", -1, &upd,
	    NULL), SQLITE_OK, "prepare");
	check(db, sqlite3_prepare_v2(db,
	    "INSERT OR REPLACE INTO cache"
	    " (key, value, created_at, last_access, value_bytes)"
	    " VALUES (?1, ?2, ?3, ?3, ?4)", -1, &ins, NULL), SQLITE_OK,
	    "prepare");
	for (op = 0; op < ops; op++) {
		snprintf(key, sizeof(key), "floor:%lld", (op + index) % keys);
		take(fd);
		sqlite3_bind_text(sel, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(sel);
		sqlite3_reset(sel);
		if (rc == SQLITE_ROW) {
			sqlite3_bind_text(upd, 1, key, -1, SQLITE_STATIC);
			sqlite3_bind_double(upd, 2, now());
			check(db, sqlite3_step(upd), SQLITE_DONE, "update");
			sqlite3_reset(upd);
		} else {
			check(db, rc, SQLITE_DONE, "select");
			sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, value, -1, SQLITE_STATIC);
			sqlite3_bind_double(ins, 3, now());
			sqlite3_bind_int64(ins, 4, (sqlite3_int64)strlen(value));
			check(db, sqlite3_step(ins), SQLITE_DONE, "insert");
			sqlite3_reset(ins);
		}
		flock(fd, LOCK_UN);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	close(fd);
	return 0;
}

static long long
num(const char *s, const char *name)
{
	const char *errstr;
	long long v = strtonum(s, 1, 1000000000LL, &errstr);

	if (errstr != NULL)
		errx(2, "%s: \"%s\" is %s", name, s, errstr);
	return v;
}

int
main(int argc, char *argv[])
{
	const char *journal = "delete";
	long long ops = 20000, keys = 4, workers = 1;
	char sql[64], lock[4096];
	sqlite3 *db;
	int ch, i, st, status = 0;

	while ((ch = getopt(argc, argv, "w:n:k:j:l:")) != -1) {
		switch (ch) {
		case 'w':
			workers = num(optarg, "-w");
			break;
		case 'n':
			ops = num(optarg, "-n");
			break;
		case 'k':
			keys = num(optarg, "-k");
			break;
		case 'j':
			journal = optarg;
			break;
		case 'l':
			poll_lock = strcmp(optarg, "block") != 0;
			break;
		default:
			fprintf(stderr, "usage: floor [-w workers] [-n ops] "
			    "[-k keys] [-j delete|wal] [-l poll|block] db\n");
			return 2;
		}
	}
	if (argc - optind != 1)
		errx(2, "one database path expected");
	snprintf(lock, sizeof(lock), "%s.lock", argv[optind]);
	check(NULL, sqlite3_open(argv[optind], &db), SQLITE_OK, argv[optind]);
	snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", journal);
	check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, sql);
	check(db, sqlite3_exec(db,
	    "CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY,"
	    " value TEXT NOT NULL, created_at REAL NOT NULL,"
	    " last_access REAL NOT NULL, value_bytes INTEGER NOT NULL);"
	    "CREATE INDEX IF NOT EXISTS idx_cache_last_access"
	    " ON cache(last_access);", NULL, NULL, NULL), SQLITE_OK, "schema");
	sqlite3_close(db);
	for (i = 0; i < workers; i++) {
		long long share = ops / workers + (i < ops % workers);

		switch (fork()) {
		case -1:
			err(1, "fork");
		case 0:
			_exit(floor_worker(argv[optind], lock, i, share, keys));
		}
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			status = 1;
	return status;
}
