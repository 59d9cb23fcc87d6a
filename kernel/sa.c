// SPDX-License-Identifier: GPL-2.0
/*
 * Security associations: install, find, expire and delete them (see sa.h
 * for what an SA is and how long it lives).  The packet path in esp.c
 * only looks SAs up, under RCU, and accounts traffic against their
 * lifetimes; every change happens here under tunnel->lock.
 */
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "sa.h"

/* How often the lifetimes in seconds are checked. */
#define DMVPN_SA_EXPIRE_PERIOD	HZ

static const struct rhashtable_params dmvpn_sa_in_params = {
	.key_len = sizeof(__be32),
	.key_offset = offsetof(struct dmvpn_sa, spi),
	.head_offset = offsetof(struct dmvpn_sa, node),
	.automatic_shrinking = true,
};

static void dmvpn_sa_expire_work(struct work_struct *work);

int dmvpn_sa_init(struct dmvpn_tunnel *t)
{
	INIT_LIST_HEAD(&t->sas);
	INIT_DELAYED_WORK(&t->sa_expire_work, dmvpn_sa_expire_work);
	ratelimit_state_init(&t->invalid_spi_rs, HZ, 10);
	ratelimit_set_flags(&t->invalid_spi_rs, RATELIMIT_MSG_ON_RELEASE);
	return rhashtable_init(&t->sa_in, &dmvpn_sa_in_params);
}

/*
 * After dmvpn_sa_flush() removed every SA: wait until the last of them is
 * freed, since freeing drops peer references under tunnel->lock.
 */
void dmvpn_sa_destroy(struct dmvpn_tunnel *t)
{
	cancel_delayed_work_sync(&t->sa_expire_work);
	WARN_ON(t->sa_count);
	rcu_barrier();			/* queue_rcu_work() callbacks ... */
	flush_workqueue(dmvpn_wq);	/* ... and the frees they queued */
	rhashtable_destroy(&t->sa_in);
}

void dmvpn_sa_stats_read(const struct dmvpn_sa *sa, u64 *out)
{
	u64 snap[__DMVPN_SA_STAT_MAX];
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(u64) * __DMVPN_SA_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct dmvpn_sa_stats *st = per_cpu_ptr(sa->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < __DMVPN_SA_STAT_MAX; i++)
				snap[i] = u64_stats_read(&st->counter[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __DMVPN_SA_STAT_MAX; i++)
			out[i] += snap[i];
	}
}

static void dmvpn_sa_free_work(struct work_struct *work)
{
	struct dmvpn_sa *sa = container_of(to_rcu_work(work), struct dmvpn_sa,
					   free_work);
	struct dmvpn_tunnel *t = sa->tunnel;

	spin_lock_bh(&t->lock);
	dmvpn_peer_put(sa->peer);
	spin_unlock_bh(&t->lock);
	dmvpn_sa_crypto_destroy(sa->crypto);	/* wipes the keys */
	dmvpn_replay_free(sa->replay);
	free_percpu(sa->stats);
	kfree(sa);
}

static void dmvpn_sa_release(struct kref *kref)
{
	struct dmvpn_sa *sa = container_of(kref, struct dmvpn_sa, refcount);

	/* Readers may still see it under RCU; free after a grace period. */
	INIT_RCU_WORK(&sa->free_work, dmvpn_sa_free_work);
	queue_rcu_work(dmvpn_wq, &sa->free_work);
}

/* Take a reference on an SA found under RCU; fails if it is going away. */
bool dmvpn_sa_hold(struct dmvpn_sa *sa)
{
	return kref_get_unless_zero(&sa->refcount);
}

void dmvpn_sa_put(struct dmvpn_sa *sa)
{
	kref_put(&sa->refcount, dmvpn_sa_release);
}

struct dmvpn_sa *dmvpn_sa_lookup_in(struct dmvpn_tunnel *t, __be32 spi)
{
	return rhashtable_lookup(&t->sa_in, &spi, dmvpn_sa_in_params);
}

/*
 * The SA a request names: inbound by SPI, outbound by peer and SPI (the
 * peer chose it, so two peers may pick the same).  Under tunnel->lock.
 */
