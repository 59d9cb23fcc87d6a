// SPDX-License-Identifier: GPL-2.0
/*
 * The dmvpn netdevice and its transmit path.
 *
 * A packet routed into the tunnel is handled by dmvpn_xmit():
 *   1. find the next hop the routing table chose (dmvpn_xmit_nexthop);
 *   2. look it up in the NHRP cache to get the NBMA peer (or use the fixed
 *      peer of a point-to-point tunnel);
 *   3. plain GRE: route to the peer's NBMA address, check the path MTU,
 *      push the GRE header and hand the packet to the underlay
 *      (dmvpn_xmit4);
 *      protected tunnel: the same inside ESP-in-UDP, or hold the packet
 *      until the peer has an SA (esp.c, dmvpn_esp_xmit).
 * Every drop is counted under its cause (enum dmvpn_stat).
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/inet_ecn.h>
#include <net/route.h>

#include "compat.h"
#include "dmvpn.h"
#include "gre.h"
#include "nhrp.h"
#include "sa.h"

/*
 * Bytes the tunnel adds in front of (and behind) an inner packet.  For a
 * protected tunnel the ESP part depends on the algorithm an SA will
 * negotiate, so the derived MTU assumes the largest; the per-packet path
 * MTU check uses the actual SA.
 */
unsigned int dmvpn_encap_overhead(const struct dmvpn_params *p)
{
	unsigned int outer = p->local.family == AF_INET6 ?
			     sizeof(struct ipv6hdr) : sizeof(struct iphdr);

	if (p->protect)
		outer += sizeof(struct udphdr) + DMVPN_ESP_OVERHEAD_MAX;
	return outer + dmvpn_gre_hlen(false, p->key_present);
}

void dmvpn_stats_read(struct dmvpn_tunnel *t, u64 *out)
{
	u64 snapshot[__DMVPN_STAT_MAX];
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(u64) * __DMVPN_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct dmvpn_stats *st = per_cpu_ptr(t->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < __DMVPN_STAT_MAX; i++)
				snapshot[i] = u64_stats_read(&st->counter[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __DMVPN_STAT_MAX; i++)
			out[i] += snapshot[i];
	}
}

/*
 * The tunnel address the routing table chose as next hop: the gateway of
 * the route, or the destination itself for an on-link destination.
 */
static void dmvpn_xmit_nexthop(struct sk_buff *skb, struct dmvpn_addr *nh)
{
	struct dst_entry *dst = skb_dst(skb);

	if (skb->protocol == htons(ETH_P_IP)) {
		__be32 daddr = ip_hdr(skb)->daddr;

		if (dst && dst->ops->family == AF_INET)
			daddr = rt_nexthop(dst_rtable(dst), daddr);
		dmvpn_addr_set4(nh, daddr);
	} else {
		const struct in6_addr *daddr = &ipv6_hdr(skb)->daddr;

		if (dst && dst->ops->family == AF_INET6)
			daddr = rt6_nexthop(dst_rt6_info(dst), daddr);
		dmvpn_addr_set6(nh, daddr);
	}
}

static void dmvpn_nhrp_entry_mark_used(struct dmvpn_nhrp_entry *e)
{
	/* Test first: most packets find the bit set and dirty no cache line. */
	if (!test_bit(ilog2(DMVPN_NHRP_F_USED), &e->flags))
		set_bit(ilog2(DMVPN_NHRP_F_USED), &e->flags);
}

/* The inner destination address, for NHRP shortcuts. */
static void dmvpn_xmit_daddr(struct sk_buff *skb, struct dmvpn_addr *daddr)
{
	if (skb->protocol == htons(ETH_P_IP))
		dmvpn_addr_set4(daddr, ip_hdr(skb)->daddr);
	else
		dmvpn_addr_set6(daddr, &ipv6_hdr(skb)->daddr);
}

/*
 * The peer to send to through @e.  On a protected tunnel a spoke learnt by
 * resolution (its entry, or the implicit one its request left) may have no
 * SA yet: IKE between the spokes is under way, or fails (a firewall
 * between them, a key mismatch).  Its traffic then goes through the NHS,
 * which reaches it as it did before the spoke-to-spoke entry existed,
 * instead of waiting in the held queue and, if the keying never succeeds,
 * being lost.  The keyer is still asked for the SA; once it is in, the
 * traffic goes direct.  A spoke registered with us, a static map and the
 * NHS itself have no better path: their packets wait for the SA.
 */
