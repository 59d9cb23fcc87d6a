// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink commands of tunnel protection: the UDP socket, SAs,
 * peers, and the SA events.  The family itself and the shared helpers
 * are in netlink.c; Documentation/netlink/specs/dmvpn.yaml describes it.
 *
 * Key material arrives in DMVPN_SA_A_ENC_KEY / _AUTH_KEY, is handed to the
 * crypto API, and is then wiped from the request message; it is never
 * sent back.
 */
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "sa.h"
#include "dmvpn_netlink.h"

const struct nla_policy dmvpn_sa_policy[DMVPN_SA_A_MAX + 1] = {
	[DMVPN_SA_A_DIR] = NLA_POLICY_RANGE(NLA_U8, DMVPN_SA_DIR_IN,
					    DMVPN_SA_DIR_OUT),
	/* SPIs 1..255 are reserved by IANA (RFC 4303 2.1) */
	[DMVPN_SA_A_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[DMVPN_SA_A_PEER_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							dmvpn_nla_validate_addr),
	[DMVPN_SA_A_PEER_PORT] = { .type = NLA_U16 },
	[DMVPN_SA_A_ALG] = NLA_POLICY_RANGE(NLA_U32, DMVPN_ESP_AES128_GCM16,
					    DMVPN_ESP_ALG_MAX),
	[DMVPN_SA_A_ENC_KEY] = { .type = NLA_BINARY, .len = 64 },
	[DMVPN_SA_A_AUTH_KEY] = { .type = NLA_BINARY, .len = 64 },
	[DMVPN_SA_A_MODE] = NLA_POLICY_RANGE(NLA_U8, DMVPN_SA_MODE_TRANSPORT,
					     DMVPN_SA_MODE_TUNNEL),
	[DMVPN_SA_A_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32,
						    DMVPN_REPLAY_WINDOW_LIMIT),
	[DMVPN_SA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, DMVPN_SA_F_ALL),
	[DMVPN_SA_A_REQID] = { .type = NLA_U32 },
	[DMVPN_SA_A_SOFT_SECS] = { .type = NLA_U32 },
	[DMVPN_SA_A_HARD_SECS] = { .type = NLA_U32 },
	[DMVPN_SA_A_SOFT_KB] = { .type = NLA_U64 },
	[DMVPN_SA_A_HARD_KB] = { .type = NLA_U64 },
	[DMVPN_SA_A_STATE] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_STATE is kept by the module; cannot be set" },
	[DMVPN_SA_A_AGE] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_AGE is kept by the module; cannot be set" },
	[DMVPN_SA_A_LEFT_SECS] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_LEFT_SECS is reply-only; set DMVPN_SA_A_HARD_SECS" },
	[DMVPN_SA_A_LEFT_KB] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_LEFT_KB is reply-only; set DMVPN_SA_A_HARD_KB" },
	[DMVPN_SA_A_STATS] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_STATS is reply-only" },
	[DMVPN_SA_A_PAD] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_PAD is padding, not a setting" },
	[DMVPN_SA_A_SEQ] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_SA_A_SEQ is kept by the module; cannot be set" },
};

/* ---- sockets ----------------------------------------------------------- */

int dmvpn_nl_sock_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (!info->attrs[DMVPN_A_SOCK_FD]) {
		NL_SET_ERR_MSG(info->extack, "DMVPN_A_SOCK_FD (the socket) is required");
		err = -EINVAL;
		goto out;
	}
	rtnl_lock();
	err = dmvpn_sock_attach(t, nla_get_u32(info->attrs[DMVPN_A_SOCK_FD]),
				info->extack);
	rtnl_unlock();
	if (err && info->extack && !info->extack->bad_attr)
		info->extack->bad_attr = info->attrs[DMVPN_A_SOCK_FD];
out:
	dev_put(t->dev);
	return err;
}

int dmvpn_nl_sock_detach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	rtnl_lock();
	err = dmvpn_sock_detach(t, info->extack);
	rtnl_unlock();
	dev_put(t->dev);
	return err;
}

/* ---- SAs --------------------------------------------------------------- */

