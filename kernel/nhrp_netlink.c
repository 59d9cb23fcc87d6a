// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink commands of the NHRP protocol: the tunnel's NHRP
 * configuration ("ip nhrp network-id / holdtime / authentication /
 * redirect / shortcut / map multicast dynamic"), its next-hop servers
 * ("ip nhrp nhs") and static multicast destinations ("ip nhrp map
 * multicast"), and the NHRP part of DEV_GET replies.  Every change runs
 * under the engine's lock, as the protocol itself does.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "dmvpn_netlink.h"
#include "nhrp.h"

/* Bounds that keep state small and timers sane. */
#define DMVPN_NHS_MAX		16
#define DMVPN_MCAST_STATIC_MAX	256

/* NHRP carries holding times in 16 bits; the short policy form's bounds
 * are s16, hence full range validations.
 */
static struct netlink_range_validation dmvpn_holdtime_range __ro_after_init = {
	.min = 1, .max = U16_MAX,
};

static struct netlink_range_validation dmvpn_reg_interval_range __ro_after_init = {
	.min = 0, .max = U16_MAX,
};

const struct nla_policy dmvpn_nhrp_conf_policy[DMVPN_NHRP_CONF_A_MAX + 1] = {
	[DMVPN_NHRP_CONF_A_NETWORK_ID] = { .type = NLA_U32 },
	[DMVPN_NHRP_CONF_A_HOLDTIME] = NLA_POLICY_FULL_RANGE(NLA_U32,
							     &dmvpn_holdtime_range),
	[DMVPN_NHRP_CONF_A_REG_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32,
								 &dmvpn_reg_interval_range),
	/* Length checked by hand, for a message that says what is allowed. */
	[DMVPN_NHRP_CONF_A_AUTH] = { .type = NLA_BINARY },
	[DMVPN_NHRP_CONF_A_AUTH_CLEAR] = { .type = NLA_FLAG },
	[DMVPN_NHRP_CONF_A_AUTH_SET] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHRP_CONF_A_AUTH_SET is reply-only; set _AUTH" },
	[DMVPN_NHRP_CONF_A_REDIRECT] = NLA_POLICY_MAX(NLA_U8, 1),
	[DMVPN_NHRP_CONF_A_SHORTCUT] = NLA_POLICY_MAX(NLA_U8, 1),
	[DMVPN_NHRP_CONF_A_MCAST_DYNAMIC] = NLA_POLICY_MAX(NLA_U8, 1),
	[DMVPN_NHRP_CONF_A_REG_NO_UNIQUE] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy dmvpn_nhs_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_PROTO_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							  dmvpn_nla_validate_addr),
	[DMVPN_NHS_A_NBMA_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							 dmvpn_nla_validate_addr),
	[DMVPN_NHS_A_PRIORITY] = { .type = NLA_U8 },
	[DMVPN_NHS_A_STATE] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_STATE is kept by the module" },
	[DMVPN_NHS_A_REQ_SENT] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_REQ_SENT is kept by the module" },
	[DMVPN_NHS_A_REPLY_RECV] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_REPLY_RECV is kept by the module" },
	[DMVPN_NHS_A_LAST_REPLY] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_LAST_REPLY is kept by the module" },
	[DMVPN_NHS_A_NEXT_REG] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_NEXT_REG is kept by the module" },
	[DMVPN_NHS_A_LAST_CODE] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_LAST_CODE is kept by the module" },
	[DMVPN_NHS_A_NAT_ADDR] = { .type = NLA_REJECT,
		.reject_message = "DMVPN_NHS_A_NAT_ADDR is kept by the module" },
};

const struct nla_policy dmvpn_mcast_policy[DMVPN_MCAST_A_MAX + 1] = {
	[DMVPN_MCAST_A_NBMA_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							   dmvpn_nla_validate_addr),
};

static const struct dmvpn_nhrp_conf dmvpn_nhrp_conf_default = {
	.holdtime = DMVPN_NHRP_HOLDTIME_DEFAULT,
};

/* ---- DEV_GET ------------------------------------------------------------- */

int dmvpn_nl_fill_nhrp_dev(struct sk_buff *skb, struct dmvpn_tunnel *t)
{
	const struct dmvpn_nhrp_conf *conf;
	struct nlattr *nest;
	int i, err = -EMSGSIZE;

	nest = nla_nest_start(skb, DMVPN_DEV_A_NHRP_CONF);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	conf = rcu_dereference(t->nhrp_engine.conf) ?: &dmvpn_nhrp_conf_default;
	if (nla_put_u32(skb, DMVPN_NHRP_CONF_A_NETWORK_ID, conf->network_id) ||
	    nla_put_u32(skb, DMVPN_NHRP_CONF_A_HOLDTIME, conf->holdtime) ||
	    nla_put_u32(skb, DMVPN_NHRP_CONF_A_REG_INTERVAL, conf->reg_interval) ||
	    nla_put_u8(skb, DMVPN_NHRP_CONF_A_AUTH_SET, !!conf->auth_len) ||
	    nla_put_u8(skb, DMVPN_NHRP_CONF_A_REDIRECT, conf->redirect) ||
	    nla_put_u8(skb, DMVPN_NHRP_CONF_A_SHORTCUT, conf->shortcut) ||
	    nla_put_u8(skb, DMVPN_NHRP_CONF_A_MCAST_DYNAMIC, conf->mcast_dynamic) ||
	    nla_put_u8(skb, DMVPN_NHRP_CONF_A_REG_NO_UNIQUE, conf->reg_no_unique))
		goto unlock;
	rcu_read_unlock();
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, DMVPN_DEV_A_NHRP_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = DMVPN_NHRP_STAT_UNSPEC + 1; i < __DMVPN_NHRP_STAT_MAX; i++) {
		if (i == DMVPN_NHRP_STAT_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i,
				      atomic64_read(&t->nhrp_engine.stats[i]),
				      DMVPN_NHRP_STAT_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;

unlock:
	rcu_read_unlock();
	return err;
}

/* ---- NHRP_CONF_SET -------------------------------------------------------- */

static void dmvpn_nhrp_conf_free_rcu(struct rcu_head *rcu)
{
	/* The authentication key goes with it. */
	kfree_sensitive(container_of(rcu, struct dmvpn_nhrp_conf, rcu));
}

int dmvpn_nl_nhrp_conf_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_NHRP_CONF_A_MAX + 1];
	struct dmvpn_nhrp_conf *conf, *old;
	struct dmvpn_nhrp_engine *ng;
	struct dmvpn_tunnel *t;
	struct dmvpn_nhs *nhs;
	bool was_on;
	int err;

	if (!info->attrs[DMVPN_A_NHRP_CONF]) {
		NL_SET_ERR_MSG(info->extack, "DMVPN_A_NHRP_CONF (the settings) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DMVPN_NHRP_CONF_A_MAX,
			       info->attrs[DMVPN_A_NHRP_CONF],
			       dmvpn_nhrp_conf_policy, info->extack);
	if (err)
		return err;
	if (tb[DMVPN_NHRP_CONF_A_AUTH] &&
	    (!nla_len(tb[DMVPN_NHRP_CONF_A_AUTH]) ||
	     nla_len(tb[DMVPN_NHRP_CONF_A_AUTH]) > DMVPN_NHRP_AUTH_MAX)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DMVPN_NHRP_CONF_A_AUTH],
				    "the NHRP authentication key must have 1 to 8 bytes");
		return -EINVAL;
	}
	if (tb[DMVPN_NHRP_CONF_A_AUTH] && tb[DMVPN_NHRP_CONF_A_AUTH_CLEAR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DMVPN_NHRP_CONF_A_AUTH_CLEAR],
				    "set a key or clear it, not both");
		return -EINVAL;
	}

	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ng = &t->nhrp_engine;
	conf = kmalloc(sizeof(*conf), GFP_KERNEL);
	if (!conf) {
		err = -ENOMEM;
		goto out;
	}

	mutex_lock(&ng->lock);
	old = rcu_dereference_protected(ng->conf, lockdep_is_held(&ng->lock));
	*conf = old ? *old : dmvpn_nhrp_conf_default;
	was_on = conf->network_id;
	if (tb[DMVPN_NHRP_CONF_A_NETWORK_ID])
		conf->network_id = nla_get_u32(tb[DMVPN_NHRP_CONF_A_NETWORK_ID]);
	if (tb[DMVPN_NHRP_CONF_A_HOLDTIME])
		conf->holdtime = nla_get_u32(tb[DMVPN_NHRP_CONF_A_HOLDTIME]);
	if (tb[DMVPN_NHRP_CONF_A_REG_INTERVAL])
		conf->reg_interval = nla_get_u32(tb[DMVPN_NHRP_CONF_A_REG_INTERVAL]);
	if (tb[DMVPN_NHRP_CONF_A_AUTH_CLEAR]) {
		memzero_explicit(conf->auth, sizeof(conf->auth));
		conf->auth_len = 0;
	}
	if (tb[DMVPN_NHRP_CONF_A_AUTH]) {
		memzero_explicit(conf->auth, sizeof(conf->auth));
		conf->auth_len = nla_len(tb[DMVPN_NHRP_CONF_A_AUTH]);
		memcpy(conf->auth, nla_data(tb[DMVPN_NHRP_CONF_A_AUTH]),
		       conf->auth_len);
	}
	if (tb[DMVPN_NHRP_CONF_A_REDIRECT])
		conf->redirect = nla_get_u8(tb[DMVPN_NHRP_CONF_A_REDIRECT]);
	if (tb[DMVPN_NHRP_CONF_A_SHORTCUT])
		conf->shortcut = nla_get_u8(tb[DMVPN_NHRP_CONF_A_SHORTCUT]);
	if (tb[DMVPN_NHRP_CONF_A_MCAST_DYNAMIC])
		conf->mcast_dynamic = nla_get_u8(tb[DMVPN_NHRP_CONF_A_MCAST_DYNAMIC]);
	if (tb[DMVPN_NHRP_CONF_A_REG_NO_UNIQUE])
		conf->reg_no_unique = nla_get_u8(tb[DMVPN_NHRP_CONF_A_REG_NO_UNIQUE]);
	rcu_assign_pointer(ng->conf, conf);
	/* Turned on, or timers changed: register afresh. */
	if (!was_on || tb[DMVPN_NHRP_CONF_A_HOLDTIME] ||
	    tb[DMVPN_NHRP_CONF_A_REG_INTERVAL] || tb[DMVPN_NHRP_CONF_A_AUTH] ||
	    tb[DMVPN_NHRP_CONF_A_AUTH_CLEAR])
		list_for_each_entry(nhs, &ng->nhs, node)
			dmvpn_nhs_reset(nhs);
	mutex_unlock(&ng->lock);
	if (old)
		call_rcu(&old->rcu, dmvpn_nhrp_conf_free_rcu);
	dmvpn_nhrp_kick(t);