static struct dmvpn_peer *dmvpn_xmit_entry_peer(struct dmvpn_tunnel *t,
						const struct dmvpn_params *p,
						struct dmvpn_nhrp_entry *e)
{
	struct dmvpn_peer *nhs;

	dmvpn_nhrp_entry_mark_used(e);
	if (!p->protect || dmvpn_esp_peer_keyed(e->peer))
		return e->peer;
	if (e->type != DMVPN_NHRP_TYPE_SHORTCUT &&
	    (e->type != DMVPN_NHRP_TYPE_DYNAMIC ||
	     test_bit(ilog2(DMVPN_NHRP_F_REGISTERED), &e->flags)))
		return e->peer;
	nhs = dmvpn_nhrp_nhs_peer(t, e->key.proto.family);
	if (!nhs || nhs == e->peer)
		return e->peer;
	dmvpn_esp_acquire(t, e->peer);
	dmvpn_stat_inc(t, DMVPN_STAT_TX_VIA_NHS);
	return nhs;
}

/*
 * The NBMA peer a packet goes to.  A point-to-point tunnel has one.  On a
 * multipoint tunnel a shortcut for the destination itself or for a
 * network that holds it (NHRP phase 3), or a static map of such a
 * network, comes first, then the NHRP entry of the next hop the routing
 * table chose.  A next hop without a usable entry makes NHRP resolve it; the
 * packet meanwhile goes through the NHS, as IOS does, if there is one.
 */
static struct dmvpn_peer *dmvpn_xmit_peer(struct dmvpn_tunnel *t,
					  const struct dmvpn_params *p,
					  struct sk_buff *skb)
{
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_addr nh;

	if (dmvpn_addr_is_set(&p->remote))
		return rcu_dereference_bh(t->p2p_peer);

	if (READ_ONCE(t->shortcut_count) || READ_ONCE(t->prefix_count)) {
		struct dmvpn_addr daddr;

		dmvpn_xmit_daddr(skb, &daddr);
		e = dmvpn_nhrp_lookup_dest(t, &daddr);
		if (e)
			return dmvpn_xmit_entry_peer(t, p, e);
	}

	dmvpn_xmit_nexthop(skb, &nh);
	e = dmvpn_nhrp_lookup(t, &nh);
	if (e && e->peer)
		return dmvpn_xmit_entry_peer(t, p, e);
	return dmvpn_nhrp_miss(t, &nh, !e);
}

/* Multicast and broadcast, which "ip nhrp map multicast" replicates. */
static bool dmvpn_xmit_is_multicast(struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);

	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr);
	if (ipv4_is_multicast(ip_hdr(skb)->daddr) ||
	    ipv4_is_lbcast(ip_hdr(skb)->daddr))
		return true;
	return dst && dst->ops->family == AF_INET &&
	       dst_rtable(dst)->rt_type == RTN_BROADCAST;
}

/*
 * Send a copy to each static multicast destination and, with "map
 * multicast dynamic", to each registered spoke.  Consumes @skb.
 */
static void dmvpn_xmit_multicast(struct dmvpn_tunnel *t, struct sk_buff *skb)
{
	const struct dmvpn_nhrp_conf *conf = rcu_dereference_bh(t->nhrp_engine.conf);
	bool dynamic = conf && conf->mcast_dynamic;
	struct dmvpn_mcast_dst *md;
	struct dmvpn_peer *peer;
	unsigned int sent = 0;
	struct sk_buff *copy;

	list_for_each_entry_rcu(md, &t->mcast_static, node) {
		/* A registered spoke gets its copy from the dynamic list. */
		if (dynamic && READ_ONCE(md->peer->reg_count))
			continue;
		copy = skb_clone(skb, GFP_ATOMIC);
		if (!copy)
			break;
		dmvpn_xmit_to_peer(t, md->peer, copy);
		sent++;
	}
	if (dynamic) {
		list_for_each_entry_rcu(peer, &t->registered_peers, reg_node) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (!copy)
				break;
			dmvpn_xmit_to_peer(t, peer, copy);
			sent++;
		}
	}
	if (!sent) {
		dmvpn_stat_inc(t, DMVPN_STAT_TX_NO_NHRP);
		kfree_skb(skb);
		return;
	}
	consume_skb(skb);
}