static void dmvpn_nl_wipe_keys(struct nlattr **tb)
{
	if (tb[DMVPN_SA_A_ENC_KEY])
		memzero_explicit(nla_data(tb[DMVPN_SA_A_ENC_KEY]),
				 nla_len(tb[DMVPN_SA_A_ENC_KEY]));
	if (tb[DMVPN_SA_A_AUTH_KEY])
		memzero_explicit(nla_data(tb[DMVPN_SA_A_AUTH_KEY]),
				 nla_len(tb[DMVPN_SA_A_AUTH_KEY]));
}

/* The peer an SA request names: address in the tunnel's family, port. */
static int dmvpn_nl_sa_peer(struct dmvpn_tunnel *t, struct nlattr **tb,
			    const struct nlattr *nest, bool required,
			    struct dmvpn_endpoint *ep,
			    struct netlink_ext_ack *extack)
{
	u8 family;

	memset(ep, 0, sizeof(*ep));
	if (!tb[DMVPN_SA_A_PEER_ADDR]) {
		if (!required)
			return 0;
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "DMVPN_SA_A_PEER_ADDR (the peer's NBMA address) is required");
		return -EINVAL;
	}
	dmvpn_addr_from_nla(&ep->addr, tb[DMVPN_SA_A_PEER_ADDR]);
	rcu_read_lock();
	family = rcu_dereference(t->params)->local.family;
	rcu_read_unlock();
	if (ep->addr.family != family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_SA_A_PEER_ADDR],
				    "peer address family differs from the tunnel's local address");
		return -EINVAL;
	}
	if (tb[DMVPN_SA_A_PEER_PORT]) {
		u16 port = nla_get_u16(tb[DMVPN_SA_A_PEER_PORT]);

		ep->port = port ? dmvpn_port_key(port) : 0;
	}
	return 0;
}

/* Parse DMVPN_A_SA into @tb; the tunnel must be protected. */
static int dmvpn_nl_sa_parse(struct dmvpn_tunnel *t, struct nlattr **attrs,
			     struct nlattr **tb, bool required,
			     struct netlink_ext_ack *extack)
{
	bool protect;
	int err;

	rcu_read_lock();
	protect = rcu_dereference(t->params)->protect;
	rcu_read_unlock();
	if (!protect) {
		NL_SET_ERR_MSG(extack,
			       "tunnel is not protected: SAs need a tunnel created with 'protect'");
		return -EOPNOTSUPP;
	}
	if (!attrs[DMVPN_A_SA]) {
		if (!required) {
			memset(tb, 0, sizeof(*tb) * (DMVPN_SA_A_MAX + 1));
			return 0;
		}
		NL_SET_ERR_MSG(extack, "DMVPN_A_SA (the SA) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DMVPN_SA_A_MAX, attrs[DMVPN_A_SA],
			       dmvpn_sa_policy, extack);
	return err;
}

/* DIR and SPI, plus the peer for outbound SAs: what names one SA. */
static int dmvpn_nl_sa_key(struct dmvpn_tunnel *t, struct nlattr **tb,
			   const struct nlattr *nest, u8 *dir, __be32 *spi,
			   struct dmvpn_endpoint *ep,
			   struct netlink_ext_ack *extack)
{
	if (!tb[DMVPN_SA_A_DIR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "DMVPN_SA_A_DIR (in or out) is required");
		return -EINVAL;
	}
	if (!tb[DMVPN_SA_A_SPI]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "DMVPN_SA_A_SPI is required");
		return -EINVAL;
	}
	*dir = nla_get_u8(tb[DMVPN_SA_A_DIR]);
	*spi = htonl(nla_get_u32(tb[DMVPN_SA_A_SPI]));
	return dmvpn_nl_sa_peer(t, tb, nest, *dir == DMVPN_SA_DIR_OUT, ep,
				extack);
}

