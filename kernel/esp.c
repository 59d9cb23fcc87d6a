// SPDX-License-Identifier: GPL-2.0
/*
 * ESP-in-UDP for protected tunnels (RFC 4303 in the UDP encapsulation of
 * RFC 3948), transport mode by default:
 *
 *   outer IP | UDP 4500 | ESP hdr | IV | GRE | inner packet | trailer | ICV
 *
 * and in tunnel mode an IP header (NBMA to NBMA, protocol GRE) before the
 * GRE header, for peers that negotiate it.
 *
 * Transmit (dmvpn_esp_xmit, from device.c once the NHRP lookup found the
 * peer): a peer without a usable outbound SA gets its packets held in a
 * short queue, and the keyer an acquire event; nothing goes out in clear.
 * Otherwise: route to the peer, path MTU check, GRE header, ESP framing,
 * encryption, UDP and IP headers, send.
 *
 * Receive (dmvpn_esp_rcv, from the UDP socket's encap hook in socket.c):
 * SPI lookup, early anti-replay check, decryption, late anti-replay check,
 * then the GRE header is handled as for plain GRE (receive.c).
 *
 * Crypto may complete asynchronously (cryptd, pcrypt, hardware), and
 * completions may come back in another order than the packets went in:
 * each packet carries a struct dmvpn_esp_pkt, queued in submission order
 * on its SA, and packets leave the queue (are sent or delivered) only
 * from its head, so a flow keeps its order (see dmvpn_esp_complete()).
 */
#include <linux/icmp.h>
#include <linux/slab.h>
#include <net/dst_cache.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "gre.h"
#include "nhrp.h"
#include "sa.h"

/* One packet in flight through the crypto API. */
struct dmvpn_esp_pkt {
	struct list_head order_node;	/* in sa->order.pending */
	int status;			/* -EINPROGRESS until crypto is done */
	bool is_tx;
	struct sk_buff *skb;
	struct dmvpn_sa *sa;		/* reference held */
	struct dmvpn_tunnel *tunnel;	/* device reference held */
	struct dmvpn_esp_req *req;
	union {
		struct {		/* transmit */
			struct rtable *rt;	/* reference, given to the send */
			__be32 saddr, daddr;
			__be16 sport, dport;
			__be16 df;
			u8 tos, ttl;
			unsigned int plen;
		} tx;
		struct {		/* receive */
			u64 seq;
			__be32 saddr;
			u8 outer_tos;
		} rx;
	};
	struct scatterlist sg[];
};

/*
 * The in-flight state of one packet, holding @sa and the device until
 * dmvpn_esp_pkt_free().  NULL if memory is short or @sa is being deleted
 * (*@gone tells which).
 */
static struct dmvpn_esp_pkt *dmvpn_esp_pkt_alloc(struct dmvpn_tunnel *t,
						 struct dmvpn_sa *sa,
						 struct sk_buff *skb,
						 int nfrags, bool *gone)
{
	struct dmvpn_esp_pkt *pkt;
	size_t req_off;

	*gone = false;
	/* One allocation per packet: the state, its scatterlist, the request. */
	req_off = ALIGN(struct_size(pkt, sg, nfrags), CRYPTO_MINALIGN);
	pkt = kmalloc(req_off + sa->crypto->req_size, GFP_ATOMIC);
	if (!pkt)
		return NULL;
	pkt->req = dmvpn_esp_req_init((u8 *)pkt + req_off, sa->crypto);
	sg_init_table(pkt->sg, nfrags);
	if (skb_to_sgvec(skb, pkt->sg, 0, skb->len) < 0)
		goto err_free;
	/* Deleted since the lookup: drop rather than race the free. */
	if (!dmvpn_sa_hold(sa)) {
		*gone = true;
		goto err_free;
	}
	dev_hold(t->dev);
	pkt->skb = skb;
	pkt->sa = sa;
	pkt->tunnel = t;
	return pkt;

err_free:
	dmvpn_esp_req_wipe(pkt->req);
	kfree(pkt);
	return NULL;
}

static void dmvpn_esp_pkt_free(struct dmvpn_esp_pkt *pkt)
{
	dev_put(pkt->tunnel->dev);
	/* Before the SA's reference goes: the wipe reads its request size. */
	dmvpn_esp_req_wipe(pkt->req);
	dmvpn_sa_put(pkt->sa);
	kfree(pkt);
}

