/* sampler.c: the database sampled during a run, from outside. */
#include <stdlib.h>
#include <string.h>

#include "dbwatch.h"
#include "report.h"
#include "sampler.h"

struct sampler {
	char *db;
	long long every;	/* ms between samples; 0: off */
	struct emitter *em;
	struct db_window w;
	double next, win_start, win_end;
};

struct sampler *
sampler_new(const char *db, long long every_ms, double t0,
    struct emitter *em)
{
	struct sampler *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (db != NULL && every_ms > 0 && (s->db = strdup(db)) == NULL) {
		free(s);
		return NULL;
	}
	s->every = s->db != NULL ? every_ms : 0;
	s->em = em;
	sampler_begin(s, t0);
	return s;
}

void
sampler_begin(struct sampler *s, double t0)
{
	s->next = t0;
	s->win_start = t0;
	s->win_end = t0 + SAMPLER_WINDOW_MS;
	dbwatch_reset(&s->w);
}

void
sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	free(s->db);
	free(s);
}

/* Write the window's line, if it holds samples, and start the next. */
static void
sampler_flush(struct sampler *s, double now)
{
	if (s->w.samples > 0)
		report_db_sample(s->em, s->db, s->every, &s->w,
		    now - s->win_start);
	dbwatch_reset(&s->w);
	s->win_start = now;
}

int
sampler_tick(struct sampler *s, double now)
{
	struct db_files f;

	if (s->every == 0)
		return -1;
	if (now >= s->win_end) {
		sampler_flush(s, now);
		while (s->win_end <= now)
			s->win_end += SAMPLER_WINDOW_MS;
	}
	if (now >= s->next) {
		dbwatch_sizes(s->db, &f);
		dbwatch_add(&s->w, &f, dbwatch_writer(s->db) > 0);
		while (s->next <= now)
			s->next += (double)s->every;
	}
	return (int)(s->next - now) + 1;
}

void
sampler_finish(struct sampler *s, double now)
{
	if (s->every > 0)
		sampler_flush(s, now);
}
