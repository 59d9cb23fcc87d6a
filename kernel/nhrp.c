// SPDX-License-Identifier: GPL-2.0
/*
 * The NHRP protocol engine: RFC 2332 with Cisco's DMVPN behaviour.
 *
 * NHRP packets arrive as GRE protocol 0x2001 (receive.c, after ESP on a
 * protected tunnel) and are queued to this tunnel's work item; all
 * protocol work then runs in process context, one packet or timer at a
 * time under engine->lock.  Everything NHRP learns goes into the NHRP
 * cache (nhrp_cache.c), which is the tunnel's forwarding table.
 *
 * The flows (seed 003 for phase 1, Cisco's phase 2 and 3):
 *
 *  registration   a spoke sends a Registration Request to each NHS every
 *                 registration interval (holdtime/3 by default), retrying
 *                 with exponential backoff while unanswered.  The NHS
 *                 (hub) keeps a dynamic entry mapping the spoke's tunnel
 *                 address to the NBMA endpoint the request really came
 *                 from, the post-NAT one, for the holdtime the spoke
 *                 asked for, and answers with a Registration Reply that
 *                 carries the Cisco NAT extension when the two differ.
 *  resolution     a packet whose next hop has no entry makes the spoke
 *                 send a Resolution Request through its NHS while the
 *                 packet itself goes through the NHS.  The hub forwards
 *                 the request towards whoever routes the address; that
 *                 router answers directly, and both ends then talk
 *                 directly (phase 2).
 *  redirect       a hub with "redirect" that forwards a packet back out
 *                 of the tunnel it came in on sends a Traffic Indication
 *                 to the sender; a spoke with "shortcut" then resolves
 *                 the packet's destination and installs a shortcut
 *                 entry that overrides the routing table's next hop
 *                 (phase 3).
 *  purge          "clear ip nhrp" tells the peers it had entries for to
 *                 forget us; a purge from an NHS makes us re-register.
 *
 * Malformed packets are dropped and counted; those RFC 2332 answers with
 * an Error Indication are answered, rate-limited.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/addrconf.h>
#include <net/ip_fib.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "compat.h"
#include "gre.h"
#include "nhrp.h"
#include "nhrp_wire.h"

/* Packets waiting for the engine; beyond this they are dropped. */
#define DMVPN_NHRP_RXQ_LEN	1024
#define DMVPN_NHRP_EVQ_LEN	64
/* Hop count of the packets we originate (as IOS and FRR). */
#define DMVPN_NHRP_HOPCNT	16
/* Largest NHRP packet we accept or build. */
#define DMVPN_NHRP_BUF_LEN	1024
/* Registration retries back off from 1 s to this, or the interval. */
#define DMVPN_NHRP_BACKOFF_MAX	64
/* A resolution is retried this often, this many times. */
#define DMVPN_NHRP_RES_RETRY	2
#define DMVPN_NHRP_RES_TRIES	3
#define DMVPN_NHRP_PENDING_MAX	256
/* How long an unanswered resolution keeps its incomplete entry. */
#define DMVPN_NHRP_NEGATIVE_SECS	10
/* CIEs of one request we act on. */
#define DMVPN_NHRP_MAX_CIES	8
/* Cisco's cleartext authentication uses SPI 1. */
#define DMVPN_NHRP_AUTH_SPI	DMVPN_NHRP_AUTH_CLEARTEXT

/* What the packet path left for the engine, in skb->cb. */
struct dmvpn_nhrp_cb {
	struct dmvpn_endpoint from;	/* rxq: the sender */
	u8 event;			/* evq: enum dmvpn_nhrp_event */
	struct dmvpn_addr target;	/* evq: the address to resolve */
};

enum dmvpn_nhrp_event {
	DMVPN_NHRP_EV_RESOLVE,		/* a next hop without an entry */
	DMVPN_NHRP_EV_REDIRECT,		/* skb data: the hairpinned header */
};

/* A resolution we asked for and wait to hear about. */
struct dmvpn_nhrp_pending {
	struct list_head node;
	u32 request_id;
	struct dmvpn_addr target;
	bool shortcut;			/* phase 3: install a shortcut */
	unsigned int tries;
	unsigned long sent;		/* jiffies */
};

static struct dmvpn_nhrp_cb *dmvpn_nhrp_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct dmvpn_nhrp_cb) > sizeof(skb->cb));
	return (struct dmvpn_nhrp_cb *)skb->cb;
}

static struct dmvpn_tunnel *dmvpn_engine_tunnel(struct dmvpn_nhrp_engine *ng)
{
	return container_of(ng, struct dmvpn_tunnel, nhrp_engine);
}

void dmvpn_nhrp_stat_inc(struct dmvpn_tunnel *t, enum dmvpn_nhrp_stat s)
{
	atomic64_inc(&t->nhrp_engine.stats[s]);
}

static const struct dmvpn_nhrp_conf *
dmvpn_nhrp_conf_locked(struct dmvpn_tunnel *t)
{
	return rcu_dereference_protected(t->nhrp_engine.conf,
					 lockdep_is_held(&t->nhrp_engine.lock));
}

static bool dmvpn_nhrp_on(const struct dmvpn_nhrp_conf *conf)
{
	return conf && conf->network_id;
}

static u32 dmvpn_nhrp_reg_interval(const struct dmvpn_nhrp_conf *conf)
{
	return conf->reg_interval ?: max_t(u32, conf->holdtime / 3, 1);
}

/*
 * Rate-limited log line; addresses are printed with ADDR_A/B/C(x), which
 * format into buffers of the macro's own, only when the line is logged.
 */