/* Count a failure on the SA and, under the matching cause, the tunnel. */
static void dmvpn_esp_fail(struct dmvpn_tunnel *t, struct dmvpn_sa *sa,
			   enum dmvpn_sa_stat sa_stat, enum dmvpn_stat stat)
{
	if (sa)
		dmvpn_sa_stat_add(sa, sa_stat, 1);
	dmvpn_stat_inc(t, stat);
}

/* ---- transmit ---------------------------------------------------------- */

unsigned int dmvpn_esp_overhead_max(void)
{
	return sizeof(struct iphdr) + sizeof(struct udphdr) +
	       DMVPN_ESP_OVERHEAD_MAX;
}

static bool dmvpn_sa_usable(const struct dmvpn_sa *sa)
{
	return sa && !test_bit(DMVPN_SA_HARD_EXPIRED, &sa->state);
}

/* Does @peer have an outbound SA to send with?  Under rcu_read_lock_bh. */
bool dmvpn_esp_peer_keyed(const struct dmvpn_peer *peer)
{
	return dmvpn_sa_usable(rcu_dereference_bh(peer->sa_out));
}

/* Ask the keyer for SAs to @peer (rate-limited).  Under rcu_read_lock_bh. */
void dmvpn_esp_acquire(struct dmvpn_tunnel *t, struct dmvpn_peer *peer)
{
	unsigned long next = READ_ONCE(peer->acquire_next);
	char a[DMVPN_ADDR_STRLEN] __maybe_unused;

	/* One event per peer per second, however much traffic waits. */
	if (time_before(jiffies, next) && next)
		return;
	if (cmpxchg(&peer->acquire_next, next, jiffies + HZ) != next)
		return;
	dmvpn_genl_notify_acquire(t, peer);
	dmvpn_dbg(t->dev, "IPSEC(sa_request): no outbound SA to %s port %u yet: acquire sent to the keyer, %u packets held\n",
		  dmvpn_addr_str(&peer->nbma.addr, a),
		  ntohs(dmvpn_endpoint_udp_port(&peer->nbma)),
		  skb_queue_len_lockless(&peer->hold));
}

/*
 * Keep @skb until the peer has an outbound SA.  The queue is short: it
 * covers the seconds IKE takes, not an outage.
 */
static void dmvpn_esp_hold(struct dmvpn_tunnel *t, struct dmvpn_peer *peer,
			   struct sk_buff *skb)
{
	bool registration = dmvpn_nhrp_is_reg_request(skb);
	struct sk_buff *held, *tmp, *stale = NULL;
	bool queued = false;

	spin_lock_bh(&peer->hold.lock);
	/*
	 * A Registration Request retried while IKE runs replaces the one
	 * held before it: the NHS answers only the newest request ID, so
	 * the older ones would only register the spoke again and come back
	 * as replies that match no request.
	 */
	if (registration) {
		skb_queue_walk_safe(&peer->hold, held, tmp) {
			if (!dmvpn_nhrp_is_reg_request(held))
				continue;
			__skb_unlink(held, &peer->hold);
			held->next = stale;
			stale = held;
		}
	}
	if (skb_queue_len(&peer->hold) < DMVPN_HOLD_QUEUE_LEN) {
		skb_dst_force(skb);
		__skb_queue_tail(&peer->hold, skb);
		queued = true;
	}
	spin_unlock_bh(&peer->hold.lock);
	while (stale) {
		held = stale;
		stale = held->next;
		held->next = NULL;
		dmvpn_dbg(t->dev, "NHRP: held Registration Request replaced by a newer one\n");
		consume_skb(held);
	}
	if (!queued) {
		atomic64_inc(&peer->no_sa);
		dmvpn_stat_inc(t, DMVPN_STAT_TX_NO_SA);
		kfree_skb(skb);
	}
	dmvpn_esp_acquire(t, peer);

	/* An SA may have arrived between our check and the queueing. */
	if (dmvpn_sa_usable(rcu_dereference_bh(peer->sa_out)))
		dmvpn_peer_release_held(t, peer);
}