struct dmvpn_sa *dmvpn_sa_find(struct dmvpn_tunnel *t, u8 dir, __be32 spi,
			       const struct dmvpn_endpoint *peer)
{
	struct dmvpn_sa *sa;

	lockdep_assert_held(&t->lock);
	if (dir == DMVPN_SA_DIR_IN)
		return rhashtable_lookup_fast(&t->sa_in, &spi,
					      dmvpn_sa_in_params);
	list_for_each_entry(sa, &t->sas, list)
		if (sa->dir == dir && sa->spi == spi &&
		    !memcmp(&sa->peer->nbma, peer, sizeof(*peer)))
			return sa;
	return NULL;
}

/* The newest outbound SA of @peer other than @skip that may carry traffic. */
static struct dmvpn_sa *dmvpn_sa_newest_out(struct dmvpn_tunnel *t,
					    struct dmvpn_peer *peer,
					    struct dmvpn_sa *skip)
{
	struct dmvpn_sa *sa;

	list_for_each_entry_reverse(sa, &t->sas, list)
		if (sa != skip && sa->dir == DMVPN_SA_DIR_OUT &&
		    sa->peer == peer &&
		    !test_bit(DMVPN_SA_HARD_EXPIRED, &sa->state))
			return sa;
	return NULL;
}

/* "debug crypto ipsec": one line per SA event, naming SA and peer. */
static void dmvpn_sa_dbg(struct dmvpn_tunnel *t, const struct dmvpn_sa *sa,
			 const char *what)
{
	char a[DMVPN_ADDR_STRLEN] __maybe_unused;

	dmvpn_dbg(t->dev, "IPSEC: %s SA 0x%08x (%s) with %s port %u\n", what,
		  ntohl(sa->spi), sa->dir == DMVPN_SA_DIR_IN ? "in" : "out",
		  dmvpn_addr_str(&sa->peer->nbma.addr, a),
		  ntohs(dmvpn_endpoint_udp_port(&sa->peer->nbma)));
}

/* Take @sa out of every table and drop the tables' reference. */
static void dmvpn_sa_unlink(struct dmvpn_tunnel *t, struct dmvpn_sa *sa)
{
	struct dmvpn_peer *peer = sa->peer;

	lockdep_assert_held(&t->lock);
	set_bit(DMVPN_SA_UNLINKED, &sa->state);
	if (sa->dir == DMVPN_SA_DIR_IN)
		rhashtable_remove_fast(&t->sa_in, &sa->node, dmvpn_sa_in_params);
	else if (rcu_access_pointer(peer->sa_out) == sa)
		/* Fall back to an older SA still valid, if any. */
		rcu_assign_pointer(peer->sa_out,
				   dmvpn_sa_newest_out(t, peer, sa));
	list_del(&sa->list);
	t->sa_count--;
	dmvpn_sa_put(sa);
}

static struct dmvpn_sa *dmvpn_sa_alloc(struct dmvpn_tunnel *t,
				       const struct dmvpn_sa_spec *spec,
				       struct netlink_ext_ack *extack)
{
	const char *errmsg = NULL;
	struct dmvpn_sa *sa;
	int err = -ENOMEM;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		goto err;
	sa->stats = alloc_percpu(struct dmvpn_sa_stats);
	if (!sa->stats)
		goto err_free;

	sa->crypto = dmvpn_sa_crypto_create(spec->alg, &spec->keys,
					    spec->flags, &errmsg);
	if (IS_ERR(sa->crypto)) {
		err = PTR_ERR(sa->crypto);
		sa->crypto = NULL;
		if (errmsg)
			dmvpn_extack_set(extack, NULL, errmsg);
		goto err_free;
	}
	if (spec->dir == DMVPN_SA_DIR_IN) {
		sa->replay = dmvpn_replay_alloc(spec->replay_window,
						spec->flags & DMVPN_SA_F_ESN,
						GFP_KERNEL);
		if (IS_ERR(sa->replay)) {
			err = PTR_ERR(sa->replay);
			sa->replay = NULL;
			goto err_free;
		}
	} else {
		dmvpn_seq_out_init(&sa->seq_out, spec->flags & DMVPN_SA_F_ESN);
	}

