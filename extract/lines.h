/*
 * lines: read a file descriptor line by line in large blocks.
 */
#define LINES_MAX	(16 * 1024 * 1024)	/* longest line kept */

struct lines;

/* Read from fd (not closed by lines_free). */
struct lines	*lines_new(int fd);
void		 lines_free(struct lines *);

/*
 * The next line, without its newline, one trailing CR, or (on the first
 * line) a UTF-8 byte order mark.  Returns 1 and sets *line and *len
 * (valid until the next call); for a line longer than LINES_MAX, *line is
 * NULL and *len 0.  Returns 0 at end of input, -1 on a read error
 * (errno set).  A last line without a newline is still a line.
 */
int		 lines_next(struct lines *, const unsigned char **line,
		    size_t *len);