/* Send what the peer held, now that it has an SA.  Under rcu_read_lock_bh. */
void dmvpn_peer_release_held(struct dmvpn_tunnel *t, struct dmvpn_peer *peer)
{
	const struct dmvpn_params *p = rcu_dereference_bh(t->params);
	char a[DMVPN_ADDR_STRLEN] __maybe_unused;
	struct sk_buff_head list;
	struct sk_buff *skb;

	__skb_queue_head_init(&list);
	spin_lock_bh(&peer->hold.lock);
	skb_queue_splice_init(&peer->hold, &list);
	spin_unlock_bh(&peer->hold.lock);
	if (!skb_queue_empty(&list))
		dmvpn_dbg(t->dev, "IPSEC: outbound SA to %s is in: sending the %u packets held for it\n",
			  dmvpn_addr_str(&peer->nbma.addr, a), skb_queue_len(&list));

	while ((skb = __skb_dequeue(&list))) {
		enum dmvpn_stat drop = dmvpn_esp_xmit(t, p, peer, skb);

		if (drop != DMVPN_STAT_UNSPEC) {
			dmvpn_stat_inc(t, drop);
			kfree_skb(skb);
		}
	}
}

static void dmvpn_esp_xmit_send(struct dmvpn_esp_pkt *pkt)
{
	struct dmvpn_tunnel *t = pkt->tunnel;
	struct sk_buff *skb = pkt->skb;

	dmvpn_sa_stat_add(pkt->sa, DMVPN_SA_STAT_PACKETS, 1);
	dmvpn_sa_stat_add(pkt->sa, DMVPN_SA_STAT_BYTES, pkt->tx.plen);
	/* One SA is one sequence space.  The inner flow's hash would spread
	 * its packets over CPUs (RPS/RSS) and queues (XPS) on the way and
	 * reorder them past the peer's replay window; hash the outer flow.
	 */
	skb_clear_hash(skb);
	/* RFC 3948 3.1.1: the UDP checksum of ESP-in-UDP is zero. */
	udp_tunnel_xmit_skb(pkt->tx.rt, NULL, skb, pkt->tx.saddr,
			    pkt->tx.daddr, pkt->tx.tos, pkt->tx.ttl, pkt->tx.df,
			    pkt->tx.sport, pkt->tx.dport,
			    !net_eq(t->net, dev_net(t->dev)), true);
}

static void dmvpn_esp_xmit_fail(struct dmvpn_esp_pkt *pkt, int err)
{
	dmvpn_esp_fail(pkt->tunnel, pkt->sa, DMVPN_SA_STAT_INTERNAL_ERR,
		       DMVPN_STAT_INTERNAL_ERR);
	if (net_ratelimit())
		netdev_warn(pkt->tunnel->dev, "ESP encryption failed (SPI 0x%08x): %d\n",
			    ntohl(pkt->sa->spi), err);
	ip_rt_put(pkt->tx.rt);
	kfree_skb(pkt->skb);
}

static void dmvpn_esp_rcv_finish(struct dmvpn_esp_pkt *pkt, int err);

/* Send or deliver one packet whose crypto is done, and free its state. */
static void dmvpn_esp_finish(struct dmvpn_esp_pkt *pkt)
{
	if (!pkt->is_tx)
		dmvpn_esp_rcv_finish(pkt, pkt->status);
	else if (pkt->status)
		dmvpn_esp_xmit_fail(pkt, pkt->status);
	else
		dmvpn_esp_xmit_send(pkt);
	dmvpn_esp_pkt_free(pkt);
}

/* Queue @pkt on its SA before its crypto request is submitted. */
static void dmvpn_esp_order_add(struct dmvpn_esp_pkt *pkt)
{
	struct dmvpn_esp_order *o = &pkt->sa->order;

	pkt->status = -EINPROGRESS;
	spin_lock_bh(&o->lock);
	list_add_tail(&pkt->order_node, &o->pending);
	spin_unlock_bh(&o->lock);
}

/*
 * Queue an outbound @pkt and give it the SA's next sequence number in
 * the same step.  False if the numbers are used up (@pkt not queued).
 */
static bool dmvpn_esp_order_add_seq(struct dmvpn_esp_pkt *pkt, u64 *seq)
{
	struct dmvpn_esp_order *o = &pkt->sa->order;
	bool ok;

	pkt->status = -EINPROGRESS;
	spin_lock_bh(&o->lock);
	ok = !dmvpn_seq_out_next(&pkt->sa->seq_out, seq);
	if (ok)
		list_add_tail(&pkt->order_node, &o->pending);
	spin_unlock_bh(&o->lock);
	return ok;
}

