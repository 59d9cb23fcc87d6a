// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP cache: the tunnel's forwarding table.  It maps a tunnel
 * (protocol) address to the NBMA peer that owns it.  The transmit path
 * looks up the next hop of every packet here, so lookups are a single
 * RCU-safe hash probe; all changes are serialised by tunnel->lock.
 *
 * An entry may also stand for a prefix: a phase-3 shortcut to a network
 * behind another spoke (the Resolution Reply's prefix length), or a
 * static map of one.  Prefixes share the table, keyed by (network, length);
 * a destination is matched against them with one probe per prefix length
 * in use (struct dmvpn_nhrp_plens), longest first.
 *
 * Entries are immutable once published (apart from their atomic flag
 * word).  Replacing a mapping publishes a new entry in place of the old,
 * so a reader always sees one consistent entry.
 */
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "dmvpn.h"

/* A bound on memory a tunnel may use; far above the 10,000 spokes a hub
 * must hold, and far below what would hurt a router.
 */
#define DMVPN_NHRP_MAX_ENTRIES	262144

static const struct rhashtable_params dmvpn_nhrp_params = {
	.key_len = sizeof(struct dmvpn_nhrp_key),
	.key_offset = offsetof(struct dmvpn_nhrp_entry, key),
	.head_offset = offsetof(struct dmvpn_nhrp_entry, node),
	.automatic_shrinking = true,
};

int dmvpn_nhrp_init(struct dmvpn_tunnel *t)
{
	INIT_LIST_HEAD(&t->entries);
	INIT_LIST_HEAD(&t->registered_peers);
	return rhashtable_init(&t->nhrp, &dmvpn_nhrp_params);
}

/* Called after dmvpn_nhrp_flush(t, true), when no reader remains. */
void dmvpn_nhrp_destroy(struct dmvpn_tunnel *t)
{
	WARN_ON(t->nhrp_count);
	rhashtable_destroy(&t->nhrp);
}

void dmvpn_nhrp_key_set(struct dmvpn_nhrp_key *key,
			const struct dmvpn_addr *proto, u8 prefix_len)
{
	memset(key, 0, sizeof(*key));
	key->proto = *proto;
	key->prefix_len = min(prefix_len, dmvpn_addr_host_plen(proto));
	dmvpn_addr_mask(&key->proto, key->prefix_len);
}

static bool dmvpn_nhrp_key_is_host(const struct dmvpn_nhrp_key *key)
{
	return key->prefix_len == dmvpn_addr_host_plen(&key->proto);
}

/* Packet path: caller holds rcu_read_lock (or _bh). */
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup_key(struct dmvpn_tunnel *t,
					       const struct dmvpn_nhrp_key *key)
{
	return rhashtable_lookup(&t->nhrp, key, dmvpn_nhrp_params);
}

/* The host entry of @proto.  Packet path: caller holds rcu_read_lock. */
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup(struct dmvpn_tunnel *t,
					   const struct dmvpn_addr *proto)
{
	struct dmvpn_nhrp_key key;

	dmvpn_nhrp_key_set(&key, proto, dmvpn_addr_host_plen(proto));
	return dmvpn_nhrp_lookup_key(t, &key);
}

static struct dmvpn_nhrp_plens *dmvpn_nhrp_plens_of(struct dmvpn_tunnel *t,
						    const struct dmvpn_addr *a)
{
	return a->family == AF_INET6 ? &t->plens6 : &t->plens4;
}

/*
 * The entry a packet to @daddr goes by, whatever the routing table chose
 * as next hop: a host shortcut of @daddr, else the longest prefix entry
 * that covers it.  NULL: route by the next hop.  Packet path, under RCU.
 */
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup_dest(struct dmvpn_tunnel *t,
						const struct dmvpn_addr *daddr)
{
	const struct dmvpn_nhrp_plens *pl = dmvpn_nhrp_plens_of(t, daddr);
	unsigned int below = dmvpn_addr_host_plen(daddr), len;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_key key;

	if (READ_ONCE(t->shortcut_count)) {
		e = dmvpn_nhrp_lookup(t, daddr);
		if (e && e->peer && e->type == DMVPN_NHRP_TYPE_SHORTCUT)
			return e;
	}
	if (!READ_ONCE(t->prefix_count))
		return NULL;
	while ((len = find_last_bit(pl->in_use, below)) < below) {
		dmvpn_nhrp_key_set(&key, daddr, len);
		e = dmvpn_nhrp_lookup_key(t, &key);
		if (e && e->peer)
			return e;
		below = len;
	}
	return NULL;
}

/* Account for @e joining (@delta 1) or leaving (-1) the table. */
static void dmvpn_nhrp_count(struct dmvpn_tunnel *t,
			     const struct dmvpn_nhrp_entry *e, int delta)
{
	struct dmvpn_nhrp_plens *pl = dmvpn_nhrp_plens_of(t, &e->key.proto);
	u8 len = e->key.prefix_len;

	lockdep_assert_held(&t->lock);
	if (e->type == DMVPN_NHRP_TYPE_SHORTCUT)
		WRITE_ONCE(t->shortcut_count, t->shortcut_count + delta);
	if (dmvpn_nhrp_key_is_host(&e->key))
		return;
	WRITE_ONCE(t->prefix_count, t->prefix_count + delta);
	pl->refs[len] += delta;
	if (pl->refs[len])
		set_bit(len, pl->in_use);
	else
		clear_bit(len, pl->in_use);
}

u32 dmvpn_nhrp_entry_flags(const struct dmvpn_nhrp_entry *e)
{
	return READ_ONCE(e->flags) & DMVPN_NHRP_F_ALL;
}

/* @e lets go of its peer (an incomplete entry has none). */
static void dmvpn_nhrp_entry_put_peer(struct dmvpn_tunnel *t,
				      struct dmvpn_nhrp_entry *e)
{
	if (!e->peer)
		return;
	if (e->flags & DMVPN_NHRP_F_REGISTERED)
		dmvpn_peer_reg_put(t, e->peer);
	dmvpn_peer_put(e->peer);
}

/* Unpublish @e; it is freed after a grace period.  Caller holds t->lock. */
static void dmvpn_nhrp_unlink(struct dmvpn_tunnel *t, struct dmvpn_nhrp_entry *e)
{
	lockdep_assert_held(&t->lock);
	rhashtable_remove_fast(&t->nhrp, &e->node, dmvpn_nhrp_params);
	list_del(&e->list);
	t->nhrp_count--;
	dmvpn_nhrp_count(t, e, -1);
	dmvpn_nhrp_entry_put_peer(t, e);
	kfree_rcu(e, rcu);
}

int dmvpn_nhrp_add(struct dmvpn_tunnel *t, const struct dmvpn_nhrp_spec *spec,
		   bool exclusive, struct netlink_ext_ack *extack)
{
	struct dmvpn_nhrp_entry *e, *old;
	struct dmvpn_peer *peer, *spare;
	int err;

	bool incomplete = spec->type == DMVPN_NHRP_TYPE_INCOMPLETE;
	struct dmvpn_nhrp_key key;

	dmvpn_nhrp_key_set(&key, &spec->proto, spec->prefix_len);
	if (incomplete && !dmvpn_nhrp_key_is_host(&key)) {
		NL_SET_ERR_MSG(extack, "an incomplete entry is for one address, not a prefix");
		return -EINVAL;
	}

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	spare = incomplete ? NULL : dmvpn_peer_alloc(t, &spec->nbma);
	if (!e || (!spare && !incomplete)) {
		kfree(e);
		dmvpn_peer_free(spare);
		return -ENOMEM;
	}
	e->key = key;
	if (!dmvpn_nhrp_key_is_host(&key))
		e->next_hop = spec->next_hop;
	e->type = spec->type;
	e->flags = spec->flags;
	e->created = ktime_get_boottime_seconds();
	/* From now, even if a refresh keeps an older creation time. */
	e->expires = spec->holdtime ? e->created + spec->holdtime : 0;
	e->holdtime = spec->holdtime;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	old = rhashtable_lookup_fast(&t->nhrp, &key, dmvpn_nhrp_params);
	if (old && exclusive) {
		NL_SET_ERR_MSG(extack,
			       "an NHRP entry for this tunnel address or prefix already exists");
		err = -EEXIST;
		goto err_unlock;
	}
	if (!old && t->nhrp_count >= DMVPN_NHRP_MAX_ENTRIES) {
		NL_SET_ERR_MSG(extack, "the NHRP cache of this tunnel is full");
		err = -ENOSPC;
		goto err_unlock;
	}

	if (incomplete) {
		peer = NULL;
	} else {
		peer = dmvpn_peer_get(t, &spec->nbma, &spare);
		if (IS_ERR(peer)) {
			err = PTR_ERR(peer);
			goto err_unlock;
		}
		if (e->flags & DMVPN_NHRP_F_REGISTERED)
			dmvpn_peer_reg_get(t, peer);
	}
	e->peer = peer;

	if (old) {
		/* A refresh (a spoke registering again, a resolution
		 * renewed) keeps the mapping's age: "show dmvpn" counts a
		 * peer's up time from when it first came.
		 */
		if (old->peer == peer && old->type == e->type)
			e->created = old->created;
		err = rhashtable_replace_fast(&t->nhrp, &old->node, &e->node,
					      dmvpn_nhrp_params);
		if (err)
			goto err_put_peer;
		list_replace(&old->list, &e->list);
		dmvpn_nhrp_count(t, old, -1);
		dmvpn_nhrp_entry_put_peer(t, old);
		kfree_rcu(old, rcu);
	} else {
		err = rhashtable_insert_fast(&t->nhrp, &e->node,
					     dmvpn_nhrp_params);
		if (err)
			goto err_put_peer;
		list_add_tail(&e->list, &t->entries);
		t->nhrp_count++;
	}
	dmvpn_nhrp_count(t, e, 1);
	spin_unlock_bh(&t->lock);
	dmvpn_peer_free(spare);

	/* Still inside the RCU section: @e cannot be freed under us even if
	 * it is replaced concurrently.
	 */
	dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_NEW);
	rcu_read_unlock();
	return 0;

err_put_peer:
	dmvpn_nhrp_entry_put_peer(t, e);
err_unlock:
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();
	dmvpn_peer_free(spare);
	kfree(e);
	return err;
}