	sa->tunnel = t;
	sa->spi = spec->spi;
	sa->dir = spec->dir;
	sa->mode = spec->mode;
	sa->alg = spec->alg;
	sa->flags = spec->flags;
	sa->reqid = spec->reqid;
	sa->replay_window = spec->replay_window;
	sa->soft_secs = spec->soft_secs;
	sa->hard_secs = spec->hard_secs;
	sa->soft_bytes = spec->soft_kb * 1024;
	sa->hard_bytes = spec->hard_kb * 1024;
	sa->created = ktime_get_boottime_seconds();
	spin_lock_init(&sa->order.lock);
	INIT_LIST_HEAD(&sa->order.pending);
	kref_init(&sa->refcount);
	return sa;

err_free:
	dmvpn_sa_crypto_destroy(sa->crypto);
	dmvpn_replay_free(sa->replay);
	free_percpu(sa->stats);
	kfree(sa);
err:
	return ERR_PTR(err);
}

int dmvpn_sa_add(struct dmvpn_tunnel *t, const struct dmvpn_sa_spec *spec,
		 struct netlink_ext_ack *extack)
{
	struct dmvpn_peer *peer, *spare;
	struct dmvpn_sa *sa;
	int err;

	sa = dmvpn_sa_alloc(t, spec, extack);
	if (IS_ERR(sa))
		return PTR_ERR(sa);
	spare = dmvpn_peer_alloc(t, &spec->peer);
	if (!spare) {
		err = -ENOMEM;
		goto err_sa;
	}

	spin_lock_bh(&t->lock);
	if (dmvpn_sa_find(t, spec->dir, spec->spi, &spec->peer)) {
		spin_unlock_bh(&t->lock);
		if (spec->dir == DMVPN_SA_DIR_IN)
			NL_SET_ERR_MSG(extack,
				       "an inbound SA with this SPI exists on the tunnel");
		else
			NL_SET_ERR_MSG(extack,
				       "an outbound SA with this SPI exists for this peer");
		err = -EEXIST;
		goto err_spare;
	}
	peer = dmvpn_peer_get(t, &spec->peer, &spare);
	if (IS_ERR(peer)) {
		spin_unlock_bh(&t->lock);
		err = PTR_ERR(peer);
		goto err_spare;
	}
	sa->peer = peer;
	if (spec->dir == DMVPN_SA_DIR_IN) {
		err = rhashtable_insert_fast(&t->sa_in, &sa->node,
					     dmvpn_sa_in_params);
		if (err) {
			dmvpn_peer_put(peer);
			spin_unlock_bh(&t->lock);
			goto err_spare;
		}
	}
	list_add_tail(&sa->list, &t->sas);
	t->sa_count++;
	dmvpn_sa_dbg(t, sa, "created");
	if (spec->dir == DMVPN_SA_DIR_OUT)
		/* Make-before-break: new traffic uses the new SA at once. */
		rcu_assign_pointer(peer->sa_out, sa);
	spin_unlock_bh(&t->lock);
	dmvpn_peer_free(spare);

	if (sa->soft_secs || sa->hard_secs)
		mod_delayed_work(dmvpn_wq, &t->sa_expire_work,
				 DMVPN_SA_EXPIRE_PERIOD);
	if (spec->dir == DMVPN_SA_DIR_OUT) {
		/* The peer is alive: the SA's list entry holds it. */
		rcu_read_lock_bh();
		dmvpn_peer_release_held(t, peer);
		rcu_read_unlock_bh();
	}
	return 0;

err_spare:
	dmvpn_peer_free(spare);
err_sa:
	/* Never published: free at once (peer not yet set). */
	dmvpn_sa_crypto_destroy(sa->crypto);
	dmvpn_replay_free(sa->replay);
	free_percpu(sa->stats);
	kfree(sa);
	return err;
}

int dmvpn_sa_del(struct dmvpn_tunnel *t, u8 dir, __be32 spi,
		 const struct dmvpn_endpoint *peer,
		 struct netlink_ext_ack *extack)
{
	struct dmvpn_sa *sa;

