/* envinfo.c: the machine and filesystem a run is on. */
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envinfo.h"

/* statfs(2) magic numbers, from <linux/magic.h> and the kernel's
 * filesystems, by name. */
static const struct {
	unsigned long type;
	const char *name;
	int trusted;
} envinfo_fs[] = {
	{ 0xef53, "ext4", 1 },		/* ext2, ext3 and ext4 share it */
	{ 0x58465342, "xfs", 1 },
	{ 0x9123683e, "btrfs", 1 },
	{ 0x01021994, "tmpfs", 1 },
	{ 0x858458f6, "ramfs", 1 },
	{ 0x794c7630, "overlay", 1 },
	{ 0x2fc12fc1, "zfs", 1 },
	{ 0xf2f52010, "f2fs", 1 },
	{ 0x3153464a, "jfs", 1 },
	{ 0x52654973, "reiserfs", 1 },
	{ 0x4d44, "vfat", 1 },
	{ 0x2011bab0, "exfat", 1 },
	{ 0x5346544e, "ntfs", 1 },
	{ 0x65735546, "fuse", 0 },
	{ 0x6969, "nfs", 0 },
	{ 0xff534d42, "cifs", 0 },
	{ 0xfe534d42, "smb2", 0 },
	{ 0x517b, "smb", 0 },
	{ 0x01021997, "9p", 0 },
	{ 0x5346414f, "afs", 0 },
	{ 0x00c36400, "ceph", 0 },
	{ 0x0bd00bd0, "lustre", 0 },
	{ 0x47504653, "gpfs", 0 },
	{ 0x73717368, "squashfs", 1 },
	{ 0x9660, "iso9660", 1 },
	{ 0x62656572, "sysfs", 1 },
	{ 0x9fa0, "proc", 1 },
};
#define NFS (sizeof(envinfo_fs) / sizeof(envinfo_fs[0]))

const char *
envinfo_fs_name(unsigned long type)
{
	size_t i;

	for (i = 0; i < NFS; i++)
		if (envinfo_fs[i].type == type)
			return envinfo_fs[i].name;
	return "unknown";
}

int
envinfo_fs_trusted(const char *name)
{
	size_t i;

	for (i = 0; i < NFS; i++)
		if (strcmp(envinfo_fs[i].name, name) == 0)
			return envinfo_fs[i].trusted;
	return 1;
}

/* path's folder, or the nearest ancestor of it that exists, into out. */
static void
envinfo_folder(const char *path, int is_file, char *out, size_t n)
{
	struct statfs sf;
	char *slash;

	snprintf(out, n, "%s", path);
	if (is_file && (slash = strrchr(out, '/')) != NULL)
		*(slash == out ? slash + 1 : slash) = '\0';
	while (statfs(out, &sf) < 0 && (slash = strrchr(out, '/')) != NULL) {
		if (slash == out) {
			out[1] = '\0';
			break;
		}
		*slash = '\0';
	}
}

void
envinfo_read(struct envinfo *e, const char *db, const char *folder)
{
	struct utsname u;
	struct statfs sf;
	struct statvfs sv;

	memset(e, 0, sizeof(*e));
	snprintf(e->host, sizeof(e->host), "unknown");
	snprintf(e->kernel, sizeof(e->kernel), "unknown");
	if (uname(&u) == 0) {
		snprintf(e->host, sizeof(e->host), "%s", u.nodename);
		snprintf(e->kernel, sizeof(e->kernel), "%s", u.release);
	}
	e->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(e->loadavg, 3) != 3)
		e->loadavg[0] = e->loadavg[1] = e->loadavg[2] = -1;
	envinfo_folder(db != NULL ? db : folder, db != NULL, e->fs_path,
	    sizeof(e->fs_path));
	e->fs_type = "unknown";
	e->fs_free_bytes = -1;
	if (statfs(e->fs_path, &sf) == 0)
		e->fs_type = envinfo_fs_name((unsigned long)sf.f_type);
	if (statvfs(e->fs_path, &sv) == 0)
		e->fs_free_bytes = (long long)sv.f_bavail *
		    (long long)sv.f_frsize;
	e->fs_trusted = envinfo_fs_trusted(e->fs_type);
}