int dmvpn_nhrp_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *proto,
		   u8 prefix_len, struct netlink_ext_ack *extack)
{
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_key key;

	dmvpn_nhrp_key_set(&key, proto, prefix_len);
	rcu_read_lock();
	spin_lock_bh(&t->lock);
	e = rhashtable_lookup_fast(&t->nhrp, &key, dmvpn_nhrp_params);
	if (!e) {
		spin_unlock_bh(&t->lock);
		rcu_read_unlock();
		NL_SET_ERR_MSG(extack, "no NHRP entry for this tunnel address or prefix");
		return -ENOENT;
	}
	dmvpn_nhrp_unlink(t, e);
	spin_unlock_bh(&t->lock);
	dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_DEL);
	rcu_read_unlock();
	return 0;
}

/*
 * Remove every entry @drop says should go, announcing each; returns how
 * many went.  The removal helpers below say which.
 */
static unsigned int dmvpn_nhrp_remove_if(struct dmvpn_tunnel *t,
					 bool (*drop)(const struct dmvpn_nhrp_entry *e,
						      const void *arg),
					 const void *arg)
{
	struct dmvpn_nhrp_entry *e, *tmp;
	unsigned int removed = 0;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(e, tmp, &t->entries, list) {
		if (!drop(e, arg))
			continue;
		dmvpn_nhrp_unlink(t, e);
		dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_DEL);
		removed++;
	}
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();
	return removed;
}