int dmvpn_nl_sa_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_SA_A_MAX + 1] = {};
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[DMVPN_A_SA];
	struct dmvpn_sa_spec spec = {};
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs, extack);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		t = NULL;
		goto out;
	}
	err = dmvpn_nl_sa_parse(t, info->attrs, tb, true, extack);
	if (err)
		goto out;
	err = dmvpn_nl_sa_key(t, tb, nest, &spec.dir, &spec.spi, &spec.peer,
			      extack);
	if (err)
		goto out;
	if (!tb[DMVPN_SA_A_PEER_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "DMVPN_SA_A_PEER_ADDR (the peer's NBMA address) is required");
		err = -EINVAL;
		goto out;
	}
	if (!tb[DMVPN_SA_A_ALG]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "DMVPN_SA_A_ALG (the ESP algorithm) is required");
		err = -EINVAL;
		goto out;
	}
	spec.alg = nla_get_u32(tb[DMVPN_SA_A_ALG]);
	if (tb[DMVPN_SA_A_ENC_KEY]) {
		spec.keys.enc = nla_data(tb[DMVPN_SA_A_ENC_KEY]);
		spec.keys.enc_len = nla_len(tb[DMVPN_SA_A_ENC_KEY]);
	}
	if (tb[DMVPN_SA_A_AUTH_KEY]) {
		spec.keys.auth = nla_data(tb[DMVPN_SA_A_AUTH_KEY]);
		spec.keys.auth_len = nla_len(tb[DMVPN_SA_A_AUTH_KEY]);
	}
	spec.mode = tb[DMVPN_SA_A_MODE] ? nla_get_u8(tb[DMVPN_SA_A_MODE]) :
					  DMVPN_SA_MODE_TRANSPORT;
	spec.replay_window = tb[DMVPN_SA_A_REPLAY_WINDOW] ?
			     nla_get_u32(tb[DMVPN_SA_A_REPLAY_WINDOW]) :
			     DMVPN_REPLAY_WINDOW_DEFAULT;
	if (tb[DMVPN_SA_A_FLAGS])
		spec.flags = nla_get_u32(tb[DMVPN_SA_A_FLAGS]);
	if (tb[DMVPN_SA_A_REQID])
		spec.reqid = nla_get_u32(tb[DMVPN_SA_A_REQID]);
	if (tb[DMVPN_SA_A_SOFT_SECS])
		spec.soft_secs = nla_get_u32(tb[DMVPN_SA_A_SOFT_SECS]);
	if (tb[DMVPN_SA_A_HARD_SECS])
		spec.hard_secs = nla_get_u32(tb[DMVPN_SA_A_HARD_SECS]);
	if (tb[DMVPN_SA_A_SOFT_KB])
		spec.soft_kb = nla_get_u64(tb[DMVPN_SA_A_SOFT_KB]);
	if (tb[DMVPN_SA_A_HARD_KB])
		spec.hard_kb = nla_get_u64(tb[DMVPN_SA_A_HARD_KB]);
	if (spec.hard_kb > U64_MAX / 1024) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_SA_A_HARD_KB],
				    "hard lifetime in kilobytes is too large");
		err = -ERANGE;
		goto out;
	}
	if (spec.soft_kb > U64_MAX / 1024) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_SA_A_SOFT_KB],
				    "soft lifetime in kilobytes is too large");
		err = -ERANGE;
		goto out;
	}
	if (spec.soft_secs && spec.hard_secs && spec.soft_secs >= spec.hard_secs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_SA_A_SOFT_SECS],
				    "soft lifetime must be shorter than the hard lifetime");
		err = -EINVAL;
		goto out;
	}
	if (spec.soft_kb && spec.hard_kb && spec.soft_kb >= spec.hard_kb) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_SA_A_SOFT_KB],
				    "soft lifetime must be smaller than the hard lifetime");
		err = -EINVAL;
		goto out;
	}
	err = dmvpn_sa_add(t, &spec, extack);
	if (err && extack && !extack->bad_attr)
		extack->bad_attr = nest;
out:
	dmvpn_nl_wipe_keys(tb);
	memzero_explicit(&spec.keys, sizeof(spec.keys));
	if (t)
		dev_put(t->dev);
	return err;
}

int dmvpn_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_SA_A_MAX + 1];
	struct dmvpn_endpoint ep;
	struct dmvpn_tunnel *t;
	__be32 spi;
	int err;
	u8 dir;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nl_sa_parse(t, info->attrs, tb, true, info->extack);
	if (!err)
		err = dmvpn_nl_sa_key(t, tb, info->attrs[DMVPN_A_SA], &dir, &spi,
				      &ep, info->extack);
	if (!err)
		err = dmvpn_sa_del(t, dir, spi, &ep, info->extack);
	dev_put(t->dev);
	return err;
}

