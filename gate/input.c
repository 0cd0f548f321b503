/*
 * input: the metrics documents soak-gate reads, each opened before any
 * output is, then read in one piece and parsed into a tree.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "doc.h"
#include "input.h"

int
input_open(struct input *in)
{
	in->fd = STDIN_FILENO;
	if (in->path != NULL &&
	    (in->fd = open(in->path, O_RDONLY | O_CLOEXEC)) == -1) {
		warn("%s", in->path);
		return -1;
	}
	if (fstat(in->fd, &in->st) == -1) {
		warn("%s", in->name);
		input_close(in);
		return -1;
	}
	return 0;
}

int
input_is(const struct input *in, size_t n, const struct stat *st)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (in[i].fd != -1 && S_ISREG(st->st_mode) &&
		    in[i].st.st_dev == st->st_dev &&
		    in[i].st.st_ino == st->st_ino)
			return 1;
	return 0;
}

void
input_close(struct input *in)
{
	if (in == NULL || in->fd == -1)
		return;
	if (in->fd != STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
}

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
 * Parse len bytes of buf as one JSON object. The input is parsed in one
 * piece: yajl rescans a string split over pieces from its start, which
 * would cost time quadratic in its length. Returns the document, or NULL
 * after a diagnostic.
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

struct jnode *
input_read(struct input *in)
{
	struct jnode *doc = NULL;
	unsigned char *buf;
	size_t len;

	if (read_all(in->fd, in->name, &buf, &len) == 0)
		doc = parse_doc(buf, len, in->name);
	free(buf);
	input_close(in);
	return doc;
}
