// SPDX-License-Identifier: GPL-2.0
/* KUnit: the NHRP cache and NBMA peers (nhrp_cache.c, peer.c). */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>

#include "../dmvpn.h"

struct nhrp_test_ctx {
	struct net_device *dev;
	struct dmvpn_tunnel *t;
};

/* A tunnel that is never registered: enough for the cache and peers. */
static int nhrp_test_init(struct kunit *test)
{
	struct nhrp_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->dev = alloc_netdev(sizeof(struct dmvpn_tunnel), "dmvpnk%d",
				NET_NAME_UNKNOWN, dmvpn_setup);
	KUNIT_ASSERT_NOT_NULL(test, ctx->dev);
	ctx->t = netdev_priv(ctx->dev);
	ctx->t->dev = ctx->dev;
	ctx->t->net = &init_net;
	KUNIT_ASSERT_EQ(test, dmvpn_peers_init(ctx->t), 0);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_init(ctx->t), 0);
	test->priv = ctx;
	return 0;
}

static void nhrp_test_exit(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;

	dmvpn_nhrp_flush(ctx->t, true);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 0U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);
	dmvpn_nhrp_destroy(ctx->t);
	dmvpn_peers_destroy(ctx->t);
	free_netdev(ctx->dev);
}

static void spec4(struct dmvpn_nhrp_spec *s, u32 proto, u32 nbma, u8 type)
{
	memset(s, 0, sizeof(*s));
	dmvpn_addr_set4(&s->proto, htonl(proto));
	s->prefix_len = 32;
	dmvpn_addr_set4(&s->nbma.addr, htonl(nbma));
	s->type = type;
}

static void nhrp_add_lookup_delete(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_spec s;
	struct dmvpn_addr a;

	spec4(&s, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);

	rcu_read_lock();
	e = dmvpn_nhrp_lookup(ctx->t, &s.proto);
	KUNIT_EXPECT_NOT_NULL(test, e);
	if (e)
		KUNIT_EXPECT_TRUE(test, e->peer->nbma.addr.v4 == htonl(0xac100101));
	dmvpn_addr_set4(&a, htonl(0x0a010102));
	KUNIT_EXPECT_NULL(test, dmvpn_nhrp_lookup(ctx->t, &a));
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &s.proto, 32, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &s.proto, 32, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 0U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);
}

/* The same bytes in an IPv6 key must not collide with an IPv4 key. */
static void nhrp_families_are_distinct(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec s;
	struct in6_addr v6 = {};
	struct dmvpn_addr a;

	spec4(&s, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	v6.s6_addr32[0] = htonl(0x0a010101);
	dmvpn_addr_set6(&a, &v6);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, dmvpn_nhrp_lookup(ctx->t, &a));
	rcu_read_unlock();
}

static void nhrp_replace_and_exclusive(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_spec s;

	spec4(&s, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, true, NULL), -EEXIST);

	/* Re-mapping moves the entry to a new peer and frees the old one. */
	dmvpn_addr_set4(&s.nbma.addr, htonl(0xac100202));
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
	rcu_read_lock();
	e = dmvpn_nhrp_lookup(ctx->t, &s.proto);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_TRUE(test, e->peer->nbma.addr.v4 == htonl(0xac100202));
	rcu_read_unlock();
}

/* Entries that share an NBMA address share one peer, kept until the last. */
static void nhrp_peer_sharing(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec a, b;

	spec4(&a, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	spec4(&b, 0x0a020101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &a, false, NULL), 0);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &a.proto, 32, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &b.proto, 32, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);

	/* A different port is a different endpoint (a NATed spoke). */
	b.nbma.port = htons(4500);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &a, false, NULL), 0);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 2U);
}

static void nhrp_flush_keeps_static(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec s;

	spec4(&s, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0x0a010102, 0xac100102, DMVPN_NHRP_TYPE_DYNAMIC);
	s.holdtime = 7200;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_flush(ctx->t, false), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 1U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_flush(ctx->t, true), 1U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_flush(ctx->t, true), 0U);
}

/* Many entries: every one is found after the table has grown. */
static void nhrp_many_entries(struct kunit *test)
{
	const unsigned int n = 5000;
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec s;
	unsigned int i, found = 0;

	for (i = 0; i < n; i++) {
		spec4(&s, 0x0a000000 + i, 0xac000000 + i, DMVPN_NHRP_TYPE_STATIC);
		KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	}
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, n);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, n);
	rcu_read_lock();
	for (i = 0; i < n; i++) {
		struct dmvpn_addr a;

		dmvpn_addr_set4(&a, htonl(0x0a000000 + i));
		found += !!dmvpn_nhrp_lookup(ctx->t, &a);
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, n);
}