#define dmvpn_nhrp_log(t, fmt, ...)				\
	do {								\
		struct dmvpn_tunnel *_t = (t);				\
									\
		if (__ratelimit(&_t->nhrp_engine.log_rs)) {		\
			char _a[DMVPN_ADDR_STRLEN] __maybe_unused;	\
			char _b[DMVPN_ADDR_STRLEN] __maybe_unused;	\
			char _c[DMVPN_ADDR_STRLEN] __maybe_unused;	\
			char _d[DMVPN_ADDR_STRLEN] __maybe_unused;	\
			netdev_info(_t->dev, "NHRP: " fmt, ##__VA_ARGS__); \
		}							\
	} while (0)
/* The same for "dmvpnctl debug nhrp" (dynamic debug, see dmvpn_dbg()). */
#define dmvpn_nhrp_dbg(t, fmt, ...)				\
	do {								\
		char _a[DMVPN_ADDR_STRLEN] __maybe_unused;		\
		char _b[DMVPN_ADDR_STRLEN] __maybe_unused;		\
		char _c[DMVPN_ADDR_STRLEN] __maybe_unused;		\
		char _d[DMVPN_ADDR_STRLEN] __maybe_unused;		\
		dmvpn_dbg((t)->dev, "NHRP: " fmt, ##__VA_ARGS__);	\
	} while (0)
#define ADDR_A(x)	dmvpn_addr_str((x), _a)
#define ADDR_B(x)	dmvpn_addr_str((x), _b)
#define ADDR_C(x)	dmvpn_addr_str((x), _c)
#define ADDR_D(x)	dmvpn_addr_str((x), _d)

/* Packet types as IOS's "debug nhrp" names them. */
static const char *dmvpn_nhrp_type_name(u8 type)
{
	static const char *const names[] = {
		[DMVPN_NHRP_RES_REQ]		= "Resolution Request",
		[DMVPN_NHRP_RES_REPLY]		= "Resolution Reply",
		[DMVPN_NHRP_REG_REQ]		= "Registration Request",
		[DMVPN_NHRP_REG_REPLY]		= "Registration Reply",
		[DMVPN_NHRP_PURGE_REQ]		= "Purge Request",
		[DMVPN_NHRP_PURGE_REPLY]	= "Purge Reply",
		[DMVPN_NHRP_ERROR_IND]		= "Error Indication",
		[DMVPN_NHRP_TRAFFIC_IND]	= "Traffic Indication",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "packet";
}

/* ---- addresses -------------------------------------------------------- */

/* Our own tunnel address in the family of @towards. */
static bool dmvpn_nhrp_own_proto(struct dmvpn_tunnel *t,
				 const struct dmvpn_addr *towards,
				 struct dmvpn_addr *own)
{
	if (towards->family == AF_INET) {
		__be32 a = inet_select_addr(t->dev, towards->v4,
					    RT_SCOPE_UNIVERSE);

		if (!a)
			return false;
		dmvpn_addr_set4(own, a);
		return true;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (towards->family == AF_INET6) {
		struct in6_addr a;

		if (ipv6_dev_get_saddr(dev_net(t->dev), t->dev, &towards->v6,
				       0, &a))
			return false;
		dmvpn_addr_set6(own, &a);
		return true;
	}
#endif
	return false;
}

static bool dmvpn_nhrp_is_own(struct dmvpn_tunnel *t,
			      const struct dmvpn_addr *addr)
{
	struct dmvpn_addr own;

	return dmvpn_nhrp_own_proto(t, addr, &own) &&
	       dmvpn_addr_equal(&own, addr);
}

static void dmvpn_nhrp_local_nbma(struct dmvpn_tunnel *t,
				  struct dmvpn_addr *nbma)
{
	rcu_read_lock();
	*nbma = rcu_dereference(t->params)->local;
	rcu_read_unlock();
}

enum dmvpn_nhrp_route {
	DMVPN_NHRP_ROUTE_NONE,		/* unreachable */
	DMVPN_NHRP_ROUTE_TUNNEL,	/* through this tunnel, via *nh */
	DMVPN_NHRP_ROUTE_EGRESS,	/* ours, or out of another interface */
};

/*
 * Prefix length of the IPv4 route the FIB holds for @dst; 32 if none.  An
 * address of our own (a LAN interface's) has a /32 local route: what we
 * are the exit for is then the subnet of that interface address.
 */
static u8 dmvpn_nhrp_route_plen4(struct net *net, __be32 dst, bool local)
{
	struct flowi4 fl4 = { .daddr = dst, .flowi4_iif = LOOPBACK_IFINDEX };
	struct fib_result res;
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;
	u8 plen = 32;

	rcu_read_lock();
	if (!local) {
		if (!fib_lookup(net, &fl4, &res, 0))
			plen = res.prefixlen;
	} else {
		dev = __ip_dev_find(net, dst, false);
		in_dev = dev ? __in_dev_get_rcu(dev) : NULL;
		if (in_dev)
			in_dev_for_each_ifa_rcu(ifa, in_dev)
				if (ifa->ifa_local == dst)
					plen = ifa->ifa_prefixlen;
	}
	rcu_read_unlock();
	return plen;
}

#if IS_ENABLED(CONFIG_IPV6)
/*
 * The same for IPv6.  An address of our own answers for itself only: the
 * kernel exports no lookup of its interface prefix to modules.
 */
static u8 dmvpn_nhrp_route_plen6(struct dst_entry *d)
{
	struct rt6_info *rt = dst_rt6_info(d);

	return rt->rt6i_flags & RTF_LOCAL ? 128 : rt->rt6i_dst.plen;
}
#endif

/*
 * Where the routing table of the tunnel's namespace sends @dst: this is
 * how a hub knows whom to forward a resolution to, and how a spoke knows
 * that it is the exit for an address and must answer.  *@plen (if asked
 * for) is the prefix length of the route: a spoke answers for all of its
 * network, and a requester keeps a shortcut no wider than its own route.
 */
static enum dmvpn_nhrp_route dmvpn_nhrp_route(struct dmvpn_tunnel *t,
					      const struct dmvpn_addr *dst,
					      struct dmvpn_addr *nh, u8 *plen)
{
	struct net *net = dev_net(t->dev);
	enum dmvpn_nhrp_route r = DMVPN_NHRP_ROUTE_EGRESS;

	if (plen)
		*plen = dmvpn_addr_host_plen(dst);
	if (dst->family == AF_INET) {
		struct flowi4 fl4 = { .daddr = dst->v4 };
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return DMVPN_NHRP_ROUTE_NONE;
		if (rt->rt_type != RTN_LOCAL && rt->dst.dev == t->dev) {
			dmvpn_addr_set4(nh, rt_nexthop(rt, dst->v4));
			r = DMVPN_NHRP_ROUTE_TUNNEL;
		}
		if (plen)
			*plen = dmvpn_nhrp_route_plen4(net, dst->v4,
						       rt->rt_type == RTN_LOCAL);
		ip_rt_put(rt);
		return r;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (dst->family == AF_INET6) {
		struct flowi6 fl6 = { .daddr = dst->v6 };
		struct dst_entry *d = ip6_route_output(net, NULL, &fl6);

		if (d->error) {
			dst_release(d);
			return DMVPN_NHRP_ROUTE_NONE;
		}
		if (d->dev == t->dev) {
			dmvpn_addr_set6(nh, rt6_nexthop(dst_rt6_info(d),
							&dst->v6));
			r = DMVPN_NHRP_ROUTE_TUNNEL;
		}
		/* A cached clone (a PMTU exception) says /128: a host answer. */
		if (plen)
			*plen = dmvpn_nhrp_route_plen6(d);
		dst_release(d);
		return r;
	}
#endif
	return DMVPN_NHRP_ROUTE_NONE;
}

/*
 * Whether the first @plen bits of @dst may stand for a network behind
 * another router:
 * not a default route (a Resolution Reply's length 0 means a host), and
 * nothing that holds our own tunnel address or an NHS's, whose traffic
 * would otherwise follow the shortcut instead of the tunnel's own subnet.
 */
static bool dmvpn_nhrp_prefix_ok(struct dmvpn_tunnel *t,
				 const struct dmvpn_addr *dst, u8 plen)
{
	struct dmvpn_addr prefix = *dst, own;
	struct dmvpn_nhs *nhs;

	if (!plen || plen >= dmvpn_addr_host_plen(dst))
		return false;
	dmvpn_addr_mask(&prefix, plen);
	if (dmvpn_nhrp_own_proto(t, &prefix, &own) &&
	    dmvpn_addr_in_prefix(&own, &prefix, plen))
		return false;
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (dmvpn_addr_in_prefix(&nhs->proto, &prefix, plen))
			return false;
	return true;
}

/* ---- sending ----------------------------------------------------------- */

/*
 * Send the NHRP packet @buf to the NBMA endpoint @to, which must be a
 * peer of the tunnel already (an entry or SA made it).  On a protected
 * tunnel it waits for an SA like any other packet.
 */
static int dmvpn_nhrp_send(struct dmvpn_tunnel *t,
			   const struct dmvpn_endpoint *to,
			   const u8 *buf, unsigned int len,
			   enum dmvpn_nhrp_stat stat)
{
	struct dmvpn_peer *peer;
	struct sk_buff *skb;
	char port[16] = "";
	int err = 0;

	skb = alloc_skb(LL_MAX_HEADER + t->dev->needed_headroom + len,
			GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER + t->dev->needed_headroom);
	skb_put_data(skb, buf, len);
	skb_reset_network_header(skb);
	skb->protocol = htons(DMVPN_GRE_PROTO_NHRP);
	skb->dev = t->dev;

	rcu_read_lock_bh();
	peer = dmvpn_peer_lookup(t, to);
	if (peer)
		dmvpn_xmit_to_peer(t, peer, skb);
	rcu_read_unlock_bh();
	if (!peer) {
		kfree_skb(skb);
		err = -ENOENT;
	} else {
		dmvpn_nhrp_stat_inc(t, stat);
	}
	/* The type is at the same offset in every NHRP packet; the port is
	 * shown only for a peer behind PAT (0 is plain GRE or UDP 4500).
	 */
	if (to->port)
		snprintf(port, sizeof(port), " port %u", ntohs(to->port));
	dmvpn_nhrp_dbg(t, "Send %s to NBMA %s%s, packet size %u%s\n",
		       dmvpn_nhrp_type_name(len > DMVPN_NHRP_TYPE_OFF ?
					    buf[DMVPN_NHRP_TYPE_OFF] : 0),
		       ADDR_A(&to->addr), port, len,
		       err ? ": no peer for that address" : "");
	return err;
}

/*
 * The per-type counters of the uapi follow the packet types in order, so
 * a packet type (1-8, checked by the parser) indexes them directly.
 */
static enum dmvpn_nhrp_stat dmvpn_nhrp_type_stat(enum dmvpn_nhrp_stat first,
						 u8 type)
{
	BUILD_BUG_ON(DMVPN_NHRP_STAT_RX_TRAFFIC_IND - DMVPN_NHRP_STAT_RX_RES_REQ !=
		     DMVPN_NHRP_TRAFFIC_IND - DMVPN_NHRP_RES_REQ);
	BUILD_BUG_ON(DMVPN_NHRP_STAT_TX_TRAFFIC_IND - DMVPN_NHRP_STAT_TX_RES_REQ !=
		     DMVPN_NHRP_TRAFFIC_IND - DMVPN_NHRP_RES_REQ);
	return first + type - DMVPN_NHRP_RES_REQ;
}

/*
 * Is @skb, on its way out of the tunnel, one of our Registration
 * Requests?  The sender builds NHRP packets with the network header at
 * the NHRP fixed header.
 */
bool dmvpn_nhrp_is_reg_request(const struct sk_buff *skb)
{
	u8 type, *tp;

	if (skb->protocol != htons(DMVPN_GRE_PROTO_NHRP))
		return false;
	tp = skb_header_pointer(skb, skb_network_offset(skb) + DMVPN_NHRP_TYPE_OFF,
				sizeof(type), &type);
	return tp && *tp == DMVPN_NHRP_REG_REQ;
}

/* Build a packet of @type from @pkt and send it to @to. */
static int dmvpn_nhrp_build_send(struct dmvpn_tunnel *t,
				 const struct dmvpn_endpoint *to,
				 enum dmvpn_nhrp_op type,
				 const struct dmvpn_nhrp_wire_pkt *pkt)
{
	u8 *buf = kmalloc(DMVPN_NHRP_BUF_LEN, GFP_KERNEL);
	int len, err;

	if (!buf)
		return -ENOMEM;
	len = dmvpn_nhrp_wire_build(buf, DMVPN_NHRP_BUF_LEN, type, pkt);
	if (len < 0) {
		err = len;
		netdev_warn_once(t->dev, "NHRP: cannot build a type %d packet: %d\n",
				 type, err);
	} else {
		err = dmvpn_nhrp_send(t, to, buf, len,
				      dmvpn_nhrp_type_stat(DMVPN_NHRP_STAT_TX_RES_REQ,
							   type));
	}
	kfree(buf);
	return err;
}

/*
 * The extensions every packet we originate carries, as IOS and FRR send
 * them: Responder Address (empty in requests), both Transit NHS records
 * (copied when answering), authentication if configured, and the Cisco
 * NAT extension.  @exts must have room for 5.
 */
static unsigned int dmvpn_nhrp_exts(const struct dmvpn_nhrp_conf *conf,
				    const struct dmvpn_nhrp_wire_msg *req,
				    const struct dmvpn_nhrp_wire_cie *responder,
				    const struct dmvpn_nhrp_wire_cie *nat,
				    struct dmvpn_nhrp_wire_ext_spec *exts)
{
	static const u16 transit[] = { DMVPN_NHRP_EXT_FWD_TRANSIT,
				       DMVPN_NHRP_EXT_REV_TRANSIT };
	unsigned int n = 0, i;

	exts[n++] = (struct dmvpn_nhrp_wire_ext_spec) {
		.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_RESPONDER,
		.cies = responder, .n_cies = responder ? 1 : 0,
	};
	for (i = 0; i < ARRAY_SIZE(transit); i++) {
		const struct dmvpn_nhrp_wire_ext *x =
			req ? &req->ext[transit[i]] : NULL;

		exts[n++] = (struct dmvpn_nhrp_wire_ext_spec) {
			.type = DMVPN_NHRP_EXT_COMPULSORY | transit[i],
			.data = x && x->present ? req->buf + x->value.off : NULL,
			.data_len = x && x->present ? x->value.len : 0,
		};
	}
	if (conf->auth_len)
		exts[n++] = (struct dmvpn_nhrp_wire_ext_spec) {
			.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_AUTH,
			.spi = DMVPN_NHRP_AUTH_SPI,
			.data = conf->auth, .data_len = conf->auth_len,
		};
	exts[n++] = (struct dmvpn_nhrp_wire_ext_spec) {
		.type = DMVPN_NHRP_EXT_NAT_ADDR,
		.cies = nat, .n_cies = nat ? 1 : 0,
	};
	return n;
}

/* Our NBMA address as others should use it: the post-NAT one if an NHS
 * told us we are behind NAT.
 */
static void dmvpn_nhrp_public_nbma(struct dmvpn_tunnel *t,
				   struct dmvpn_addr *nbma, bool *natted)
{
	struct dmvpn_nhs *nhs;

	*natted = false;
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node) {
		if (dmvpn_addr_is_set(&nhs->nat_addr)) {
			*nbma = nhs->nat_addr;
			*natted = true;
			return;
		}
	}
	dmvpn_nhrp_local_nbma(t, nbma);
}

/*
 * Error Indication for @msg from @from (RFC 2332 5.2.7): never about an
 * Error Indication, and only to a sender we know.
 */
static void dmvpn_nhrp_error_ind(struct dmvpn_tunnel *t,
				 const struct dmvpn_nhrp_conf *conf,
				 const struct dmvpn_nhrp_wire_msg *msg,
				 unsigned int len,
				 const struct dmvpn_endpoint *from, u16 code)
{
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.code = code,
		.error_offset = msg->bad_off,
		.dst_proto = msg->src_proto,
		.contents = msg->buf,
		.contents_len = min_t(unsigned int, len, DMVPN_NHRP_BUF_LEN / 2),
	};

	if (!code || msg->type == DMVPN_NHRP_ERROR_IND ||
	    !dmvpn_addr_is_set(&msg->src_proto) ||
	    !__ratelimit(&t->nhrp_engine.errind_rs))
		return;
	if (!dmvpn_nhrp_own_proto(t, &msg->src_proto, &pkt.src_proto))
		return;
	dmvpn_nhrp_local_nbma(t, &pkt.src_nbma);
	if (conf->auth_len) {
		exts[0] = (struct dmvpn_nhrp_wire_ext_spec) {
			.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_AUTH,
			.spi = DMVPN_NHRP_AUTH_SPI,
			.data = conf->auth, .data_len = conf->auth_len,
		};
		pkt.exts = exts;
		pkt.n_exts = 1;
	}
	dmvpn_nhrp_build_send(t, from, DMVPN_NHRP_ERROR_IND, &pkt);
}

/* ---- the cache, as NHRP changes it ------------------------------------- */

static int dmvpn_nhrp_learn(struct dmvpn_tunnel *t,
			    const struct dmvpn_addr *proto,
			    const struct dmvpn_endpoint *nbma, u8 type,
			    u32 flags, u32 holdtime)
{
	struct dmvpn_nhrp_spec spec = {
		.proto = *proto,
		.prefix_len = dmvpn_addr_host_plen(proto),
		.type = type,
		.flags = flags,
		.holdtime = holdtime,
	};

	if (nbma)
		spec.nbma = *nbma;
	return dmvpn_nhrp_add(t, &spec, false, NULL);
}

/* Type of the entry for @proto/@plen, or UNSPEC if there is none. */
static u8 dmvpn_nhrp_key_type(struct dmvpn_tunnel *t,
			      const struct dmvpn_addr *proto, u8 plen,
			      struct dmvpn_endpoint *nbma, u32 *flags)
{
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_key key;
	u8 type = DMVPN_NHRP_TYPE_UNSPEC;

	dmvpn_nhrp_key_set(&key, proto, plen);
	rcu_read_lock();
	e = dmvpn_nhrp_lookup_key(t, &key);
	if (e) {
		type = e->type;
		if (nbma && e->peer)
			*nbma = e->peer->nbma;
		if (flags)
			*flags = dmvpn_nhrp_entry_flags(e);
	}
	rcu_read_unlock();
	return type;
}

/* Type of the host entry for @proto, or UNSPEC if there is none. */
static u8 dmvpn_nhrp_entry_type(struct dmvpn_tunnel *t,
				const struct dmvpn_addr *proto,
				struct dmvpn_endpoint *nbma, u32 *flags)
{
	return dmvpn_nhrp_key_type(t, proto, dmvpn_addr_host_plen(proto),
				   nbma, flags);
}

/* Whether a prefix entry (a shortcut to a network) already takes @dst. */
static bool dmvpn_nhrp_covered(struct dmvpn_tunnel *t,
			       const struct dmvpn_addr *dst)
{
	bool covered;

	rcu_read_lock();
	covered = !!dmvpn_nhrp_lookup_dest(t, dst);
	rcu_read_unlock();
	return covered;
}

/* ---- registration: the NHS side ------------------------------------------ */

/*
 * Register @proto at @from (where the request came from; @claimed is the
 * NBMA address the spoke says it has).  Returns the CIE code.
 */
static u8 dmvpn_nhrp_register(struct dmvpn_tunnel *t,
			      const struct dmvpn_addr *proto,
			      const struct dmvpn_endpoint *from,
			      const struct dmvpn_addr *claimed, bool unique,
			      u32 holdtime)
{
	struct dmvpn_endpoint cur = {};
	u32 flags = 0, cur_flags = 0;
	u8 type;

	type = dmvpn_nhrp_entry_type(t, proto, &cur, &cur_flags);
	if (type == DMVPN_NHRP_TYPE_STATIC || type == DMVPN_NHRP_TYPE_LOCAL) {
		/* Configured here: the spoke cannot move it elsewhere. */
		return memcmp(&cur, from, sizeof(cur)) ?
		       DMVPN_NHRP_CODE_ADMIN_PROHIBITED : DMVPN_NHRP_CODE_SUCCESS;
	}
	if (type == DMVPN_NHRP_TYPE_DYNAMIC &&
	    (cur_flags & DMVPN_NHRP_F_UNIQUE) &&
	    memcmp(&cur, from, sizeof(cur))) {
		dmvpn_nhrp_log(t, "registration of %s from %s refused: registered unique at %s\n",
			       ADDR_A(proto), ADDR_B(&from->addr),
			       ADDR_C(&cur.addr));
		return DMVPN_NHRP_CODE_ALREADY_REGISTERED;
	}

	flags = DMVPN_NHRP_F_REGISTERED;
	if (unique)
		flags |= DMVPN_NHRP_F_UNIQUE;
	if (!dmvpn_addr_equal(claimed, &from->addr) || from->port)
		flags |= DMVPN_NHRP_F_NAT;
	if (dmvpn_nhrp_learn(t, proto, from, DMVPN_NHRP_TYPE_DYNAMIC, flags,
			     holdtime))
		return DMVPN_NHRP_CODE_NO_RESOURCES;
	return DMVPN_NHRP_CODE_SUCCESS;
}

static void dmvpn_nhrp_rcv_reg_req(struct dmvpn_tunnel *t,
				   const struct dmvpn_nhrp_conf *conf,
				   const struct dmvpn_nhrp_wire_msg *msg,
				   const struct dmvpn_endpoint *from)
{
	struct dmvpn_nhrp_wire_cie cies[DMVPN_NHRP_MAX_CIES];
	struct dmvpn_nhrp_wire_cie responder = {}, nat = {}, cie;
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_pkt reply = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.flags = msg->flags,
		.request_id = msg->request_id,
		.src_nbma = msg->src_nbma,
		.src_proto = msg->src_proto,
		.dst_proto = msg->dst_proto,
		.cies = cies,
	};
	bool unique = msg->flags & DMVPN_NHRP_F_REG_UNIQUE;
	bool natted = false;
	unsigned int n = 0;

	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	while (n < ARRAY_SIZE(cies) && dmvpn_nhrp_wire_cie_next(&it, &cie)) {
		const struct dmvpn_addr *proto = dmvpn_addr_is_set(&cie.proto) ?
						 &cie.proto : &msg->src_proto;
		u32 hold = cie.holdtime ?: conf->holdtime;

		cies[n] = cie;
		cies[n].code = dmvpn_nhrp_register(t, proto, from,
						   &msg->src_nbma, unique,
						   hold);
		cies[n].holdtime = hold;
		n++;
	}
	reply.n_cies = n;
	if (!dmvpn_addr_equal(&msg->src_nbma, &from->addr) || from->port)
		natted = true;
	if (n && cies[0].code == DMVPN_NHRP_CODE_SUCCESS)
		dmvpn_nhrp_log(t, "registered %s at NBMA %s%s, holdtime %u s\n",
			       ADDR_A(&msg->src_proto), ADDR_B(&from->addr),
			       natted ? " (behind NAT)" : "", cies[0].holdtime);

	responder.holdtime = conf->holdtime;
	responder.mtu = t->dev->mtu;
	responder.prefix_len = dmvpn_addr_host_plen(&msg->dst_proto);
	dmvpn_nhrp_local_nbma(t, &responder.nbma);
	if (!dmvpn_nhrp_own_proto(t, &msg->src_proto, &responder.proto))
		responder.proto = msg->dst_proto;
	/* Cisco NAT extension: the spoke's address as we see it. */
	nat.prefix_len = dmvpn_addr_host_plen(&msg->src_proto);
	nat.nbma = from->addr;
	nat.proto = msg->src_proto;
	if (responder.nbma.family != msg->src_nbma.family)
		return;		/* the builder would refuse mixed families */
	reply.n_exts = dmvpn_nhrp_exts(conf, msg, &responder,
				       msg->ext[DMVPN_NHRP_EXT_NAT_ADDR].present ||
				       natted ? &nat : NULL, exts);
	reply.exts = exts;
	dmvpn_nhrp_build_send(t, from, DMVPN_NHRP_REG_REPLY, &reply);
}

/* ---- registration: the spoke side ---------------------------------------- */

static u32 dmvpn_nhrp_request_id(struct dmvpn_tunnel *t)
{
	/* 0 is never sent, so that "no request" is unambiguous. */
	return ++t->nhrp_engine.next_request_id ?: ++t->nhrp_engine.next_request_id;
}

/* The NBMA endpoint of @nhs: the static map of its address. */
static bool dmvpn_nhs_endpoint(struct dmvpn_tunnel *t, struct dmvpn_nhs *nhs,
			       struct dmvpn_endpoint *ep)
{
	return dmvpn_nhrp_entry_type(t, &nhs->proto, ep, NULL) ==
	       DMVPN_NHRP_TYPE_STATIC;
}

static void dmvpn_nhs_send_registration(struct dmvpn_tunnel *t,
					const struct dmvpn_nhrp_conf *conf,
					struct dmvpn_nhs *nhs,
					const struct dmvpn_endpoint *to)
{
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_cie cie = {
		.code = DMVPN_NHRP_CODE_SUCCESS,
		.prefix_len = dmvpn_addr_host_plen(&nhs->proto),
		.mtu = t->dev->mtu,
		.holdtime = conf->holdtime,
	};
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.flags = conf->reg_no_unique ? 0 : DMVPN_NHRP_F_REG_UNIQUE,
		.dst_proto = nhs->proto,
		.cies = &cie,
		.n_cies = 1,
		.exts = exts,
	};

	if (!dmvpn_nhrp_own_proto(t, &nhs->proto, &pkt.src_proto)) {
		dmvpn_nhrp_log(t, "no tunnel address to register with NHS %s\n",
			       ADDR_A(&nhs->proto));
		return;
	}
	dmvpn_nhrp_local_nbma(t, &pkt.src_nbma);
	cie.nbma = pkt.src_nbma;
	cie.proto = pkt.src_proto;
	pkt.request_id = dmvpn_nhrp_request_id(t);
	pkt.n_exts = dmvpn_nhrp_exts(conf, NULL, NULL, NULL, exts);
	if (dmvpn_nhrp_build_send(t, to, DMVPN_NHRP_REG_REQ, &pkt))
		return;
	nhs->request_id = pkt.request_id;
	nhs->req_sent++;
}

/* Once a second, and at once after a change: is a registration due? */
static void dmvpn_nhs_tick(struct dmvpn_tunnel *t,
			   const struct dmvpn_nhrp_conf *conf,
			   struct dmvpn_nhs *nhs)
{
	unsigned int cap = min_t(u32, DMVPN_NHRP_BACKOFF_MAX,
				 dmvpn_nhrp_reg_interval(conf));
	struct dmvpn_endpoint to;

	if (!dmvpn_nhrp_on(conf) || !dmvpn_nhs_endpoint(t, nhs, &to)) {
		nhs->state = DMVPN_NHS_STATE_WAITING;
		nhs->awaiting = false;
		return;
	}
	if (time_before(jiffies, nhs->next_send))
		return;
	if (nhs->awaiting) {
		/* The last request went unanswered. */
		if (nhs->state == DMVPN_NHS_STATE_RESPONDING)
			dmvpn_nhrp_log(t, "NHS %s stopped responding\n", ADDR_A(&nhs->proto));
		nhs->state = DMVPN_NHS_STATE_EXPECTING;
		nhs->backoff = min(nhs->backoff * 2, cap);
	} else if (nhs->state == DMVPN_NHS_STATE_WAITING) {
		nhs->state = DMVPN_NHS_STATE_EXPECTING;
	}
	dmvpn_nhs_send_registration(t, conf, nhs, &to);
	nhs->awaiting = true;
	nhs->next_send = jiffies + nhs->backoff * HZ;
}

static struct dmvpn_nhs *dmvpn_nhs_by_request(struct dmvpn_tunnel *t,
					      const struct dmvpn_nhrp_wire_msg *msg)
{
	struct dmvpn_nhs *nhs;

	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (nhs->awaiting && nhs->request_id == msg->request_id &&
		    dmvpn_addr_equal(&nhs->proto, &msg->dst_proto))
			return nhs;
	return NULL;
}

static void dmvpn_nhrp_rcv_reg_reply(struct dmvpn_tunnel *t,
				     const struct dmvpn_nhrp_conf *conf,
				     const struct dmvpn_nhrp_wire_msg *msg)
{
	struct dmvpn_nhs *nhs = dmvpn_nhs_by_request(t, msg);
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;
	struct dmvpn_addr local;
	u8 code = DMVPN_NHRP_CODE_SUCCESS;

	if (!nhs) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		dmvpn_nhrp_log(t, "registration reply from %s matches no request\n",
			       ADDR_A(&msg->dst_proto));
		return;
	}
	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	if (dmvpn_nhrp_wire_cie_next(&it, &cie))
		code = cie.code;
	nhs->awaiting = false;
	nhs->last_code = code;
	if (code != DMVPN_NHRP_CODE_SUCCESS) {
		if (nhs->state == DMVPN_NHS_STATE_RESPONDING ||
		    !nhs->reply_recv)
			dmvpn_nhrp_log(t, "NHS %s refused our registration (code %u)\n",
				       ADDR_A(&nhs->proto), code);
		nhs->state = DMVPN_NHS_STATE_EXPECTING;
		nhs->next_send = jiffies + nhs->backoff * HZ;
		return;
	}
	if (nhs->state != DMVPN_NHS_STATE_RESPONDING)
		dmvpn_nhrp_log(t, "registered with NHS %s\n", ADDR_A(&nhs->proto));
	nhs->state = DMVPN_NHS_STATE_RESPONDING;
	nhs->reply_recv++;
	nhs->last_reply = jiffies;
	nhs->backoff = 1;
	nhs->next_send = jiffies + dmvpn_nhrp_reg_interval(conf) * HZ;

	/* The Cisco NAT extension tells us the address the NHS saw. */
	memset(&nhs->nat_addr, 0, sizeof(nhs->nat_addr));
	dmvpn_nhrp_local_nbma(t, &local);
	if (msg->ext[DMVPN_NHRP_EXT_NAT_ADDR].present) {
		dmvpn_nhrp_wire_cie_iter_init(&it, msg,
					      msg->ext[DMVPN_NHRP_EXT_NAT_ADDR].value);
		while (dmvpn_nhrp_wire_cie_next(&it, &cie))
			if (dmvpn_addr_equal(&cie.proto, &msg->src_proto) &&
			    dmvpn_addr_is_set(&cie.nbma) &&
			    !dmvpn_addr_equal(&cie.nbma, &local))
				nhs->nat_addr = cie.nbma;
	}
}

