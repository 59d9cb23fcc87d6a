// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "dmvpn": tunnel state, the NHRP cache, and its
 * change events; the tunnel-protection commands (socket, SAs, peers) are
 * in crypto_netlink.c.  Documentation/netlink/specs/dmvpn.yaml describes
 * it.
 * Requests are parsed strictly against the policies below; every rejection
 * carries an extack message naming the attribute.
 */
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "dmvpn_netlink.h"
#include "sa.h"

static const struct nla_policy dmvpn_nhrp_policy[DMVPN_NHRP_A_MAX + 1] = {
	[DMVPN_NHRP_A_PROTO_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							   dmvpn_nla_validate_addr),
	[DMVPN_NHRP_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[DMVPN_NHRP_A_NBMA_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							  dmvpn_nla_validate_addr),
	[DMVPN_NHRP_A_NBMA_PORT] = { .type = NLA_U16 },
	[DMVPN_NHRP_A_TYPE] = NLA_POLICY_RANGE(NLA_U8, DMVPN_NHRP_TYPE_STATIC,
					       DMVPN_NHRP_TYPE_MAX),
	[DMVPN_NHRP_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, DMVPN_NHRP_F_ALL),
	/* State the module keeps; only ever sent to user space. */
	[DMVPN_NHRP_A_AGE] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHRP_A_AGE is kept by the module; cannot be set" },
	[DMVPN_NHRP_A_EXPIRES] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHRP_A_EXPIRES is kept by the module; cannot be set" },
	[DMVPN_NHRP_A_NEXT_HOP] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHRP_A_NEXT_HOP is learnt by resolution; cannot be set" },
};

static const struct nla_policy dmvpn_policy[DMVPN_A_MAX + 1] = {
	[DMVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[DMVPN_A_IFNAME] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_A_IFNAME is reply-only; use DMVPN_A_IFINDEX" },
	[DMVPN_A_DEV] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_A_DEV is reply-only" },
	[DMVPN_A_NHRP] = NLA_POLICY_NESTED(dmvpn_nhrp_policy),
	[DMVPN_A_FLUSH_ALL] = { .type = NLA_FLAG },
	[DMVPN_A_EVENT] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_A_EVENT is only sent in notifications" },
	[DMVPN_A_SOCK_FD] = { .type = NLA_U32 },
	[DMVPN_A_SA] = NLA_POLICY_NESTED(dmvpn_sa_policy),
	[DMVPN_A_PEER] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_A_PEER is reply-only; name a peer inside DMVPN_A_SA" },
	[DMVPN_A_SOCK_PORT] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_A_SOCK_PORT is reply-only; use DMVPN_A_SOCK_FD" },
	[DMVPN_A_NHRP_CONF] = NLA_POLICY_NESTED(dmvpn_nhrp_conf_policy),
	[DMVPN_A_NHS] = NLA_POLICY_NESTED(dmvpn_nhs_policy),
	[DMVPN_A_MCAST] = NLA_POLICY_NESTED(dmvpn_mcast_policy),
};

/* Find the tunnel a request names; returns it with a device reference. */
struct dmvpn_tunnel *dmvpn_tunnel_from_attrs(struct net *net,
					     struct nlattr **attrs,
					     struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!attrs[DMVPN_A_IFINDEX]) {
		NL_SET_ERR_MSG(extack, "DMVPN_A_IFINDEX (the tunnel) is required");
		return ERR_PTR(-EINVAL);
	}
	dev = dev_get_by_index(net, nla_get_u32(attrs[DMVPN_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[DMVPN_A_IFINDEX],
				    "no such interface");
		return ERR_PTR(-ENODEV);
	}
	if (!dmvpn_is_tunnel(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, attrs[DMVPN_A_IFINDEX],
				    "interface is not a dmvpn tunnel");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static int dmvpn_fill_stats(struct sk_buff *skb, struct dmvpn_tunnel *t)
{
	u64 c[__DMVPN_STAT_MAX];
	struct nlattr *nest;
	int i;

	dmvpn_stats_read(t, c);
	nest = nla_nest_start(skb, DMVPN_DEV_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = DMVPN_STAT_UNSPEC + 1; i <= DMVPN_STAT_MAX; i++) {
		if (i == DMVPN_STAT_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, c[i], DMVPN_STAT_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int dmvpn_fill_dev(struct sk_buff *skb, struct dmvpn_tunnel *t,
			  u32 portid, u32 seq, int flags)
{
	const struct dmvpn_params *p;
	struct nlattr *nest;
	__be16 sock_port;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags,
			  DMVPN_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex) ||
	    nla_put_string(skb, DMVPN_A_IFNAME, t->dev->name))
		goto cancel;
	nest = nla_nest_start(skb, DMVPN_A_DEV);
	if (!nest)
		goto cancel;

	rcu_read_lock();
	p = rcu_dereference(t->params);
	if (dmvpn_addr_put(skb, DMVPN_DEV_A_LOCAL, &p->local) ||
	    (dmvpn_addr_is_set(&p->remote) &&
	     dmvpn_addr_put(skb, DMVPN_DEV_A_REMOTE, &p->remote)) ||
	    (p->key_present && nla_put_u32(skb, DMVPN_DEV_A_KEY, p->key)) ||
	    nla_put_u8(skb, DMVPN_DEV_A_TTL, p->ttl) ||
	    nla_put_u8(skb, DMVPN_DEV_A_TOS, p->tos) ||
	    nla_put_u32(skb, DMVPN_DEV_A_LINK, p->link) ||
	    nla_put_u8(skb, DMVPN_DEV_A_PROTECT, p->protect) ||
	    (p->tcp_mss && nla_put_u16(skb, DMVPN_DEV_A_TCP_MSS, p->tcp_mss))) {
		rcu_read_unlock();
		goto cancel;
	}
	sock_port = dmvpn_sock_port(t);
	rcu_read_unlock();
	if ((sock_port &&
	     nla_put_u16(skb, DMVPN_DEV_A_SOCK_PORT, ntohs(sock_port))) ||
	    nla_put_u32(skb, DMVPN_DEV_A_SA_COUNT, READ_ONCE(t->sa_count)))
		goto cancel;

	if (nla_put_u32(skb, DMVPN_DEV_A_NHRP_COUNT, READ_ONCE(t->nhrp_count)) ||
	    nla_put_u32(skb, DMVPN_DEV_A_PEER_COUNT, READ_ONCE(t->peer_count)) ||
	    dmvpn_fill_stats(skb, t) || dmvpn_nl_fill_nhrp_dev(skb, t))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Caller holds rcu_read_lock, which keeps @e and its peer alive. */
static int dmvpn_fill_nhrp(struct sk_buff *skb, struct dmvpn_tunnel *t,
			   const struct dmvpn_nhrp_entry *e, u8 cmd,
			   enum dmvpn_event event, u32 portid, u32 seq, int flags)
{
	const struct dmvpn_endpoint *nbma = e->peer ? &e->peer->nbma : NULL;
	u64 now = ktime_get_boottime_seconds();
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex) ||
	    (event && nla_put_u8(skb, DMVPN_A_EVENT, event)))
		goto cancel;
	nest = nla_nest_start(skb, DMVPN_A_NHRP);
	if (!nest)
		goto cancel;
	if (dmvpn_addr_put(skb, DMVPN_NHRP_A_PROTO_ADDR, &e->key.proto) ||
	    nla_put_u8(skb, DMVPN_NHRP_A_PREFIX_LEN, e->key.prefix_len) ||
	    (dmvpn_addr_is_set(&e->next_hop) &&
	     dmvpn_addr_put(skb, DMVPN_NHRP_A_NEXT_HOP, &e->next_hop)) ||
	    (nbma && dmvpn_addr_put(skb, DMVPN_NHRP_A_NBMA_ADDR, &nbma->addr)) ||
	    (nbma && nbma->port &&
	     nla_put_u16(skb, DMVPN_NHRP_A_NBMA_PORT, ntohs(nbma->port))) ||
	    nla_put_u8(skb, DMVPN_NHRP_A_TYPE, e->type) ||
	    nla_put_u32(skb, DMVPN_NHRP_A_FLAGS, dmvpn_nhrp_entry_flags(e)) ||
	    nla_put_u64_64bit(skb, DMVPN_NHRP_A_AGE,
			      now > e->created ? now - e->created : 0,
			      DMVPN_NHRP_A_PAD) ||
	    (e->expires &&
	     nla_put_u32(skb, DMVPN_NHRP_A_EXPIRES,
			 e->expires > now ? e->expires - now : 0)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int dmvpn_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;
	struct sk_buff *msg;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	err = dmvpn_fill_dev(msg, t, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	dev_put(t->dev);
	return err;
}

static int dmvpn_nl_dev_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long skip = cb->args[0], idx = 0;
	struct net_device *dev;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!dmvpn_is_tunnel(dev))
			continue;
		if (idx++ < skip)
			continue;
		if (dmvpn_fill_dev(skb, netdev_priv(dev),
				   NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int dmvpn_nhrp_spec_from_attrs(struct dmvpn_tunnel *t,
				      struct nlattr **attrs,
				      struct dmvpn_nhrp_spec *spec,
				      bool need_nbma,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DMVPN_NHRP_A_MAX + 1];
	u8 family;
	int err;

	if (!attrs[DMVPN_A_NHRP]) {
		NL_SET_ERR_MSG(extack, "DMVPN_A_NHRP (the entry) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DMVPN_NHRP_A_MAX, attrs[DMVPN_A_NHRP],
			       dmvpn_nhrp_policy, extack);
	if (err)
		return err;

	memset(spec, 0, sizeof(*spec));
	if (!tb[DMVPN_NHRP_A_PROTO_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[DMVPN_A_NHRP],
				    "DMVPN_NHRP_A_PROTO_ADDR (tunnel address) is required");
		return -EINVAL;
	}
	dmvpn_addr_from_nla(&spec->proto, tb[DMVPN_NHRP_A_PROTO_ADDR]);
	spec->prefix_len = dmvpn_addr_host_plen(&spec->proto);
	if (tb[DMVPN_NHRP_A_PREFIX_LEN]) {
		struct dmvpn_addr network = spec->proto;
		u8 len = nla_get_u8(tb[DMVPN_NHRP_A_PREFIX_LEN]);

		if (len > spec->prefix_len) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_PREFIX_LEN],
					    "prefix length is longer than the address (IPv4 has 32 bits)");
			return -EINVAL;
		}
		if (!len) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_PREFIX_LEN],
					    "a /0 entry would take every destination routed into the tunnel; map the NHS instead");
			return -EINVAL;
		}
		dmvpn_addr_mask(&network, len);
		if (!dmvpn_addr_equal(&network, &spec->proto)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_PROTO_ADDR],
					    "address has host bits set for its prefix length; give the network address");
			return -EINVAL;
		}
		spec->prefix_len = len;
	}
	if (!need_nbma)
		return 0;

	if (!tb[DMVPN_NHRP_A_NBMA_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[DMVPN_A_NHRP],
				    "DMVPN_NHRP_A_NBMA_ADDR (NBMA address) is required");
		return -EINVAL;
	}
	dmvpn_addr_from_nla(&spec->nbma.addr, tb[DMVPN_NHRP_A_NBMA_ADDR]);
	rcu_read_lock();
	family = rcu_dereference(t->params)->local.family;
	rcu_read_unlock();
	if (spec->nbma.addr.family != family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_NBMA_ADDR],
				    "NBMA address family differs from the tunnel's local address");
		return -EINVAL;
	}
	if (tb[DMVPN_NHRP_A_NBMA_PORT])
		spec->nbma.port = htons(nla_get_u16(tb[DMVPN_NHRP_A_NBMA_PORT]));

	spec->type = DMVPN_NHRP_TYPE_STATIC;
	if (tb[DMVPN_NHRP_A_TYPE] &&
	    nla_get_u8(tb[DMVPN_NHRP_A_TYPE]) != DMVPN_NHRP_TYPE_STATIC) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_TYPE],
				    "only static entries can be added; the others are learnt by NHRP");
		return -EOPNOTSUPP;
	}
	if (tb[DMVPN_NHRP_A_FLAGS]) {
		spec->flags = nla_get_u32(tb[DMVPN_NHRP_A_FLAGS]);
		if (spec->flags & ~DMVPN_NHRP_F_UNIQUE) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHRP_A_FLAGS],
					    "only the unique flag can be set; the others are state");
			return -EINVAL;
		}
	}
	return 0;
}

