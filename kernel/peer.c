// SPDX-License-Identifier: GPL-2.0
/*
 * NBMA peers: one object per underlay endpoint a tunnel talks to.  NHRP
 * entries point at peers; several entries (a spoke's tunnel address and
 * the networks behind it) share one, and so do the SAs negotiated with
 * it.  The peer carries what is per endpoint rather than per route: the
 * underlay route cache, the current outbound SA, and the packets held
 * while that SA is missing.
 *
 * All changes happen under tunnel->lock.  The packet path reaches a peer
 * only through an NHRP entry or an SA under RCU, so a peer is freed one
 * grace period after its last entry or SA let go of it.
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

/*
 * Allocate an unpublished peer for @nbma.  Done before taking
 * tunnel->lock and with a sleeping allocation: the per-CPU route cache
 * cannot come from the small atomic per-CPU pool once a hub has
 * thousands of peers.
 */
struct dmvpn_peer *dmvpn_peer_alloc(struct dmvpn_tunnel *t,
				    const struct dmvpn_endpoint *nbma)
{
	struct dmvpn_peer *peer;

	might_sleep();
	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return NULL;
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL)) {
		kfree(peer);
		return NULL;
	}
	peer->nbma = *nbma;
	peer->tunnel = t;
	kref_init(&peer->refcount);
	skb_queue_head_init(&peer->hold);
	INIT_LIST_HEAD(&peer->reg_node);
	atomic64_set(&peer->no_sa, 0);
	atomic64_set(&peer->invalid_spi, 0);
	return peer;
}

/* Free a peer that dmvpn_peer_get() did not use (NULL is fine). */
void dmvpn_peer_free(struct dmvpn_peer *peer)
{
	if (!peer)
		return;
	dst_cache_destroy(&peer->dst_cache);
	kfree(peer);
}

/* The peer for @nbma, under RCU or tunnel->lock; no reference taken. */
struct dmvpn_peer *dmvpn_peer_lookup(struct dmvpn_tunnel *t,
				     const struct dmvpn_endpoint *nbma)
{
	return rhashtable_lookup_fast(&t->peers, nbma, dmvpn_peer_params);
}

/*
 * Return a new reference to the peer for @nbma.  If there is none yet,
 * publish *@spare (from dmvpn_peer_alloc() for the same endpoint) and
 * clear *@spare; the caller frees a spare left unused.
 */
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_tunnel *t,
				  const struct dmvpn_endpoint *nbma,
				  struct dmvpn_peer **spare)
{
	struct dmvpn_peer *peer;
	int err;

	lockdep_assert_held(&t->lock);

	peer = dmvpn_peer_lookup(t, nbma);
	if (peer) {
		kref_get(&peer->refcount);
		return peer;
	}
	peer = *spare;
	if (WARN_ON_ONCE(!peer || memcmp(&peer->nbma, nbma, sizeof(*nbma))))
		return ERR_PTR(-EINVAL);

	err = rhashtable_insert_fast(&t->peers, &peer->node, dmvpn_peer_params);
	if (err)
		return ERR_PTR(err);
	*spare = NULL;
	t->peer_count++;
	return peer;
}

static void dmvpn_peer_free_rcu(struct rcu_head *rcu)
{
	struct dmvpn_peer *peer = container_of(rcu, struct dmvpn_peer, rcu);

	/* Nothing can queue any more: the peer is unreachable. */
	skb_queue_purge(&peer->hold);
	dst_cache_destroy(&peer->dst_cache);
	kfree(peer);
}

static void dmvpn_peer_release(struct kref *kref)
{
	struct dmvpn_peer *peer = container_of(kref, struct dmvpn_peer, refcount);
	struct dmvpn_tunnel *t = peer->tunnel;

	lockdep_assert_held(&t->lock);
	/* SAs hold the peer, so none can be current any more. */
	WARN_ON_ONCE(rcu_access_pointer(peer->sa_out));
	WARN_ON_ONCE(peer->reg_count);
	rhashtable_remove_fast(&t->peers, &peer->node, dmvpn_peer_params);
	t->peer_count--;
	call_rcu(&peer->rcu, dmvpn_peer_free_rcu);
}

/* Drop a reference; the caller holds tunnel->lock. */
void dmvpn_peer_put(struct dmvpn_peer *peer)
{
	kref_put(&peer->refcount, dmvpn_peer_release);
}

/*
 * A registered NHRP entry starts or stops using @peer.  The first one puts
 * the peer on the tunnel's list of registered peers, which multicast
 * replication walks under RCU; the last one takes it off.  Caller holds
 * tunnel->lock.
 */
void dmvpn_peer_reg_get(struct dmvpn_tunnel *t, struct dmvpn_peer *peer)
{
	lockdep_assert_held(&t->lock);
	if (peer->reg_count++)
		return;
	kref_get(&peer->refcount);
	list_add_tail_rcu(&peer->reg_node, &t->registered_peers);
}

void dmvpn_peer_reg_put(struct dmvpn_tunnel *t, struct dmvpn_peer *peer)
{
	lockdep_assert_held(&t->lock);
	if (WARN_ON_ONCE(!peer->reg_count) || --peer->reg_count)
		return;
	list_del_rcu(&peer->reg_node);
	dmvpn_peer_put(peer);
}
