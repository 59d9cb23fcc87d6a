// SPDX-License-Identifier: GPL-2.0-only
/* The last negotiation failure per peer (failures.h). */
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "failures.h"

void peer_failure_note(struct peer_failures *f, const struct dm_addr *peer,
		       uint16_t port, const char *code, const char *fmt, ...)
{
	struct dm_ike_failure *e = NULL;
	unsigned int count = 1;
	va_list ap;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (dm_addr_equal(&f->e[i].peer, peer)) {
			if (!strcmp(f->e[i].code, code))
				count = f->e[i].count + 1;
			break;
		}
	}
	if (i == f->n && f->n == PEER_FAILURES_MAX)
		i = 0;			/* full: the oldest goes */
	else if (i == f->n)
		f->n++;
	/* the newest last: move the others up */
	memmove(&f->e[i], &f->e[i + 1], (f->n - 1 - i) * sizeof(f->e[0]));
	e = &f->e[f->n - 1];
	memset(e, 0, sizeof(*e));
	e->peer = *peer;
	e->port = port;
	e->when = (uint64_t)time(NULL);
	e->count = count;
	snprintf(e->code, sizeof(e->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

void peer_failures_write(const struct peer_failures *f, const char *ifname, FILE *out)
{
	for (size_t i = 0; i < f->n; i++) {
		struct dm_ike_failure e = f->e[i];
		char line[1024];

		snprintf(e.ifname, sizeof(e.ifname), "%s", ifname);
		if (!dm_ikestate_format_failure(&e, line, sizeof(line)))
			fprintf(out, "%s\n", line);
	}
}
