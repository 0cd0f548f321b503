/* plotrun: run gnuplot with posix_spawn in a temporary folder, no shell. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plotrun.h"

extern char **environ;

/* The first signal caught, 0 for none. */
static volatile sig_atomic_t caught;

int
pl_tmp_make(struct pl_tmp *t)
{
	const char *dir = getenv("TMPDIR");
	int n;

	t->fd = -1;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = snprintf(t->path, sizeof(t->path), "%s/soak-plot.XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(t->path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdtemp(t->path) == NULL)
		return -1;
	if ((t->fd = open(t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		n = errno;
		rmdir(t->path);
		errno = n;
		return -1;
	}
	return 0;
}

int
pl_tmp_remove(struct pl_tmp *t)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (t->fd == -1)
		return 0;
	if ((fd = dup(t->fd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    unlinkat(t->fd, de->d_name, 0) == -1)
			rc = -1;
	closedir(d);
	close(t->fd);
	t->fd = -1;
	if (rmdir(t->path) == -1)
		rc = -1;
	return rc;
}

/* Note the first of the signals pl_catch asks for. */
static void
on_signal(int sig)
{
	if (caught == 0)
		caught = sig;
}

void
pl_catch(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait for gnuplot returns to look. */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int
pl_caught(void)
{
	return caught;
}

void
pl_reraise(void)
{
	if (caught == 0)
		return;
	signal(caught, SIG_DFL);
	raise(caught);
}

/* Wait for pid; a caught signal ends it first. 0, or -1 with errno. */
static int
wait_child(pid_t pid, int *status)
{
	int killed = 0;

	while (waitpid(pid, status, 0) == -1) {
		if (errno != EINTR)
			return -1;
		if (caught && !killed) {
			kill(pid, SIGTERM);
			killed = 1;
		}
	}
	if (caught) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

int
pl_gnuplot(const struct pl_tmp *t, int *status)
{
	char *argv[] = { "gnuplot", "-d", "plot.gp", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0) {
		errno = rc;
		return -1;
	}
	if ((rc = posix_spawn_file_actions_addchdir_np(&fa, t->path)) == 0 &&
	    (rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
	    "/dev/null", O_RDONLY, 0)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO,
	    STDOUT_FILENO)) == 0)
		rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return wait_child(pid, status);
}

/* Copy all of fd src to fd dst. Returns 0, or -1 with errno set. */
static int
copy_fd(int src, int dst)
{
	char buf[65536];
	ssize_t n, w, off;

	while ((n = read(src, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		for (off = 0; off < n; off += w) {
			w = write(dst, buf + off, (size_t)(n - off));
			if (w == -1 && errno != EINTR)
				return -1;
			if (w == -1)
				w = 0;
		}
	}
	return 0;
}

/* Copy name from t to the hidden file tmpname in dirfd. 0, or -1 errno. */
static int
copy_out(const struct pl_tmp *t, const char *name, int dirfd,
    const char *tmpname)
{
	int src, dst, rc, saved;

	if ((src = openat(t->fd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((dst = openat(dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0644)) == -1) {
		saved = errno;
		close(src);
		errno = saved;
		return -1;
	}
	rc = copy_fd(src, dst);
	saved = errno;
	close(src);
	if (close(dst) == -1 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	return rc;
}

int
pl_move(const struct pl_tmp *t, const char *name, int dirfd)
{
	char tmpname[NAME_MAX + 1];
	int saved;

	if (renameat(t->fd, name, dirfd, name) == 0)
		return 0;
	if (errno != EXDEV)
		return -1;
	snprintf(tmpname, sizeof(tmpname), ".%s.%ld", name, (long)getpid());
	if (copy_out(t, name, dirfd, tmpname) == 0 &&
	    renameat(dirfd, tmpname, dirfd, name) == 0)
		return 0;
	saved = errno;
	unlinkat(dirfd, tmpname, 0);
	errno = saved;
	return -1;
}