/* The preferred NHS that answers, for resolutions and for packets that
 * wait for one.
 */
static struct dmvpn_nhs *dmvpn_nhs_preferred(struct dmvpn_tunnel *t)
{
	struct dmvpn_nhs *nhs, *best = NULL;

	/* One that answers; else one that answered before and is only
	 * late with its latest reply (it is most likely still there).
	 */
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (nhs->state == DMVPN_NHS_STATE_RESPONDING &&
		    (!best || nhs->priority < best->priority))
			best = nhs;
	if (best)
		return best;
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (nhs->state == DMVPN_NHS_STATE_EXPECTING && nhs->reply_recv &&
		    (!best || nhs->priority < best->priority))
			best = nhs;
	return best;
}

/* Publish the preferred NHS for the packet path (dmvpn_nhrp_miss). */
static void dmvpn_nhs_publish(struct dmvpn_tunnel *t)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	struct dmvpn_nhs *best = dmvpn_nhs_preferred(t);

	spin_lock_bh(&ng->via_lock);
	if (best)
		ng->via_nhs = best->proto;
	else
		memset(&ng->via_nhs, 0, sizeof(ng->via_nhs));
	spin_unlock_bh(&ng->via_lock);
}

/* ---- resolution (phases 2 and 3) ------------------------------------------ */