/*
 * @pkt's crypto finished with @err.  Packets leave the SA's queue only
 * from its head, and one CPU at a time empties it (o->flushing), so they
 * leave in the order they were submitted even when completions overtake
 * each other.  A CPU that finds another flushing only records its result;
 * the flusher re-checks the head under the lock and picks it up.
 */
static void dmvpn_esp_complete(struct dmvpn_esp_pkt *pkt, int err)
{
	struct dmvpn_esp_order *o = &pkt->sa->order;

	spin_lock_bh(&o->lock);
	pkt->status = err;
	if (o->flushing) {
		spin_unlock_bh(&o->lock);
		return;
	}
	o->flushing = true;
	for (;;) {
		pkt = list_first_entry_or_null(&o->pending, struct dmvpn_esp_pkt,
					       order_node);
		if (!pkt || pkt->status == -EINPROGRESS)
			break;
		list_del(&pkt->order_node);
		spin_unlock_bh(&o->lock);
		dmvpn_esp_finish(pkt);
		spin_lock_bh(&o->lock);
	}
	o->flushing = false;
	spin_unlock_bh(&o->lock);
}

/* Completion of an asynchronous request (in softirq or a kworker). */
static void dmvpn_esp_done(DMVPN_CRYPTO_DONE_PARAM(arg), int err)
{
	struct dmvpn_esp_pkt *pkt = dmvpn_crypto_done_data(arg);

	/* A backlogged request reports being started; the end follows. */
	if (err == -EINPROGRESS)
		return;
	local_bh_disable();
	rcu_read_lock();
	dmvpn_esp_complete(pkt, err);
	rcu_read_unlock();
	local_bh_enable();
}

/* Submitted: unless the request went asynchronous, it is done now. */
static void dmvpn_esp_submitted(struct dmvpn_esp_pkt *pkt, int err)
{
	if (err == -EINPROGRESS || err == -EBUSY)
		return;		/* dmvpn_esp_done() will be called */
	dmvpn_esp_complete(pkt, err);
}

/*
 * Largest inner packet @sa can carry over a path of @mtu bytes: what is
 * left after the outer IP, UDP and ESP headers, rounded down to the
 * cipher's padding unit, less pad length, next header and encapsulation.
 */
static int dmvpn_esp_inner_mtu(const struct dmvpn_sa *sa, unsigned int mtu,
			       unsigned int encap_len)
{
	const struct dmvpn_sa_crypto *c = sa->crypto;
	int room = mtu - sizeof(struct iphdr) - sizeof(struct udphdr) -
		   dmvpn_esp_hlen(c) - c->desc->icv_len;

	if (room < 0)
		return 0;
	return max_t(int, rounddown(room, dmvpn_esp_align(c)) - 2 - encap_len, 0);
}

/* Prepend the IP header tunnel-mode ESP carries: NBMA to NBMA, GRE. */
static void dmvpn_esp_push_tunnel_iph(struct sk_buff *skb, __be32 saddr,
				      __be32 daddr, u8 tos, u8 ttl)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->tot_len = htons(skb->len);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl;
	iph->protocol = IPPROTO_GRE;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
}

/*
 * Encrypt and send one (non-GSO) packet with @sa.  Consumes @skb and the
 * route reference in @pkt_tx; returns nothing because every failure is
 * counted here.
 */
