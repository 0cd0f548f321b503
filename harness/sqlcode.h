/* sqlcode.h: SQLite result codes by name. */

/* The name of a primary or extended result code, e.g. "SQLITE_BUSY_SNAPSHOT";
 * a static string. */
const char *sqlcode_name(int code);
