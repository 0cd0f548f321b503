/*
 * soak-gate: read one soak-metrics(5) document and judge it on stable
 * criteria (never latency). Exit 0 pass, 1 fail, 2 usage or bad input.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "criteria.h"
#include "doc.h"
#include "report.h"

/*
 * Read all of fd, up to one byte past the limit, into *buf (the caller
 * frees it) and *len. Returns 0, or -1 after a diagnostic naming name.
 */
static int
read_all(int fd, const char *name, unsigned char **buf, size_t *len)
{
	unsigned char *nb;
	size_t cap = 0;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	while (*len <= DOC_MAX_BYTES) {
		if (cap - *len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(*buf, cap)) == NULL) {
				warn(NULL);
				return -1;
			}
			*buf = nb;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			warn("%s", name);
			return -1;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

/*
 * Parse len bytes of buf as the metrics document, one JSON object. The
 * input is parsed in one piece: yajl rescans a string split over pieces
 * from its start, which would cost time quadratic in its length. Returns
 * the document, or NULL after a diagnostic.
 */
static struct jnode *
parse_doc(const unsigned char *buf, size_t len, const char *name)
{
	struct doc_reader *r;
	struct jnode *doc = NULL;
	char msg[512];

	if ((r = doc_reader_new(name)) == NULL) {
		warn(NULL);
		return NULL;
	}
	if ((len > 0 && doc_reader_feed(r, buf, len, msg, sizeof(msg)) == -1) ||
	    (doc = doc_reader_finish(r, msg, sizeof(msg))) == NULL)
		warnx("%s", msg);
	else if (doc_type(doc) != J_OBJECT) {
		warnx("%s: not an object (%s)", name,
		    doc_type_words(doc_type(doc)));
		doc_free(doc);
		doc = NULL;
	}
	doc_reader_free(r);
	return doc;
}

/* The document named by o, or NULL after a diagnostic. */
static struct jnode *
read_doc(const struct opts *o)
{
	struct jnode *doc = NULL;
	unsigned char *buf;
	size_t len;
	int fd = STDIN_FILENO;

	if (o->path != NULL && (fd = open(o->path, O_RDONLY)) == -1) {
		warn("%s", o->path);
		return NULL;
	}
	if (read_all(fd, o->name, &buf, &len) == 0)
		doc = parse_doc(buf, len, o->name);
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return doc;
}

/* Name every criterion whose metric has the wrong type. */
static void
warn_badtype(const char *name, const struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->results[i].status == C_BADTYPE)
			warnx("%s: %s: %s", name, v->results[i].pointer,
			    v->results[i].detail);
}

/* The verdict document into path, "-" for stdout; -1 after a diagnostic. */
static int
json_out(const char *path, const char *input, const struct verdict *v)
{
	FILE *fp;
	int rc, saved;

	if (strcmp(path, "-") == 0) {
		if (report_json(stdout, input, v) == -1) {
			warn("stdout");
			return -1;
		}
		return 0;
	}
	if ((fp = fopen(path, "w")) == NULL) {
		warn("%s", path);
		return -1;
	}
	rc = report_json(fp, input, v);
	saved = errno;
	if (fclose(fp) == EOF && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == -1) {
		errno = saved;
		warn("%s", path);
	}
	return rc;
}

/*
 * The report: text on stdout (stderr under --json -) unless -q, then the
 * verdict document when asked. Returns 0, or -1 after a diagnostic.
 */
static int
print_verdict(const struct opts *o, const struct verdict *v)
{
	int json_stdout = o->json != NULL && strcmp(o->json, "-") == 0;

	/* Text errors on stdout are caught when it is flushed. */
	if (!o->quiet && report_text(json_stdout ? stderr : stdout, v) == -1) {
		warn(NULL);
		return -1;
	}
	if (o->json != NULL)
		return json_out(o->json, o->name, v);
	return 0;
}

/* Flush stdout: 0, or -1 after a diagnostic (a full disk must not pass). */
static int
check_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		return -1;
	}
	return 0;
}

/* --help or --version on stdout: the exit status, 2 if stdout failed. */
static int
print_info(int action)
{
	if (action == ACT_HELP)
		cli_usage(stdout);
	else
		printf("soak-gate %s\n", SOAK_VERSION);
	return check_stdout() == 0 ? 0 : 2;
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0 };
	struct jnode *doc = NULL;
	struct verdict *v = NULL;
	int status = 2;

	/* A closed stdout ends us quietly, even if SIGPIPE came ignored. */
	signal(SIGPIPE, SIG_DFL);
	if (cli_parse(&o, argc, argv) == -1)
		goto done;
	if (o.action != ACT_RUN) {
		status = print_info(o.action);
		goto done;
	}
	if ((doc = read_doc(&o)) == NULL)
		goto done;
	if ((v = gate_evaluate(doc, &o.cfg)) == NULL) {
		warn(NULL);
		goto done;
	}
	if (v->badtype)
		warn_badtype(o.name, v);
	else if (print_verdict(&o, v) == 0 && check_stdout() == 0)
		status = v->failed ? 1 : 0;
done:
	gate_verdict_free(v);
	doc_free(doc);
	gate_config_free(&o.cfg);
	return status;
}