static void dmvpn_esp_xmit_one(struct dmvpn_tunnel *t,
			       const struct dmvpn_params *p,
			       struct dmvpn_sa *sa, struct sk_buff *skb,
			       struct rtable *rt, __be32 saddr, __be16 sport,
			       u8 tos, u8 ttl, __be16 df)
{
	const struct dmvpn_sa_crypto *c = sa->crypto;
	unsigned int gre_hlen = dmvpn_gre_hlen(false, p->key_present);
	unsigned int hlen = dmvpn_esp_hlen(c), plen, tailen;
	bool tunnel_mode = sa->mode == DMVPN_SA_MODE_TUNNEL;
	__be16 inner_proto = skb->protocol;
	struct dmvpn_esp_tx tx = {};
	struct dmvpn_esp_pkt *pkt;
	struct sk_buff *trailer;
	int nfrags;
	bool gone;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 rt->dst.header_len + sizeof(struct iphdr) +
			 sizeof(struct udphdr) + hlen +
			 (tunnel_mode ? sizeof(struct iphdr) : 0) + gre_hlen))
		goto internal;

	skb_set_inner_protocol(skb, inner_proto);
	dmvpn_gre_build(skb_push(skb, gre_hlen), inner_proto, false,
			p->key_present, p->key);
	if (tunnel_mode)
		dmvpn_esp_push_tunnel_iph(skb, saddr, sa->peer->nbma.addr.v4,
					  tos, ttl);
	plen = skb->len;

	if (!dmvpn_sa_account(sa, plen)) {
		/* Hard lifetime in bytes reached: the keyer is told; this
		 * packet is lost like any other without an SA.
		 */
		dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_ENCAPS_FAILED,
			       DMVPN_STAT_TX_ENCAPS_FAILED);
		goto drop;
	}

	tailen = dmvpn_esp_len(c, plen) - hlen - plen;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		goto internal;
	pskb_put(skb, trailer, tailen);
	skb_push(skb, hlen);

	pkt = dmvpn_esp_pkt_alloc(t, sa, skb, nfrags, &gone);
	if (!pkt) {
		if (gone)
			goto drop;
		goto internal;
	}
	pkt->tx.rt = rt;
	pkt->tx.saddr = saddr;
	pkt->tx.daddr = sa->peer->nbma.addr.v4;
	pkt->tx.sport = sport;
	pkt->tx.dport = dmvpn_endpoint_udp_port(&sa->peer->nbma);
	pkt->tx.df = df;
	pkt->tx.tos = tos;
	pkt->tx.ttl = ttl;
	pkt->tx.plen = plen;

	tx.spi = sa->spi;
	tx.plen = plen;
	tx.nexthdr = tunnel_mode ? IPPROTO_IPIP : IPPROTO_GRE;
	pkt->is_tx = true;
	/*
	 * Number the packet as it joins the SA's queue, under the queue's
	 * lock: packets then leave in sequence-number order, and the
	 * receiver's anti-replay window sees as little reordering as the
	 * CPUs sending in parallel allow.
	 */
	if (!dmvpn_esp_order_add_seq(pkt, &tx.seq)) {
		/* Sequence numbers used up (RFC 4303 3.3.3): rekey. */
		if (!test_and_set_bit(DMVPN_SA_HARD_EXPIRED, &sa->state))
			mod_delayed_work(dmvpn_wq, &t->sa_expire_work, 0);
		dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_ENCAPS_FAILED,
			       DMVPN_STAT_TX_ENCAPS_FAILED);
		ip_rt_put(rt);
		kfree_skb(skb);
		dmvpn_esp_pkt_free(pkt);
		return;
	}
	dmvpn_esp_submitted(pkt, dmvpn_esp_encrypt(pkt->req, pkt->sg, &tx,
						   CRYPTO_TFM_REQ_MAY_BACKLOG,
						   dmvpn_esp_done, pkt));
	return;

internal:
	dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_INTERNAL_ERR,
		       DMVPN_STAT_INTERNAL_ERR);
drop:
	ip_rt_put(rt);
	kfree_skb(skb);
}

static struct rtable *dmvpn_esp_route(struct dmvpn_tunnel *t,
				      const struct dmvpn_params *p,
				      struct dmvpn_peer *peer, __be16 sport,
				      u8 tos, __be32 *saddr)
{
	struct rtable *rt;
	struct flowi4 fl4;

	rt = dst_cache_get_ip4(&peer->dst_cache, saddr);
	if (rt)
		return rt;
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = peer->nbma.addr.v4;
	fl4.saddr = p->local.v4;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.flowi4_oif = p->link;
	fl4.flowi4_tos = RT_TOS(tos);
	fl4.fl4_sport = sport;
	fl4.fl4_dport = dmvpn_endpoint_udp_port(&peer->nbma);
	rt = ip_route_output_key(t->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == t->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&peer->dst_cache, &rt->dst, *saddr);
	return rt;
}

static int dmvpn_esp_frag_output(struct net *net, struct sock *sk,
				 struct sk_buff *skb)
{
	/* Each fragment goes through the whole transmit path again. */
	dmvpn_xmit(skb, skb->dev);
	return 0;
}

/*
 * Fragment an IPv4 packet without DF before encryption, so that each
 * fragment fits the path once encrypted (IOS's default "crypto ipsec
 * fragmentation before-encryption", which seed 002 recommends): the
 * receiver then reassembles plain inner fragments instead of outer ESP
 * ones, which NAT devices and firewalls often drop.  Consumes @skb.
 */
