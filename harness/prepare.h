/* prepare.h: the cache before a run: the clean, its folder, its schema
 * and its lock file. Messages go to stderr, naming the path. */
#ifndef HARNESS_PREPARE_H
#define HARNESS_PREPARE_H

#include <stddef.h>

#include "workload.h"

struct config;

/* Remove an old cache at cf->db (only a cache: see clean_db). */
enum prep prepare_clean(const struct config *);
/* The built-in workload's cache at cf->db, before a run: refused (the
 * message printed) when clean_check refuses it or it holds anything but
 * a soak cache (cache_foreign), so that no other database is removed or
 * written; then, when clean, removed (prepare_clean). */
enum prep prepare_own(const struct config *, int clean);
/* mkdir -p dir, with *made as clean_mkdirs sets it, for clean_rmdirs;
 * refused (the message printed) when it cannot be made. */
enum prep prepare_mkdirs(const char *dir, size_t *made);
/* Create cf->db's folder, its lock file, then the cache with its schema
 * and journal mode; refused (the message printed) when either cannot be.
 * A refusal removes the lock file and the folders this call made. */
enum prep prepare_cache(const struct config *);

#endif