static struct dmvpn_nhrp_pending *
dmvpn_nhrp_pending_find(struct dmvpn_tunnel *t, const struct dmvpn_addr *target)
{
	struct dmvpn_nhrp_pending *pr;

	list_for_each_entry(pr, &t->nhrp_engine.pending, node)
		if (dmvpn_addr_equal(&pr->target, target))
			return pr;
	return NULL;
}

static void dmvpn_nhrp_pending_free(struct dmvpn_tunnel *t,
				    struct dmvpn_nhrp_pending *pr)
{
	list_del(&pr->node);
	t->nhrp_engine.pending_count--;
	kfree(pr);
}

static int dmvpn_nhrp_send_res_req(struct dmvpn_tunnel *t,
				   const struct dmvpn_nhrp_conf *conf,
				   struct dmvpn_nhrp_pending *pr)
{
	struct dmvpn_nhs *nhs = dmvpn_nhs_preferred(t);
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_cie nat = {}, cie = {
		.code = DMVPN_NHRP_CODE_SUCCESS,
		.prefix_len = dmvpn_addr_host_plen(&pr->target),
		.mtu = t->dev->mtu,
		.holdtime = conf->holdtime,
	};
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.flags = DMVPN_NHRP_F_RES_ROUTER | DMVPN_NHRP_F_RES_SRC_STABLE,
		.dst_proto = pr->target,
		.cies = &cie,
		.n_cies = 1,
		.exts = exts,
	};
	struct dmvpn_endpoint to;
	bool natted;

	if (!nhs || !dmvpn_nhs_endpoint(t, nhs, &to))
		return -ENETUNREACH;
	if (!dmvpn_nhrp_own_proto(t, &pr->target, &pkt.src_proto))
		return -EADDRNOTAVAIL;
	dmvpn_nhrp_local_nbma(t, &pkt.src_nbma);
	dmvpn_nhrp_public_nbma(t, &nat.nbma, &natted);
	nat.proto = pkt.src_proto;
	nat.prefix_len = dmvpn_addr_host_plen(&nat.proto);
	pkt.n_exts = dmvpn_nhrp_exts(conf, NULL, NULL, natted ? &nat : NULL,
				     exts);
	pkt.request_id = dmvpn_nhrp_request_id(t);
	pr->request_id = pkt.request_id;
	pr->sent = jiffies;
	pr->tries++;
	return dmvpn_nhrp_build_send(t, &to, DMVPN_NHRP_RES_REQ, &pkt);
}

/*
 * Start resolving @target, unless that is under way or known (@refresh:
 * known, but about to expire while still in use).
 */
static void dmvpn_nhrp_resolve(struct dmvpn_tunnel *t,
			       const struct dmvpn_nhrp_conf *conf,
			       const struct dmvpn_addr *target, bool shortcut,
			       bool refresh)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	struct dmvpn_nhrp_pending *pr;
	u8 type;

	if (!dmvpn_nhrp_on(conf) || dmvpn_nhrp_pending_find(t, target) ||
	    ng->pending_count >= DMVPN_NHRP_PENDING_MAX ||
	    dmvpn_nhrp_is_own(t, target))
		return;
	type = dmvpn_nhrp_entry_type(t, target, NULL, NULL);
	if (!refresh &&
	    (shortcut ? type == DMVPN_NHRP_TYPE_SHORTCUT || type == DMVPN_NHRP_TYPE_STATIC ||
			dmvpn_nhrp_covered(t, target) :
			type != DMVPN_NHRP_TYPE_UNSPEC))
		return;
	pr = kzalloc(sizeof(*pr), GFP_KERNEL);
	if (!pr)
		return;
	pr->target = *target;
	pr->shortcut = shortcut;
	list_add_tail(&pr->node, &ng->pending);
	ng->pending_count++;
	/* Without an NHS to ask, the incomplete entry stops a retry storm. */
	if (!shortcut && !refresh)
		dmvpn_nhrp_learn(t, target, NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0,
				 DMVPN_NHRP_NEGATIVE_SECS);
	if (dmvpn_nhrp_send_res_req(t, conf, pr)) {
		/* Nobody to ask now: let the next packet try again. */
		if (!shortcut && !refresh)
			dmvpn_nhrp_del(t, target, dmvpn_addr_host_plen(target),
				       NULL);
		dmvpn_nhrp_pending_free(t, pr);
	}
}

/* Every few seconds: retry unanswered resolutions, then give up. */
static void dmvpn_nhrp_pending_tick(struct dmvpn_tunnel *t,
				    const struct dmvpn_nhrp_conf *conf)
{
	struct dmvpn_nhrp_pending *pr, *tmp;

	list_for_each_entry_safe(pr, tmp, &t->nhrp_engine.pending, node) {
		if (time_before(jiffies, pr->sent + DMVPN_NHRP_RES_RETRY * HZ))
			continue;
		if (pr->tries >= DMVPN_NHRP_RES_TRIES ||
		    dmvpn_nhrp_send_res_req(t, conf, pr))
			dmvpn_nhrp_pending_free(t, pr);
	}
}

/*
 * Resolved entries still in use are resolved again when half of their
 * holding time is left, so that a flow never falls back to the hub;
 * unused ones are left to expire.  The new entry starts unused.
 */
#define DMVPN_NHRP_REFRESH_BATCH	32