static void dmvpn_esp_prefrag(struct dmvpn_tunnel *t, struct sk_buff *skb,
			      unsigned int room)
{
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	IPCB(skb)->frag_max_size = room;
	if (ip_do_fragment(dev_net(t->dev), NULL, skb, dmvpn_esp_frag_output))
		dmvpn_stat_inc(t, DMVPN_STAT_TX_TOO_BIG);
}

/* Does this packet need fragmenting before encryption to fit @room? */
static bool dmvpn_esp_needs_prefrag(struct sk_buff *skb, unsigned int room)
{
	return skb->protocol == htons(ETH_P_IP) && !skb_is_gso(skb) &&
	       skb->len > room && skb_dst(skb) &&
	       !(ip_hdr(skb)->frag_off & htons(IP_DF)) &&
	       room >= IPV4_MIN_MTU;
}

/*
 * Send @skb (an inner packet) to @peer over the protected tunnel.
 * Returns DMVPN_STAT_UNSPEC if the packet was consumed (sent, held, or
 * dropped and counted), else the drop cause for the caller to count.
 * Under rcu_read_lock_bh.
 */
enum dmvpn_stat dmvpn_esp_xmit(struct dmvpn_tunnel *t,
			       const struct dmvpn_params *p,
			       struct dmvpn_peer *peer, struct sk_buff *skb)
{
	unsigned int gre_hlen = dmvpn_gre_hlen(false, p->key_present);
	struct dmvpn_sa *sa = rcu_dereference_bh(peer->sa_out);
	struct sk_buff *segs, *next;
	unsigned int room;
	struct rtable *rt;
	__be32 saddr;
	__be16 sport, df;
	u8 tos, ttl;

	if (!dmvpn_sa_usable(sa)) {
		dmvpn_esp_hold(t, peer, skb);
		return DMVPN_STAT_UNSPEC;
	}
	sport = dmvpn_sock_port(t);
	if (!sport) {
		/* SAs but nowhere to receive the answers: a keyer bug. */
		if (net_ratelimit())
			netdev_warn(t->dev, "no UDP socket attached: dropping traffic to %pI4\n",
				    &peer->nbma.addr.v4);
		atomic64_inc(&peer->no_sa);
		return DMVPN_STAT_TX_NO_SA;
	}

	tos = p->tos == DMVPN_TOS_INHERIT ? dmvpn_inner_dsfield(skb) : p->tos;
	rt = dmvpn_esp_route(t, p, peer, sport, tos, &saddr);
	if (IS_ERR(rt))
		return DMVPN_STAT_TX_NO_ROUTE;

	room = dmvpn_esp_inner_mtu(sa, dst_mtu(&rt->dst), gre_hlen +
				   (sa->mode == DMVPN_SA_MODE_TUNNEL ?
				    sizeof(struct iphdr) : 0));
	if (dmvpn_esp_needs_prefrag(skb, room)) {
		ip_rt_put(rt);
		dmvpn_esp_prefrag(t, skb, room);
		return DMVPN_STAT_UNSPEC;
	}
	if (dmvpn_xmit_too_big(skb, room, &df)) {
		ip_rt_put(rt);
		return DMVPN_STAT_TX_TOO_BIG;
	}
	ttl = p->ttl ? p->ttl : dmvpn_inner_ttl(skb, &rt->dst);
	tos = ip_tunnel_ecn_encap(tos, ip_hdr(skb), skb);

	if (!skb_is_gso(skb)) {
		dmvpn_esp_xmit_one(t, p, sa, skb, rt, saddr, sport, tos, ttl, df);
		return DMVPN_STAT_UNSPEC;
	}

