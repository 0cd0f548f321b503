/* sqlcode.h: SQLite result codes by name. */
#ifndef HARNESS_SQLCODE_H
#define HARNESS_SQLCODE_H


/* The name of a primary or extended result code, e.g. "SQLITE_BUSY_SNAPSHOT";
 * a static string. */
const char *sqlcode_name(int code);

#endif
