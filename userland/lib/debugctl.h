/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Run-time debugging, IOS style ("debug crypto isakmp", "debug nhrp",
 * "show debugging"), for both halves of dmvpn:
 *  - the module's protocol trace lines are dynamic debug call sites, one
 *    set per source file (nhrp.c for NHRP, esp.c and sa.c for IPsec);
 *    dmvpnctl switches them through the dynamic debug control file;
 *  - dmvpnd's detail lines (every attribute it checks) belong to a
 *    category, ISAKMP or IPSEC; dmvpnctl writes the wanted categories to
 *    DM_IKESTATE_DIR/debug and every running dmvpnd picks the change up
 *    within a second, without a restart.
 */
#ifndef DMVPN_LIB_DEBUGCTL_H
#define DMVPN_LIB_DEBUGCTL_H

#include <stdbool.h>
#include <stddef.h>

/* What can be debugged; the keyer reads only the first two. */
enum {
	DM_DEBUG_ISAKMP		= 1u << 0,	/* dmvpnd: phase 1 and quick mode */
	DM_DEBUG_IPSEC		= 1u << 1,	/* dmvpnd: SAs; module: esp.c, sa.c */
	DM_DEBUG_NHRP		= 1u << 2,	/* module: nhrp.c */
	DM_DEBUG_DMVPN		= 1u << 3,	/* module: every file */
};
#define DM_DEBUG_KEYER	(DM_DEBUG_ISAKMP | DM_DEBUG_IPSEC)
#define DM_DEBUG_ALL	(DM_DEBUG_KEYER | DM_DEBUG_NHRP | DM_DEBUG_DMVPN)

/* The keyer's file: DMVPN_RUN_DIR or DM_IKESTATE_DIR, then "/debug". */
const char *dm_debug_keyer_path(char *buf, size_t len);
/* Categories as words ("isakmp ipsec"), for the file and for logs. */
void dm_debug_format(unsigned int cats, char *buf, size_t len);
/* 0 and *cats, or -1 with err naming the word that is not a category. */
int dm_debug_parse(const char *text, unsigned int *cats, char *err,
		   size_t errlen);
/* The keyer categories in the file (none if there is no file); -1 with
 * err on a read error or a bad file. */
int dm_debug_keyer_get(unsigned int *cats, char *err, size_t errlen);
/* Replace the file's categories (atomically: a reader never sees half
 * a file); 0, or -1 with err. */
int dm_debug_keyer_set(unsigned int cats, char *err, size_t errlen);

/*
 * The dynamic debug control file: DMVPN_DYNDBG_CONTROL (tests), else
 * /proc/dynamic_debug/control, else the debugfs one.  NULL when the
 * kernel has none (CONFIG_DYNAMIC_DEBUG off, or debugfs not mounted on
 * an old kernel).
 */
const char *dm_debug_control_path(void);
/* Switch the module's call sites of @cats (NHRP, IPSEC, DMVPN) on or
 * off; 0, or -1 with err (no control file, module not loaded, ...). */
int dm_debug_module_set(unsigned int cats, bool on, char *err, size_t errlen);
/* Which of NHRP, IPSEC and DMVPN have every call site on; 0 or -1. */
int dm_debug_module_get(unsigned int *cats, char *err, size_t errlen);

#endif
