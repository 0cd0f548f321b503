/* envinfo.h: the machine and filesystem a run is on, for soak.run.start. */
#ifndef HARNESS_ENVINFO_H
#define HARNESS_ENVINFO_H

#define ENVINFO_NAME 256

struct envinfo {
	char host[ENVINFO_NAME];	/* the node name */
	char kernel[ENVINFO_NAME];	/* the kernel release */
	long cpus;			/* processors online */
	double loadavg[3];		/* -1 each when unknown */
	char fs_path[4096];		/* the folder whose filesystem is named */
	const char *fs_type;		/* "ext4", "nfs", ..., or "unknown" */
	long long fs_free_bytes;	/* -1 when unknown */
	int fs_trusted;			/* 0: SQLite's locks cannot be trusted */
};

/* Fill in e for a database at db (NULL: none, then folder is named). The
 * folder named is db's, or its nearest existing ancestor when it does not
 * exist yet. Never fails: what cannot be read is "unknown" or -1. */
void envinfo_read(struct envinfo *e, const char *db, const char *folder);
/* The name of a statfs(2) f_type: a static string, "unknown" when it is
 * none of those known. */
const char *envinfo_fs_name(unsigned long type);
/* 0 for a filesystem on which SQLite's locking cannot be trusted (network
 * and virtual ones), 1 otherwise. */
int envinfo_fs_trusted(const char *name);

#endif