	/* ESP cannot be segmented later: encrypt each segment on its own. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		ip_rt_put(rt);
		return DMVPN_STAT_INTERNAL_ERR;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		dst_hold(&rt->dst);
		dmvpn_esp_xmit_one(t, p, sa, skb, rt, saddr, sport, tos, ttl, df);
	}
	ip_rt_put(rt);
	return DMVPN_STAT_UNSPEC;
}

/* ---- receive ----------------------------------------------------------- */

static void dmvpn_esp_rcv_drop(struct dmvpn_tunnel *t, struct dmvpn_sa *sa,
			       enum dmvpn_sa_stat sa_stat, enum dmvpn_stat stat,
			       __be32 saddr, const char *what)
{
	dmvpn_esp_fail(t, sa, sa_stat, stat);
	if (net_ratelimit())
		netdev_info(t->dev, "dropped ESP packet from %pI4 (SPI 0x%08x): %s\n",
			    &saddr, sa ? ntohl(sa->spi) : 0, what);
}

/* Decrypted: check and strip what ESP carried, then hand GRE on. */
static void dmvpn_esp_rcv_finish(struct dmvpn_esp_pkt *pkt, int err)
{
	struct dmvpn_tunnel *t = pkt->tunnel;
	struct sk_buff *skb = pkt->skb;
	struct dmvpn_sa *sa = pkt->sa;
	struct dmvpn_esp_rx rx;
	unsigned int hlen = dmvpn_esp_hlen(sa->crypto);

	if (err == -EBADMSG) {
		dmvpn_esp_rcv_drop(t, sa, DMVPN_SA_STAT_AUTH_FAILED,
				   DMVPN_STAT_RX_AUTH_FAILED, pkt->rx.saddr,
				   "integrity check failed");
		goto drop;
	}
	if (err == -EINVAL) {
		/* Refused before any crypto: not a whole number of blocks. */
		dmvpn_esp_rcv_drop(t, sa, DMVPN_SA_STAT_INVALID_LEN,
				   DMVPN_STAT_RX_INVALID_LEN, pkt->rx.saddr,
				   "length does not fit the cipher");
		goto drop;
	}
	if (err) {
		dmvpn_esp_rcv_drop(t, sa, DMVPN_SA_STAT_INTERNAL_ERR,
				   DMVPN_STAT_INTERNAL_ERR, pkt->rx.saddr,
				   "decryption error");
		goto drop;
	}
	if (dmvpn_esp_decrypt_finish(pkt->req, pkt->sg, &rx)) {
		dmvpn_esp_rcv_drop(t, sa, DMVPN_SA_STAT_INVALID_LEN,
				   DMVPN_STAT_RX_INVALID_LEN, pkt->rx.saddr,
				   "bad padding");
		goto drop;
	}
	/* Authentic: now it may move the window, if nobody beat us to it. */
	if (sa->replay &&
	    dmvpn_replay_advance(sa->replay, pkt->rx.seq) != DMVPN_REPLAY_OK) {
		dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_REPLAY, DMVPN_STAT_RX_REPLAY);
		goto drop;
	}
	if (!dmvpn_sa_account(sa, rx.plen)) {
		dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_DECAPS_FAILED,
			       DMVPN_STAT_RX_DECAPS_FAILED);
		goto drop;
	}
	if (pskb_trim(skb, hlen + rx.plen))
		goto internal;
	__skb_pull(skb, hlen);
	/* The UDP layer's checksum covered the ciphertext. */
	skb->ip_summed = CHECKSUM_NONE;

	if (sa->mode == DMVPN_SA_MODE_TUNNEL && rx.nexthdr == IPPROTO_IPIP) {
		const struct iphdr *iph;
		unsigned int ihl, tot_len;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			goto bad_inner;
		iph = (const struct iphdr *)skb->data;
		ihl = iph->ihl * 4;
		tot_len = ntohs(iph->tot_len);
		/*
		 * The datagram may be followed by TFC padding (RFC 4303 2.7),
		 * which only its own length tells apart; and a fragment of a
		 * GRE packet is not a GRE packet.
		 */
		if (iph->version != 4 || ihl < sizeof(*iph) ||
		    iph->protocol != IPPROTO_GRE || ip_is_fragment(iph) ||
		    tot_len < ihl || tot_len > skb->len ||
		    !pskb_may_pull(skb, ihl))
			goto bad_inner;
		if (pskb_trim(skb, tot_len))
			goto internal;
		__skb_pull(skb, ihl);
	} else if (sa->mode != DMVPN_SA_MODE_TRANSPORT ||
		   rx.nexthdr != IPPROTO_GRE) {
		goto bad_inner;
	}
	/* The outer flow's hash (one per peer) says nothing of the inner
	 * flow: let RPS on the tunnel spread the inner flows over CPUs.
	 */
	skb_clear_hash(skb);
	/* Decapsulated: what Cisco counts as decaps/decrypt/verify. */
	dmvpn_sa_stat_add(sa, DMVPN_SA_STAT_PACKETS, 1);
	dmvpn_sa_stat_add(sa, DMVPN_SA_STAT_BYTES, rx.plen);
	/* Authentic, so it comes from the SA's peer, post-NAT port and all. */
	dmvpn_gre_input(t, skb, pkt->rx.outer_tos, &sa->peer->nbma);
	return;