int dmvpn_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_SA_A_MAX + 1];
	struct dmvpn_endpoint ep;
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nl_sa_parse(t, info->attrs, tb, false, info->extack);
	if (!err)
		err = dmvpn_nl_sa_peer(t, tb, NULL, false, &ep, info->extack);
	if (!err)
		dmvpn_sa_flush(t, tb[DMVPN_SA_A_PEER_ADDR] ? &ep : NULL);
	dev_put(t->dev);
	return err;
}

static int dmvpn_put_peer_ep(struct sk_buff *skb, int addr_type, int port_type,
			     const struct dmvpn_endpoint *ep)
{
	return dmvpn_addr_put(skb, addr_type, &ep->addr) ||
	       nla_put_u16(skb, port_type, ntohs(dmvpn_endpoint_udp_port(ep)));
}

/* Fill one SA; under tunnel->lock or RCU. */
static int dmvpn_fill_sa_nest(struct sk_buff *skb, const struct dmvpn_sa *sa,
			      bool full)
{
	u64 now = ktime_get_boottime_seconds(), age = now - sa->created;
	u64 bytes = atomic64_read(&sa->bytes);
	u64 stats[__DMVPN_SA_STAT_MAX];
	struct nlattr *nest, *snest;
	u32 state = 0;
	int i;

	nest = nla_nest_start(skb, DMVPN_A_SA);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, DMVPN_SA_A_DIR, sa->dir) ||
	    nla_put_u32(skb, DMVPN_SA_A_SPI, ntohl(sa->spi)) ||
	    dmvpn_put_peer_ep(skb, DMVPN_SA_A_PEER_ADDR, DMVPN_SA_A_PEER_PORT,
			      &sa->peer->nbma) ||
	    nla_put_u32(skb, DMVPN_SA_A_REQID, sa->reqid))
		return -EMSGSIZE;
	if (!full)
		goto end;

	if (sa->dir == DMVPN_SA_DIR_OUT &&
	    rcu_access_pointer(sa->peer->sa_out) == sa)
		state |= DMVPN_SA_S_CURRENT;
	if (test_bit(DMVPN_SA_SOFT_NOTIFIED, &sa->state))
		state |= DMVPN_SA_S_SOFT_EXPIRED;
	if (nla_put_u32(skb, DMVPN_SA_A_ALG, sa->alg) ||
	    nla_put_u8(skb, DMVPN_SA_A_MODE, sa->mode) ||
	    nla_put_u32(skb, DMVPN_SA_A_FLAGS, sa->flags) ||
	    nla_put_u32(skb, DMVPN_SA_A_STATE, state) ||
	    nla_put_u64_64bit(skb, DMVPN_SA_A_AGE, age, DMVPN_SA_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_SA_A_SEQ,
			      sa->dir == DMVPN_SA_DIR_OUT ?
			      (u64)atomic64_read(&sa->seq_out.last) :
			      dmvpn_replay_top(sa->replay), DMVPN_SA_A_PAD))
		return -EMSGSIZE;
	if (sa->dir == DMVPN_SA_DIR_IN &&
	    nla_put_u32(skb, DMVPN_SA_A_REPLAY_WINDOW, sa->replay_window))
		return -EMSGSIZE;
	if ((sa->soft_secs &&
	     nla_put_u32(skb, DMVPN_SA_A_SOFT_SECS, sa->soft_secs)) ||
	    (sa->hard_secs &&
	     (nla_put_u32(skb, DMVPN_SA_A_HARD_SECS, sa->hard_secs) ||
	      nla_put_u32(skb, DMVPN_SA_A_LEFT_SECS,
			  age < sa->hard_secs ? sa->hard_secs - age : 0))) ||
	    (sa->soft_bytes &&
	     nla_put_u64_64bit(skb, DMVPN_SA_A_SOFT_KB, sa->soft_bytes / 1024,
			       DMVPN_SA_A_PAD)) ||
	    (sa->hard_bytes &&
	     (nla_put_u64_64bit(skb, DMVPN_SA_A_HARD_KB, sa->hard_bytes / 1024,
				DMVPN_SA_A_PAD) ||
	      nla_put_u64_64bit(skb, DMVPN_SA_A_LEFT_KB,
				bytes < sa->hard_bytes ?
				(sa->hard_bytes - bytes) / 1024 : 0,
				DMVPN_SA_A_PAD))))
		return -EMSGSIZE;

	dmvpn_sa_stats_read(sa, stats);
	snest = nla_nest_start(skb, DMVPN_SA_A_STATS);
	if (!snest)
		return -EMSGSIZE;
	for (i = DMVPN_SA_STAT_UNSPEC + 1; i <= DMVPN_SA_STAT_MAX; i++) {
		if (i == DMVPN_SA_STAT_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, stats[i], DMVPN_SA_STAT_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, snest);
end:
	nla_nest_end(skb, nest);
	return 0;
}

