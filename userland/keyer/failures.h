/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The last negotiation failure per peer, for "dmvpnctl show crypto isakmp
 * failures": the log line says it once, this keeps it where an operator
 * looks afterwards (seed 002's scenarios: PSK mismatch, no proposal
 * chosen, proxy identities, peer not responding, invalid SPI).  Not tied
 * to an IKE version: IKEv1 notes its failures here, IKEv2 will too.
 */
#ifndef DMVPN_KEYER_FAILURES_H
#define DMVPN_KEYER_FAILURES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/addr.h"
#include "../lib/ikestate.h"

/* A hub may meet many misconfigured spokes; the oldest entry goes first. */
#define PEER_FAILURES_MAX 64

struct peer_failures {
	struct dm_ike_failure e[PEER_FAILURES_MAX];
	size_t n;
};

/*
 * Record a failure with peer (port 0: unknown), replacing that peer's
 * earlier one and counting how many happened in a row.  code is one of
 * the DM_IKE_FAIL_* tokens (stable, for scripts); the reason is prose.
 */
void peer_failure_note(struct peer_failures *f, const struct dm_addr *peer,
		       uint16_t port, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Write every entry as a "fail" line of the state file (ikestate.h). */
void peer_failures_write(const struct peer_failures *f, const char *ifname, FILE *out);

#endif
