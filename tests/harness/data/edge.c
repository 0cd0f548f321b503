/* Edge cases for the symbol extractor: def not_a_function(void) {} */
#include <stdio.h>

#define MACRO(x) static int macro_##x(void) { return x; }
#define LONG_MACRO(a, b) \
	struct hidden { int a; }

#ifdef __cplusplus
extern "C" {
#endif

struct point {
	int x, y;
};

struct forward;

typedef struct node {
	struct node *next;
	struct { int a; } anon;
} node_t, *node_p;

typedef enum { RED, GREEN } color;
enum flags { F_A = 1 << 0, F_B = 1 << 1 };
union value { int i; double d; };

typedef int (*handler)(int, char **);
typedef unsigned long ulong_t;
typedef char name_buf[64];
typedef void fn_type(int);

static const struct point origin = { 0, 0 };
static const char *names[] = { "a{", "b}" };

static int
add(int a, int b)
{
	struct inner { int z; } v = { a + b };
	return v.z;
}

__attribute__((noreturn)) void die(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
	for (;;)
		;
}

struct point *
make_point(int x, int y) __attribute__((malloc));

int
main(int argc, char *argv[])
{
	char c = '}';
	(void)argv;
	return add(argc, c == '{');
}

#ifdef __cplusplus
}
#endif