static int dmvpn_fill_sa(struct sk_buff *skb, struct dmvpn_tunnel *t,
			 const struct dmvpn_sa *sa, u8 cmd,
			 enum dmvpn_event event, u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex) ||
	    nla_put_string(skb, DMVPN_A_IFNAME, t->dev->name) ||
	    (event && nla_put_u8(skb, DMVPN_A_EVENT, event)) ||
	    dmvpn_fill_sa_nest(skb, sa, !event)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int dmvpn_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_SA_A_MAX + 1];
	struct dmvpn_endpoint ep;
	struct dmvpn_tunnel *t;
	struct sk_buff *msg;
	struct dmvpn_sa *sa;
	__be32 spi;
	int err;
	u8 dir;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nl_sa_parse(t, info->attrs, tb, true, info->extack);
	if (!err)
		err = dmvpn_nl_sa_key(t, tb, info->attrs[DMVPN_A_SA], &dir, &spi,
				      &ep, info->extack);
	if (err)
		goto out;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	spin_lock_bh(&t->lock);
	sa = dmvpn_sa_find(t, dir, spi, &ep);
	if (sa)
		err = dmvpn_fill_sa(msg, t, sa, DMVPN_CMD_SA_GET, 0,
				    info->snd_portid, info->snd_seq, 0);
	spin_unlock_bh(&t->lock);
	if (!sa) {
		NL_SET_ERR_MSG(info->extack, "no such SA on this tunnel");
		err = -ENOENT;
	}
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	dev_put(t->dev);
	return err;
}

/* A dump walks t->sas by position: SAs added meanwhile may be missed. */
struct dmvpn_sa_dump {
	struct dmvpn_dump_error error;	/* set: the request was refused */
	struct dmvpn_tunnel *tunnel;	/* device reference held */
	bool filter;			/* only SAs of one peer address ... */
	bool filter_port;		/* ... and port */
	struct dmvpn_endpoint peer;
	long done;
};

int dmvpn_nl_sa_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = dmvpn_genl_dump_attrs(cb);
	struct nlattr *tb[DMVPN_SA_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct dmvpn_sa_dump *dump;
	struct dmvpn_tunnel *t;
	int err;

	dump = kzalloc(sizeof(*dump), GFP_KERNEL);
	if (!dump)
		return -ENOMEM;
	cb->args[0] = (long)dump;
	t = dmvpn_tunnel_from_attrs(sock_net(cb->skb->sk), attrs, &extack);
	if (IS_ERR(t)) {
		dmvpn_dump_error_save(&dump->error, PTR_ERR(t), &extack);
		return 0;
	}
	dump->tunnel = t;
	err = dmvpn_nl_sa_parse(t, attrs, tb, false, &extack);
	if (!err)
		err = dmvpn_nl_sa_peer(t, tb, NULL, false, &dump->peer, &extack);
	if (err) {
		dmvpn_dump_error_save(&dump->error, err, &extack);
		return 0;
	}
	dump->filter = tb[DMVPN_SA_A_PEER_ADDR];
	dump->filter_port = tb[DMVPN_SA_A_PEER_PORT];
	return 0;
}

int dmvpn_nl_sa_get_done(struct netlink_callback *cb)
{
	struct dmvpn_sa_dump *dump = (struct dmvpn_sa_dump *)cb->args[0];

	if (dump) {
		if (dump->tunnel)
			dev_put(dump->tunnel->dev);
		kfree(dump);
	}
	return 0;
}