out:
	dev_put(t->dev);
	return err;
}

/* ---- NHS_ADD / NHS_DEL / NHS_GET -------------------------------------------- */

static int dmvpn_nhs_attrs(struct genl_info *info, struct nlattr **tb)
{
	int err;

	if (!info->attrs[DMVPN_A_NHS]) {
		NL_SET_ERR_MSG(info->extack, "DMVPN_A_NHS (the NHS) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DMVPN_NHS_A_MAX, info->attrs[DMVPN_A_NHS],
			       dmvpn_nhs_policy, info->extack);
	if (err)
		return err;
	if (!tb[DMVPN_NHS_A_PROTO_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMVPN_A_NHS],
				    "DMVPN_NHS_A_PROTO_ADDR (the NHS tunnel address) is required");
		return -EINVAL;
	}
	return 0;
}

int dmvpn_nl_nhs_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_NHS_A_MAX + 1];
	struct dmvpn_addr proto, nbma = {};
	struct dmvpn_nhrp_engine *ng;
	struct dmvpn_nhs *nhs, *fresh;
	struct dmvpn_tunnel *t;
	int err;

	err = dmvpn_nhs_attrs(info, tb);
	if (err)
		return err;
	dmvpn_addr_from_nla(&proto, tb[DMVPN_NHS_A_PROTO_ADDR]);
	if (tb[DMVPN_NHS_A_NBMA_ADDR]) {
		dmvpn_addr_from_nla(&nbma, tb[DMVPN_NHS_A_NBMA_ADDR]);
		if (nbma.family != AF_INET) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[DMVPN_NHS_A_NBMA_ADDR],
					    "an IPv6 NBMA underlay is not supported yet");
			return -EAFNOSUPPORT;
		}
	}
	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ng = &t->nhrp_engine;

	/* "ip nhrp nhs X nbma Y" is also "ip nhrp map X Y". */
	if (dmvpn_addr_is_set(&nbma)) {
		struct dmvpn_nhrp_spec spec = {
			.proto = proto,
			.prefix_len = dmvpn_addr_host_plen(&proto),
			.nbma = { .addr = nbma },
			.type = DMVPN_NHRP_TYPE_STATIC,
		};

		err = dmvpn_nhrp_add(t, &spec, false, info->extack);
		if (err)
			goto out;
	}

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh) {
		err = -ENOMEM;
		goto out;
	}
	mutex_lock(&ng->lock);
	nhs = dmvpn_nhs_find(t, &proto);
	if (!nhs) {
		if (ng->nhs_count >= DMVPN_NHS_MAX) {
			mutex_unlock(&ng->lock);
			kfree(fresh);
			NL_SET_ERR_MSG(info->extack, "a tunnel has at most 16 NHSs");
			err = -ENOSPC;
			goto out;
		}
		nhs = fresh;
		fresh = NULL;
		nhs->proto = proto;
		list_add_tail(&nhs->node, &ng->nhs);
		ng->nhs_count++;
	}
	nhs->nbma = nbma;
	if (tb[DMVPN_NHS_A_PRIORITY])
		nhs->priority = nla_get_u8(tb[DMVPN_NHS_A_PRIORITY]);
	dmvpn_nhs_reset(nhs);
	mutex_unlock(&ng->lock);
	kfree(fresh);
	dmvpn_nhrp_kick(t);
