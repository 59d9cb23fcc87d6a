// SPDX-License-Identifier: GPL-2.0-only
/* dmvpnd.conf's "ip nhrp" lines and the steps that apply them (nhrp_config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nhrp_config.h"

void keyer_nhrp_defaults(struct keyer_nhrp *n)
{
	memset(n, 0, sizeof(*n));
	n->holdtime = 7200;
}

static int why_fmt(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The reason into why; -1, for "return why_fmt(...)". */
static int why_fmt(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int number(const char *w, const char *what, unsigned long lo, unsigned long hi,
		  uint32_t *out, char *why, size_t whylen)
{
	char *end;
	unsigned long v;

	if (!w || !isdigit((unsigned char)*w))
		return why_fmt(why, whylen, "%s: expected a number, got \"%s\"", what, w ? w : "");
	errno = 0;
	v = strtoul(w, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		snprintf(why, whylen, "%s: \"%s\" is not in %lu..%lu", what, w, lo, hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static bool unicast(const struct dm_addr *a)
{
	bool zero = true;

	for (unsigned int i = 0; i < a->len; i++)
		zero &= !a->bytes[i];
	if (zero)
		return false;
	if (a->family == AF_INET)
		return (a->bytes[0] & 0xf0) != 0xe0 && !(a->bytes[0] == 255 && a->bytes[3] == 255);
	return a->bytes[0] != 0xff;
}

/* A unicast host address: what the module accepts in a static map. */
static int host(const char *w, const char *what, struct dm_addr *a, char *why, size_t whylen)
{
	if (!w || dm_addr_parse(w, a))
		return why_fmt(why, whylen, "%s: bad address \"%s\"", what, w ? w : "");
	if (!unicast(a))
		return why_fmt(why, whylen, "%s: %s is not a unicast address", what, w);
	return 0;
}

static int map_line(struct keyer_nhrp *n, char **w, size_t nw, unsigned int line,
		    char *why, size_t whylen)
{
	/* ip nhrp map multicast dynamic|NBMA */
	if (nw == 5 && !strcmp(w[3], "multicast")) {
		struct keyer_nhrp_mcast m = { .line = line };

		if (!strcmp(w[4], "dynamic")) {
			n->mcast_dynamic = true;
			return 0;
		}
		if (host(w[4], "ip nhrp map multicast", &m.nbma, why, whylen))
			return -1;
		for (size_t i = 0; i < n->nmcast; i++) {
			if (!dm_addr_equal(&n->mcast[i].nbma, &m.nbma))
				continue;
			/* IOS's own pair: "nhs ... multicast" and this line */
			if (n->mcast[i].from_nhs)
				return 0;
			return why_fmt(why, whylen, "ip nhrp map multicast %s: given twice", w[4]);
		}
		if (n->nmcast == KEYER_NHRP_MCAST_MAX) {
			snprintf(why, whylen, "more than %d \"ip nhrp map multicast\" lines",
				 KEYER_NHRP_MCAST_MAX);
			return -1;
		}
		n->mcast[n->nmcast++] = m;
		return 0;
	}
	/* ip nhrp map PROTO NBMA */
	if (nw == 5) {
		struct keyer_nhrp_map m = { .line = line };

		if (host(w[3], "ip nhrp map", &m.proto, why, whylen) ||
		    host(w[4], "ip nhrp map", &m.nbma, why, whylen))
			return -1;
		for (size_t i = 0; i < n->nmap; i++)
			if (dm_addr_equal(&n->map[i].proto, &m.proto)) {
				snprintf(why, whylen, "ip nhrp map %s: mapped already on line %u",
					 w[3], n->map[i].line);
				return -1;
			}
		if (n->nmap == KEYER_NHRP_MAPS_MAX) {
			snprintf(why, whylen, "more than %d \"ip nhrp map\" lines", KEYER_NHRP_MAPS_MAX);
			return -1;
		}
		n->map[n->nmap++] = m;
		return 0;
	}
	return why_fmt(why, whylen, "expected \"ip nhrp map PROTO-ADDR NBMA-ADDR\" or \"ip nhrp map multicast dynamic|NBMA-ADDR\"");
}

/* ip nhrp nhs PROTO [nbma NBMA] [priority N] [multicast] */
static int nhs_line(struct keyer_nhrp *n, char **w, size_t nw, unsigned int line,
		    char *why, size_t whylen)
{
	struct keyer_nhrp_nhs s = { .line = line };
	bool mcast = false;

	if (nw < 4)
		return why_fmt(why, whylen, "expected \"ip nhrp nhs PROTO-ADDR [nbma NBMA-ADDR] [priority 0-255] [multicast]\"");
	if (host(w[3], "ip nhrp nhs", &s.proto, why, whylen))
		return -1;
	for (size_t i = 4; i < nw; i++) {
		if (!strcmp(w[i], "nbma") && i + 1 < nw && !s.nbma.family) {
			if (host(w[++i], "ip nhrp nhs ... nbma", &s.nbma, why, whylen))
				return -1;
		} else if (!strcmp(w[i], "priority") && i + 1 < nw && !s.has_priority) {
			uint32_t v;

			if (number(w[++i], "ip nhrp nhs ... priority", 0, 255, &v, why, whylen))
				return -1;
			s.priority = (uint8_t)v;
			s.has_priority = true;
		} else if (!strcmp(w[i], "multicast") && !mcast) {
			mcast = true;
		} else {
			return why_fmt(why, whylen, "ip nhrp nhs: unexpected \"%s\" (nbma ADDR, priority N, multicast, each once)",
				       w[i]);
		}
	}
	if (mcast && !s.nbma.family)
		return why_fmt(why, whylen, "ip nhrp nhs %s: \"multicast\" needs \"nbma ADDR\"", w[3]);
	for (size_t i = 0; i < n->nnhs; i++)
		if (dm_addr_equal(&n->nhs[i].proto, &s.proto)) {
			snprintf(why, whylen, "ip nhrp nhs %s: configured already on line %u",
				 w[3], n->nhs[i].line);
			return -1;
		}
	if (n->nnhs == KEYER_NHRP_NHS_MAX) {
		snprintf(why, whylen, "more than %d \"ip nhrp nhs\" lines", KEYER_NHRP_NHS_MAX);
		return -1;
	}
	if (mcast) {
		bool have = false;

		for (size_t i = 0; i < n->nmcast; i++)
			have |= dm_addr_equal(&n->mcast[i].nbma, &s.nbma);
		if (!have && n->nmcast == KEYER_NHRP_MCAST_MAX) {
			snprintf(why, whylen, "more than %d multicast destinations",
				 KEYER_NHRP_MCAST_MAX);
			return -1;
		}
		if (!have)
			n->mcast[n->nmcast++] = (struct keyer_nhrp_mcast){ s.nbma, line, true };
	}
	n->nhs[n->nnhs++] = s;
	return 0;
}

int keyer_nhrp_line(struct keyer_nhrp *n, char **w, size_t nw, unsigned int line,
		    char *why, size_t whylen)
{
	const char *what = nw > 2 ? w[2] : "";

	if (!n->managed) {
		n->managed = true;
		n->line = line;
	}
	if (nw == 4 && !strcmp(what, "network-id"))
		return number(w[3], "ip nhrp network-id", 1, UINT32_MAX, &n->network_id, why, whylen);
	if (nw == 4 && !strcmp(what, "holdtime"))
		return number(w[3], "ip nhrp holdtime", 1, 65535, &n->holdtime, why, whylen);
	if (nw == 5 && !strcmp(what, "registration") && !strcmp(w[3], "timeout"))
		return number(w[4], "ip nhrp registration timeout", 1, 65535, &n->reg_timeout,
			      why, whylen);
	if (nw == 4 && !strcmp(what, "registration") && !strcmp(w[3], "no-unique")) {
		n->no_unique = true;
		return 0;
	}
	if (nw == 4 && !strcmp(what, "authentication")) {
		size_t len = strlen(w[3]);

		if (len > KEYER_NHRP_AUTH_MAX)
			return why_fmt(why, whylen, "ip nhrp authentication: the key has more than 8 characters");
		memcpy(n->auth, w[3], len + 1);
		return 0;
	}
	if (nw == 3 && !strcmp(what, "redirect")) {
		n->redirect = true;
		return 0;
	}
	if (nw == 3 && !strcmp(what, "shortcut")) {
		n->shortcut = true;
		return 0;
	}
	if (!strcmp(what, "map"))
		return map_line(n, w, nw, line, why, whylen);
	if (!strcmp(what, "nhs"))
		return nhs_line(n, w, nw, line, why, whylen);
	return why_fmt(why, whylen, "unknown or incomplete NHRP command \"ip nhrp %s\" (network-id, holdtime, authentication, registration timeout|no-unique, redirect, shortcut, map, nhs)",
		       what);
}

static bool has_map(const struct keyer_nhrp *n, const struct keyer_nhrp_map *m)
{
	for (size_t i = 0; n && n->managed && i < n->nmap; i++)
		if (dm_addr_equal(&n->map[i].proto, &m->proto) &&
		    dm_addr_equal(&n->map[i].nbma, &m->nbma))
			return true;
	return false;
}

static bool has_nhs(const struct keyer_nhrp *n, const struct keyer_nhrp_nhs *s)
{
	for (size_t i = 0; n && n->managed && i < n->nnhs; i++)
		if (dm_addr_equal(&n->nhs[i].proto, &s->proto) &&
		    dm_addr_equal(&n->nhs[i].nbma, &s->nbma) &&
		    n->nhs[i].has_priority == s->has_priority &&
		    n->nhs[i].priority == s->priority)
			return true;
	return false;
}

static bool has_mcast(const struct keyer_nhrp *n, const struct keyer_nhrp_mcast *m)
{
	for (size_t i = 0; n && n->managed && i < n->nmcast; i++)
		if (dm_addr_equal(&n->mcast[i].nbma, &m->nbma))
			return true;
	return false;
}

size_t keyer_nhrp_plan(const struct keyer_nhrp *old, const struct keyer_nhrp *new,
		       keyer_nhrp_step_fn fn, void *arg)
{
	struct keyer_nhrp off;
	struct keyer_nhrp_settings set;
	size_t steps = 0;

	if (old && old->managed) {
		for (size_t i = 0; i < old->nmap; i++)
			if (!has_map(new, &old->map[i]))
				fn(arg, NHRP_STEP_MAP_DEL, &old->map[i]), steps++;
		for (size_t i = 0; i < old->nnhs; i++)
			if (!has_nhs(new, &old->nhs[i]))
				fn(arg, NHRP_STEP_NHS_DEL, &old->nhs[i]), steps++;
		for (size_t i = 0; i < old->nmcast; i++)
			if (!has_mcast(new, &old->mcast[i]))
				fn(arg, NHRP_STEP_MCAST_DEL, &old->mcast[i]), steps++;
	}
	if (!new->managed) {
		if (old && old->managed) {
			/* the lines are gone: "no ip nhrp network-id" */
			keyer_nhrp_defaults(&off);
			set = (struct keyer_nhrp_settings){ old, &off };
			fn(arg, NHRP_STEP_SETTINGS, &set);
			steps++;
		}
		return steps;
	}
	for (size_t i = 0; i < new->nmap; i++)
		if (!has_map(old, &new->map[i]))
			fn(arg, NHRP_STEP_MAP_ADD, &new->map[i]), steps++;
	for (size_t i = 0; i < new->nmcast; i++)
		if (!has_mcast(old, &new->mcast[i]))
			fn(arg, NHRP_STEP_MCAST_ADD, &new->mcast[i]), steps++;
	set = (struct keyer_nhrp_settings){ old && old->managed ? old : NULL, new };
	if (!set.old || KEYER_NHRP_CHANGED(&set, network_id) ||
	    KEYER_NHRP_CHANGED(&set, holdtime) || KEYER_NHRP_CHANGED(&set, reg_timeout) ||
	    KEYER_NHRP_CHANGED(&set, auth) || KEYER_NHRP_CHANGED(&set, redirect) ||
	    KEYER_NHRP_CHANGED(&set, shortcut) || KEYER_NHRP_CHANGED(&set, mcast_dynamic) ||
	    KEYER_NHRP_CHANGED(&set, no_unique)) {
		fn(arg, NHRP_STEP_SETTINGS, &set);
		steps++;
	}
	for (size_t i = 0; i < new->nnhs; i++)
		if (!has_nhs(old, &new->nhs[i]))
			fn(arg, NHRP_STEP_NHS_ADD, &new->nhs[i]), steps++;
	return steps;
}
