// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: security associations (sa.c) and the TCP MSS clamp (mss.c).
 * SA lookup by SPI, the per-peer current outbound SA across a
 * make-before-break rekey, duplicate and missing SAs, flushing one peer,
 * lifetimes in bytes, and that the peers SAs created go away with them.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "../sa.h"

struct sa_test_ctx {
	struct net_device *dev;
	struct dmvpn_tunnel *t;
	struct dmvpn_params params;
};

static int sa_test_init(struct kunit *test)
{
	struct sa_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->dev = alloc_netdev(sizeof(struct dmvpn_tunnel), "dmvpnk%d",
				NET_NAME_UNKNOWN, dmvpn_setup);
	KUNIT_ASSERT_NOT_NULL(test, ctx->dev);
	ctx->t = netdev_priv(ctx->dev);
	ctx->t->dev = ctx->dev;
	ctx->t->net = &init_net;
	ctx->params.protect = true;
	dmvpn_addr_set4(&ctx->params.local, htonl(0xac100a01));
	RCU_INIT_POINTER(ctx->t->params, &ctx->params);
	KUNIT_ASSERT_EQ(test, dmvpn_peers_init(ctx->t), 0);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_init(ctx->t), 0);
	test->priv = ctx;
	return 0;
}

static void sa_test_exit(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;

	dmvpn_sa_flush(ctx->t, NULL);
	dmvpn_sa_destroy(ctx->t);
	KUNIT_EXPECT_EQ(test, ctx->t->sa_count, 0U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);
	dmvpn_peers_destroy(ctx->t);
	RCU_INIT_POINTER(ctx->t->params, NULL);
	free_netdev(ctx->dev);
}

static const u8 sa_test_key[36] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void sa_spec(struct dmvpn_sa_spec *s, u8 dir, u32 spi, u32 peer,
		    u16 port)
{
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->mode = DMVPN_SA_MODE_TRANSPORT;
	s->spi = htonl(spi);
	dmvpn_addr_set4(&s->peer.addr, htonl(peer));
	s->peer.port = dmvpn_port_key(port);
	s->alg = DMVPN_ESP_AES256_GCM16;
	s->keys.enc = sa_test_key;
	s->keys.enc_len = sizeof(sa_test_key);
	s->replay_window = DMVPN_REPLAY_WINDOW_DEFAULT;
}

static struct dmvpn_sa *sa_current_out(struct dmvpn_tunnel *t,
				       const struct dmvpn_endpoint *ep)
{
	struct dmvpn_peer *peer;
	struct dmvpn_sa *sa = NULL;

	rcu_read_lock();
	peer = dmvpn_peer_lookup(t, ep);
	if (peer)
		sa = rcu_dereference(peer->sa_out);
	rcu_read_unlock();
	return sa;
}

static void sa_inbound_lookup_by_spi(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;
	struct dmvpn_sa_spec s;
	struct dmvpn_sa *sa;

	sa_spec(&s, DMVPN_SA_DIR_IN, 0x1001, 0xac100101, 4500);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);
	sa_spec(&s, DMVPN_SA_DIR_IN, 0x1002, 0xac100102, 4500);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);

	rcu_read_lock();
	sa = dmvpn_sa_lookup_in(ctx->t, htonl(0x1001));
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa)
		KUNIT_EXPECT_TRUE(test, sa->peer->nbma.addr.v4 == htonl(0xac100101));
	sa = dmvpn_sa_lookup_in(ctx->t, htonl(0x1002));
	KUNIT_EXPECT_NOT_NULL(test, sa);
	if (sa)
		KUNIT_EXPECT_TRUE(test, sa->peer->nbma.addr.v4 == htonl(0xac100102));
	KUNIT_EXPECT_NULL(test, dmvpn_sa_lookup_in(ctx->t, htonl(0x1003)));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ctx->t->sa_count, 2U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 2U);

	/* An inbound SPI is unique per tunnel, whoever the peer. */
	sa_spec(&s, DMVPN_SA_DIR_IN, 0x1001, 0xac100103, 4500);
	KUNIT_EXPECT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 2U);

	KUNIT_EXPECT_EQ(test, dmvpn_sa_del(ctx->t, DMVPN_SA_DIR_IN,
					   htonl(0x1001), &s.peer, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_sa_del(ctx->t, DMVPN_SA_DIR_IN,
					   htonl(0x1001), &s.peer, NULL), -ENOENT);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, dmvpn_sa_lookup_in(ctx->t, htonl(0x1001)));
	rcu_read_unlock();
}