/* The inner header must be there before anything reads it. */
static bool dmvpn_xmit_inner_ok(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return pskb_network_may_pull(skb, sizeof(struct iphdr));
	case htons(ETH_P_IPV6):
		return pskb_network_may_pull(skb, sizeof(struct ipv6hdr));
	default:
		return false;
	}
}

/*
 * Path MTU check against @mtu, the room the underlay route leaves for the
 * inner packet.  Returns true if the packet was refused (and the sender
 * told with an ICMP error); sets *df to the outer DF bit otherwise.
 */
bool dmvpn_xmit_too_big(struct sk_buff *skb, unsigned int mtu, __be16 *df)
{
	bool fits;

	*df = 0;
	if (skb->protocol != htons(ETH_P_IP) &&
	    skb->protocol != htons(ETH_P_IPV6)) {
		/* NHRP: small, and the outer packet may be fragmented. */
		return false;
	}
	if (skb->protocol == htons(ETH_P_IP)) {
		/* Without DF the sender allows fragmentation: let the underlay
		 * fragment the outer packet rather than drop it.
		 */
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return false;
		*df = htons(IP_DF);
		if (mtu < IPV4_MIN_MTU)
			mtu = IPV4_MIN_MTU;
	} else {
		/* IPv6 routers never fragment; below the IPv6 minimum MTU the
		 * tunnel must fragment the outer packet itself.
		 */
		if (mtu < IPV6_MIN_MTU)
			return false;
		*df = htons(IP_DF);
	}

	fits = skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
				 skb->len <= mtu;
	if (fits)
		return false;

	skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
	else
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return true;
}

u8 dmvpn_inner_dsfield(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return ip_hdr(skb)->tos;
	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_get_dsfield(ipv6_hdr(skb));
	return 0;
}

/*
 * Outer TTL when the tunnel inherits it.  Multicast and broadcast are the
 * exception: routing protocols send them with TTL 1 (OSPF hellos, RIP),
 * which would die at the first underlay router, so their outer TTL is
 * the underlay's default, as for NHRP.
 */
u8 dmvpn_inner_ttl(const struct sk_buff *skb, const struct dst_entry *dst)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (!ipv4_is_multicast(iph->daddr) && !ipv4_is_lbcast(iph->daddr))
			return iph->ttl;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
			return ipv6_hdr(skb)->hop_limit;
	}
	return ip4_dst_hoplimit(dst);
}

static enum dmvpn_stat dmvpn_xmit4(struct dmvpn_tunnel *t,
				   const struct dmvpn_params *p,
				   struct dmvpn_peer *peer, struct sk_buff *skb)
{
	unsigned int gre_hlen = dmvpn_gre_hlen(false, p->key_present);
	struct net_device *dev = t->dev;
	u8 inner_ds = dmvpn_inner_dsfield(skb);
	__be16 inner_proto = skb->protocol;
	struct rtable *rt;
	__be32 saddr;
	__be16 df;
	u8 tos, ttl;

	tos = p->tos == DMVPN_TOS_INHERIT ? inner_ds : p->tos;

	/* The route to a peer is cached per peer; it is revalidated by
	 * dst_cache against routing changes and PMTU updates.
	 */
	rt = dst_cache_get_ip4(&peer->dst_cache, &saddr);
	if (!rt) {
		struct flowi4 fl4;

		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = peer->nbma.addr.v4;
		fl4.saddr = p->local.v4;
		fl4.flowi4_proto = IPPROTO_GRE;
		fl4.flowi4_oif = p->link;
		fl4.flowi4_tos = RT_TOS(tos);
		if (p->key_present)
			fl4.fl4_gre_key = htonl(p->key);
		rt = ip_route_output_key(t->net, &fl4);
		if (IS_ERR(rt))
			return DMVPN_STAT_TX_NO_ROUTE;
		if (rt->dst.dev == dev) {
			/* The NBMA address is routed into the tunnel itself. */
			ip_rt_put(rt);
			return DMVPN_STAT_TX_NO_ROUTE;
		}
		saddr = fl4.saddr;
		dst_cache_set_ip4(&peer->dst_cache, &rt->dst, saddr);
	}

	if (dmvpn_xmit_too_big(skb, dst_mtu(&rt->dst) - sizeof(struct iphdr) -
			       gre_hlen, &df)) {
		ip_rt_put(rt);
		return DMVPN_STAT_TX_TOO_BIG;
	}