	spin_lock_bh(&t->lock);
	sa = dmvpn_sa_find(t, dir, spi, peer);
	if (sa) {
		dmvpn_sa_dbg(t, sa, "deleted");
		dmvpn_sa_unlink(t, sa);
	}
	spin_unlock_bh(&t->lock);
	if (!sa) {
		NL_SET_ERR_MSG(extack, "no such SA on this tunnel");
		return -ENOENT;
	}
	return 0;
}

/* Delete every SA of the tunnel, or of one peer; returns how many. */
unsigned int dmvpn_sa_flush(struct dmvpn_tunnel *t,
			    const struct dmvpn_endpoint *peer)
{
	struct dmvpn_sa *sa, *tmp;
	unsigned int n = 0;

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(sa, tmp, &t->sas, list) {
		if (peer && memcmp(&sa->peer->nbma, peer, sizeof(*peer)))
			continue;
		dmvpn_sa_unlink(t, sa);
		n++;
	}
	spin_unlock_bh(&t->lock);
	return n;
}

/*
 * Account @bytes of traffic to @sa.  Returns false if the SA reached its
 * hard lifetime and must not be used (the packet is dropped or held);
 * the expiry work deletes it and tells the keyer.  Any context.
 */
bool dmvpn_sa_account(struct dmvpn_sa *sa, unsigned int bytes)
{
	u64 total = atomic64_add_return(bytes, &sa->bytes);
	bool kick = false;

	if (unlikely(sa->hard_bytes && total > sa->hard_bytes)) {
		if (!test_and_set_bit(DMVPN_SA_HARD_EXPIRED, &sa->state))
			kick = true;
		if (kick)
			mod_delayed_work(dmvpn_wq, &sa->tunnel->sa_expire_work, 0);
		return false;
	}
	if (unlikely(sa->soft_bytes && total > sa->soft_bytes &&
		     !test_bit(DMVPN_SA_SOFT_NOTIFIED, &sa->state)))
		mod_delayed_work(dmvpn_wq, &sa->tunnel->sa_expire_work, 0);
	return true;
}

/*
 * Enforce lifetimes: notify soft expiries once, delete SAs past their
 * hard lifetime (telling the keyer), and run again in a second while any
 * SA has a lifetime in seconds.
 */
static void dmvpn_sa_expire_work(struct work_struct *work)
{
	struct dmvpn_tunnel *t = container_of(to_delayed_work(work),
					      struct dmvpn_tunnel,
					      sa_expire_work);
	u64 now = ktime_get_boottime_seconds();
	struct dmvpn_sa *sa, *tmp;
	bool timed = false;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(sa, tmp, &t->sas, list) {
		u64 age = now - sa->created;
		u64 bytes = atomic64_read(&sa->bytes);

		if (sa->soft_secs || sa->hard_secs)
			timed = true;
		if ((sa->hard_secs && age >= sa->hard_secs) ||
		    (sa->hard_bytes && bytes > sa->hard_bytes))
			set_bit(DMVPN_SA_HARD_EXPIRED, &sa->state);
		if (test_bit(DMVPN_SA_HARD_EXPIRED, &sa->state)) {
			dmvpn_sa_dbg(t, sa, "hard lifetime expired, deleting");
			dmvpn_genl_notify_sa(t, sa, DMVPN_EVENT_SA_HARD_EXPIRE);
			dmvpn_sa_unlink(t, sa);
			continue;
		}
		if (((sa->soft_secs && age >= sa->soft_secs) ||
		     (sa->soft_bytes && bytes > sa->soft_bytes)) &&
		    !test_and_set_bit(DMVPN_SA_SOFT_NOTIFIED, &sa->state)) {
			dmvpn_sa_dbg(t, sa, "soft lifetime expired, rekey asked for");
			dmvpn_genl_notify_sa(t, sa, DMVPN_EVENT_SA_SOFT_EXPIRE);
		}
	}
	spin_unlock_bh(&t->lock);

	if (timed)
		queue_delayed_work(dmvpn_wq, &t->sa_expire_work,
				   DMVPN_SA_EXPIRE_PERIOD);
}