static bool dmvpn_nhrp_learnt(const struct dmvpn_nhrp_entry *e,
			      const void *include_static)
{
	return e->type != DMVPN_NHRP_TYPE_STATIC || *(const bool *)include_static;
}

/*
 * "clear ip nhrp": drop everything learnt; static mappings stay unless
 * @include_static.  Returns how many entries went.
 */
unsigned int dmvpn_nhrp_flush(struct dmvpn_tunnel *t, bool include_static)
{
	return dmvpn_nhrp_remove_if(t, dmvpn_nhrp_learnt, &include_static);
}

static bool dmvpn_nhrp_expired(const struct dmvpn_nhrp_entry *e,
			       const void *now)
{
	return e->type != DMVPN_NHRP_TYPE_STATIC && e->expires &&
	       e->expires <= *(const u64 *)now;
}

/*
 * Remove what NHRP learnt and whose holding time has run out (a spoke
 * that stopped registering, a resolution nobody refreshed).  Static
 * entries never expire.  Returns how many entries went.
 */
unsigned int dmvpn_nhrp_expire(struct dmvpn_tunnel *t, u64 now)
{
	return dmvpn_nhrp_remove_if(t, dmvpn_nhrp_expired, &now);
}

struct dmvpn_nhrp_peer_match {
	const struct dmvpn_endpoint *nbma;
	u8 type;
};

static bool dmvpn_nhrp_at_peer(const struct dmvpn_nhrp_entry *e,
			       const void *arg)
{
	const struct dmvpn_nhrp_peer_match *m = arg;

	return e->type == m->type && e->peer &&
	       !memcmp(&e->peer->nbma, m->nbma, sizeof(*m->nbma));
}

/* Remove the entries of @type that point at the peer @nbma. */
unsigned int dmvpn_nhrp_flush_peer(struct dmvpn_tunnel *t,
				   const struct dmvpn_endpoint *nbma, u8 type)
{
	struct dmvpn_nhrp_peer_match m = { .nbma = nbma, .type = type };

	return dmvpn_nhrp_remove_if(t, dmvpn_nhrp_at_peer, &m);
}
