// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink for "ip link add/set/show ... type dmvpn".
 *
 * The rtnetlink core parses IFLA_INFO_DATA leniently: it ignores unknown
 * attribute types and reports wrong sizes with a generic message.  A
 * router's configuration must not be silently half-applied, so
 * dmvpn_link_validate() walks the raw attributes itself and names the
 * offending one; the policy below only lets them through to it.
 */
#include <linux/if_link.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "dmvpn.h"

struct dmvpn_link_attr_rule {
	unsigned int len;		/* exact payload size */
	unsigned int alt_len;		/* second accepted size, or 0 */
	const char *bad_len_msg;
};

static const struct dmvpn_link_attr_rule dmvpn_link_rules[IFLA_DMVPN_MAX + 1] = {
	[IFLA_DMVPN_LOCAL] = { 4, 16,
		"IFLA_DMVPN_LOCAL (local) must be 4 bytes (IPv4) or 16 bytes (IPv6)" },
	[IFLA_DMVPN_REMOTE] = { 4, 16,
		"IFLA_DMVPN_REMOTE (remote) must be 4 bytes (IPv4) or 16 bytes (IPv6)" },
	[IFLA_DMVPN_KEY] = { 4, 0,
		"IFLA_DMVPN_KEY (key) must be 4 bytes: a 32-bit GRE key" },
	[IFLA_DMVPN_TTL] = { 1, 0, "IFLA_DMVPN_TTL (ttl) must be 1 byte" },
	[IFLA_DMVPN_TOS] = { 1, 0, "IFLA_DMVPN_TOS (tos) must be 1 byte" },
	[IFLA_DMVPN_LINK] = { 4, 0,
		"IFLA_DMVPN_LINK (dev) must be 4 bytes: an interface index" },
	[IFLA_DMVPN_NOKEY] = { 0, 0,
		"IFLA_DMVPN_NOKEY (nokey) is a flag and carries no value" },
	[IFLA_DMVPN_PROTECT] = { 1, 0,
		"IFLA_DMVPN_PROTECT (protect) must be 1 byte: 0 or 1" },
	[IFLA_DMVPN_TCP_MSS] = { 2, 0,
		"IFLA_DMVPN_TCP_MSS (tcp-mss) must be 2 bytes" },
};

/* Lets every known attribute through to dmvpn_link_validate(). */
static const struct nla_policy dmvpn_link_policy[IFLA_DMVPN_MAX + 1] = {
	[IFLA_DMVPN_LOCAL]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_REMOTE]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_KEY]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_TTL]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_TOS]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_LINK]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_NOKEY]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_PROTECT]	= { .type = NLA_BINARY },
	[IFLA_DMVPN_TCP_MSS]	= { .type = NLA_BINARY },
};

int dmvpn_link_check_raw(const struct nlattr *linkinfo,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *info[IFLA_INFO_MAX + 1];
	const struct nlattr *nla;
	int rem, err;

	err = nla_parse_nested_deprecated(info, IFLA_INFO_MAX, linkinfo, NULL,
					  NULL);
	if (err || !info[IFLA_INFO_DATA])
		return 0;

	nla_for_each_nested(nla, info[IFLA_INFO_DATA], rem) {
		const struct dmvpn_link_attr_rule *rule;
		int type = nla_type(nla);

		if (type <= IFLA_DMVPN_UNSPEC || type > IFLA_DMVPN_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "unknown dmvpn link attribute (is ip/dmvpnctl newer than the module?)");
			return -EINVAL;
		}
		rule = &dmvpn_link_rules[type];
		if (nla_len(nla) != rule->len &&
		    (!rule->alt_len || nla_len(nla) != rule->alt_len)) {
			dmvpn_extack_set(extack, nla, rule->bad_len_msg);
			return -EINVAL;
		}
	}
	if (rem) {
		NL_SET_ERR_MSG(extack, "trailing bytes after dmvpn link attributes");
		return -EINVAL;
	}
	return 0;
}

/* An NBMA address (local or remote), if present, must be IPv4 unicast. */
static int dmvpn_link_check_nbma(const struct nlattr *nla,
				 const char *not_unicast_msg,
				 struct netlink_ext_ack *extack)
{
	struct dmvpn_addr addr;

