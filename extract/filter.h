/* filter: decide, before parsing, that a line cannot belong to a run. */
#ifndef EXTRACT_FILTER_H
#define EXTRACT_FILTER_H

/*
 * 1 when a run id has one JSON spelling apart from \u escapes (no quote,
 * backslash, slash or control character), so filter_may_match is sound.
 */
int	filter_usable(const char *id, size_t idlen);

/*
 * 0 only when the line holds neither the id's bytes nor a "\u" escape:
 * then no "run_id" member of the line can equal id.
 */
int	filter_may_match(const unsigned char *line, size_t len,
	    const char *id, size_t idlen);

#endif