static void dmvpn_nhrp_refresh(struct dmvpn_tunnel *t,
			       const struct dmvpn_nhrp_conf *conf)
{
	struct {
		struct dmvpn_addr target;
		bool shortcut;
	} due[DMVPN_NHRP_REFRESH_BATCH];
	u64 now = ktime_get_boottime_seconds();
	struct dmvpn_nhrp_entry *e;
	unsigned int n = 0, i;
	u32 flags;

	rcu_read_lock();
	spin_lock_bh(&t->lock);
	list_for_each_entry(e, &t->entries, list) {
		if (n == ARRAY_SIZE(due))
			break;
		if ((e->type != DMVPN_NHRP_TYPE_DYNAMIC &&
		     e->type != DMVPN_NHRP_TYPE_SHORTCUT) || !e->expires)
			continue;
		flags = dmvpn_nhrp_entry_flags(e);
		if (!(flags & DMVPN_NHRP_F_USED) ||
		    (flags & (DMVPN_NHRP_F_REGISTERED | DMVPN_NHRP_F_IMPLICIT)))
			continue;
		if (e->expires <= now || (e->expires - now) * 2 > e->holdtime)
			continue;
		due[n].target = e->key.proto;
		due[n].shortcut = e->type == DMVPN_NHRP_TYPE_SHORTCUT;
		n++;
	}
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();

	for (i = 0; i < n; i++)
		dmvpn_nhrp_resolve(t, conf, &due[i].target, due[i].shortcut, true);
}

/* The transit record an NHS adds itself to: Forward on the way to the
 * destination (requests), Reverse on the way back (replies).
 */
static unsigned int dmvpn_nhrp_transit_ext(const struct dmvpn_nhrp_wire_msg *msg)
{
	return msg->type == DMVPN_NHRP_RES_REPLY ||
	       msg->type == DMVPN_NHRP_PURGE_REPLY ?
	       DMVPN_NHRP_EXT_REV_TRANSIT : DMVPN_NHRP_EXT_FWD_TRANSIT;
}

/* Is our own address in the packet's transit record? Then it went round
 * in a circle.
 */
static bool dmvpn_nhrp_looped(struct dmvpn_tunnel *t,
			      const struct dmvpn_nhrp_wire_msg *msg)
{
	const struct dmvpn_nhrp_wire_ext *x = &msg->ext[dmvpn_nhrp_transit_ext(msg)];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;

	if (!x->present)
		return false;
	dmvpn_nhrp_wire_cie_iter_init(&it, msg, x->value);
	while (dmvpn_nhrp_wire_cie_next(&it, &cie))
		if (dmvpn_addr_is_set(&cie.proto) && dmvpn_nhrp_is_own(t, &cie.proto))
			return true;
	return false;
}

/*
 * Forward a request one hop on, towards @to, or a reply one hop back:
 * hop count down by one, ourselves appended to the transit record.
 */
static void dmvpn_nhrp_forward(struct dmvpn_tunnel *t,
			       const struct dmvpn_nhrp_conf *conf,
			       const struct dmvpn_nhrp_wire_msg *msg,
			       const struct dmvpn_endpoint *to)
{
	struct dmvpn_nhrp_wire_cie cies[DMVPN_NHRP_MAX_CIES], self = {}, cie;
	const struct dmvpn_nhrp_wire_ext *x;
	struct dmvpn_nhrp_wire_ext_spec exts[6];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = msg->hopcnt - 1,
		.flags = msg->flags,
		.request_id = msg->request_id,
		.src_nbma = msg->src_nbma,
		.src_proto = msg->src_proto,
		.dst_proto = msg->dst_proto,
		.cies = cies,
		.exts = exts,
	};
	unsigned int n = 0, i;

	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	while (n < ARRAY_SIZE(cies) && dmvpn_nhrp_wire_cie_next(&it, &cie))
		cies[n++] = cie;
	pkt.n_cies = n;

	if (!dmvpn_nhrp_own_proto(t, &msg->dst_proto, &self.proto))
		return;
	dmvpn_nhrp_local_nbma(t, &self.nbma);
	self.holdtime = conf->holdtime;
	self.mtu = t->dev->mtu;
	self.prefix_len = dmvpn_addr_host_plen(&self.proto);

	/* Every extension as it came, our key for theirs, us in transit. */
	n = 0;
	for (i = DMVPN_NHRP_EXT_RESPONDER; i < __DMVPN_NHRP_EXT_MAX; i++) {
		x = &msg->ext[i];
		if (!x->present || i == DMVPN_NHRP_EXT_AUTH)
			continue;
		exts[n] = (struct dmvpn_nhrp_wire_ext_spec) {
			.type = i | (x->compulsory ? DMVPN_NHRP_EXT_COMPULSORY : 0),
			.data = msg->buf + x->value.off,
			.data_len = x->value.len,
		};
		if (i == dmvpn_nhrp_transit_ext(msg)) {
			exts[n].cies = &self;
			exts[n].n_cies = 1;
		}
		n++;
	}
	if (conf->auth_len)
		exts[n++] = (struct dmvpn_nhrp_wire_ext_spec) {
			.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_AUTH,
			.spi = DMVPN_NHRP_AUTH_SPI,
			.data = conf->auth, .data_len = conf->auth_len,
		};
	pkt.n_exts = n;
	dmvpn_nhrp_build_send(t, to, msg->type, &pkt);
}

/* The requester's NBMA address: the NAT extension's, if it has one. */
static void dmvpn_nhrp_requester_nbma(const struct dmvpn_nhrp_wire_msg *msg,
				      struct dmvpn_endpoint *ep)
{
	const struct dmvpn_nhrp_wire_ext *x = &msg->ext[DMVPN_NHRP_EXT_NAT_ADDR];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;

	memset(ep, 0, sizeof(*ep));
	ep->addr = msg->src_nbma;
	if (!x->present)
		return;
	dmvpn_nhrp_wire_cie_iter_init(&it, msg, x->value);
	while (dmvpn_nhrp_wire_cie_next(&it, &cie))
		if (dmvpn_addr_equal(&cie.proto, &msg->src_proto) &&
		    dmvpn_addr_is_set(&cie.nbma))
			ep->addr = cie.nbma;
}

/*
 * We are the exit for the requested address: answer the requester
 * directly, and remember it so that the answer (and the traffic after
 * it) can go straight there.  The answer covers @route_plen bits of the
 * address, the route that makes us its exit (a LAN behind us: the
 * requester then reaches all of it directly, as IOS's spokes do), unless
 * that is not a network we may speak for (dmvpn_nhrp_prefix_ok).
 *
 * Not so a requester behind NAT that an NHS forwarded to us (@from): its
 * NAT has no mapping towards us until it sends us something, so our GRE
 * would be dropped there, and a NAT that tracks GRE without ports (Linux
 * conntrack) would then also refuse the requester's own GRE to us for as
 * long as ours keeps coming.  The answer goes back through the NHS, which
 * reaches the requester on its registration; once the requester sends to
 * us directly, its NAT is open, and we learn it when we resolve it.
 */
static void dmvpn_nhrp_answer_res_req(struct dmvpn_tunnel *t,
				      const struct dmvpn_nhrp_conf *conf,
				      const struct dmvpn_nhrp_wire_msg *msg,
				      const struct dmvpn_endpoint *from,
				      u8 route_plen)
{
	struct dmvpn_nhrp_wire_cie cie = {}, responder, nat = {};
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_pkt reply = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.flags = msg->flags | DMVPN_NHRP_F_RES_AUTH |
			 DMVPN_NHRP_F_RES_DST_STABLE,
		.request_id = msg->request_id,
		.src_nbma = msg->src_nbma,
		.src_proto = msg->src_proto,
		.dst_proto = msg->dst_proto,
		.cies = &cie,
		.n_cies = 1,
		.exts = exts,
	};
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie req_cie;
	struct dmvpn_endpoint requester;
	u32 hold = conf->holdtime, flags = 0;
	bool natted, known, via_nhs;
	u8 type;

	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	if (dmvpn_nhrp_wire_cie_next(&it, &req_cie) && req_cie.holdtime)
		hold = req_cie.holdtime;

	/* Learn the requester, unless we know it better (a static map, or
	 * an entry we resolved ourselves, which we keep fresh) or it is
	 * behind a NAT that is not open to us yet (see above).
	 */
	dmvpn_nhrp_requester_nbma(msg, &requester);
	type = dmvpn_nhrp_entry_type(t, &msg->src_proto, NULL, &flags);
	known = type != DMVPN_NHRP_TYPE_UNSPEC &&
		type != DMVPN_NHRP_TYPE_INCOMPLETE &&
		!(type == DMVPN_NHRP_TYPE_DYNAMIC && (flags & DMVPN_NHRP_F_IMPLICIT));
	via_nhs = !known &&
		  !dmvpn_addr_equal(&requester.addr, &msg->src_nbma) &&
		  !dmvpn_addr_equal(&requester.addr, &from->addr);
	if (!known && !via_nhs)
		dmvpn_nhrp_learn(t, &msg->src_proto, &requester,
				 DMVPN_NHRP_TYPE_DYNAMIC, DMVPN_NHRP_F_IMPLICIT,
				 hold);

	if (!dmvpn_nhrp_own_proto(t, &msg->src_proto, &cie.proto))
		return;
	dmvpn_nhrp_public_nbma(t, &cie.nbma, &natted);
	cie.code = DMVPN_NHRP_CODE_SUCCESS;
	cie.prefix_len = dmvpn_addr_host_plen(&msg->dst_proto);
	if (dmvpn_nhrp_prefix_ok(t, &msg->dst_proto, route_plen))
		cie.prefix_len = route_plen;
	cie.mtu = t->dev->mtu;
	cie.holdtime = conf->holdtime;
	responder = cie;
	nat = cie;
	reply.n_exts = dmvpn_nhrp_exts(conf, msg, &responder,
				       natted ? &nat : NULL, exts);
	if (cie.nbma.family != msg->src_nbma.family)
		return;
	if (via_nhs) {
		dmvpn_nhrp_log(t, "answering resolution of %s (/%u) for %s (NAT %s) via NHS %s\n",
			       ADDR_A(&msg->dst_proto), cie.prefix_len,
			       ADDR_B(&msg->src_proto), ADDR_C(&requester.addr),
			       ADDR_D(&from->addr));
		dmvpn_nhrp_build_send(t, from, DMVPN_NHRP_RES_REPLY, &reply);
		return;
	}
	dmvpn_nhrp_log(t, "answering resolution of %s (/%u) for %s at NBMA %s\n",
		       ADDR_A(&msg->dst_proto), cie.prefix_len,
		       ADDR_B(&msg->src_proto), ADDR_C(&requester.addr));
	dmvpn_nhrp_build_send(t, &requester, DMVPN_NHRP_RES_REPLY, &reply);
}