static bool dmvpn_sa_matches(const struct dmvpn_sa *sa,
			     const struct dmvpn_sa_dump *dump)
{
	if (!dump->filter)
		return true;
	if (dump->filter_port)
		return !memcmp(&sa->peer->nbma, &dump->peer, sizeof(dump->peer));
	/* Address only: every port (all the spokes behind one PAT). */
	return dmvpn_addr_equal(&sa->peer->nbma.addr, &dump->peer.addr);
}

int dmvpn_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmvpn_sa_dump *dump = (struct dmvpn_sa_dump *)cb->args[0];
	struct dmvpn_tunnel *t = dump->tunnel;
	struct dmvpn_sa *sa;
	long idx = 0;

	if (dump->error.err)
		return dmvpn_dump_error_report(&dump->error, cb);

	spin_lock_bh(&t->lock);
	list_for_each_entry(sa, &t->sas, list) {
		if (idx++ < dump->done)
			continue;
		if (!dmvpn_sa_matches(sa, dump))
			continue;
		if (dmvpn_fill_sa(skb, t, sa, DMVPN_CMD_SA_GET, 0,
				  NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			idx--;
			break;
		}
	}
	spin_unlock_bh(&t->lock);
	dump->done = idx;
	return skb->len;
}

/* ---- peers ------------------------------------------------------------- */

struct dmvpn_peer_dump {
	struct dmvpn_dump_error error;	/* set: the request was refused */
	struct dmvpn_tunnel *tunnel;	/* device reference held */
	struct rhashtable_iter iter;
};

static int dmvpn_fill_peer(struct sk_buff *skb, struct dmvpn_tunnel *t,
			   struct dmvpn_peer *peer, u8 cmd,
			   enum dmvpn_event event, u32 portid, u32 seq,
			   int flags)
{
	struct dmvpn_sa *sa;
	struct nlattr *nest;
	struct rtable *rt;
	__be32 saddr;
	u32 pmtu = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex) ||
	    nla_put_string(skb, DMVPN_A_IFNAME, t->dev->name) ||
	    (event && nla_put_u8(skb, DMVPN_A_EVENT, event)))
		goto cancel;
	nest = nla_nest_start(skb, DMVPN_A_PEER);
	if (!nest ||
	    dmvpn_put_peer_ep(skb, DMVPN_PEER_A_ADDR, DMVPN_PEER_A_PORT,
			      &peer->nbma))
		goto cancel;
	if (event)
		goto end;

	sa = rcu_dereference(peer->sa_out);
	local_bh_disable();
	rt = dst_cache_get_ip4(&peer->dst_cache, &saddr);
	local_bh_enable();
	if (rt) {
		pmtu = dst_mtu(&rt->dst);
		ip_rt_put(rt);
	}
	if ((sa && nla_put_u32(skb, DMVPN_PEER_A_SPI_OUT, ntohl(sa->spi))) ||
	    nla_put_u32(skb, DMVPN_PEER_A_HELD, skb_queue_len_lockless(&peer->hold)) ||
	    nla_put_u64_64bit(skb, DMVPN_PEER_A_NO_SA,
			      atomic64_read(&peer->no_sa), DMVPN_PEER_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_PEER_A_INVALID_SPI,
			      atomic64_read(&peer->invalid_spi),
			      DMVPN_PEER_A_PAD) ||
	    (pmtu && nla_put_u32(skb, DMVPN_PEER_A_PMTU, pmtu)))
		goto cancel;
end:
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int dmvpn_nl_peer_get_start(struct netlink_callback *cb)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_peer_dump *dump;
	struct dmvpn_tunnel *t;

	dump = kzalloc(sizeof(*dump), GFP_KERNEL);
	if (!dump)
		return -ENOMEM;
	cb->args[0] = (long)dump;
	t = dmvpn_tunnel_from_attrs(sock_net(cb->skb->sk),
				    dmvpn_genl_dump_attrs(cb), &extack);
	if (IS_ERR(t)) {
		dmvpn_dump_error_save(&dump->error, PTR_ERR(t), &extack);
		return 0;
	}
	dump->tunnel = t;
	rhashtable_walk_enter(&t->peers, &dump->iter);
	return 0;
}