	if (!nla)
		return 0;
	dmvpn_addr_from_nla(&addr, nla);
	if (addr.family == AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "an IPv6 NBMA underlay is not supported yet");
		return -EOPNOTSUPP;
	}
	if (ipv4_is_zeronet(addr.v4) || ipv4_is_multicast(addr.v4) ||
	    ipv4_is_lbcast(addr.v4)) {
		dmvpn_extack_set(extack, nla, not_unicast_msg);
		return -EINVAL;
	}
	return 0;
}

static int dmvpn_link_validate(struct nlattr *tb[], struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	int err;

	if (tb[IFLA_LINKINFO]) {
		err = dmvpn_link_check_raw(tb[IFLA_LINKINFO], extack);
		if (err)
			return err;
	}
	if (!data)
		return 0;

	if (data[IFLA_DMVPN_KEY] && data[IFLA_DMVPN_NOKEY]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_NOKEY],
				    "key and nokey are mutually exclusive");
		return -EINVAL;
	}
	if (data[IFLA_DMVPN_PROTECT] && nla_get_u8(data[IFLA_DMVPN_PROTECT]) > 1) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_PROTECT],
				    "protect must be 0 or 1");
		return -EINVAL;
	}
	if (data[IFLA_DMVPN_TCP_MSS]) {
		u16 mss = nla_get_u16(data[IFLA_DMVPN_TCP_MSS]);

		/* IOS accepts 500..1460 for "ip tcp adjust-mss". */
		if (mss && (mss < 500 || mss > 1460)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_TCP_MSS],
					    "tcp-mss must be 500..1460 (or 0 to turn clamping off)");
			return -ERANGE;
		}
	}
	err = dmvpn_link_check_nbma(data[IFLA_DMVPN_LOCAL],
				    "local must be a unicast address", extack);
	if (err)
		return err;
	return dmvpn_link_check_nbma(data[IFLA_DMVPN_REMOTE],
				     "remote must be a unicast address", extack);
}

/* Overlay the attributes present in @data onto @p. */
static int dmvpn_link_apply(struct dmvpn_params *p, struct nlattr *data[],
			    bool creating, struct netlink_ext_ack *extack)
{
	bool was_p2p = dmvpn_addr_is_set(&p->remote);

	if (!data)
		return 0;
	if (data[IFLA_DMVPN_LOCAL])
		dmvpn_addr_from_nla(&p->local, data[IFLA_DMVPN_LOCAL]);
	if (data[IFLA_DMVPN_REMOTE]) {
		if (!creating && !was_p2p) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_REMOTE],
					    "a multipoint tunnel cannot become point-to-point; delete and re-create it");
			return -EOPNOTSUPP;
		}
		dmvpn_addr_from_nla(&p->remote, data[IFLA_DMVPN_REMOTE]);
	}
	if (data[IFLA_DMVPN_KEY]) {
		p->key_present = true;
		p->key = nla_get_u32(data[IFLA_DMVPN_KEY]);
	}
	if (data[IFLA_DMVPN_NOKEY]) {
		p->key_present = false;
		p->key = 0;
	}
	if (data[IFLA_DMVPN_TTL])
		p->ttl = nla_get_u8(data[IFLA_DMVPN_TTL]);
	if (data[IFLA_DMVPN_TOS])
		p->tos = nla_get_u8(data[IFLA_DMVPN_TOS]);
	if (data[IFLA_DMVPN_LINK])
		p->link = nla_get_u32(data[IFLA_DMVPN_LINK]);
	if (data[IFLA_DMVPN_PROTECT]) {
		bool protect = nla_get_u8(data[IFLA_DMVPN_PROTECT]);

		if (!creating && protect != p->protect) {
			/* Switching would expose or strand every peer's traffic
			 * at once: make it an explicit re-creation.
			 */
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_PROTECT],
					    "protection is fixed when the tunnel is created; delete and re-create it");
			return -EOPNOTSUPP;
		}
		p->protect = protect;
	}
	if (data[IFLA_DMVPN_TCP_MSS])
		p->tcp_mss = nla_get_u16(data[IFLA_DMVPN_TCP_MSS]);
	return 0;
}