static void dmvpn_nhrp_rcv_res_req(struct dmvpn_tunnel *t,
				   const struct dmvpn_nhrp_conf *conf,
				   const struct dmvpn_nhrp_wire_msg *msg,
				   unsigned int len,
				   const struct dmvpn_endpoint *from)
{
	struct dmvpn_endpoint to;
	struct dmvpn_addr nh;
	u8 plen;

	if (dmvpn_nhrp_looped(t, msg)) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_LOOP);
		dmvpn_nhrp_error_ind(t, conf, msg, len, from,
				     DMVPN_NHRP_EI_LOOP_DETECTED);
		return;
	}
	if (dmvpn_nhrp_is_own(t, &msg->dst_proto)) {
		dmvpn_nhrp_answer_res_req(t, conf, msg, from,
					  dmvpn_addr_host_plen(&msg->dst_proto));
		return;
	}
	switch (dmvpn_nhrp_route(t, &msg->dst_proto, &nh, &plen)) {
	case DMVPN_NHRP_ROUTE_EGRESS:
		dmvpn_nhrp_answer_res_req(t, conf, msg, from, plen);
		return;
	case DMVPN_NHRP_ROUTE_TUNNEL:
		if (dmvpn_nhrp_entry_type(t, &nh, &to, NULL) !=
		    DMVPN_NHRP_TYPE_UNSPEC && dmvpn_addr_is_set(&to.addr) &&
		    memcmp(&to, from, sizeof(to))) {
			if (msg->hopcnt <= 1) {
				dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
				dmvpn_nhrp_error_ind(t, conf, msg, len, from,
						     DMVPN_NHRP_EI_HOP_COUNT_EXCEEDED);
				return;
			}
			dmvpn_nhrp_forward(t, conf, msg, &to);
			return;
		}
		break;
	default:
		break;
	}
	dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
	dmvpn_nhrp_error_ind(t, conf, msg, len, from,
			     DMVPN_NHRP_EI_PROTO_UNREACHABLE);
}

/*
 * A Resolution Reply for a requester that is not us: an NHS relays it
 * towards the requester, on the entry it has for it (see
 * dmvpn_nhrp_answer_res_req: answers to requesters behind NAT come back
 * this way).
 */
static void dmvpn_nhrp_relay_res_reply(struct dmvpn_tunnel *t,
				       const struct dmvpn_nhrp_conf *conf,
				       const struct dmvpn_nhrp_wire_msg *msg,
				       const struct dmvpn_endpoint *from)
{
	struct dmvpn_endpoint to;

	if (dmvpn_nhrp_looped(t, msg)) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_LOOP);
		return;
	}
	if (msg->hopcnt <= 1 ||
	    dmvpn_nhrp_entry_type(t, &msg->src_proto, &to, NULL) ==
	    DMVPN_NHRP_TYPE_UNSPEC || !dmvpn_addr_is_set(&to.addr) ||
	    !memcmp(&to, from, sizeof(to))) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	dmvpn_nhrp_dbg(t, "relaying the resolution reply for %s to NBMA %s\n",
		       ADDR_A(&msg->src_proto), ADDR_B(&to.addr));
	dmvpn_nhrp_forward(t, conf, msg, &to);
}

/*
 * How much of the destination a Resolution Reply's answer covers.  Only a
 * shortcut (phase 3) takes a prefix: phase 2 resolves next hops, which are
 * hosts.  Never wider than our own route that sends the destination into
 * the tunnel (a peer's summary route must not take over the networks of
 * other spokes), and never one that dmvpn_nhrp_prefix_ok refuses.
 */
static u8 dmvpn_nhrp_reply_plen(struct dmvpn_tunnel *t,
				const struct dmvpn_nhrp_pending *pr,
				const struct dmvpn_nhrp_wire_msg *msg,
				const struct dmvpn_nhrp_wire_cie *cie)
{
	u8 host = dmvpn_addr_host_plen(&msg->dst_proto), plen = cie->prefix_len;
	struct dmvpn_addr nh;
	u8 route_plen;

	if (!pr->shortcut || !plen || plen >= host ||
	    dmvpn_nhrp_route(t, &msg->dst_proto, &nh, &route_plen) !=
	    DMVPN_NHRP_ROUTE_TUNNEL)
		return host;
	plen = max(plen, route_plen);
	return dmvpn_nhrp_prefix_ok(t, &msg->dst_proto, plen) ? plen : host;
}

static void dmvpn_nhrp_rcv_res_reply(struct dmvpn_tunnel *t,
				     const struct dmvpn_nhrp_conf *conf,
				     const struct dmvpn_nhrp_wire_msg *msg,
				     const struct dmvpn_endpoint *from)
{
	struct dmvpn_nhrp_pending *pr = dmvpn_nhrp_pending_find(t, &msg->dst_proto);
	const struct dmvpn_nhrp_wire_ext *x = &msg->ext[DMVPN_NHRP_EXT_NAT_ADDR];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie, nat;
	struct dmvpn_endpoint nbma = {};
	u8 type, plen;

	if (!dmvpn_nhrp_is_own(t, &msg->src_proto)) {
		dmvpn_nhrp_relay_res_reply(t, conf, msg, from);
		return;
	}
	if (!pr || pr->request_id != msg->request_id) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	if (!dmvpn_nhrp_wire_cie_next(&it, &cie) ||
	    cie.code != DMVPN_NHRP_CODE_SUCCESS || !dmvpn_addr_is_set(&cie.nbma)) {
		dmvpn_nhrp_log(t, "resolution of %s failed\n", ADDR_A(&msg->dst_proto));
		dmvpn_nhrp_pending_free(t, pr);
		return;
	}
	nbma.addr = cie.nbma;
	if (x->present) {
		dmvpn_nhrp_wire_cie_iter_init(&it, msg, x->value);
		while (dmvpn_nhrp_wire_cie_next(&it, &nat))
			if (dmvpn_addr_equal(&nat.proto, &cie.proto) &&
			    dmvpn_addr_is_set(&nat.nbma))
				nbma.addr = nat.nbma;
	}
	/* Straight from the responder: also the port its packets come from.
	 * Behind a PAT that is its NAT's mapping towards us, where the SA it
	 * keyed with us lives; no NHRP field carries it, and an SA to the
	 * standard port would have to be keyed by us, through a NAT that
	 * drops what we start.
	 */
	if (dmvpn_addr_equal(&from->addr, &nbma.addr))
		nbma.port = from->port;
	type = pr->shortcut ? DMVPN_NHRP_TYPE_SHORTCUT : DMVPN_NHRP_TYPE_DYNAMIC;
	plen = dmvpn_nhrp_reply_plen(t, pr, msg, &cie);
	if (plen < dmvpn_addr_host_plen(&msg->dst_proto)) {
		struct dmvpn_nhrp_spec spec = {
			.proto = msg->dst_proto,
			.prefix_len = plen,
			.next_hop = cie.proto,
			.nbma = nbma,
			.type = type,
			.holdtime = cie.holdtime ?: conf->holdtime,
		};

		dmvpn_nhrp_add(t, &spec, false, NULL);
	} else if (dmvpn_nhrp_entry_type(t, &msg->dst_proto, NULL, NULL) !=
		   DMVPN_NHRP_TYPE_STATIC) {
		dmvpn_nhrp_learn(t, &msg->dst_proto, &nbma, type, 0,
				 cie.holdtime ?: conf->holdtime);
	}
	/* The responder itself is a next hop from now on too. */
	if (dmvpn_addr_is_set(&cie.proto) &&
	    !dmvpn_addr_equal(&cie.proto, &msg->dst_proto) &&
	    dmvpn_nhrp_entry_type(t, &cie.proto, NULL, NULL) ==
	    DMVPN_NHRP_TYPE_UNSPEC)
		dmvpn_nhrp_learn(t, &cie.proto, &nbma, DMVPN_NHRP_TYPE_DYNAMIC,
				 0, cie.holdtime ?: conf->holdtime);
	dmvpn_nhrp_log(t, "resolved %s (/%u) to NBMA %s%s\n",
		       ADDR_A(&msg->dst_proto), plen, ADDR_B(&nbma.addr),
		       pr->shortcut ? " (shortcut)" : "");
	dmvpn_nhrp_pending_free(t, pr);
}

/* ---- redirect and shortcut (phase 3) --------------------------------------- */

/* Hub: a packet hairpinned through us; tell its sender (worker side). */
static void dmvpn_nhrp_send_redirect(struct dmvpn_tunnel *t,
				     const struct dmvpn_nhrp_conf *conf,
				     struct sk_buff *skb)
{
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.code = 0,		/* Cisco: redirect */
		.contents = skb->data,
		.contents_len = skb->len,
		.exts = exts,
	};
	struct dmvpn_endpoint to;
	struct dmvpn_addr nh;

	if (skb->protocol == htons(ETH_P_IP))
		dmvpn_addr_set4(&pkt.dst_proto, ip_hdr(skb)->saddr);
	else
		dmvpn_addr_set6(&pkt.dst_proto, &ipv6_hdr(skb)->saddr);
	/* The sender is reached the way the routing table reaches it. */
	if (dmvpn_nhrp_route(t, &pkt.dst_proto, &nh, NULL) != DMVPN_NHRP_ROUTE_TUNNEL ||
	    dmvpn_nhrp_entry_type(t, &nh, &to, NULL) == DMVPN_NHRP_TYPE_UNSPEC ||
	    !dmvpn_addr_is_set(&to.addr))
		return;
	if (!dmvpn_nhrp_own_proto(t, &pkt.dst_proto, &pkt.src_proto))
		return;
	dmvpn_nhrp_local_nbma(t, &pkt.src_nbma);
	pkt.n_exts = dmvpn_nhrp_exts(conf, NULL, NULL, NULL, exts);
	dmvpn_nhrp_log(t, "redirect: %s is reached without us, telling %s\n",
		       ADDR_A(&pkt.dst_proto), ADDR_B(&to.addr));
	dmvpn_nhrp_build_send(t, &to, DMVPN_NHRP_TRAFFIC_IND, &pkt);
}