	ttl = p->ttl ? p->ttl : dmvpn_inner_ttl(skb, &rt->dst);
	tos = ip_tunnel_ecn_encap(tos, ip_hdr(skb), skb);

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 rt->dst.header_len + sizeof(struct iphdr) + gre_hlen) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		ip_rt_put(rt);
		DEV_STATS_INC(dev, tx_errors);
		kfree_skb(skb);
		return DMVPN_STAT_UNSPEC;
	}

	skb_set_inner_protocol(skb, inner_proto);
	dmvpn_gre_build(skb_push(skb, gre_hlen), inner_proto, false,
			p->key_present, p->key);

	/* iptunnel_xmit adds the outer header, sends, and counts the packet
	 * in the tunnel's tx statistics.
	 */
	iptunnel_xmit(NULL, rt, skb, saddr, peer->nbma.addr.v4, IPPROTO_GRE,
		      tos, ttl, df, !net_eq(t->net, dev_net(dev)));
	return DMVPN_STAT_UNSPEC;
}

/*
 * Encapsulate @skb (an inner IP packet, or NHRP) for @peer and send it:
 * plain GRE, or ESP-in-UDP on a protected tunnel.  Consumes @skb; drops
 * are counted.  Under rcu_read_lock_bh.
 */
void dmvpn_xmit_to_peer(struct dmvpn_tunnel *t, struct dmvpn_peer *peer,
			struct sk_buff *skb)
{
	const struct dmvpn_params *p = rcu_dereference_bh(t->params);
	enum dmvpn_stat drop;

	if (p->local.family != AF_INET)
		drop = DMVPN_STAT_TX_UNSUPPORTED;
	else if (p->protect)
		drop = dmvpn_esp_xmit(t, p, peer, skb);
	else
		drop = dmvpn_xmit4(t, p, peer, skb);
	if (drop == DMVPN_STAT_UNSPEC)
		return;		/* sent, or dropped and counted */
	dmvpn_stat_inc(t, drop);
	kfree_skb(skb);
}

netdev_tx_t dmvpn_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	const struct dmvpn_params *p;
	struct dmvpn_peer *peer;
	enum dmvpn_stat drop;

	/* ndo_start_xmit runs under rcu_read_lock_bh. */
	p = rcu_dereference_bh(t->params);

	if (!dmvpn_xmit_inner_ok(skb)) {
		drop = DMVPN_STAT_TX_UNSUPPORTED;
		goto drop;
	}
	if (p->tcp_mss)
		dmvpn_clamp_mss(skb, p->tcp_mss);

	if (!dmvpn_addr_is_set(&p->remote) && dmvpn_xmit_is_multicast(skb)) {
		dmvpn_xmit_multicast(t, skb);
		return NETDEV_TX_OK;
	}

	/* Forwarded back out of the tunnel it came in on: spoke to spoke
	 * through the hub, which "ip nhrp redirect" tells the sender about.
	 */
	if (skb->skb_iif == dev->ifindex)
		dmvpn_nhrp_hairpin(t, skb);

	peer = dmvpn_xmit_peer(t, p, skb);
	if (!peer) {
		drop = DMVPN_STAT_TX_NO_NHRP;
		goto drop;
	}
	dmvpn_xmit_to_peer(t, peer, skb);
	return NETDEV_TX_OK;

drop:
	dmvpn_stat_inc(t, drop);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static void dmvpn_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *s)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	u64 c[__DMVPN_STAT_MAX];

	dev_get_tstats64(dev, s);
	dmvpn_stats_read(t, c);

	s->rx_errors += c[DMVPN_STAT_RX_KEY_MISMATCH] +
			c[DMVPN_STAT_RX_CSUM_ERRORS] +
			c[DMVPN_STAT_RX_BAD_HEADER] +
			c[DMVPN_STAT_RX_INVALID_SPI] +
			c[DMVPN_STAT_RX_REPLAY] +
			c[DMVPN_STAT_RX_AUTH_FAILED] +
			c[DMVPN_STAT_RX_INVALID_LEN] +
			c[DMVPN_STAT_RX_DECAPS_FAILED] +
			c[DMVPN_STAT_RX_NOT_PROTECTED];
	s->rx_crc_errors += c[DMVPN_STAT_RX_CSUM_ERRORS] +
			    c[DMVPN_STAT_RX_AUTH_FAILED];
	s->rx_frame_errors += c[DMVPN_STAT_RX_BAD_HEADER] +
			      c[DMVPN_STAT_RX_INVALID_LEN];
	s->rx_dropped += c[DMVPN_STAT_RX_UNKNOWN_PROTO];
	s->tx_errors += c[DMVPN_STAT_TX_NO_ROUTE] +
			c[DMVPN_STAT_TX_ENCAPS_FAILED];
	s->tx_carrier_errors += c[DMVPN_STAT_TX_NO_ROUTE];
	s->tx_dropped += c[DMVPN_STAT_TX_NO_NHRP] +
			 c[DMVPN_STAT_TX_TOO_BIG] +
			 c[DMVPN_STAT_TX_UNSUPPORTED] +
			 c[DMVPN_STAT_TX_NO_SA] +
			 c[DMVPN_STAT_INTERNAL_ERR];
}