out:
	dev_put(t->dev);
	return err;
}

int dmvpn_nl_nhs_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[DMVPN_NHS_A_MAX + 1];
	struct dmvpn_nhrp_engine *ng;
	struct dmvpn_addr proto;
	struct dmvpn_tunnel *t;
	struct dmvpn_nhs *nhs;
	bool owned_map;
	int err;

	err = dmvpn_nhs_attrs(info, tb);
	if (err)
		return err;
	dmvpn_addr_from_nla(&proto, tb[DMVPN_NHS_A_PROTO_ADDR]);
	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ng = &t->nhrp_engine;
	mutex_lock(&ng->lock);
	nhs = dmvpn_nhs_find(t, &proto);
	if (nhs) {
		owned_map = dmvpn_addr_is_set(&nhs->nbma);
		list_del(&nhs->node);
		ng->nhs_count--;
		kfree(nhs);
	}
	mutex_unlock(&ng->lock);
	if (!nhs) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DMVPN_NHS_A_PROTO_ADDR],
				    "no NHS with this address");
		err = -ENOENT;
	} else if (owned_map) {
		/* The map that "nhs ... nbma" made goes with it. */
		dmvpn_nhrp_del(t, &proto, dmvpn_addr_host_plen(&proto), NULL);
	}
	dmvpn_nhrp_kick(t);
	dev_put(t->dev);
	return err;
}