static int dmvpn_nl_nhrp_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_nhrp_spec spec;
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nhrp_spec_from_attrs(t, info->attrs, &spec, true,
					 info->extack);
	if (!err)
		err = dmvpn_nhrp_add(t, &spec,
				     info->nlhdr->nlmsg_flags & NLM_F_EXCL,
				     info->extack);
	dev_put(t->dev);
	return err;
}

static int dmvpn_nl_nhrp_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_nhrp_spec spec;
	struct dmvpn_tunnel *t;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nhrp_spec_from_attrs(t, info->attrs, &spec, false,
					 info->extack);
	if (!err)
		err = dmvpn_nhrp_del(t, &spec.proto, spec.prefix_len,
				     info->extack);
	dev_put(t->dev);
	return err;
}

static int dmvpn_nl_nhrp_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	dmvpn_nl_nhrp_purge(t);
	dmvpn_nhrp_flush(t, nla_get_flag(info->attrs[DMVPN_A_FLUSH_ALL]));
	dev_put(t->dev);
	return 0;
}

static int dmvpn_nl_nhrp_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_nhrp_key key;
	struct dmvpn_nhrp_entry *e;
	struct dmvpn_nhrp_spec spec;
	struct dmvpn_tunnel *t;
	struct sk_buff *msg;
	int err;

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_nhrp_spec_from_attrs(t, info->attrs, &spec, false,
					 info->extack);
	if (err)
		goto out;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	dmvpn_nhrp_key_set(&key, &spec.proto, spec.prefix_len);
	rcu_read_lock();
	e = dmvpn_nhrp_lookup_key(t, &key);
	if (e)
		err = dmvpn_fill_nhrp(msg, t, e, DMVPN_CMD_NHRP_GET, 0,
				      info->snd_portid, info->snd_seq, 0);
	rcu_read_unlock();
	if (!e) {
		NL_SET_ERR_MSG(info->extack, "no NHRP entry for this tunnel address or prefix");
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

/* State of an NHRP dump across the calls that fill successive messages. */
struct dmvpn_nhrp_dump {
	struct dmvpn_dump_error error;	/* set: the request was refused */
	struct dmvpn_tunnel *tunnel;	/* device reference held */
	struct rhashtable_iter iter;
};

static int dmvpn_nl_nhrp_get_start(struct netlink_callback *cb)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_nhrp_dump *dump;
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
	rhashtable_walk_enter(&t->nhrp, &dump->iter);
	return 0;
}

