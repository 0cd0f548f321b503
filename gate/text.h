/*
 * text: strings made safe for the XML and Markdown writers: valid UTF-8
 * with no control characters, whatever bytes came in.
 */
#ifndef GATE_TEXT_H
#define GATE_TEXT_H

/*
 * A copy of s, the caller's to free, where each byte that is not valid
 * UTF-8 and each control or XML-forbidden character (U+0000 to U+001F,
 * U+007F, U+FFFE, U+FFFF) is U+FFFD; NULL when out of memory.
 */
char *text_safe(const char *s);

#endif