static int dmvpn_fill_nhs(struct sk_buff *skb, struct dmvpn_tunnel *t,
			  const struct dmvpn_nhs *nhs, u32 portid, u32 seq)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, NLM_F_MULTI,
			  DMVPN_CMD_NHS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, DMVPN_A_NHS);
	if (!nest)
		goto cancel;
	if (dmvpn_addr_put(skb, DMVPN_NHS_A_PROTO_ADDR, &nhs->proto) ||
	    (dmvpn_addr_is_set(&nhs->nbma) &&
	     dmvpn_addr_put(skb, DMVPN_NHS_A_NBMA_ADDR, &nhs->nbma)) ||
	    nla_put_u8(skb, DMVPN_NHS_A_PRIORITY, nhs->priority) ||
	    nla_put_u8(skb, DMVPN_NHS_A_STATE, nhs->state ?: DMVPN_NHS_STATE_WAITING) ||
	    nla_put_u64_64bit(skb, DMVPN_NHS_A_REQ_SENT, nhs->req_sent,
			      DMVPN_NHS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_NHS_A_REPLY_RECV, nhs->reply_recv,
			      DMVPN_NHS_A_PAD) ||
	    (nhs->reply_recv &&
	     nla_put_u32(skb, DMVPN_NHS_A_LAST_REPLY,
			 (jiffies - nhs->last_reply) / HZ)) ||
	    (nhs->state != DMVPN_NHS_STATE_WAITING &&
	     nla_put_u32(skb, DMVPN_NHS_A_NEXT_REG,
			 time_after(nhs->next_send, jiffies) ?
			 (nhs->next_send - jiffies) / HZ : 0)) ||
	    ((nhs->reply_recv || nhs->last_code) &&
	     nla_put_u8(skb, DMVPN_NHS_A_LAST_CODE, nhs->last_code)) ||
	    (dmvpn_addr_is_set(&nhs->nat_addr) &&
	     dmvpn_addr_put(skb, DMVPN_NHS_A_NAT_ADDR, &nhs->nat_addr)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The dumps walk small lists under their locks; cb->args[0] is the
 * ifindex, args[1] how many were sent.
 */
static struct dmvpn_tunnel *dmvpn_dump_tunnel(struct netlink_callback *cb)
{
	return dmvpn_tunnel_from_attrs(sock_net(cb->skb->sk),
				       dmvpn_genl_dump_attrs(cb), cb->extack);
}

int dmvpn_nl_nhs_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmvpn_tunnel *t = dmvpn_dump_tunnel(cb);
	struct dmvpn_nhs *nhs;
	long i = 0;

	if (IS_ERR(t))
		return PTR_ERR(t);
	mutex_lock(&t->nhrp_engine.lock);
	list_for_each_entry(nhs, &t->nhrp_engine.nhs, node) {
		if (i++ < cb->args[1])
			continue;
		if (dmvpn_fill_nhs(skb, t, nhs, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq))
			break;
		cb->args[1]++;
	}
	mutex_unlock(&t->nhrp_engine.lock);
	dev_put(t->dev);
	return skb->len;
}

/* ---- MCAST_ADD / MCAST_DEL / MCAST_GET -------------------------------------- */

static int dmvpn_mcast_attr(struct genl_info *info, struct dmvpn_addr *nbma)
{
	struct nlattr *tb[DMVPN_MCAST_A_MAX + 1];
	int err;

	if (!info->attrs[DMVPN_A_MCAST]) {
		NL_SET_ERR_MSG(info->extack, "DMVPN_A_MCAST (the destination) is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DMVPN_MCAST_A_MAX, info->attrs[DMVPN_A_MCAST],
			       dmvpn_mcast_policy, info->extack);
	if (err)
		return err;
	if (!tb[DMVPN_MCAST_A_NBMA_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[DMVPN_A_MCAST],
				    "DMVPN_MCAST_A_NBMA_ADDR (the NBMA address) is required");
		return -EINVAL;
	}
	dmvpn_addr_from_nla(nbma, tb[DMVPN_MCAST_A_NBMA_ADDR]);
	if (nbma->family != AF_INET) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DMVPN_MCAST_A_NBMA_ADDR],
				    "an IPv6 NBMA underlay is not supported yet");
		return -EAFNOSUPPORT;
	}
	return 0;
}