/* Spoke: the hub says a destination has a better path; find it. */
static void dmvpn_nhrp_rcv_traffic_ind(struct dmvpn_tunnel *t,
				       const struct dmvpn_nhrp_conf *conf,
				       const struct dmvpn_nhrp_wire_msg *msg)
{
	const u8 *inner = msg->buf + msg->contents.off;
	struct dmvpn_addr dst;

	if (!conf->shortcut) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	/* The quoted header sits at any offset of the packet: copy it out. */
	if (msg->contents.len >= sizeof(struct iphdr) && (inner[0] >> 4) == 4) {
		dmvpn_addr_set4(&dst, get_unaligned((const __be32 *)
				(inner + offsetof(struct iphdr, daddr))));
	} else if (msg->contents.len >= sizeof(struct ipv6hdr) &&
		   (inner[0] >> 4) == 6) {
		struct in6_addr a;

		memcpy(&a, inner + offsetof(struct ipv6hdr, daddr), sizeof(a));
		dmvpn_addr_set6(&dst, &a);
	} else {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	dmvpn_nhrp_resolve(t, conf, &dst, true, false);
}

/* ---- purge -------------------------------------------------------------- */

static void dmvpn_nhrp_rcv_purge_req(struct dmvpn_tunnel *t,
				     const struct dmvpn_nhrp_conf *conf,
				     const struct dmvpn_nhrp_wire_msg *msg,
				     const struct dmvpn_endpoint *from)
{
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;
	struct dmvpn_nhrp_wire_pkt reply = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.flags = msg->flags,
		.request_id = msg->request_id,
		.src_nbma = msg->src_nbma,
		.src_proto = msg->src_proto,
		.dst_proto = msg->dst_proto,
		.exts = exts,
	};
	struct dmvpn_nhs *nhs;
	u8 type, plen;

	/* Answer first: the entries about to go may be the only way back. */
	if (!(msg->flags & DMVPN_NHRP_F_PURGE_NO_REPLY)) {
		reply.n_exts = dmvpn_nhrp_exts(conf, msg, NULL, NULL, exts);
		dmvpn_nhrp_build_send(t, from, DMVPN_NHRP_PURGE_REPLY, &reply);
	}

	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
	while (dmvpn_nhrp_wire_cie_next(&it, &cie)) {
		const struct dmvpn_addr *a = dmvpn_addr_is_set(&cie.proto) ?
					     &cie.proto : &msg->src_proto;

		/* A length short of a host purges a network (RFC 2332 5.2.5). */
		plen = cie.prefix_len && cie.prefix_len < dmvpn_addr_host_plen(a) ?
		       cie.prefix_len : dmvpn_addr_host_plen(a);
		type = dmvpn_nhrp_key_type(t, a, plen, NULL, NULL);
		if (type != DMVPN_NHRP_TYPE_UNSPEC &&
		    type != DMVPN_NHRP_TYPE_STATIC &&
		    type != DMVPN_NHRP_TYPE_LOCAL)
			dmvpn_nhrp_del(t, a, plen, NULL);
	}
	/* Shortcuts through the purged peer are stale too. */
	dmvpn_nhrp_flush_peer(t, from, DMVPN_NHRP_TYPE_SHORTCUT);
	dmvpn_nhrp_log(t, "purge from %s\n", ADDR_A(&msg->src_proto));

	/* An NHS that forgot us wants us back: register now. */
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (dmvpn_addr_equal(&nhs->proto, &msg->src_proto)) {
			nhs->next_send = jiffies;
			nhs->awaiting = false;
		}
}

/*
 * "clear ip nhrp": before the learnt entries go, tell every peer they
 * pointed at to forget us.  Returns how many purges went out.  Process
 * context, engine->lock held.
 */
unsigned int dmvpn_nhrp_purge_peers(struct dmvpn_tunnel *t)
{
	const struct dmvpn_nhrp_conf *conf = dmvpn_nhrp_conf_locked(t);
	struct dmvpn_nhrp_wire_ext_spec exts[5];
	struct dmvpn_endpoint *to;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_wire_cie cie = {};
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = DMVPN_NHRP_HOPCNT,
		.cies = &cie,
		.n_cies = 1,
		.exts = exts,
	};
	unsigned int n = 0, max = 64, i, sent = 0;
	struct dmvpn_addr own;

	if (!dmvpn_nhrp_on(conf))
		return 0;
	to = kcalloc(max, sizeof(*to), GFP_KERNEL);
	if (!to)
		return 0;
	rcu_read_lock();
	spin_lock_bh(&t->lock);
	list_for_each_entry(e, &t->entries, list) {
		if (e->type == DMVPN_NHRP_TYPE_STATIC || !e->peer || n == max)
			continue;
		for (i = 0; i < n; i++)
			if (!memcmp(&to[i], &e->peer->nbma, sizeof(to[i])))
				break;
		if (i == n)
			to[n++] = e->peer->nbma;
	}
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();

	dmvpn_nhrp_local_nbma(t, &pkt.src_nbma);
	pkt.n_exts = dmvpn_nhrp_exts(conf, NULL, NULL, NULL, exts);
	for (i = 0; i < n; i++) {
		struct dmvpn_addr probe = {};

		probe.family = AF_INET;
		if (!dmvpn_nhrp_own_proto(t, &probe, &own))
			break;
		pkt.src_proto = own;
		pkt.dst_proto = own;
		cie.proto = own;
		cie.prefix_len = dmvpn_addr_host_plen(&own);
		pkt.request_id = dmvpn_nhrp_request_id(t);
		if (!dmvpn_nhrp_build_send(t, &to[i], DMVPN_NHRP_PURGE_REQ, &pkt))
			sent++;
	}
	kfree(to);
	return sent;
}

/* ---- receive ----------------------------------------------------------- */

static const char *dmvpn_nhrp_wire_err_text(enum dmvpn_nhrp_wire_err err)
{
	switch (err) {
	case DMVPN_NHRP_WIRE_ERR_TRUNCATED:
		return "truncated";
	case DMVPN_NHRP_WIRE_ERR_PKTSZ:
		return "packet size out of range";
	case DMVPN_NHRP_WIRE_ERR_CHECKSUM:
		return "bad checksum";
	case DMVPN_NHRP_WIRE_ERR_VERSION:
		return "unknown version";
	case DMVPN_NHRP_WIRE_ERR_AFN:
	case DMVPN_NHRP_WIRE_ERR_PROTO:
		return "unsupported address family";
	case DMVPN_NHRP_WIRE_ERR_TYPE:
		return "unknown packet type";
	case DMVPN_NHRP_WIRE_ERR_HOPCOUNT:
		return "hop count exhausted";
	case DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN:
		return "unknown compulsory extension";
	case DMVPN_NHRP_WIRE_ERR_EXT_INVALID:
	case DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED:
	case DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED:
		return "bad extension";
	default:
		return "lengths out of range";
	}
}

static void dmvpn_nhrp_input(struct dmvpn_tunnel *t, struct sk_buff *skb)
{
	const struct dmvpn_nhrp_conf *conf = dmvpn_nhrp_conf_locked(t);
	const struct dmvpn_endpoint *from = &dmvpn_nhrp_cb(skb)->from;
	struct dmvpn_nhrp_wire_msg msg;
	enum dmvpn_nhrp_wire_err err;

	if (!dmvpn_nhrp_on(conf)) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	if (skb_linearize(skb)) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		return;
	}
	err = dmvpn_nhrp_wire_parse(skb->data, skb->len, &msg);
	if (err) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_MALFORMED);
		dmvpn_nhrp_log(t, "dropped packet from %s: %s\n",
			       ADDR_A(&from->addr),
			       dmvpn_nhrp_wire_err_text(err));
		dmvpn_nhrp_error_ind(t, conf, &msg, skb->len, from,
				     dmvpn_nhrp_wire_errind(err, &msg));
		return;
	}
	dmvpn_nhrp_stat_inc(t, dmvpn_nhrp_type_stat(DMVPN_NHRP_STAT_RX_RES_REQ,
						    msg.type));
	dmvpn_nhrp_dbg(t, "Receive %s from NBMA %s, packet size %u, src %s, dst %s, req-id %u, code %u\n",
		       dmvpn_nhrp_type_name(msg.type), ADDR_A(&from->addr),
		       skb->len, ADDR_B(&msg.src_proto), ADDR_C(&msg.dst_proto),
		       msg.request_id, msg.code);

	if (conf->auth_len &&
	    !dmvpn_nhrp_wire_auth_match(&msg, DMVPN_NHRP_AUTH_SPI, conf->auth,
					conf->auth_len)) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_AUTH_FAILED);
		dmvpn_nhrp_log(t, "authentication %s in a packet from %s\n",
			       msg.ext[DMVPN_NHRP_EXT_AUTH].present ?
			       "mismatch" : "missing", ADDR_A(&from->addr));
		dmvpn_nhrp_error_ind(t, conf, &msg, skb->len, from,
				     DMVPN_NHRP_EI_AUTH_FAILURE);
		return;
	}

	switch (msg.type) {
	case DMVPN_NHRP_REG_REQ:
		dmvpn_nhrp_rcv_reg_req(t, conf, &msg, from);
		break;
	case DMVPN_NHRP_REG_REPLY:
		dmvpn_nhrp_rcv_reg_reply(t, conf, &msg);
		dmvpn_nhs_publish(t);
		break;
	case DMVPN_NHRP_RES_REQ:
		dmvpn_nhrp_rcv_res_req(t, conf, &msg, skb->len, from);
		break;
	case DMVPN_NHRP_RES_REPLY:
		dmvpn_nhrp_rcv_res_reply(t, conf, &msg, from);
		break;
	case DMVPN_NHRP_PURGE_REQ:
		dmvpn_nhrp_rcv_purge_req(t, conf, &msg, from);
		break;
	case DMVPN_NHRP_TRAFFIC_IND:
		dmvpn_nhrp_rcv_traffic_ind(t, conf, &msg);
		break;
	case DMVPN_NHRP_ERROR_IND:
		dmvpn_nhrp_log(t, "error indication %u from %s\n", msg.code, ADDR_A(&from->addr));
		break;
	default:
		/* Purge replies need no action. */
		break;
	}
}

static void dmvpn_nhrp_event(struct dmvpn_tunnel *t, struct sk_buff *skb)
{
	const struct dmvpn_nhrp_conf *conf = dmvpn_nhrp_conf_locked(t);
	struct dmvpn_nhrp_cb *cb = dmvpn_nhrp_cb(skb);

	if (!dmvpn_nhrp_on(conf))
		return;
	switch (cb->event) {
	case DMVPN_NHRP_EV_RESOLVE:
		dmvpn_nhrp_resolve(t, conf, &cb->target, false, false);
		break;
	case DMVPN_NHRP_EV_REDIRECT:
		if (conf->redirect)
			dmvpn_nhrp_send_redirect(t, conf, skb);
		break;
	}
}

static void dmvpn_nhrp_rx_work(struct work_struct *work)
{
	struct dmvpn_nhrp_engine *ng = container_of(work, struct dmvpn_nhrp_engine,
						    rx_work);
	struct dmvpn_tunnel *t = dmvpn_engine_tunnel(ng);
	struct sk_buff *skb;
	unsigned int budget = 64;

	mutex_lock(&ng->lock);
	while (budget-- && (skb = skb_dequeue(&ng->rxq))) {
		dmvpn_nhrp_input(t, skb);
		consume_skb(skb);
	}
	while ((skb = skb_dequeue(&ng->evq))) {
		dmvpn_nhrp_event(t, skb);
		consume_skb(skb);
	}
	mutex_unlock(&ng->lock);
	/* Let other work run between batches. */
	if (!skb_queue_empty(&ng->rxq))
		queue_work(dmvpn_wq, &ng->rx_work);
}

/* From receive.c: @skb->data is the NHRP packet.  Consumes @skb. */
void dmvpn_nhrp_rcv(struct dmvpn_tunnel *t, struct sk_buff *skb,
		    const struct dmvpn_endpoint *from)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;

	if (skb_queue_len(&ng->rxq) >= DMVPN_NHRP_RXQ_LEN) {
		dmvpn_nhrp_stat_inc(t, DMVPN_NHRP_STAT_RX_DROPPED);
		kfree_skb(skb);
		return;
	}
	skb_dst_drop(skb);
	dmvpn_nhrp_cb(skb)->from = *from;
	dev_sw_netstats_rx_add(t->dev, skb->len);
	skb_queue_tail(&ng->rxq, skb);
	queue_work(dmvpn_wq, &ng->rx_work);
}