/* Rekey: the newest outbound SA carries traffic; deleting it falls back. */
static void sa_outbound_make_before_break(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;
	struct dmvpn_sa_spec old, new;
	struct dmvpn_sa *sa;

	sa_spec(&old, DMVPN_SA_DIR_OUT, 0x2001, 0xac100101, 4500);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &old, NULL), 0);
	sa = sa_current_out(ctx->t, &old.peer);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_TRUE(test, sa->spi == htonl(0x2001));

	sa_spec(&new, DMVPN_SA_DIR_OUT, 0x2002, 0xac100101, 4500);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &new, NULL), 0);
	sa = sa_current_out(ctx->t, &old.peer);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_TRUE(test, sa->spi == htonl(0x2002));

	/* Outbound SPIs are the peer's choice: another peer may reuse one. */
	sa_spec(&old, DMVPN_SA_DIR_OUT, 0x2001, 0xac100102, 4500);
	KUNIT_EXPECT_EQ(test, dmvpn_sa_add(ctx->t, &old, NULL), 0);
	sa_spec(&old, DMVPN_SA_DIR_OUT, 0x2001, 0xac100101, 4500);
	KUNIT_EXPECT_EQ(test, dmvpn_sa_add(ctx->t, &old, NULL), -EEXIST);

	/* Deleting the current SA falls back to the older one. */
	KUNIT_EXPECT_EQ(test, dmvpn_sa_del(ctx->t, DMVPN_SA_DIR_OUT,
					   htonl(0x2002), &new.peer, NULL), 0);
	sa = sa_current_out(ctx->t, &old.peer);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_TRUE(test, sa->spi == htonl(0x2001));
	KUNIT_EXPECT_EQ(test, dmvpn_sa_del(ctx->t, DMVPN_SA_DIR_OUT,
					   htonl(0x2001), &old.peer, NULL), 0);
	KUNIT_EXPECT_NULL(test, sa_current_out(ctx->t, &old.peer));
}

/* Port 4500 and "no port" name one peer; another port is another peer. */
static void sa_peer_ports(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;
	struct dmvpn_sa_spec s;

	sa_spec(&s, DMVPN_SA_DIR_OUT, 0x3001, 0xac100101, 4500);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);
	sa_spec(&s, DMVPN_SA_DIR_IN, 0x3002, 0xac100101, 0);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);

	/* A second spoke behind the same PAT address. */
	sa_spec(&s, DMVPN_SA_DIR_OUT, 0x3001, 0xac100101, 61000);
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 2U);

	/* Flushing one endpoint leaves the other. */
	KUNIT_EXPECT_EQ(test, dmvpn_sa_flush(ctx->t, &s.peer), 1U);
	KUNIT_EXPECT_EQ(test, ctx->t->sa_count, 2U);
	rcu_barrier();
	flush_workqueue(dmvpn_wq);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 1U);
}

static void sa_bad_keys_leave_nothing(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;
	struct dmvpn_sa_spec s;

	sa_spec(&s, DMVPN_SA_DIR_IN, 0x4001, 0xac100101, 4500);
	s.keys.enc_len = 17;
	KUNIT_EXPECT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), -EINVAL);
	sa_spec(&s, DMVPN_SA_DIR_IN, 0x4001, 0xac100101, 4500);
	s.alg = DMVPN_ESP_NULL;
	s.keys.enc_len = 0;
	KUNIT_EXPECT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, ctx->t->sa_count, 0U);
	KUNIT_EXPECT_EQ(test, ctx->t->peer_count, 0U);
}

/* Traffic past the hard limit in bytes makes the SA unusable. */
static void sa_byte_lifetime(struct kunit *test)
{
	struct sa_test_ctx *ctx = test->priv;
	struct dmvpn_sa_spec s;
	struct dmvpn_sa *sa;

	sa_spec(&s, DMVPN_SA_DIR_IN, 0x5001, 0xac100101, 4500);
	s.soft_kb = 1;
	s.hard_kb = 2;
	KUNIT_ASSERT_EQ(test, dmvpn_sa_add(ctx->t, &s, NULL), 0);
	rcu_read_lock();
	sa = dmvpn_sa_lookup_in(ctx->t, s.spi);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_TRUE(test, dmvpn_sa_account(sa, 1500));
	KUNIT_EXPECT_TRUE(test, dmvpn_sa_account(sa, 548));	/* 2048: at the limit */
	KUNIT_EXPECT_FALSE(test, dmvpn_sa_account(sa, 1));
	KUNIT_EXPECT_TRUE(test, test_bit(DMVPN_SA_HARD_EXPIRED, &sa->state));
	rcu_read_unlock();
	/* The expiry work deletes it. */
	flush_delayed_work(&ctx->t->sa_expire_work);
	KUNIT_EXPECT_EQ(test, ctx->t->sa_count, 0U);
}

/* ---- MSS clamp ---- */