/* A point-to-point tunnel sends everything to one peer, made up front. */
static struct dmvpn_peer *dmvpn_p2p_peer_get(struct dmvpn_tunnel *t,
					     const struct dmvpn_params *p)
{
	struct dmvpn_endpoint nbma = { .addr = p->remote };
	struct dmvpn_peer *peer, *spare;

	if (!dmvpn_addr_is_set(&p->remote))
		return NULL;
	spare = dmvpn_peer_alloc(t, &nbma);
	if (!spare)
		return ERR_PTR(-ENOMEM);
	spin_lock_bh(&t->lock);
	peer = dmvpn_peer_get(t, &nbma, &spare);
	spin_unlock_bh(&t->lock);
	dmvpn_peer_free(spare);
	return peer;
}

static int dmvpn_p2p_peer_init(struct dmvpn_tunnel *t)
{
	struct dmvpn_peer *peer;

	peer = dmvpn_p2p_peer_get(t, rtnl_dereference(t->params));
	if (IS_ERR(peer))
		return PTR_ERR(peer);
	rcu_assign_pointer(t->p2p_peer, peer);
	return 0;
}

static int dmvpn_dev_init(struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	struct dmvpn_net *dn = net_generic(t->net, dmvpn_net_id);
	int err;

	t->stats = netdev_alloc_pcpu_stats(struct dmvpn_stats);
	if (!t->stats)
		return -ENOMEM;
	err = gro_cells_init(&t->gro_cells, dev);
	if (err)
		goto err_stats;
	err = dmvpn_peers_init(t);
	if (err)
		goto err_gro;
	err = dmvpn_nhrp_init(t);
	if (err)
		goto err_peers;
	err = dmvpn_sa_init(t);
	if (err)
		goto err_nhrp;

	err = dmvpn_p2p_peer_init(t);
	if (err)
		goto err_sa;
	dmvpn_nhrp_engine_init(t);

	netdev_lockdep_set_classes(dev);
	list_add_rcu(&t->list, &dn->tunnels);
	return 0;

err_sa:
	dmvpn_sa_destroy(t);
err_nhrp:
	dmvpn_nhrp_destroy(t);
err_peers:
	dmvpn_peers_destroy(t);
err_gro:
	gro_cells_destroy(&t->gro_cells);
err_stats:
	free_percpu(t->stats);
	t->stats = NULL;
	return err;
}

/* Unpublish the tunnel; the core waits for readers before the destructor. */
static void dmvpn_dev_uninit(struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	struct dmvpn_peer *p2p;

	ASSERT_RTNL();
	list_del_rcu(&t->list);
	dmvpn_nhrp_engine_stop(t);
	if (rcu_access_pointer(t->sock))
		dmvpn_sock_detach(t, NULL);
	dmvpn_sa_flush(t, NULL);
	dmvpn_nhrp_flush(t, true);

	spin_lock_bh(&t->lock);
	p2p = rcu_replace_pointer(t->p2p_peer, NULL, lockdep_is_held(&t->lock));
	if (p2p)
		dmvpn_peer_put(p2p);
	spin_unlock_bh(&t->lock);

	if (t->holds_gre_rcv) {
		t->holds_gre_rcv = false;
		dmvpn_gre_rcv_put();
	}
}

static void dmvpn_dev_free(struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);

	gro_cells_destroy(&t->gro_cells);
	dmvpn_nhrp_engine_free(t);
	dmvpn_nhrp_destroy(t);
	dmvpn_sa_destroy(t);	/* the last SA frees drop peer references */
	dmvpn_peers_destroy(t);
	free_percpu(t->stats);
	kfree(rcu_dereference_protected(t->params, true));
	RCU_INIT_POINTER(t->params, NULL);
}