static unsigned int registered_peers(struct dmvpn_tunnel *t)
{
	struct dmvpn_peer *peer;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &t->registered_peers, reg_node)
		n++;
	rcu_read_unlock();
	return n;
}

/* "map multicast dynamic" replicates to the peers of registered entries. */
static void nhrp_registered_peer_list(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec a, b;

	/* Two tunnel addresses behind one spoke: one peer on the list. */
	spec4(&a, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_DYNAMIC);
	a.flags = DMVPN_NHRP_F_REGISTERED;
	spec4(&b, 0x0a010102, 0xac100101, DMVPN_NHRP_TYPE_DYNAMIC);
	b.flags = DMVPN_NHRP_F_REGISTERED;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &a, false, NULL), 0);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, registered_peers(ctx->t), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);

	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &a.proto, 32, NULL), 0);
	KUNIT_EXPECT_EQ(test, registered_peers(ctx->t), 1U);
	/* Replaced by a static map: no longer registered. */
	b.type = DMVPN_NHRP_TYPE_STATIC;
	b.flags = 0;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, registered_peers(ctx->t), 0U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);

	/* A registered entry moving to another NBMA moves the membership. */
	b.type = DMVPN_NHRP_TYPE_DYNAMIC;
	b.flags = DMVPN_NHRP_F_REGISTERED;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	dmvpn_addr_set4(&b.nbma.addr, htonl(0xac100201));
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &b, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, registered_peers(ctx->t), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
	dmvpn_nhrp_flush(ctx->t, true);
	KUNIT_EXPECT_EQ(test, registered_peers(ctx->t), 0U);
}

/* A resolution in progress maps to no peer, until the answer replaces it. */
static void nhrp_incomplete_has_no_peer(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_spec s;

	spec4(&s, 0x0a010105, 0, DMVPN_NHRP_TYPE_INCOMPLETE);
	memset(&s.nbma, 0, sizeof(s.nbma));
	s.holdtime = 10;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);
	rcu_read_lock();
	e = dmvpn_nhrp_lookup(ctx->t, &s.proto);
	KUNIT_EXPECT_NOT_NULL(test, e);
	if (e)
		KUNIT_EXPECT_NULL(test, e->peer);
	rcu_read_unlock();

	spec4(&s, 0x0a010105, 0xac100501, DMVPN_NHRP_TYPE_DYNAMIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 1U);
}

/* Holding times run out for what NHRP learnt, never for static maps. */
static void nhrp_expire_learnt_only(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	u64 now = ktime_get_boottime_seconds();
	struct dmvpn_nhrp_spec s;

	spec4(&s, 0x0a010101, 0xac100101, DMVPN_NHRP_TYPE_DYNAMIC);
	s.holdtime = 5;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0x0a010102, 0xac100201, DMVPN_NHRP_TYPE_DYNAMIC);
	s.holdtime = 100;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0x0a0101fe, 0xac100a01, DMVPN_NHRP_TYPE_STATIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);

	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_expire(ctx->t, now), 0U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_expire(ctx->t, now + 6), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 2U);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_expire(ctx->t, now + 1000000), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
}

/* Shortcuts are counted (the transmit path looks only while there are
 * any) and purged by peer.
 */
static void nhrp_shortcuts_by_peer(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec s;
	struct dmvpn_endpoint ep = {};

	spec4(&s, 0xc0a80c01, 0xac100201, DMVPN_NHRP_TYPE_SHORTCUT);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0xc0a80c02, 0xac100201, DMVPN_NHRP_TYPE_SHORTCUT);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0xc0a80d01, 0xac100301, DMVPN_NHRP_TYPE_SHORTCUT);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0x0a010102, 0xac100201, DMVPN_NHRP_TYPE_DYNAMIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->shortcut_count), 3U);

	dmvpn_addr_set4(&ep.addr, htonl(0xac100201));
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_flush_peer(ctx->t, &ep,
						    DMVPN_NHRP_TYPE_SHORTCUT), 2U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->shortcut_count), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->nhrp_count, 2U);

	/* A shortcut replaced by a dynamic entry is no longer counted. */
	spec4(&s, 0xc0a80d01, 0xac100301, DMVPN_NHRP_TYPE_DYNAMIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->shortcut_count), 0U);
}

