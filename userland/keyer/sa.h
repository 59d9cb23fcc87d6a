/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Child SAs, independent of the IKE version that negotiated them, and the
 * backends that install them: "netlink" pushes them into the dmvpn module
 * (DMVPN_CMD_SA_ADD/DEL), "record" appends them to a file so handshakes can
 * be tested without the module.
 */
#ifndef DMVPN_KEYER_SA_H
#define DMVPN_KEYER_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/addr.h"
#include "../lib/proxyid.h"

/* Longest keying material of one direction: enc (with salt) + auth key. */
#define CHILD_KEYMAT_MAX	(36 + 64)

/* One pair of ESP SAs with a peer, as negotiated. */
struct child_sa {
	uint32_t reqid;
	struct dm_addr local, peer;
	uint16_t peer_port;		/* UDP port of ESP-in-UDP (post-NAT) */
	bool encap;			/* ESP in UDP */
	uint32_t spi_in, spi_out;	/* host order */
	uint32_t esp_alg;		/* enum dmvpn_esp_alg */
	uint8_t mode;			/* enum dmvpn_sa_mode */
	/* the proxy identities negotiated, ours and the peer's: shown and
	 * checked at reload; the module carries GRE to peer whatever they are */
	struct dm_proxy_id local_id, remote_id;
	uint8_t key_in[CHILD_KEYMAT_MAX];	/* enc key | auth key */
	uint8_t key_out[CHILD_KEYMAT_MAX];
	size_t key_len;
	uint32_t life_secs;		/* hard lifetime; soft is derived */
	uint64_t life_kb;
	bool rekeying;			/* a successor is being negotiated */
	bool initiator;			/* we started the exchange that made it */
	uint64_t out_since_ms;		/* outbound SA installed then; 0: not yet */
	/* packet counts at the last on-demand DPD look (struct
	 * child_traffic), to tell "only sending" from "idle" */
	uint64_t seen_in_pkts, seen_out_pkts;
};

/* What a backend counted on a pair since it went in. */
struct child_traffic {
	uint64_t in_pkts;		/* received and authenticated */
	uint64_t out_pkts;		/* sent */
};

/* Keying material one direction needs for an ESP suite, 0 if unknown. */
size_t child_keymat_len(uint32_t esp_alg);
void child_sa_wipe(struct child_sa *c);
/*
 * Soft lifetime the backend asks the module to announce.  Both ends of a
 * pair count the same seconds (and nearly the same bytes), so equal soft
 * lifetimes make both start a rekey at once and leave two new pairs.  The
 * end that initiated the pair rekeys first (90 %, less up to 2 % jitter);
 * the responder waits until 95 % (less up to 1 %) and normally finds that
 * the initiator's successor has arrived, so it only rekeys when the
 * initiator does not (a peer with rekeying off, say).
 */
uint32_t child_soft_secs(uint32_t hard, uint32_t jitter_seed, bool initiator);
uint64_t child_soft_kb(uint64_t hard, bool initiator);

/* Directions of a pair, for installing them at different times. */
#define CHILD_IN	1u
#define CHILD_OUT	2u
#define CHILD_BOTH	(CHILD_IN | CHILD_OUT)

struct sa_backend {
	const char *name;
	/* inbound before outbound when both are given */
	int (*add)(struct sa_backend *b, const struct child_sa *c, unsigned int dirs);
	int (*del)(struct sa_backend *b, const struct child_sa *c);
	/* Optional: the packet counts of n pairs at once (one query for a
	 * whole tick); 0, or a negative errno when it cannot say.  On-demand
	 * DPD needs it; without it DPD probes an idle peer too. */
	int (*traffic)(struct sa_backend *b, const struct child_sa *c, size_t n,
		       struct child_traffic *out);
	/* Optional: the peer at addr/port (0: 4500) is dead (DPD).  The
	 * netlink backend forgets what NHRP learnt from it, as IOS does when
	 * its tunnel protection goes down; static maps stay. */
	void (*peer_dead)(struct sa_backend *b, const struct dm_addr *peer, uint16_t port);
	void (*close)(struct sa_backend *b);
	char err[256];			/* last error, for logs */
	void *priv;
};

/* Appends "add"/"del" lines to path (mode 0600).  TESTS ONLY: the file
 * holds keys. */
struct sa_backend *sa_backend_record(const char *path);
/* The dmvpn module, tunnel ifname. */
struct sa_backend *sa_backend_netlink(const char *ifname);
void sa_backend_close(struct sa_backend *b);

/* The record line of one direction (no trailing newline); exposed for the
 * unit tests. */
int child_sa_record_line(const struct child_sa *c, bool in, char *buf,
			 size_t len, bool with_keys);

#endif