static const struct net_device_ops dmvpn_netdev_ops = {
	.ndo_init		= dmvpn_dev_init,
	.ndo_uninit		= dmvpn_dev_uninit,
	.ndo_start_xmit		= dmvpn_xmit,
	.ndo_get_stats64	= dmvpn_get_stats64,
};

bool dmvpn_is_tunnel(const struct net_device *dev)
{
	return dev->netdev_ops == &dmvpn_netdev_ops;
}

void dmvpn_setup(struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);

	dev->netdev_ops = &dmvpn_netdev_ops;
	dev->ethtool_ops = &dmvpn_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = dmvpn_dev_free;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;

	dev->type = ARPHRD_IPGRE;
	dev->hard_header_len = 0;
	dev->addr_len = 4;
	dev->flags = IFF_NOARP | IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dmvpn_dev_set_lltx(dev);
	dmvpn_dev_set_netns_immutable(dev);
	netif_keep_dst(dev);

	spin_lock_init(&t->lock);
}

/* MTU of the underlay device the tunnel sends through, if it can tell. */
static int dmvpn_underlay_mtu(struct dmvpn_tunnel *t, const struct dmvpn_params *p)
{
	struct net_device *underlay = NULL;

	if (p->link) {
		underlay = __dev_get_by_index(t->net, p->link);
	} else if (dmvpn_addr_is_set(&p->remote)) {
		struct rtable *rt;
		struct flowi4 fl4;

		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = p->remote.v4;
		fl4.saddr = p->local.v4;
		fl4.flowi4_proto = IPPROTO_GRE;
		rt = ip_route_output_key(t->net, &fl4);
		if (!IS_ERR(rt)) {
			int mtu = rt->dst.dev != t->dev ? rt->dst.dev->mtu : 0;

			ip_rt_put(rt);
			if (mtu)
				return mtu;
		}
	}
	if (!underlay)
		underlay = __ip_dev_find(t->net, p->local.v4, false);
	return underlay ? underlay->mtu : ETH_DATA_LEN;
}

/*
 * Apply @p (owned by the caller until success) to the tunnel: check it
 * against the system, derive the MTU and addresses, and publish it.
 * Runs under RTNL for both "ip link add" and "ip link set".
 */
int dmvpn_tunnel_configure(struct dmvpn_tunnel *t, struct dmvpn_params *p,
			   struct netlink_ext_ack *extack)
{
	struct dmvpn_params *old = rtnl_dereference(t->params);
	struct net_device *dev = t->dev;
	struct dmvpn_peer *p2p = NULL, *old_p2p;
	unsigned int overhead = dmvpn_encap_overhead(p);
	bool derived_mtu;

	ASSERT_RTNL();
	if (p->link && !__dev_get_by_index(t->net, p->link)) {
		NL_SET_ERR_MSG(extack, "underlay device (dev) does not exist");
		return -ENODEV;
	}

	/* Before registration ndo_init creates the peer; afterwards the new
	 * peer is made before the old one is let go.
	 */
	if (dev->reg_state == NETREG_REGISTERED) {
		p2p = dmvpn_p2p_peer_get(t, p);
		if (IS_ERR(p2p))
			return PTR_ERR(p2p);
	}

	/* Follow the underlay unless the user set an MTU of their own. */
	derived_mtu = !old || dev->mtu == (int)(dmvpn_underlay_mtu(t, old) -
					       dmvpn_encap_overhead(old));
	dev->needed_headroom = LL_MAX_HEADER + overhead;
	dev->max_mtu = IP_MAX_MTU - overhead;
	if (derived_mtu)
		dev->mtu = clamp_t(int, dmvpn_underlay_mtu(t, p) - overhead,
				   IPV4_MIN_MTU, dev->max_mtu);

	dev_addr_set(dev, (const u8 *)&p->local.v4);
	memcpy(dev->broadcast, &p->remote.v4, sizeof(p->remote.v4));
	if (dmvpn_addr_is_set(&p->remote)) {
		dev->flags &= ~IFF_BROADCAST;
		dev->flags |= IFF_POINTOPOINT;
	}

	rcu_assign_pointer(t->params, p);
	if (dev->reg_state == NETREG_REGISTERED) {
		spin_lock_bh(&t->lock);
		old_p2p = rcu_replace_pointer(t->p2p_peer, p2p,
					      lockdep_is_held(&t->lock));
		if (old_p2p)
			dmvpn_peer_put(old_p2p);
		spin_unlock_bh(&t->lock);
	}
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}