static int dmvpn_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	struct dmvpn_params *p;
	int err;

	if (!data || !data[IFLA_DMVPN_LOCAL]) {
		NL_SET_ERR_MSG(extack,
			       "local address is required: ip link add NAME type dmvpn local ADDR");
		return -EINVAL;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->tos = DMVPN_TOS_INHERIT;
	err = dmvpn_link_apply(p, data, true, extack);
	if (err)
		goto err_free;

	t->dev = dev;
	t->net = dev_net(dev);
	err = dmvpn_tunnel_configure(t, p, extack);
	if (err)
		goto err_free;
	/* An MTU given with the command wins over the derived one. */
	if (tb[IFLA_MTU])
		dev->mtu = clamp_t(int, nla_get_u32(tb[IFLA_MTU]),
				   dev->min_mtu, dev->max_mtu);

	/* A protected tunnel receives GRE only inside ESP-in-UDP. */
	if (!p->protect) {
		err = dmvpn_gre_rcv_get(extack);
		if (err)
			goto err_unconfigure;
		t->holds_gre_rcv = true;
	}

	err = register_netdevice(dev);
	if (err) {
		/* If ndo_init ran, ndo_uninit and the destructor have already
		 * released what they own and cleared the pointers.
		 */
		if (t->holds_gre_rcv) {
			t->holds_gre_rcv = false;
			dmvpn_gre_rcv_put();
		}
		goto err_unconfigure;
	}
	return 0;

err_unconfigure:
	/* NULL if the destructor already freed it. */
	p = rcu_dereference_protected(t->params, true);
	RCU_INIT_POINTER(t->params, NULL);
err_free:
	kfree(p);
	return err;
}

static int dmvpn_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	const struct dmvpn_params *old = rtnl_dereference(t->params);
	struct dmvpn_params *p;
	int err;

	p = kmemdup(old, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = dmvpn_link_apply(p, data, false, extack);
	if (!err)
		err = dmvpn_tunnel_configure(t, p, extack);
	if (err)
		kfree(p);
	return err;
}

static size_t dmvpn_link_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(struct in6_addr)) +	/* LOCAL */
	       nla_total_size(sizeof(struct in6_addr)) +	/* REMOTE */
	       nla_total_size(sizeof(u32)) +			/* KEY */
	       nla_total_size(sizeof(u8)) +			/* TTL */
	       nla_total_size(sizeof(u8)) +			/* TOS */
	       nla_total_size(sizeof(u32)) +			/* LINK */
	       nla_total_size(sizeof(u8)) +			/* PROTECT */
	       nla_total_size(sizeof(u16));			/* TCP_MSS */
}

static int dmvpn_link_fill_info(struct sk_buff *skb,
				const struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	const struct dmvpn_params *p = rtnl_dereference(t->params);

	if (dmvpn_addr_put(skb, IFLA_DMVPN_LOCAL, &p->local) ||
	    (dmvpn_addr_is_set(&p->remote) &&
	     dmvpn_addr_put(skb, IFLA_DMVPN_REMOTE, &p->remote)) ||
	    (p->key_present && nla_put_u32(skb, IFLA_DMVPN_KEY, p->key)) ||
	    nla_put_u8(skb, IFLA_DMVPN_TTL, p->ttl) ||
	    nla_put_u8(skb, IFLA_DMVPN_TOS, p->tos) ||
	    nla_put_u32(skb, IFLA_DMVPN_LINK, p->link) ||
	    nla_put_u8(skb, IFLA_DMVPN_PROTECT, p->protect) ||
	    (p->tcp_mss && nla_put_u16(skb, IFLA_DMVPN_TCP_MSS, p->tcp_mss)))
		return -EMSGSIZE;
	return 0;
}

static struct net *dmvpn_get_link_net(const struct net_device *dev)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);

	return t->net;
}

struct rtnl_link_ops dmvpn_link_ops __read_mostly = {
	.kind		= DMVPN_LINK_KIND,
	.maxtype	= IFLA_DMVPN_MAX,
	.policy		= dmvpn_link_policy,
	.priv_size	= sizeof(struct dmvpn_tunnel),
	.setup		= dmvpn_setup,
	.validate	= dmvpn_link_validate,
	.newlink	= dmvpn_newlink,
	.changelink	= dmvpn_changelink,
	.get_size	= dmvpn_link_get_size,
	.fill_info	= dmvpn_link_fill_info,
	.get_link_net	= dmvpn_get_link_net,
};

int dmvpn_link_register(void)
{
	return rtnl_link_register(&dmvpn_link_ops);
}

void dmvpn_link_unregister(void)
{
	rtnl_link_unregister(&dmvpn_link_ops);
}