/* Queue an event for the engine; the packet path never waits. */
static void dmvpn_nhrp_post(struct dmvpn_tunnel *t, struct sk_buff *ev)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;

	if (skb_queue_len(&ng->evq) >= DMVPN_NHRP_EVQ_LEN) {
		kfree_skb(ev);
		return;
	}
	skb_queue_tail(&ng->evq, ev);
	queue_work(dmvpn_wq, &ng->rx_work);
}

/*
 * Packet path: the next hop @nexthop has no usable entry.  Ask the engine
 * to resolve it (@resolve: no entry at all yet) and return the peer of
 * the preferred NHS for the packet to go through meanwhile, or NULL.
 */
struct dmvpn_peer *dmvpn_nhrp_miss(struct dmvpn_tunnel *t,
				   const struct dmvpn_addr *nexthop,
				   bool resolve)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	const struct dmvpn_nhrp_conf *conf = rcu_dereference_bh(ng->conf);
	struct sk_buff *ev;

	if (!dmvpn_nhrp_on(conf))
		return NULL;
	if (resolve) {
		ev = alloc_skb(0, GFP_ATOMIC);
		if (ev) {
			dmvpn_nhrp_cb(ev)->event = DMVPN_NHRP_EV_RESOLVE;
			dmvpn_nhrp_cb(ev)->target = *nexthop;
			dmvpn_nhrp_post(t, ev);
		}
	}
	return dmvpn_nhrp_nhs_peer(t, nexthop->family);
}

/*
 * Packet path: the peer of the preferred NHS, for traffic to a next hop
 * of @family that has no usable direct path; NULL if there is none.
 */
struct dmvpn_peer *dmvpn_nhrp_nhs_peer(struct dmvpn_tunnel *t,
				       sa_family_t family)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_addr via;

	spin_lock(&ng->via_lock);
	via = ng->via_nhs;
	spin_unlock(&ng->via_lock);
	if (!dmvpn_addr_is_set(&via) || via.family != family)
		return NULL;
	e = dmvpn_nhrp_lookup(t, &via);
	return e ? e->peer : NULL;
}

/*
 * Packet path: @skb came in on this tunnel and goes out of it again.
 * With "redirect", the engine sends the sender a Traffic Indication; at
 * most one per destination a second, the header of the packet inside.
 */
void dmvpn_nhrp_hairpin(struct dmvpn_tunnel *t, struct sk_buff *skb)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	const struct dmvpn_nhrp_conf *conf = rcu_dereference_bh(ng->conf);
	unsigned int len;
	struct sk_buff *ev;

	if (!dmvpn_nhrp_on(conf) || !conf->redirect ||
	    !__ratelimit(&ng->redirect_rs))
		return;
	len = min_t(unsigned int, skb->len,
		    (skb->protocol == htons(ETH_P_IP) ? sizeof(struct iphdr) :
		     sizeof(struct ipv6hdr)) + 8);
	ev = alloc_skb(len, GFP_ATOMIC);
	if (!ev)
		return;
	if (skb_copy_bits(skb, 0, skb_put(ev, len), len)) {
		kfree_skb(ev);
		return;
	}
	skb_reset_network_header(ev);
	ev->protocol = skb->protocol;
	dmvpn_nhrp_cb(ev)->event = DMVPN_NHRP_EV_REDIRECT;
	dmvpn_nhrp_post(t, ev);
}

/* ---- timers ------------------------------------------------------------ */

static void dmvpn_nhrp_tick(struct work_struct *work)
{
	struct dmvpn_nhrp_engine *ng = container_of(to_delayed_work(work),
						    struct dmvpn_nhrp_engine,
						    tick);
	struct dmvpn_tunnel *t = dmvpn_engine_tunnel(ng);
	const struct dmvpn_nhrp_conf *conf;
	struct dmvpn_nhs *nhs;

	mutex_lock(&ng->lock);
	conf = dmvpn_nhrp_conf_locked(t);
	list_for_each_entry(nhs, &ng->nhs, node)
		if (conf)
			dmvpn_nhs_tick(t, conf, nhs);
	if (conf) {
		dmvpn_nhrp_pending_tick(t, conf);
		if (dmvpn_nhrp_on(conf))
			dmvpn_nhrp_refresh(t, conf);
	}
	dmvpn_nhs_publish(t);
	mutex_unlock(&ng->lock);

	dmvpn_nhrp_expire(t, ktime_get_boottime_seconds());
	if (!READ_ONCE(ng->stopping))
		queue_delayed_work(dmvpn_wq, &ng->tick, HZ);
}

/* Run the timers now (after a configuration change). */
void dmvpn_nhrp_kick(struct dmvpn_tunnel *t)
{
	if (!READ_ONCE(t->nhrp_engine.stopping))
		mod_delayed_work(dmvpn_wq, &t->nhrp_engine.tick, 0);
}

/* ---- configuration helpers ------------------------------------------------ */

struct dmvpn_nhs *dmvpn_nhs_find(struct dmvpn_tunnel *t,
				 const struct dmvpn_addr *proto)
{
	struct dmvpn_nhs *nhs;

	lockdep_assert_held(&t->nhrp_engine.lock);
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node)
		if (dmvpn_addr_equal(&nhs->proto, proto))
			return nhs;
	return NULL;
}

/* Start over: register at once. */
void dmvpn_nhs_reset(struct dmvpn_nhs *nhs)
{
	nhs->state = DMVPN_NHS_STATE_WAITING;
	nhs->awaiting = false;
	nhs->backoff = 1;
	nhs->next_send = jiffies;
}

/* ---- static multicast destinations ------------------------------------------ */

int dmvpn_mcast_add(struct dmvpn_tunnel *t, const struct dmvpn_addr *nbma,
		    struct netlink_ext_ack *extack)
{
	struct dmvpn_endpoint ep = { .addr = *nbma };
	struct dmvpn_mcast_dst *md, *cur;
	struct dmvpn_peer *peer, *spare;
	int err = 0;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	spare = dmvpn_peer_alloc(t, &ep);
	if (!md || !spare) {
		kfree(md);
		dmvpn_peer_free(spare);
		return -ENOMEM;
	}
	spin_lock_bh(&t->lock);
	list_for_each_entry(cur, &t->mcast_static, node) {
		if (!memcmp(&cur->peer->nbma, &ep, sizeof(ep))) {
			NL_SET_ERR_MSG(extack, "this multicast destination exists already");
			err = -EEXIST;
			goto unlock;
		}
	}
	peer = dmvpn_peer_get(t, &ep, &spare);
	if (IS_ERR(peer)) {
		err = PTR_ERR(peer);
		goto unlock;
	}
	md->peer = peer;
	list_add_tail_rcu(&md->node, &t->mcast_static);
	md = NULL;
unlock:
	spin_unlock_bh(&t->lock);
	kfree(md);
	dmvpn_peer_free(spare);
	return err;
}

static void dmvpn_mcast_unlink(struct dmvpn_tunnel *t,
			       struct dmvpn_mcast_dst *md)
{
	lockdep_assert_held(&t->lock);
	list_del_rcu(&md->node);
	dmvpn_peer_put(md->peer);
	kfree_rcu(md, rcu);
}

int dmvpn_mcast_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *nbma,
		    struct netlink_ext_ack *extack)
{
	struct dmvpn_endpoint ep = { .addr = *nbma };
	struct dmvpn_mcast_dst *md;

	spin_lock_bh(&t->lock);
	list_for_each_entry(md, &t->mcast_static, node) {
		if (!memcmp(&md->peer->nbma, &ep, sizeof(ep))) {
			dmvpn_mcast_unlink(t, md);
			spin_unlock_bh(&t->lock);
			return 0;
		}
	}
	spin_unlock_bh(&t->lock);
	NL_SET_ERR_MSG(extack, "no such multicast destination");
	return -ENOENT;
}

void dmvpn_mcast_flush(struct dmvpn_tunnel *t)
{
	struct dmvpn_mcast_dst *md, *tmp;

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(md, tmp, &t->mcast_static, node)
		dmvpn_mcast_unlink(t, md);
	spin_unlock_bh(&t->lock);
}

/* ---- lifetime ------------------------------------------------------------- */

void dmvpn_nhrp_engine_init(struct dmvpn_tunnel *t)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	int i;

	INIT_LIST_HEAD(&t->mcast_static);
	mutex_init(&ng->lock);
	spin_lock_init(&ng->via_lock);
	INIT_LIST_HEAD(&ng->nhs);
	INIT_LIST_HEAD(&ng->pending);
	skb_queue_head_init(&ng->rxq);
	skb_queue_head_init(&ng->evq);
	INIT_WORK(&ng->rx_work, dmvpn_nhrp_rx_work);
	INIT_DELAYED_WORK(&ng->tick, dmvpn_nhrp_tick);
	ratelimit_state_init(&ng->log_rs, 5 * HZ, 20);
	ratelimit_state_init(&ng->errind_rs, HZ, 10);
	ratelimit_state_init(&ng->redirect_rs, HZ, 10);
	for (i = 0; i < __DMVPN_NHRP_STAT_MAX; i++)
		atomic64_set(&ng->stats[i], 0);
	get_random_bytes(&ng->next_request_id, sizeof(ng->next_request_id));
	queue_delayed_work(dmvpn_wq, &ng->tick, HZ);
}

/* ndo_uninit: no more timers or protocol work; forget the NHSs. */
void dmvpn_nhrp_engine_stop(struct dmvpn_tunnel *t)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	struct dmvpn_nhrp_pending *pr, *ptmp;
	struct dmvpn_nhs *nhs, *tmp;

	WRITE_ONCE(ng->stopping, true);
	cancel_delayed_work_sync(&ng->tick);
	cancel_work_sync(&ng->rx_work);
	skb_queue_purge(&ng->rxq);
	skb_queue_purge(&ng->evq);
	mutex_lock(&ng->lock);
	list_for_each_entry_safe(nhs, tmp, &ng->nhs, node) {
		list_del(&nhs->node);
		kfree(nhs);
	}
	ng->nhs_count = 0;
	list_for_each_entry_safe(pr, ptmp, &ng->pending, node)
		dmvpn_nhrp_pending_free(t, pr);
	mutex_unlock(&ng->lock);
	dmvpn_mcast_flush(t);
}

/* Destructor: readers are gone; late packets may still have queued. */
void dmvpn_nhrp_engine_free(struct dmvpn_tunnel *t)
{
	struct dmvpn_nhrp_engine *ng = &t->nhrp_engine;
	struct dmvpn_nhrp_conf *conf;

	/* A configuration change racing with uninit may have kicked the
	 * timer again; a receiver may have queued a packet.
	 */
	cancel_delayed_work_sync(&ng->tick);
	cancel_work_sync(&ng->rx_work);
	skb_queue_purge(&ng->rxq);
	skb_queue_purge(&ng->evq);
	conf = rcu_dereference_protected(ng->conf, true);
	if (conf)
		kfree_sensitive(conf);
	RCU_INIT_POINTER(ng->conf, NULL);
	mutex_destroy(&ng->lock);
}
