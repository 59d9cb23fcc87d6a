/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NHRP part of a tunnel's configuration in dmvpnd.conf, written as on
 * IOS under "interface tunX" ("ip nhrp network-id 1", "ip nhrp nhs ...").
 * When the file has such lines, dmvpnd applies them to the module at
 * start and brings the tunnel in line with the file on every reload, so
 * that one file describes the router's DMVPN as a running-config does.
 * Without them dmvpnd leaves NHRP alone (dmvpnctl nhrp ... sets it).
 *
 * keyer_nhrp_plan() turns an old and a new configuration into the steps
 * that take the tunnel from one to the other; nhrp_apply.c sends them.
 */
#ifndef DMVPN_KEYER_NHRP_CONFIG_H
#define DMVPN_KEYER_NHRP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../lib/addr.h"

#define KEYER_NHRP_MAPS_MAX	64
#define KEYER_NHRP_NHS_MAX	8
#define KEYER_NHRP_MCAST_MAX	32
#define KEYER_NHRP_AUTH_MAX	8	/* IOS: at most 8 characters */

struct keyer_nhrp_map {
	struct dm_addr proto, nbma;
	unsigned int line;
};

struct keyer_nhrp_nhs {
	struct dm_addr proto;
	struct dm_addr nbma;		/* family 0: from an "ip nhrp map" */
	bool has_priority;
	uint8_t priority;
	unsigned int line;
};

struct keyer_nhrp_mcast {
	struct dm_addr nbma;
	unsigned int line;
	bool from_nhs;			/* "ip nhrp nhs ... multicast" */
};

struct keyer_nhrp {
	bool managed;			/* the file has "ip nhrp" lines */
	unsigned int line;		/* the first of them */
	/* every setting, the file's value or IOS's default */
	uint32_t network_id;		/* 0: NHRP off */
	uint32_t holdtime;		/* 7200 s */
	uint32_t reg_timeout;		/* 0: holdtime / 3 */
	char auth[KEYER_NHRP_AUTH_MAX + 1];	/* "": none */
	bool redirect, shortcut, mcast_dynamic, no_unique;
	struct keyer_nhrp_map map[KEYER_NHRP_MAPS_MAX];
	size_t nmap;
	struct keyer_nhrp_nhs nhs[KEYER_NHRP_NHS_MAX];
	size_t nnhs;
	struct keyer_nhrp_mcast mcast[KEYER_NHRP_MCAST_MAX];
	size_t nmcast;
};

void keyer_nhrp_defaults(struct keyer_nhrp *n);

/*
 * One "ip nhrp ..." line (w[0] is "ip", w[1] "nhrp"); line is its number.
 * 0, or -1 with the reason in why (no file or line: the caller adds them).
 */
int keyer_nhrp_line(struct keyer_nhrp *n, char **w, size_t nw, unsigned int line,
		    char *why, size_t whylen);

enum keyer_nhrp_step {
	NHRP_STEP_MAP_DEL,		/* item: struct keyer_nhrp_map */
	NHRP_STEP_NHS_DEL,		/* item: struct keyer_nhrp_nhs */
	NHRP_STEP_MCAST_DEL,		/* item: struct keyer_nhrp_mcast */
	NHRP_STEP_MAP_ADD,
	NHRP_STEP_MCAST_ADD,
	NHRP_STEP_SETTINGS,		/* item: struct keyer_nhrp_settings */
	NHRP_STEP_NHS_ADD,
};

/*
 * The settings to send: new's, each only when it differs from old's (old
 * NULL: every one), because the module starts registering afresh when
 * the timers or the key are set, and a reload must not disturb what it
 * does not change.
 */
struct keyer_nhrp_settings {
	const struct keyer_nhrp *old, *new;
};

static inline bool keyer_nhrp_differs(const struct keyer_nhrp_settings *s, size_t off,
				      size_t len)
{
	return !s->old || memcmp((const char *)s->old + off, (const char *)s->new + off, len);
}

#define KEYER_NHRP_CHANGED(s, field) \
	keyer_nhrp_differs((s), offsetof(struct keyer_nhrp, field), \
			   sizeof(((struct keyer_nhrp *)0)->field))

/* Returns 0 to go on; an error is logged by the callback and the plan
 * goes on with the other steps (a bad line must not block the rest). */
typedef void (*keyer_nhrp_step_fn)(void *arg, enum keyer_nhrp_step step, const void *item);

/*
 * The steps from old (NULL: what the tunnel had before dmvpnd, which is
 * left alone) to new: deletions of what old had and new has not, then
 * new's maps, multicast destinations, changed settings and NHSs (the
 * NHSs last: registration starts once everything it needs is there).
 * new not managed but old managed: old's items go and NHRP is switched
 * off.
 * Returns the number of steps.
 */
size_t keyer_nhrp_plan(const struct keyer_nhrp *old, const struct keyer_nhrp *new,
		       keyer_nhrp_step_fn fn, void *arg);

#endif
