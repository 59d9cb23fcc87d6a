/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security associations of a protected tunnel ("tunnel protection ipsec
 * profile").  An SA is one direction of ESP with one NBMA peer:
 *
 *   inbound   found by SPI in tunnel->sa_in when ESP arrives; several may
 *             exist per peer (old and new during a rekey);
 *   outbound  the newest one of a peer is peer->sa_out and carries all its
 *             traffic; older ones stay installed, idle, until deleted or
 *             expired, so a rekey never loses a packet.
 *
 * Lifetime: the tables own one reference.  A packet whose crypto runs
 * asynchronously takes another (and one on the device), so an SA that is
 * deleted meanwhile is freed only when that packet is done.  The last
 * reference frees the SA after an RCU grace period, in process context
 * (freeing a crypto transform may sleep, and the peer reference is
 * dropped under tunnel->lock).
 */
#ifndef _DMVPN_SA_H
#define _DMVPN_SA_H

#include <linux/kref.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "dmvpn.h"
#include "replay.h"
#include "sa_crypto.h"

struct dmvpn_sa_stats {
	u64_stats_t counter[__DMVPN_SA_STAT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * Packets of one SA whose crypto is under way, in the order they were
 * submitted (esp.c keeps them leaving in that order).
 */
struct dmvpn_esp_order {
	spinlock_t lock;		/* protects pending and flushing */
	struct list_head pending;
	bool flushing;			/* a CPU is emptying the queue */
};

/* Bits of dmvpn_sa.state */
enum {
	DMVPN_SA_SOFT_NOTIFIED,	/* soft-expire event sent */
	DMVPN_SA_HARD_EXPIRED,	/* must not carry more traffic; delete due */
	DMVPN_SA_UNLINKED,	/* removed from the tables */
};

struct dmvpn_sa {
	struct rhash_head node;		/* tunnel->sa_in, inbound only */
	struct list_head list;		/* tunnel->sas, every SA */
	struct dmvpn_tunnel *tunnel;
	struct dmvpn_peer *peer;	/* reference held until freed */
	__be32 spi;			/* hash key for inbound */
	u8 dir;				/* enum dmvpn_sa_dir */
	u8 mode;			/* enum dmvpn_sa_mode */
	u32 alg;			/* enum dmvpn_esp_alg */
	u32 flags;			/* DMVPN_SA_F_* as requested */
	u32 reqid;
	u32 replay_window;
	struct dmvpn_sa_crypto *crypto;
	struct dmvpn_replay *replay;	/* inbound */
	struct dmvpn_seq_out seq_out;	/* outbound */

	u64 created;			/* boottime seconds */
	u32 soft_secs, hard_secs;	/* 0: no limit */
	u64 soft_bytes, hard_bytes;	/* 0: no limit */
	atomic64_t bytes;		/* payload bytes, for the limits */
	unsigned long state;

	struct dmvpn_esp_order order;
	struct dmvpn_sa_stats __percpu *stats;
	struct kref refcount;
	struct rcu_work free_work;
};

/* What DMVPN_CMD_SA_ADD asked for, after validation. */
struct dmvpn_sa_spec {
	u8 dir;
	u8 mode;
	__be32 spi;
	struct dmvpn_endpoint peer;	/* normalised: port 0 is 4500 */
	u32 alg;
	struct dmvpn_sa_keys keys;
	u32 flags;
	u32 reqid;
	u32 replay_window;
	u32 soft_secs, hard_secs;
	u64 soft_kb, hard_kb;
};

static inline void dmvpn_sa_stat_add(struct dmvpn_sa *sa,
				     enum dmvpn_sa_stat s, u64 n)
{
	struct dmvpn_sa_stats *st = get_cpu_ptr(sa->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->counter[s], n);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(sa->stats);
}

void dmvpn_sa_stats_read(const struct dmvpn_sa *sa, u64 *out);

int dmvpn_sa_init(struct dmvpn_tunnel *t);
void dmvpn_sa_destroy(struct dmvpn_tunnel *t);
int dmvpn_sa_add(struct dmvpn_tunnel *t, const struct dmvpn_sa_spec *spec,
		 struct netlink_ext_ack *extack);
int dmvpn_sa_del(struct dmvpn_tunnel *t, u8 dir, __be32 spi,
		 const struct dmvpn_endpoint *peer,
		 struct netlink_ext_ack *extack);
unsigned int dmvpn_sa_flush(struct dmvpn_tunnel *t,
			    const struct dmvpn_endpoint *peer);
struct dmvpn_sa *dmvpn_sa_lookup_in(struct dmvpn_tunnel *t, __be32 spi);
struct dmvpn_sa *dmvpn_sa_find(struct dmvpn_tunnel *t, u8 dir, __be32 spi,
			       const struct dmvpn_endpoint *peer);
bool dmvpn_sa_hold(struct dmvpn_sa *sa);
void dmvpn_sa_put(struct dmvpn_sa *sa);
bool dmvpn_sa_account(struct dmvpn_sa *sa, unsigned int bytes);

#endif /* _DMVPN_SA_H */
