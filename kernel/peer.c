// SPDX-License-Identifier: GPL-2.0
/*
 * NBMA peers: one object per underlay endpoint a tunnel talks to.  NHRP
 * entries point at peers; several entries (a spoke's tunnel address and
 * the networks behind it) share one.  The peer carries what is per
 * endpoint rather than per route: the underlay route cache now, and the
 * security associations once tunnel protection exists.
 *
 * All changes happen under tunnel->lock.  The packet path reaches a peer
 * only through an NHRP entry under RCU, so a peer is freed one grace
 * period after its last entry let go of it.
 */
#include <linux/slab.h>

#include "dmvpn.h"

static const struct rhashtable_params dmvpn_peer_params = {
	.key_len = sizeof(struct dmvpn_endpoint),
	.key_offset = offsetof(struct dmvpn_peer, nbma),
	.head_offset = offsetof(struct dmvpn_peer, node),
	.automatic_shrinking = true,
};

int dmvpn_peers_init(struct dmvpn_tunnel *t)
{
	return rhashtable_init(&t->peers, &dmvpn_peer_params);
}

/* Called once every entry is gone, so every peer is gone too. */
void dmvpn_peers_destroy(struct dmvpn_tunnel *t)
{
	WARN_ON(t->peer_count);
	rhashtable_destroy(&t->peers);
}

/* Return a new reference to the peer for @nbma, creating it if needed. */
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_tunnel *t,
				  const struct dmvpn_endpoint *nbma)
{
	struct dmvpn_peer *peer;
	int err;

	lockdep_assert_held(&t->lock);

	peer = rhashtable_lookup_fast(&t->peers, nbma, dmvpn_peer_params);
	if (peer) {
		kref_get(&peer->refcount);
		return peer;
	}

	/* Atomic: NHRP packets will create peers from softirq context. */
	peer = kzalloc(sizeof(*peer), GFP_ATOMIC);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	if (dst_cache_init(&peer->dst_cache, GFP_ATOMIC)) {
		kfree(peer);
		return ERR_PTR(-ENOMEM);
	}
	peer->nbma = *nbma;
	peer->tunnel = t;
	kref_init(&peer->refcount);

	err = rhashtable_insert_fast(&t->peers, &peer->node, dmvpn_peer_params);
	if (err) {
		dst_cache_destroy(&peer->dst_cache);
		kfree(peer);
		return ERR_PTR(err);
	}
	t->peer_count++;
	return peer;
}

static void dmvpn_peer_free_rcu(struct rcu_head *rcu)
{
	struct dmvpn_peer *peer = container_of(rcu, struct dmvpn_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	kfree(peer);
}

static void dmvpn_peer_release(struct kref *kref)
{
	struct dmvpn_peer *peer = container_of(kref, struct dmvpn_peer, refcount);
	struct dmvpn_tunnel *t = peer->tunnel;

	lockdep_assert_held(&t->lock);
	rhashtable_remove_fast(&t->peers, &peer->node, dmvpn_peer_params);
	t->peer_count--;
	call_rcu(&peer->rcu, dmvpn_peer_free_rcu);
}

/* Drop a reference; the caller holds tunnel->lock. */
void dmvpn_peer_put(struct dmvpn_peer *peer)
{
	kref_put(&peer->refcount, dmvpn_peer_release);
}
