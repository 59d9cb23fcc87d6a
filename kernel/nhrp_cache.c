// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP cache: the tunnel's forwarding table.  It maps a tunnel
 * (protocol) address to the NBMA peer that owns it.  The transmit path
 * looks up the next hop of every packet here, so lookups are a single
 * RCU-safe hash probe; all changes are serialised by tunnel->lock.
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
	.key_len = sizeof(struct dmvpn_addr),
	.key_offset = offsetof(struct dmvpn_nhrp_entry, proto),
	.head_offset = offsetof(struct dmvpn_nhrp_entry, node),
	.automatic_shrinking = true,
};

int dmvpn_nhrp_init(struct dmvpn_tunnel *t)
{
	INIT_LIST_HEAD(&t->entries);
	return rhashtable_init(&t->nhrp, &dmvpn_nhrp_params);
}

/* Called after dmvpn_nhrp_flush(t, true), when no reader remains. */
void dmvpn_nhrp_destroy(struct dmvpn_tunnel *t)
{
	WARN_ON(t->nhrp_count);
	rhashtable_destroy(&t->nhrp);
}

/* Packet path: caller holds rcu_read_lock (or _bh). */
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup(struct dmvpn_tunnel *t,
					   const struct dmvpn_addr *proto)
{
	return rhashtable_lookup(&t->nhrp, proto, dmvpn_nhrp_params);
}

u32 dmvpn_nhrp_entry_flags(const struct dmvpn_nhrp_entry *e)
{
	return READ_ONCE(e->flags) & DMVPN_NHRP_F_ALL;
}

/* Unpublish @e; it is freed after a grace period.  Caller holds t->lock. */
static void dmvpn_nhrp_unlink(struct dmvpn_tunnel *t, struct dmvpn_nhrp_entry *e)
{
	lockdep_assert_held(&t->lock);
	rhashtable_remove_fast(&t->nhrp, &e->node, dmvpn_nhrp_params);
	list_del(&e->list);
	t->nhrp_count--;
	dmvpn_peer_put(e->peer);
	kfree_rcu(e, rcu);
}

int dmvpn_nhrp_add(struct dmvpn_tunnel *t, const struct dmvpn_nhrp_spec *spec,
		   bool exclusive, struct netlink_ext_ack *extack)
{
	struct dmvpn_nhrp_entry *e, *old;
	struct dmvpn_peer *peer, *spare;
	int err;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	spare = dmvpn_peer_alloc(t, &spec->nbma);
	if (!e || !spare) {
		kfree(e);
		dmvpn_peer_free(spare);
		return -ENOMEM;
	}
	e->proto = spec->proto;
	e->prefix_len = spec->prefix_len;
	e->type = spec->type;
	e->flags = spec->flags;
	e->created = ktime_get_boottime_seconds();
	e->expires = spec->holdtime ? e->created + spec->holdtime : 0;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	old = rhashtable_lookup_fast(&t->nhrp, &spec->proto, dmvpn_nhrp_params);
	if (old && exclusive) {
		NL_SET_ERR_MSG(extack, "an NHRP entry for this tunnel address already exists");
		err = -EEXIST;
		goto err_unlock;
	}
	if (!old && t->nhrp_count >= DMVPN_NHRP_MAX_ENTRIES) {
		NL_SET_ERR_MSG(extack, "the NHRP cache of this tunnel is full");
		err = -ENOSPC;
		goto err_unlock;
	}

	peer = dmvpn_peer_get(t, &spec->nbma, &spare);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		goto err_unlock;
	}
	e->peer = peer;

	if (old) {
		err = rhashtable_replace_fast(&t->nhrp, &old->node, &e->node,
					      dmvpn_nhrp_params);
		if (err)
			goto err_put_peer;
		list_replace(&old->list, &e->list);
		dmvpn_peer_put(old->peer);
		kfree_rcu(old, rcu);
	} else {
		err = rhashtable_insert_fast(&t->nhrp, &e->node,
					     dmvpn_nhrp_params);
		if (err)
			goto err_put_peer;
		list_add_tail(&e->list, &t->entries);
		t->nhrp_count++;
	}
	spin_unlock_bh(&t->lock);
	dmvpn_peer_free(spare);

	/* Still inside the RCU section: @e cannot be freed under us even if
	 * it is replaced concurrently.
	 */
	dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_NEW);
	rcu_read_unlock();
	return 0;

err_put_peer:
	dmvpn_peer_put(peer);
err_unlock:
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();
	dmvpn_peer_free(spare);
	kfree(e);
	return err;
}

int dmvpn_nhrp_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *proto,
		   struct netlink_ext_ack *extack)
{
	struct dmvpn_nhrp_entry *e;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	e = rhashtable_lookup_fast(&t->nhrp, proto, dmvpn_nhrp_params);
	if (!e) {
		spin_unlock_bh(&t->lock);
		rcu_read_unlock();
		NL_SET_ERR_MSG(extack, "no NHRP entry for this tunnel address");
		return -ENOENT;
	}
	dmvpn_nhrp_unlink(t, e);
	spin_unlock_bh(&t->lock);
	dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_DEL);
	rcu_read_unlock();
	return 0;
}

/*
 * "clear ip nhrp": drop everything learnt; static mappings stay unless
 * @include_static.  Returns how many entries went.
 */
unsigned int dmvpn_nhrp_flush(struct dmvpn_tunnel *t, bool include_static)
{
	struct dmvpn_nhrp_entry *e, *tmp;
	unsigned int removed = 0;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(e, tmp, &t->entries, list) {
		if (e->type == DMVPN_NHRP_TYPE_STATIC && !include_static)
			continue;
		dmvpn_nhrp_unlink(t, e);
		dmvpn_genl_notify_nhrp(t, e, DMVPN_EVENT_NHRP_DEL);
		removed++;
	}
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();
	return removed;
}
