/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the generic netlink family's files share: the family itself (in
 * netlink.c), the request helpers, and the tunnel-protection commands
 * (in crypto_netlink.c) that netlink.c lists among the family's ops.
 */
#ifndef _DMVPN_NETLINK_H
#define _DMVPN_NETLINK_H

#include <net/genetlink.h>

#include "compat.h"
#include "dmvpn.h"

/*
 * A rejected dump request.  Linux 6.1 drops the extack of a dump's start
 * callback, so start only records the verdict and the first dumpit call
 * reports it, where the message reaches user space.
 */
struct dmvpn_dump_error {
	int err;
	const char *msg;
	const struct nlattr *attr;
};

static inline void dmvpn_dump_error_save(struct dmvpn_dump_error *e, int err,
					 const struct netlink_ext_ack *extack)
{
	e->err = err;
	e->msg = extack->_msg;
	e->attr = extack->bad_attr;
}

static inline int dmvpn_dump_error_report(const struct dmvpn_dump_error *e,
					  struct netlink_callback *cb)
{
	dmvpn_extack_set(cb->extack, e->attr, e->msg);
	return e->err;
}

extern struct genl_family dmvpn_genl_family;
extern const struct nla_policy dmvpn_sa_policy[DMVPN_SA_A_MAX + 1];

struct dmvpn_tunnel *dmvpn_tunnel_from_attrs(struct net *net,
					     struct nlattr **attrs,
					     struct netlink_ext_ack *extack);

int dmvpn_nl_sock_attach_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sock_detach_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sa_add_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_sa_get_start(struct netlink_callback *cb);
int dmvpn_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int dmvpn_nl_sa_get_done(struct netlink_callback *cb);
int dmvpn_nl_peer_get_start(struct netlink_callback *cb);
int dmvpn_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int dmvpn_nl_peer_get_done(struct netlink_callback *cb);

/* nhrp_netlink.c */
extern const struct nla_policy dmvpn_nhrp_conf_policy[DMVPN_NHRP_CONF_A_MAX + 1];
extern const struct nla_policy dmvpn_nhs_policy[DMVPN_NHS_A_MAX + 1];
extern const struct nla_policy dmvpn_mcast_policy[DMVPN_MCAST_A_MAX + 1];
int dmvpn_nl_fill_nhrp_dev(struct sk_buff *skb, struct dmvpn_tunnel *t);
int dmvpn_nl_nhrp_conf_set_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_add_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_del_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int dmvpn_nl_mcast_add_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_mcast_del_doit(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
void dmvpn_nl_nhrp_purge(struct dmvpn_tunnel *t);

#endif /* _DMVPN_NETLINK_H */