/* The NBMA address (low byte) of the entry a packet to @daddr goes by. */
static int dest_nbma(struct nhrp_test_ctx *ctx, u32 daddr)
{
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_addr a;
	int nbma = -1;

	dmvpn_addr_set4(&a, htonl(daddr));
	rcu_read_lock();
	e = dmvpn_nhrp_lookup_dest(ctx->t, &a);
	if (e)
		nbma = ntohl(e->peer->nbma.addr.v4) & 0xff;
	rcu_read_unlock();
	return nbma;
}

/*
 * Prefix entries: keyed by network and length (host bits dropped), found
 * for any address they hold, the longest first, after a host shortcut;
 * the lengths in use follow additions and removals.
 */
static void nhrp_prefix_longest_match(struct kunit *test)
{
	struct nhrp_test_ctx *ctx = test->priv;
	struct dmvpn_nhrp_spec s;

	spec4(&s, 0xc0a80000, 0xac100101, DMVPN_NHRP_TYPE_STATIC);
	s.prefix_len = 16;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	/* Host bits are dropped: this is 192.168.2.0/24. */
	spec4(&s, 0xc0a80263, 0xac100102, DMVPN_NHRP_TYPE_SHORTCUT);
	s.prefix_len = 24;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	spec4(&s, 0xc0a80209, 0xac100103, DMVPN_NHRP_TYPE_SHORTCUT);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	/* A dynamic host entry is a next hop, not a destination. */
	spec4(&s, 0xc0a8020a, 0xac100104, DMVPN_NHRP_TYPE_DYNAMIC);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->prefix_count), 2U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->shortcut_count), 2U);

	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a80209), 3);	/* host */
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a80201), 2);	/* /24 */
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a8020a), 2);	/* /24 */
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a803fe), 1);	/* /16 */
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a90001), -1);	/* none */

	/* The host address of a prefix names no host entry. */
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &s.proto, 32, NULL), 0);
	dmvpn_addr_set4(&s.proto, htonl(0xc0a80263));
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &s.proto, 32, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_del(ctx->t, &s.proto, 24, NULL), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(24, ctx->t->plens4.in_use));
	KUNIT_EXPECT_TRUE(test, test_bit(16, ctx->t->plens4.in_use));
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a80201), 1);

	/* Replacing a prefix keeps its length counted once. */
	spec4(&s, 0xc0a80000, 0xac100105, DMVPN_NHRP_TYPE_STATIC);
	s.prefix_len = 16;
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->plens4.refs[16], 1U);
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a80201), 5);
	dmvpn_nhrp_flush(ctx->t, true);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->t->prefix_count), 0U);
	KUNIT_EXPECT_FALSE(test, test_bit(16, ctx->t->plens4.in_use));
	KUNIT_EXPECT_EQ(test, dest_nbma(ctx, 0xc0a80201), -1);

	/* An incomplete entry is for one address only. */
	spec4(&s, 0xc0a80000, 0, DMVPN_NHRP_TYPE_INCOMPLETE);
	s.prefix_len = 24;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_add(ctx->t, &s, false, NULL), -EINVAL);
}

static struct kunit_case dmvpn_nhrp_cases[] = {
	KUNIT_CASE(nhrp_add_lookup_delete),
	KUNIT_CASE(nhrp_families_are_distinct),
	KUNIT_CASE(nhrp_replace_and_exclusive),
	KUNIT_CASE(nhrp_peer_sharing),
	KUNIT_CASE(nhrp_flush_keeps_static),
	KUNIT_CASE(nhrp_many_entries),
	KUNIT_CASE(nhrp_registered_peer_list),
	KUNIT_CASE(nhrp_incomplete_has_no_peer),
	KUNIT_CASE(nhrp_expire_learnt_only),
	KUNIT_CASE(nhrp_shortcuts_by_peer),
	KUNIT_CASE(nhrp_prefix_longest_match),
	{}
};

static struct kunit_suite dmvpn_nhrp_suite = {
	.name = "dmvpn-nhrp-cache",
	.init = nhrp_test_init,
	.exit = nhrp_test_exit,
	.test_cases = dmvpn_nhrp_cases,
};

kunit_test_suite(dmvpn_nhrp_suite);
