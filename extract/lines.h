/* lines: the one line splitter, reading a file descriptor in large blocks. */
#ifndef EXTRACT_LINES_H
#define EXTRACT_LINES_H

/*
 * The longest line kept: a longer one is reported as LINES_TOO_LONG
 * and skipped up to its newline.
 */
#define LINES_MAX	(16 * 1024 * 1024)
#define LINES_TOO_LONG	"line longer than 16 MiB"

struct lines;

/* Read from fd (not closed by lines_free); NULL when out of memory. */
struct lines	*lines_new(int fd);
/* Free l (not its fd); NULL is fine. */
void		 lines_free(struct lines *);

/*
 * The next line, without its newline, one trailing CR, or (on the first
 * line) a UTF-8 byte order mark.  Returns 1 and sets *line and *len
 * (valid until the next call); for a line longer than LINES_MAX, *line is
 * NULL and *len 0.  Returns 0 at end of input, -1 on a read error
 * (errno set) or when out of memory (errno ENOMEM).  A last line without
 * a newline is still a line.
 */
int		 lines_next(struct lines *, const unsigned char **line,
		    size_t *len);

#endif