int dmvpn_nl_peer_get_done(struct netlink_callback *cb)
{
	struct dmvpn_peer_dump *dump = (struct dmvpn_peer_dump *)cb->args[0];

	if (dump) {
		if (dump->tunnel) {
			rhashtable_walk_exit(&dump->iter);
			dev_put(dump->tunnel->dev);
		}
		kfree(dump);
	}
	return 0;
}

int dmvpn_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmvpn_peer_dump *dump = (struct dmvpn_peer_dump *)cb->args[0];
	struct dmvpn_peer *peer;

	if (dump->error.err)
		return dmvpn_dump_error_report(&dump->error, cb);
	rhashtable_walk_start(&dump->iter);
	peer = rhashtable_walk_peek(&dump->iter);
	for (;;) {
		if (IS_ERR(peer)) {
			if (PTR_ERR(peer) != -EAGAIN)
				break;
			peer = rhashtable_walk_next(&dump->iter);
			continue;
		}
		if (!peer)
			break;
		if (dmvpn_fill_peer(skb, dump->tunnel, peer, DMVPN_CMD_PEER_GET,
				    0, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		peer = rhashtable_walk_next(&dump->iter);
	}
	rhashtable_walk_stop(&dump->iter);
	return skb->len;
}

/* ---- events ------------------------------------------------------------ */

static bool dmvpn_nl_listened(struct dmvpn_tunnel *t)
{
	return genl_has_listeners(&dmvpn_genl_family, dev_net(t->dev), 0);
}

static void dmvpn_nl_multicast(struct dmvpn_tunnel *t, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&dmvpn_genl_family, dev_net(t->dev), msg, 0, 0,
				GFP_ATOMIC);
}

void dmvpn_genl_notify_acquire(struct dmvpn_tunnel *t,
			       const struct dmvpn_peer *peer)
{
	struct sk_buff *msg;

	if (!dmvpn_nl_listened(t))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	rcu_read_lock();
	if (dmvpn_fill_peer(msg, t, (struct dmvpn_peer *)peer,
			    DMVPN_CMD_SA_NOTIFY, DMVPN_EVENT_SA_ACQUIRE, 0, 0, 0)) {
		rcu_read_unlock();
		nlmsg_free(msg);
		return;
	}
	rcu_read_unlock();
	dmvpn_nl_multicast(t, msg);
}

void dmvpn_genl_notify_sa(struct dmvpn_tunnel *t, const struct dmvpn_sa *sa,
			  enum dmvpn_event event)
{
	struct sk_buff *msg;

	if (!dmvpn_nl_listened(t))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (dmvpn_fill_sa(msg, t, sa, DMVPN_CMD_SA_NOTIFY, event, 0, 0, 0)) {
		nlmsg_free(msg);
		return;
	}
	dmvpn_nl_multicast(t, msg);
}

void dmvpn_genl_notify_invalid_spi(struct dmvpn_tunnel *t, __be32 spi,
				   __be32 saddr, __be16 sport)
{
	struct dmvpn_addr addr;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	if (!dmvpn_nl_listened(t))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &dmvpn_genl_family, 0, DMVPN_CMD_SA_NOTIFY);
	if (!hdr)
		goto err;
	dmvpn_addr_set4(&addr, saddr);
	if (nla_put_u32(msg, DMVPN_A_IFINDEX, t->dev->ifindex) ||
	    nla_put_string(msg, DMVPN_A_IFNAME, t->dev->name) ||
	    nla_put_u8(msg, DMVPN_A_EVENT, DMVPN_EVENT_SA_INVALID_SPI))
		goto err;
	nest = nla_nest_start(msg, DMVPN_A_SA);
	if (!nest ||
	    nla_put_u32(msg, DMVPN_SA_A_SPI, ntohl(spi)) ||
	    dmvpn_addr_put(msg, DMVPN_SA_A_PEER_ADDR, &addr) ||
	    nla_put_u16(msg, DMVPN_SA_A_PEER_PORT, ntohs(sport)))
		goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	dmvpn_nl_multicast(t, msg);
	return;
err:
	nlmsg_free(msg);
}