bad_inner:
	dmvpn_esp_rcv_drop(t, sa, DMVPN_SA_STAT_DECAPS_FAILED,
			   DMVPN_STAT_RX_DECAPS_FAILED, pkt->rx.saddr,
			   "payload is not GRE in the negotiated mode");
	goto drop;
internal:
	dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_INTERNAL_ERR,
		       DMVPN_STAT_INTERNAL_ERR);
drop:
	kfree_skb(skb);
}

static void dmvpn_esp_invalid_spi(struct dmvpn_tunnel *t, struct sk_buff *skb,
				  __be32 spi)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct udphdr *uh = udp_hdr(skb);
	struct dmvpn_endpoint ep = {};
	struct dmvpn_peer *peer;

	dmvpn_addr_set4(&ep.addr, iph->saddr);
	ep.port = dmvpn_port_key(ntohs(uh->source));
	peer = dmvpn_peer_lookup(t, &ep);
	if (peer)
		atomic64_inc(&peer->invalid_spi);
	dmvpn_stat_inc(t, DMVPN_STAT_RX_INVALID_SPI);
	if (__ratelimit(&t->invalid_spi_rs)) {
		netdev_info(t->dev, "invalid SPI 0x%08x from %pI4:%u: no inbound SA\n",
			    ntohl(spi), &iph->saddr, ntohs(uh->source));
		dmvpn_genl_notify_invalid_spi(t, spi, iph->saddr, uh->source);
	}
}

/*
 * ESP from the UDP socket: @skb->data is the SPI, the network and
 * transport headers are the outer IP and UDP headers.  Consumes @skb.
 * Under rcu_read_lock (UDP receive).
 */
int dmvpn_esp_rcv(struct dmvpn_tunnel *t, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct dmvpn_esp_pkt *pkt;
	struct sk_buff *trailer;
	struct dmvpn_sa *sa;
	__be32 spi, saddr = iph->saddr;
	u8 outer_tos = iph->tos;
	u64 seq = 0;
	int nfrags;
	u32 seq_lo;
	bool gone;

	if (!pskb_may_pull(skb, DMVPN_ESP_HDR_LEN)) {
		dmvpn_esp_rcv_drop(t, NULL, DMVPN_SA_STAT_UNSPEC,
				   DMVPN_STAT_RX_INVALID_LEN,
				   saddr, "shorter than an ESP header");
		goto drop;
	}
	spi = get_unaligned((__be32 *)skb->data);
	seq_lo = get_unaligned_be32(skb->data + 4);

	sa = dmvpn_sa_lookup_in(t, spi);
	if (!sa || test_bit(DMVPN_SA_HARD_EXPIRED, &sa->state)) {
		dmvpn_esp_invalid_spi(t, skb, spi);
		goto drop;
	}
	if (sa->replay &&
	    dmvpn_replay_check(sa->replay, seq_lo, &seq) != DMVPN_REPLAY_OK) {
		dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_REPLAY, DMVPN_STAT_RX_REPLAY);
		goto drop;
	}
	if (!sa->replay)
		seq = seq_lo;

	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		goto internal;
	pkt = dmvpn_esp_pkt_alloc(t, sa, skb, nfrags, &gone);
	if (!pkt) {
		if (gone)
			goto drop;
		goto internal;
	}
	pkt->rx.seq = seq;
	pkt->rx.saddr = saddr;
	pkt->rx.outer_tos = outer_tos;

	pkt->is_tx = false;
	dmvpn_esp_order_add(pkt);
	dmvpn_esp_submitted(pkt, dmvpn_esp_decrypt(pkt->req, pkt->sg, skb->len,
						   seq, CRYPTO_TFM_REQ_MAY_BACKLOG,
						   dmvpn_esp_done, pkt));
	return 0;

internal:
	dmvpn_esp_fail(t, sa, DMVPN_SA_STAT_INTERNAL_ERR,
		       DMVPN_STAT_INTERNAL_ERR);
drop:
	kfree_skb(skb);
	return 0;
}
