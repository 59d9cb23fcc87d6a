// SPDX-License-Identifier: GPL-2.0
/*
 * Plain GRE receive.  The kernel's GRE demultiplexer (gre.ko) hands us
 * every version-0 GRE packet once we own its GREPROTO_CISCO slot.  We
 * parse the header, find the tunnel by (local address, key), strip the
 * outer headers and feed the inner packet to the tunnel device.
 *
 * ip_gre owns the same slot whenever it is loaded, and the demultiplexer
 * has room for one owner only.  So the slot is taken when the first
 * plain-GRE tunnel is created and released with the last one, and
 * creating a tunnel while ip_gre holds it fails with a clear message.
 * (Protected tunnels receive GRE inside ESP-in-UDP (esp.c) and need no
 * slot; dmvpn_gre_input() is shared by both.)
 */
#include <linux/icmp.h>
#include <net/gre.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/netns/generic.h>
#include <net/route.h>

#include "compat.h"
#include "dmvpn.h"
#include "gre.h"
#include "nhrp.h"

/* Tunnels holding the GRE slot; changed under RTNL only. */
static unsigned int dmvpn_gre_rcv_users;

struct dmvpn_rcv_match {
	struct dmvpn_tunnel *tunnel;	/* local address and key match */
	struct dmvpn_tunnel *local_only;	/* local address matches */
	struct dmvpn_tunnel *protected;	/* would match, but takes only ESP */
};

static void dmvpn_rcv_lookup(struct net *net, const struct iphdr *iph,
			     const struct dmvpn_gre_info *gre,
			     struct dmvpn_rcv_match *m)
{
	struct dmvpn_net *dn = net_generic(net, dmvpn_net_id);
	struct dmvpn_tunnel *t;

	m->tunnel = NULL;
	m->local_only = NULL;
	m->protected = NULL;
	list_for_each_entry_rcu(t, &dn->tunnels, list) {
		const struct dmvpn_params *p = rcu_dereference(t->params);

		if (p->local.family != AF_INET || p->local.v4 != iph->daddr)
			continue;
		if (dmvpn_addr_is_set(&p->remote) && p->remote.v4 != iph->saddr)
			continue;
		if (p->protect) {
			m->protected = t;
			continue;
		}
		if (!m->local_only)
			m->local_only = t;
		if (!gre)
			continue;
		if (p->key_present == gre->key_present &&
		    (!p->key_present || p->key == gre->key)) {
			m->tunnel = t;
			return;
		}
	}
}

static void dmvpn_rcv_drop(struct dmvpn_tunnel *t, enum dmvpn_stat why,
			   __be32 saddr, const char *what)
{
	dmvpn_stat_inc(t, why);
	if (net_ratelimit())
		netdev_info(t->dev, "dropped GRE packet from %pI4: %s\n",
			    &saddr, what);
}

static const char *dmvpn_gre_error_text(enum dmvpn_gre_error err)
{
	switch (err) {
	case DMVPN_GRE_ERR_TRUNCATED:
		return "truncated header";
	case DMVPN_GRE_ERR_VERSION:
		return "unknown GRE version";
	default:
		return "routing/reserved flags set";
	}
}

/*
 * Deliver a GRE packet to tunnel @t: @skb->data is the GRE header,
 * @outer_tos comes from the outer IP header, @from is the NBMA endpoint
 * that sent it (for ESP-in-UDP the authenticated peer of the SA, with
 * its post-NAT port).  Shared by plain GRE and decrypted ESP.  Data
 * packets go up the tunnel device; NHRP goes to the NHRP engine.
 * Consumes @skb.
 */