static int dmvpn_nl_nhrp_get_done(struct netlink_callback *cb)
{
	struct dmvpn_nhrp_dump *dump = (struct dmvpn_nhrp_dump *)cb->args[0];

	if (dump) {
		if (dump->tunnel) {
			rhashtable_walk_exit(&dump->iter);
			dev_put(dump->tunnel->dev);
		}
		kfree(dump);
	}
	return 0;
}

static int dmvpn_nl_nhrp_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct dmvpn_nhrp_dump *dump = (struct dmvpn_nhrp_dump *)cb->args[0];
	struct dmvpn_nhrp_entry *e;

	if (dump->error.err)
		return dmvpn_dump_error_report(&dump->error, cb);
	rhashtable_walk_start(&dump->iter);
	/* peek: an entry that did not fit last time is sent first now. */
	e = rhashtable_walk_peek(&dump->iter);
	for (;;) {
		if (IS_ERR(e)) {
			if (PTR_ERR(e) != -EAGAIN)
				break;
			/* The table was resized: restart from its new start;
			 * user space may see an entry twice, never miss one.
			 */
			e = rhashtable_walk_next(&dump->iter);
			continue;
		}
		if (!e)
			break;
		if (dmvpn_fill_nhrp(skb, dump->tunnel, e, DMVPN_CMD_NHRP_GET, 0,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		e = rhashtable_walk_next(&dump->iter);
	}
	rhashtable_walk_stop(&dump->iter);
	return skb->len;
}

void dmvpn_genl_notify_nhrp(struct dmvpn_tunnel *t,
			    const struct dmvpn_nhrp_entry *e,
			    enum dmvpn_event event)
{
	struct net *net = dev_net(t->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&dmvpn_genl_family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (dmvpn_fill_nhrp(msg, t, e, DMVPN_CMD_NHRP_NOTIFY, event, 0, 0, 0)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&dmvpn_genl_family, net, msg, 0, 0, GFP_ATOMIC);
}

static const struct genl_ops dmvpn_genl_ops[] = {
	{
		.cmd	= DMVPN_CMD_DEV_GET,
		.doit	= dmvpn_nl_dev_get_doit,
		.dumpit	= dmvpn_nl_dev_get_dumpit,
	},
	{
		.cmd	= DMVPN_CMD_NHRP_ADD,
		.doit	= dmvpn_nl_nhrp_add_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_NHRP_DEL,
		.doit	= dmvpn_nl_nhrp_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_NHRP_GET,
		.doit	= dmvpn_nl_nhrp_get_doit,
		.start	= dmvpn_nl_nhrp_get_start,
		.dumpit	= dmvpn_nl_nhrp_get_dumpit,
		.done	= dmvpn_nl_nhrp_get_done,
	},
	{
		.cmd	= DMVPN_CMD_NHRP_FLUSH,
		.doit	= dmvpn_nl_nhrp_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_SOCK_ATTACH,
		.doit	= dmvpn_nl_sock_attach_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_SOCK_DETACH,
		.doit	= dmvpn_nl_sock_detach_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_SA_ADD,
		.doit	= dmvpn_nl_sa_add_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_SA_DEL,
		.doit	= dmvpn_nl_sa_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		/* Admins only: SPIs and sequence numbers are SA state. */
		.cmd	= DMVPN_CMD_SA_GET,
		.doit	= dmvpn_nl_sa_get_doit,
		.start	= dmvpn_nl_sa_get_start,
		.dumpit	= dmvpn_nl_sa_get_dumpit,
		.done	= dmvpn_nl_sa_get_done,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_SA_FLUSH,
		.doit	= dmvpn_nl_sa_flush_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_PEER_GET,
		.start	= dmvpn_nl_peer_get_start,
		.dumpit	= dmvpn_nl_peer_get_dumpit,
		.done	= dmvpn_nl_peer_get_done,
	},
	{
		.cmd	= DMVPN_CMD_NHRP_CONF_SET,
		.doit	= dmvpn_nl_nhrp_conf_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_NHS_ADD,
		.doit	= dmvpn_nl_nhs_add_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_NHS_DEL,
		.doit	= dmvpn_nl_nhs_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_NHS_GET,
		.dumpit	= dmvpn_nl_nhs_get_dumpit,
	},
	{
		.cmd	= DMVPN_CMD_MCAST_ADD,
		.doit	= dmvpn_nl_mcast_add_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_MCAST_DEL,
		.doit	= dmvpn_nl_mcast_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= DMVPN_CMD_MCAST_GET,
		.dumpit	= dmvpn_nl_mcast_get_dumpit,
	},
};

static const struct genl_multicast_group dmvpn_mcgrps[] = {
	{ .name = DMVPN_MCGRP_EVENTS },
};

struct genl_family dmvpn_genl_family __ro_after_init = {
	.name		= DMVPN_GENL_NAME,
	.version	= DMVPN_GENL_VERSION,
	.maxattr	= DMVPN_A_MAX,
	.policy		= dmvpn_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= dmvpn_genl_ops,
	.n_ops		= ARRAY_SIZE(dmvpn_genl_ops),
	.resv_start_op	= DMVPN_CMD_NHRP_NOTIFY + 1,
	.mcgrps		= dmvpn_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(dmvpn_mcgrps),
};

int dmvpn_genl_register(void)
{
	return genl_register_family(&dmvpn_genl_family);
}

void dmvpn_genl_unregister(void)
{
	genl_unregister_family(&dmvpn_genl_family);
}