int dmvpn_nl_mcast_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;
	struct dmvpn_addr nbma;
	struct dmvpn_mcast_dst *md;
	unsigned int n = 0;
	int err;

	err = dmvpn_mcast_attr(info, &nbma);
	if (err)
		return err;
	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	rcu_read_lock();
	list_for_each_entry_rcu(md, &t->mcast_static, node)
		n++;
	rcu_read_unlock();
	if (n >= DMVPN_MCAST_STATIC_MAX) {
		NL_SET_ERR_MSG(info->extack, "at most 256 static multicast destinations");
		err = -ENOSPC;
	} else {
		err = dmvpn_mcast_add(t, &nbma, info->extack);
	}
	dev_put(t->dev);
	return err;
}

int dmvpn_nl_mcast_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_tunnel *t;
	struct dmvpn_addr nbma;
	int err;

	err = dmvpn_mcast_attr(info, &nbma);
	if (err)
		return err;
	t = dmvpn_tunnel_from_attrs(genl_info_net(info), info->attrs,
				    info->extack);
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = dmvpn_mcast_del(t, &nbma, info->extack);
	dev_put(t->dev);
	return err;
}

int dmvpn_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dmvpn_tunnel *t = dmvpn_dump_tunnel(cb);
	struct dmvpn_mcast_dst *md;
	struct nlattr *nest;
	long i = 0;
	void *hdr;

	if (IS_ERR(t))
		return PTR_ERR(t);
	rcu_read_lock();
	list_for_each_entry_rcu(md, &t->mcast_static, node) {
		if (i++ < cb->args[1])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &dmvpn_genl_family,
				  NLM_F_MULTI, DMVPN_CMD_MCAST_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, DMVPN_A_IFINDEX, t->dev->ifindex))
			goto cancel;
		nest = nla_nest_start(skb, DMVPN_A_MCAST);
		if (!nest || dmvpn_addr_put(skb, DMVPN_MCAST_A_NBMA_ADDR,
					    &md->peer->nbma.addr))
			goto cancel;
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
		cb->args[1]++;
	}
	rcu_read_unlock();
	dev_put(t->dev);
	return skb->len;

cancel:
	genlmsg_cancel(skb, hdr);
	rcu_read_unlock();
	dev_put(t->dev);
	return skb->len;
}

/* "clear ip nhrp": purges to the peers first, then the flush. */
void dmvpn_nl_nhrp_purge(struct dmvpn_tunnel *t)
{
	mutex_lock(&t->nhrp_engine.lock);
	dmvpn_nhrp_purge_peers(t);
	mutex_unlock(&t->nhrp_engine.lock);
}