void dmvpn_gre_input(struct dmvpn_tunnel *t, struct sk_buff *skb,
		     u8 outer_tos, const struct dmvpn_endpoint *from)
{
	const struct dmvpn_params *p = rcu_dereference(t->params);
	__be32 saddr = from->addr.v4;
	struct dmvpn_gre_info gre;
	enum dmvpn_gre_error err;
	int ecn;

	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, DMVPN_GRE_MAX_HLEN)))
		goto drop;
	err = dmvpn_gre_parse(skb->data, skb_headlen(skb), &gre);
	if (err) {
		dmvpn_rcv_drop(t, DMVPN_STAT_RX_BAD_HEADER, saddr,
			       dmvpn_gre_error_text(err));
		goto drop;
	}
	if (p->key_present != gre.key_present ||
	    (p->key_present && p->key != gre.key)) {
		dmvpn_rcv_drop(t, DMVPN_STAT_RX_KEY_MISMATCH, saddr,
			       gre.key_present ? "GRE key mismatch" :
			       "GRE key missing");
		goto drop;
	}

	if (gre.csum_present && skb_checksum_simple_validate(skb)) {
		dmvpn_rcv_drop(t, DMVPN_STAT_RX_CSUM_ERRORS, saddr,
			       "bad GRE checksum");
		goto drop;
	}

	if (gre.protocol == htons(DMVPN_GRE_PROTO_NHRP)) {
		__skb_pull(skb, gre.hlen);
		dmvpn_nhrp_rcv(t, skb, from);
		return;
	}
	if (gre.protocol != htons(ETH_P_IP) && gre.protocol != htons(ETH_P_IPV6)) {
		dmvpn_rcv_drop(t, DMVPN_STAT_RX_UNKNOWN_PROTO, saddr,
			       "unsupported protocol type");
		goto drop;
	}

	if (__iptunnel_pull_header(skb, gre.hlen, gre.protocol, false,
				   !net_eq(t->net, dev_net(t->dev))))
		goto drop;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	if (!pskb_may_pull(skb, gre.protocol == htons(ETH_P_IP) ?
			   sizeof(struct iphdr) : sizeof(struct ipv6hdr))) {
		dmvpn_rcv_drop(t, DMVPN_STAT_RX_BAD_HEADER, saddr,
			       "truncated inner header");
		goto drop;
	}

	/* RFC 6040: carry congestion marks inward, drop CE on not-ECT. */
	ecn = INET_ECN_decapsulate(skb, outer_tos,
				   gre.protocol == htons(ETH_P_IP) ?
				   ip_hdr(skb)->tos :
				   ipv6_get_dsfield(ipv6_hdr(skb)));
	if (ecn > 1) {
		DEV_STATS_INC(t->dev, rx_frame_errors);
		DEV_STATS_INC(t->dev, rx_errors);
		goto drop;
	}

	if (p->tcp_mss)
		dmvpn_clamp_mss(skb, p->tcp_mss);
	skb->dev = t->dev;
	skb->pkt_type = PACKET_HOST;
	dev_sw_netstats_rx_add(t->dev, skb->len);
	gro_cells_receive(&t->gro_cells, skb);
	return;

drop:
	kfree_skb(skb);
}

static int dmvpn_gre_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct dmvpn_endpoint from = {};
	struct dmvpn_gre_info gre;
	struct dmvpn_rcv_match m;
	enum dmvpn_gre_error err;

	/* The IP layer left skb->data at the GRE header. */
	if (!pskb_may_pull(skb, min_t(unsigned int, skb->len, DMVPN_GRE_MAX_HLEN)))
		goto drop;
	iph = ip_hdr(skb);

	err = dmvpn_gre_parse(skb->data, skb_headlen(skb), &gre);
	dmvpn_rcv_lookup(dev_net(skb->dev), iph, err ? NULL : &gre, &m);
	if (!m.local_only) {
		if (m.protected) {
			/* Never accept clear GRE where ESP is required. */
			dmvpn_rcv_drop(m.protected, DMVPN_STAT_RX_NOT_PROTECTED,
				       iph->saddr,
				       "cleartext GRE on a protected tunnel");
			goto drop;
		}
		/* Not for any of our tunnels: answer like a closed port. */
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		goto drop;
	}
	if (err) {
		dmvpn_rcv_drop(m.local_only, DMVPN_STAT_RX_BAD_HEADER,
			       iph->saddr, dmvpn_gre_error_text(err));
		goto drop;
	}
	if (!m.tunnel) {
		dmvpn_rcv_drop(m.local_only, DMVPN_STAT_RX_KEY_MISMATCH,
			       iph->saddr,
			       gre.key_present ? "GRE key mismatch" :
			       "GRE key missing");
		goto drop;
	}
	dmvpn_addr_set4(&from.addr, iph->saddr);
	dmvpn_gre_input(m.tunnel, skb, iph->tos, &from);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/*
 * ICMP errors about GRE packets we sent: learn the path MTU towards the
 * peer (seed 002's "fragmentation needed" case) and honour redirects.
 * The quoted packet starts with our outer IP header.
 */
static void dmvpn_gre_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	struct net *net = dev_net(skb->dev);
	struct dmvpn_rcv_match m;
	struct iphdr reversed;

	/* Our tunnel was the sender: its local address is the source. */
	reversed.daddr = iph->saddr;
	reversed.saddr = iph->daddr;
	dmvpn_rcv_lookup(net, &reversed, NULL, &m);
	if (!m.local_only)
		return;

	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_GRE);
	else if (type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, IPPROTO_GRE);
}

static const struct gre_protocol dmvpn_gre_protocol = {
	.handler	= dmvpn_gre_rcv,
	.err_handler	= dmvpn_gre_err,
};

int dmvpn_gre_rcv_get(struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (dmvpn_gre_rcv_users++)
		return 0;
	err = gre_add_protocol(&dmvpn_gre_protocol, GREPROTO_CISCO);
	if (err) {
		dmvpn_gre_rcv_users--;
		if (err == -EBUSY)
			NL_SET_ERR_MSG(extack,
				       "GRE receive is owned by another driver (ip_gre is loaded): run 'rmmod ip_gre' to use plain-GRE dmvpn tunnels");
		return err;
	}
	return 0;
}

void dmvpn_gre_rcv_put(void)
{
	ASSERT_RTNL();
	if (WARN_ON(!dmvpn_gre_rcv_users))
		return;
	if (!--dmvpn_gre_rcv_users)
		gre_del_protocol(&dmvpn_gre_protocol, GREPROTO_CISCO);
}