static struct sk_buff *mss_syn(struct kunit *test, u16 mss, bool syn)
{
	unsigned int len = sizeof(struct iphdr) + sizeof(struct tcphdr) + 8;
	struct sk_buff *skb = alloc_skb(len + 64, GFP_KERNEL);
	struct tcphdr *th;
	struct iphdr *iph;
	u8 *opt;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put(skb, len);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	iph = ip_hdr(skb);
	memset(iph, 0, len);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = htonl(0x0a010101);
	iph->daddr = htonl(0x0a010102);
	th = (struct tcphdr *)(iph + 1);
	th->source = htons(40000);
	th->dest = htons(22);
	th->doff = (sizeof(*th) + 8) / 4;
	th->syn = syn;
	th->ack = !syn;
	opt = (u8 *)(th + 1);
	opt[0] = TCPOPT_NOP;
	opt[1] = TCPOPT_NOP;
	opt[2] = TCPOPT_MSS;
	opt[3] = TCPOLEN_MSS;
	put_unaligned_be16(mss, opt + 4);
	opt[6] = TCPOPT_NOP;
	opt[7] = TCPOPT_EOL;
	th->check = tcp_v4_check(len - sizeof(*iph), iph->saddr, iph->daddr,
				 csum_partial(th, len - sizeof(*iph), 0));
	return skb;
}

static u16 mss_of(struct sk_buff *skb)
{
	return get_unaligned_be16(skb->data + sizeof(struct iphdr) +
				  sizeof(struct tcphdr) + 4);
}

static bool tcp_csum_ok(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int tlen = ntohs(iph->tot_len) - sizeof(*iph);

	return !tcp_v4_check(tlen, iph->saddr, iph->daddr,
			     csum_partial(skb->data + sizeof(*iph), tlen, 0));
}

static void mss_clamp_lowers_and_fixes_checksum(struct kunit *test)
{
	struct sk_buff *skb = mss_syn(test, 1460, true);

	KUNIT_ASSERT_TRUE(test, tcp_csum_ok(skb));
	dmvpn_clamp_mss(skb, 1360);
	KUNIT_EXPECT_EQ(test, mss_of(skb), 1360);
	KUNIT_EXPECT_TRUE(test, tcp_csum_ok(skb));
	kfree_skb(skb);

	/* A smaller MSS is left alone, and so is a segment without SYN. */
	skb = mss_syn(test, 1200, true);
	dmvpn_clamp_mss(skb, 1360);
	KUNIT_EXPECT_EQ(test, mss_of(skb), 1200);
	kfree_skb(skb);
	skb = mss_syn(test, 1460, false);
	dmvpn_clamp_mss(skb, 1360);
	KUNIT_EXPECT_EQ(test, mss_of(skb), 1460);
	kfree_skb(skb);
}

/* Option lengths that run past the header must not be followed. */
static void mss_clamp_bad_options(struct kunit *test)
{
	struct sk_buff *skb = mss_syn(test, 1460, true);
	u8 *opt = skb->data + sizeof(struct iphdr) + sizeof(struct tcphdr);

	opt[3] = 40;		/* MSS option claims 40 bytes */
	dmvpn_clamp_mss(skb, 1360);
	KUNIT_EXPECT_EQ(test, mss_of(skb), 1460);
	opt[3] = 0;		/* zero length would loop forever */
	dmvpn_clamp_mss(skb, 1360);
	KUNIT_EXPECT_EQ(test, mss_of(skb), 1460);
	kfree_skb(skb);
}

/*
 * KUnit runs a module's suites before the module's init function, so the
 * workqueue SAs are freed on does not exist yet: lend the suite one.
 */
static bool sa_test_own_wq;

static int sa_test_suite_init(struct kunit_suite *suite)
{
	if (dmvpn_wq)
		return 0;
	dmvpn_wq = alloc_workqueue("dmvpn-kunit", WQ_UNBOUND, 0);
	if (!dmvpn_wq)
		return -ENOMEM;
	sa_test_own_wq = true;
	return 0;
}

static void sa_test_suite_exit(struct kunit_suite *suite)
{
	if (!sa_test_own_wq)
		return;
	rcu_barrier();
	destroy_workqueue(dmvpn_wq);
	dmvpn_wq = NULL;
	sa_test_own_wq = false;
}

static struct kunit_case sa_test_cases[] = {
	KUNIT_CASE(sa_inbound_lookup_by_spi),
	KUNIT_CASE(sa_outbound_make_before_break),
	KUNIT_CASE(sa_peer_ports),
	KUNIT_CASE(sa_bad_keys_leave_nothing),
	KUNIT_CASE(sa_byte_lifetime),
	{}
};

static struct kunit_suite sa_test_suite = {
	.name = "dmvpn-sa",
	.suite_init = sa_test_suite_init,
	.suite_exit = sa_test_suite_exit,
	.init = sa_test_init,
	.exit = sa_test_exit,
	.test_cases = sa_test_cases,
};

static struct kunit_case mss_test_cases[] = {
	KUNIT_CASE(mss_clamp_lowers_and_fixes_checksum),
	KUNIT_CASE(mss_clamp_bad_options),
	{}
};

static struct kunit_suite mss_test_suite = {
	.name = "dmvpn-mss",
	.test_cases = mss_test_cases,
};

kunit_test_suites(&sa_test_suite, &mss_test_suite);
