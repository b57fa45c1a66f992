/* meta.h - meta.json of a result set: the host, the build, the tools and
 * the sweep that produced it, so every figure says where it came from. */
#ifndef CMB_META_H
#define CMB_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define META_STR 256
#define META_LEVELS 32 /* cpu work levels with a calibrated iteration count */

struct meta {
	/* the sweep */
	char run_id[META_STR];	  /* results/<run-id> */
	char spec_name[META_STR]; /* name: of the spec */
	char spec_file[1024];	  /* where it was read */
	char *spec_text;	  /* the spec verbatim (malloc'd, may be NULL) */
	char shard[32];		  /* "i/n", "1/1" or "merged" */
	char **sources;		  /* merge: the joined sets (malloc'd, may be NULL) */
	size_t nsources;
	char cmbench[1024];    /* the binary the runs used */
	unsigned reps, warmup; /* from the spec (reps: its MIN) */
	unsigned reps_max;     /* the spec's MAX */
	double ci_pct;	       /* the spec's ci: */
	uint64_t seed;	       /* seeds the order of the models in each round */
	unsigned cells_total;  /* cells of this shard */
	unsigned cells_done;   /* cells with all their trials */
	unsigned cells_failed; /* cells with ok = 0 */
	uint64_t cal_ref_us;   /* calibration: iterations per ref_us */
	uint64_t cal_ref_iters;
	uint64_t level_us[META_LEVELS];	   /* cpu work levels of the spec */
	uint64_t level_iters[META_LEVELS]; /* their --cpu-iters */
	size_t nlevels;
	char start_utc[32], end_utc[32]; /* ISO 8601; end empty while running */
	/* the host */
	char host[META_STR];	    /* its name, "NAME via SSHLOGIN" under GNU parallel;
				     * a merged set: every source's, "; " between */
	char cpu_model[META_STR];   /* /proc/cpuinfo model name */
	int cores;		    /* usable: the sched affinity mask */
	int cores_online;	    /* online CPUs */
	char kernel[META_STR];	    /* uname -r */
	char clocksource[64];	    /* current_clocksource */
	char hypervisor[META_STR];  /* systemd-detect-virt, /sys/hypervisor/type, the
				     * cpuid hypervisor flag, or "none" */
	char thp[64];		    /* transparent huge pages: the [chosen] mode */
	char mitigations[1024];	    /* /sys/devices/system/cpu/vulnerabilities:
				     * "name: state; ..." */
	char governor[64];	    /* cpu0's cpufreq scaling governor, or "none" */
	char overcommit[16];	    /* /proc/sys/vm/overcommit_memory */
	char nofile[64], stack[64]; /* "soft/hard" limits, "unlimited" spelled out */
	/* the build and tools */
	char compiler[META_STR];  /* the compiler that built cmbench */
	char cflags[META_STR];	  /* its flags */
	char libuv[64];		  /* uv_version_string() */
	char hyperfine[META_STR]; /* hyperfine --version */
	char gnuplot[META_STR];	  /* gnuplot --version */
	char git_rev[64];	  /* the commit cmbench was built from */
	bool git_dirty;		  /* whether the tree had changes then */
	char checksum_scheme[32]; /* what the checksums hash (CHECKSUM_SCHEME, lib/stats.h) */
	char note[1024];	  /* what the figures are valid for */
};

/* Fill the host, build and tool fields of m from this machine. */
void meta_probe(struct meta *m);
/* The current UTC time as 2024-01-31T12:00:00Z. */
void meta_utc_now(char *buf, size_t len);
/* Run argv (no shell) and keep the first line of its stdout and stderr in
 * buf. 0 when it ran and exited 0; -EIO when it exited otherwise (buf then
 * holds what it said), or -errno when it could not be started. */
int meta_capture(char *const argv[], char *buf, size_t len);
/* Write m as JSON, replacing path whole (setio_replace). 0 or -errno. */
int meta_write(const char *path, const struct meta *m);
/* Read a meta.json. 0, -errno, or -EINVAL when it is not one. spec_text
 * and sources are malloc'd when present; meta_free releases them. */
int meta_read(const char *path, struct meta *m);
void meta_free(struct meta *m);
/* The iterations for a cpu work level: the stored one, or scaled from the
 * calibration. 0 when there is neither. */
uint64_t meta_iters(const struct meta *m, uint64_t us);

#endif
