// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/dmvpn.h>

#include "dmvpn_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* ---------------------------------------------------------------- builders */

struct nl_msg *dm_msg_alloc(int family, uint8_t cmd, int nlflags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, nlflags,
			 cmd, DMVPN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int dm_put_ifindex(struct nl_msg *msg, uint32_t ifindex)
{
	return nla_put_u32(msg, DMVPN_A_IFINDEX, ifindex) ? -EMSGSIZE : 0;
}

int dm_put_nhrp(struct nl_msg *msg, const struct dm_nhrp_entry *e)
{
	struct nlattr *nest;

	if (!e->proto.family)
		return -EINVAL;
	nest = nla_nest_start(msg, DMVPN_A_NHRP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, DMVPN_NHRP_A_PROTO_ADDR, e->proto.len, e->proto.bytes))
		goto fail;
	if (e->has_plen && nla_put_u8(msg, DMVPN_NHRP_A_PREFIX_LEN, e->plen))
		goto fail;
	if (e->nbma.family &&
	    nla_put(msg, DMVPN_NHRP_A_NBMA_ADDR, e->nbma.len, e->nbma.bytes))
		goto fail;
	if (e->port && nla_put_u16(msg, DMVPN_NHRP_A_NBMA_PORT, e->port))
		goto fail;
	nla_nest_end(msg, nest);
	return 0;
fail:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

int dm_put_flush_all(struct nl_msg *msg)
{
	return nla_put_flag(msg, DMVPN_A_FLUSH_ALL) ? -EMSGSIZE : 0;
}

int dm_put_sock_fd(struct nl_msg *msg, uint32_t fd)
{
	return nla_put_u32(msg, DMVPN_A_SOCK_FD, fd) ? -EMSGSIZE : 0;
}

static int put_sa_fields(struct nl_msg *msg, const struct dm_sa *sa)
{
	if (sa->dir && nla_put_u8(msg, DMVPN_SA_A_DIR, sa->dir))
		return -1;
	if (sa->has_spi && nla_put_u32(msg, DMVPN_SA_A_SPI, sa->spi))
		return -1;
	if (sa->peer.family &&
	    nla_put(msg, DMVPN_SA_A_PEER_ADDR, sa->peer.len, sa->peer.bytes))
		return -1;
	if (sa->port && nla_put_u16(msg, DMVPN_SA_A_PEER_PORT, sa->port))
		return -1;
	if (sa->alg && nla_put_u32(msg, DMVPN_SA_A_ALG, sa->alg))
		return -1;
	if (sa->has_enc_key && (sa->enc_key_len > sizeof(sa->enc_key) ||
	    nla_put(msg, DMVPN_SA_A_ENC_KEY, (int)sa->enc_key_len, sa->enc_key)))
		return -1;
	if (sa->has_auth_key && (sa->auth_key_len > sizeof(sa->auth_key) ||
	    nla_put(msg, DMVPN_SA_A_AUTH_KEY, (int)sa->auth_key_len, sa->auth_key)))
		return -1;
	if (sa->mode && nla_put_u8(msg, DMVPN_SA_A_MODE, sa->mode))
		return -1;
	if (sa->has_replay_window &&
	    nla_put_u32(msg, DMVPN_SA_A_REPLAY_WINDOW, sa->replay_window))
		return -1;
	if (sa->has_flags && nla_put_u32(msg, DMVPN_SA_A_FLAGS, sa->flags))
		return -1;
	if (sa->has_reqid && nla_put_u32(msg, DMVPN_SA_A_REQID, sa->reqid))
		return -1;
	if (sa->has_soft_secs &&
	    nla_put_u32(msg, DMVPN_SA_A_SOFT_SECS, sa->soft_secs))
		return -1;
	if (sa->has_hard_secs &&
	    nla_put_u32(msg, DMVPN_SA_A_HARD_SECS, sa->hard_secs))
		return -1;
	if (sa->has_soft_kb && nla_put_u64(msg, DMVPN_SA_A_SOFT_KB, sa->soft_kb))
		return -1;
	if (sa->has_hard_kb && nla_put_u64(msg, DMVPN_SA_A_HARD_KB, sa->hard_kb))
		return -1;
	return 0;
}

int dm_put_sa(struct nl_msg *msg, const struct dm_sa *sa)
{
	struct nlattr *nest = nla_nest_start(msg, DMVPN_A_SA);

	if (!nest)
		return -EMSGSIZE;
	if (put_sa_fields(msg, sa)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int dm_put_sa_peer(struct nl_msg *msg, const struct dm_addr *peer,
		   uint16_t port)
{
	struct dm_sa sa;

	if (!peer->family)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.peer = *peer;
	sa.port = port;
	return dm_put_sa(msg, &sa);
}

static int put_bool(struct nl_msg *msg, int type, bool has, bool v)
{
	return has && nla_put_u8(msg, type, v ? 1 : 0) ? -1 : 0;
}

int dm_put_nhrp_conf(struct nl_msg *msg, const struct dm_nhrp_conf *c)
{
	struct nlattr *nest;

	if (!(c->has_network_id || c->has_holdtime || c->has_reg_interval ||
	      c->has_auth || c->auth_clear || c->has_redirect ||
	      c->has_shortcut || c->has_mcast_dynamic || c->has_reg_no_unique))
		return -EINVAL;
	if (c->has_auth && (c->auth_clear || !c->auth_len ||
			    c->auth_len > sizeof(c->auth)))
		return -EINVAL;
	nest = nla_nest_start(msg, DMVPN_A_NHRP_CONF);
	if (!nest)
		return -EMSGSIZE;
	if ((c->has_network_id &&
	     nla_put_u32(msg, DMVPN_NHRP_CONF_A_NETWORK_ID, c->network_id)) ||
	    (c->has_holdtime &&
	     nla_put_u32(msg, DMVPN_NHRP_CONF_A_HOLDTIME, c->holdtime)) ||
	    (c->has_reg_interval &&
	     nla_put_u32(msg, DMVPN_NHRP_CONF_A_REG_INTERVAL, c->reg_interval)) ||
	    (c->has_auth &&
	     nla_put(msg, DMVPN_NHRP_CONF_A_AUTH, (int)c->auth_len, c->auth)) ||
	    (c->auth_clear && nla_put_flag(msg, DMVPN_NHRP_CONF_A_AUTH_CLEAR)) ||
	    put_bool(msg, DMVPN_NHRP_CONF_A_REDIRECT, c->has_redirect,
		     c->redirect) ||
	    put_bool(msg, DMVPN_NHRP_CONF_A_SHORTCUT, c->has_shortcut,
		     c->shortcut) ||
	    put_bool(msg, DMVPN_NHRP_CONF_A_MCAST_DYNAMIC, c->has_mcast_dynamic,
		     c->mcast_dynamic) ||
	    put_bool(msg, DMVPN_NHRP_CONF_A_REG_NO_UNIQUE, c->has_reg_no_unique,
		     c->reg_no_unique)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int dm_put_nhs(struct nl_msg *msg, const struct dm_nhs *nhs)
{
	struct nlattr *nest;

	if (!nhs->proto.family)
		return -EINVAL;
	nest = nla_nest_start(msg, DMVPN_A_NHS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, DMVPN_NHS_A_PROTO_ADDR, nhs->proto.len,
		    nhs->proto.bytes) ||
	    (nhs->nbma.family &&
	     nla_put(msg, DMVPN_NHS_A_NBMA_ADDR, nhs->nbma.len,
		     nhs->nbma.bytes)) ||
	    (nhs->has_priority &&
	     nla_put_u8(msg, DMVPN_NHS_A_PRIORITY, nhs->priority))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int dm_put_mcast(struct nl_msg *msg, const struct dm_addr *nbma)
{
	struct nlattr *nest;

	if (!nbma->family)
		return -EINVAL;
	nest = nla_nest_start(msg, DMVPN_A_MCAST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, DMVPN_MCAST_A_NBMA_ADDR, nbma->len, nbma->bytes)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* ----------------------------------------------------------------- parsers */

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (nla_len(a) != sizeof(*v))
		return -EINVAL;
	memcpy(v, nla_data(a), sizeof(*v));
	return 0;
}

static int get_addr(const struct nlattr *a, struct dm_addr *v)
{
	return dm_addr_from_bin(v, nla_data(a), (size_t)nla_len(a)) ? -EINVAL : 0;
}

static int get_ifname(const struct nlattr *a, char *name)
{
	int n = nla_len(a);
	const char *s = nla_data(a);

	if (n > 0 && s[n - 1] == '\0')
		n--;
	if (n <= 0 || n >= IF_NAMESIZE || memchr(s, '\0', (size_t)n))
		return -EINVAL;
	memcpy(name, s, (size_t)n);
	name[n] = '\0';
	return 0;
}

static int parse_nhrp_nest(struct nlattr *nest, struct dm_nhrp_entry *e)
{
	struct nlattr *tb[DMVPN_NHRP_A_MAX + 1];
	int err = 0;

	if (nla_parse_nested(tb, DMVPN_NHRP_A_MAX, nest, NULL))
		return -EINVAL;
	if (!tb[DMVPN_NHRP_A_PROTO_ADDR])
		return -EINVAL;
	err |= get_addr(tb[DMVPN_NHRP_A_PROTO_ADDR], &e->proto);
	e->plen = (uint8_t)dm_addr_max_plen(&e->proto);
	if (tb[DMVPN_NHRP_A_PREFIX_LEN]) {
		e->has_plen = true;
		err |= get_u8(tb[DMVPN_NHRP_A_PREFIX_LEN], &e->plen);
	}
	if (tb[DMVPN_NHRP_A_NBMA_ADDR])
		err |= get_addr(tb[DMVPN_NHRP_A_NBMA_ADDR], &e->nbma);
	if (tb[DMVPN_NHRP_A_NBMA_PORT])
		err |= get_u16(tb[DMVPN_NHRP_A_NBMA_PORT], &e->port);
	if (tb[DMVPN_NHRP_A_TYPE])
		err |= get_u8(tb[DMVPN_NHRP_A_TYPE], &e->type);
	if (tb[DMVPN_NHRP_A_FLAGS])
		err |= get_u32(tb[DMVPN_NHRP_A_FLAGS], &e->flags);
	if (tb[DMVPN_NHRP_A_AGE]) {
		e->has_age = true;
		err |= get_u64(tb[DMVPN_NHRP_A_AGE], &e->age);
	}
	if (tb[DMVPN_NHRP_A_EXPIRES]) {
		e->has_expires = true;
		err |= get_u32(tb[DMVPN_NHRP_A_EXPIRES], &e->expires);
	}
	if (tb[DMVPN_NHRP_A_NEXT_HOP])
		err |= get_addr(tb[DMVPN_NHRP_A_NEXT_HOP], &e->next_hop);
	if (e->plen > dm_addr_max_plen(&e->proto))
		return -EINVAL;
	return err ? -EINVAL : 0;
}

int dm_parse_nhrp_msg(struct nlmsghdr *nlh, struct dm_nhrp_entry *e,
		      uint8_t *event)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	int err = 0;

	memset(e, 0, sizeof(*e));
	if (event)
		*event = 0;
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_NHRP])
		return -EINVAL;
	if (tb[DMVPN_A_IFINDEX])
		err |= get_u32(tb[DMVPN_A_IFINDEX], &e->ifindex);
	if (tb[DMVPN_A_EVENT] && event)
		err |= get_u8(tb[DMVPN_A_EVENT], event);
	if (err)
		return -EINVAL;
	return parse_nhrp_nest(tb[DMVPN_A_NHRP], e);
}

static int parse_stats(struct nlattr *nest, struct dm_dev_info *d)
{
	struct nlattr *a;
	int rem;

	d->has_stats = true;
	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t == DMVPN_STAT_PAD || t == DMVPN_STAT_UNSPEC)
			continue;
		if (t >= DM_STAT_SLOTS)
			continue;	/* newer kernel, no room: skip */
		if (get_u64(a, &d->stats[t]))
			return -EINVAL;
		d->stat_present[t] = true;
	}
	return 0;
}

/* A u8 0/1 attribute into a bool; other values are malformed. */
static int get_bool(const struct nlattr *a, bool *has, bool *v)
{
	uint8_t u;

	if (get_u8(a, &u) || u > 1)
		return -EINVAL;
	*has = true;
	*v = u;
	return 0;
}

static int parse_nhrp_conf(struct nlattr *nest, struct dm_nhrp_conf *c)
{
	struct nlattr *tb[DMVPN_NHRP_CONF_A_MAX + 1];
	int err = 0;

	if (nla_parse_nested(tb, DMVPN_NHRP_CONF_A_MAX, nest, NULL))
		return -EINVAL;
	/* the key is write-only: a reply carrying it is broken */
	if (tb[DMVPN_NHRP_CONF_A_AUTH])
		return -EINVAL;
	if (tb[DMVPN_NHRP_CONF_A_NETWORK_ID]) {
		c->has_network_id = true;
		err |= get_u32(tb[DMVPN_NHRP_CONF_A_NETWORK_ID], &c->network_id);
	}
	if (tb[DMVPN_NHRP_CONF_A_HOLDTIME]) {
		c->has_holdtime = true;
		err |= get_u32(tb[DMVPN_NHRP_CONF_A_HOLDTIME], &c->holdtime);
	}
	if (tb[DMVPN_NHRP_CONF_A_REG_INTERVAL]) {
		c->has_reg_interval = true;
		err |= get_u32(tb[DMVPN_NHRP_CONF_A_REG_INTERVAL],
			       &c->reg_interval);
	}
	if (tb[DMVPN_NHRP_CONF_A_AUTH_SET])
		err |= get_bool(tb[DMVPN_NHRP_CONF_A_AUTH_SET], &c->has_auth_set,
				&c->auth_set);
	if (tb[DMVPN_NHRP_CONF_A_REDIRECT])
		err |= get_bool(tb[DMVPN_NHRP_CONF_A_REDIRECT], &c->has_redirect,
				&c->redirect);
	if (tb[DMVPN_NHRP_CONF_A_SHORTCUT])
		err |= get_bool(tb[DMVPN_NHRP_CONF_A_SHORTCUT], &c->has_shortcut,
				&c->shortcut);
	if (tb[DMVPN_NHRP_CONF_A_MCAST_DYNAMIC])
		err |= get_bool(tb[DMVPN_NHRP_CONF_A_MCAST_DYNAMIC],
				&c->has_mcast_dynamic, &c->mcast_dynamic);
	if (tb[DMVPN_NHRP_CONF_A_REG_NO_UNIQUE])
		err |= get_bool(tb[DMVPN_NHRP_CONF_A_REG_NO_UNIQUE],
				&c->has_reg_no_unique, &c->reg_no_unique);
	return err ? -EINVAL : 0;
}

static int parse_nhrp_stats(struct nlattr *nest, struct dm_dev_info *d)
{
	struct nlattr *a;
	int rem;

	d->has_nhrp_stats = true;
	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t == DMVPN_NHRP_STAT_PAD || t == DMVPN_NHRP_STAT_UNSPEC ||
		    t >= DM_NHRP_STAT_SLOTS)
			continue;
		if (get_u64(a, &d->nhrp_stats[t]))
			return -EINVAL;
		d->nhrp_stat_present[t] = true;
	}
	return 0;
}

int dm_parse_dev_msg(struct nlmsghdr *nlh, struct dm_dev_info *d)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct nlattr *dv[DMVPN_DEV_A_MAX + 1];
	int err = 0;

	memset(d, 0, sizeof(*d));
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_IFINDEX] || !tb[DMVPN_A_DEV])
		return -EINVAL;
	err |= get_u32(tb[DMVPN_A_IFINDEX], &d->ifindex);
	if (tb[DMVPN_A_IFNAME] && get_ifname(tb[DMVPN_A_IFNAME], d->ifname))
		return -EINVAL;
	if (nla_parse_nested(dv, DMVPN_DEV_A_MAX, tb[DMVPN_A_DEV], NULL))
		return -EINVAL;
	if (dv[DMVPN_DEV_A_LOCAL])
		err |= get_addr(dv[DMVPN_DEV_A_LOCAL], &d->local);
	if (dv[DMVPN_DEV_A_REMOTE])
		err |= get_addr(dv[DMVPN_DEV_A_REMOTE], &d->remote);
	if (dv[DMVPN_DEV_A_KEY]) {
		d->has_key = true;
		err |= get_u32(dv[DMVPN_DEV_A_KEY], &d->key);
	}
	if (dv[DMVPN_DEV_A_TTL])
		err |= get_u8(dv[DMVPN_DEV_A_TTL], &d->ttl);
	if (dv[DMVPN_DEV_A_TOS])
		err |= get_u8(dv[DMVPN_DEV_A_TOS], &d->tos);
	if (dv[DMVPN_DEV_A_LINK])
		err |= get_u32(dv[DMVPN_DEV_A_LINK], &d->link);
	if (dv[DMVPN_DEV_A_NHRP_COUNT]) {
		d->has_nhrp_count = true;
		err |= get_u32(dv[DMVPN_DEV_A_NHRP_COUNT], &d->nhrp_count);
	}
	if (dv[DMVPN_DEV_A_PEER_COUNT]) {
		d->has_peer_count = true;
		err |= get_u32(dv[DMVPN_DEV_A_PEER_COUNT], &d->peer_count);
	}
	if (dv[DMVPN_DEV_A_STATS])
		err |= parse_stats(dv[DMVPN_DEV_A_STATS], d);
	if (dv[DMVPN_DEV_A_PROTECT]) {
		uint8_t v = 0;

		d->has_protect = true;
		err |= get_u8(dv[DMVPN_DEV_A_PROTECT], &v);
		d->protect = v != 0;
	}
	if (dv[DMVPN_DEV_A_SOCK_PORT])
		err |= get_u16(dv[DMVPN_DEV_A_SOCK_PORT], &d->sock_port);
	if (dv[DMVPN_DEV_A_SA_COUNT]) {
		d->has_sa_count = true;
		err |= get_u32(dv[DMVPN_DEV_A_SA_COUNT], &d->sa_count);
	}
	if (dv[DMVPN_DEV_A_TCP_MSS])
		err |= get_u16(dv[DMVPN_DEV_A_TCP_MSS], &d->tcp_mss);
	if (dv[DMVPN_DEV_A_NHRP_CONF]) {
		d->has_nhrp_conf = true;
		err |= parse_nhrp_conf(dv[DMVPN_DEV_A_NHRP_CONF], &d->nhrp);
	}
	if (dv[DMVPN_DEV_A_NHRP_STATS])
		err |= parse_nhrp_stats(dv[DMVPN_DEV_A_NHRP_STATS], d);
	return err ? -EINVAL : 0;
}

/* Common header of SA and peer messages: ifindex, ifname, event. */
static int parse_head(struct nlattr **tb, uint32_t *ifindex, char *ifname,
		      uint8_t *event)
{
	int err = 0;

	if (tb[DMVPN_A_IFINDEX])
		err |= get_u32(tb[DMVPN_A_IFINDEX], ifindex);
	if (tb[DMVPN_A_IFNAME])
		err |= get_ifname(tb[DMVPN_A_IFNAME], ifname);
	if (tb[DMVPN_A_EVENT] && event)
		err |= get_u8(tb[DMVPN_A_EVENT], event);
	return err ? -EINVAL : 0;
}

static int parse_sa_stats(struct nlattr *nest, struct dm_sa *sa)
{
	struct nlattr *a;
	int rem;

	sa->has_stats = true;
	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t == DMVPN_SA_STAT_PAD || t == DMVPN_SA_STAT_UNSPEC ||
		    t >= DM_SA_STAT_SLOTS)
			continue;
		if (get_u64(a, &sa->stats[t]))
			return -EINVAL;
		sa->stat_present[t] = true;
	}
	return 0;
}

int dm_parse_sa_msg(struct nlmsghdr *nlh, struct dm_sa *sa, uint8_t *event)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct nlattr *st[DMVPN_SA_A_MAX + 1];
	int err = 0;

	memset(sa, 0, sizeof(*sa));
	if (event)
		*event = 0;
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_SA])
		return -EINVAL;
	if (parse_head(tb, &sa->ifindex, sa->ifname, event))
		return -EINVAL;
	if (nla_parse_nested(st, DMVPN_SA_A_MAX, tb[DMVPN_A_SA], NULL))
		return -EINVAL;
	if (!st[DMVPN_SA_A_SPI])
		return -EINVAL;
	if (st[DMVPN_SA_A_DIR])
		err |= get_u8(st[DMVPN_SA_A_DIR], &sa->dir);
	sa->has_spi = true;
	err |= get_u32(st[DMVPN_SA_A_SPI], &sa->spi);
	if (st[DMVPN_SA_A_PEER_ADDR])
		err |= get_addr(st[DMVPN_SA_A_PEER_ADDR], &sa->peer);
	if (st[DMVPN_SA_A_PEER_PORT])
		err |= get_u16(st[DMVPN_SA_A_PEER_PORT], &sa->port);
	if (st[DMVPN_SA_A_ALG])
		err |= get_u32(st[DMVPN_SA_A_ALG], &sa->alg);
	if (st[DMVPN_SA_A_MODE])
		err |= get_u8(st[DMVPN_SA_A_MODE], &sa->mode);
	if (st[DMVPN_SA_A_REPLAY_WINDOW]) {
		sa->has_replay_window = true;
		err |= get_u32(st[DMVPN_SA_A_REPLAY_WINDOW], &sa->replay_window);
	}
	if (st[DMVPN_SA_A_FLAGS]) {
		sa->has_flags = true;
		err |= get_u32(st[DMVPN_SA_A_FLAGS], &sa->flags);
	}
	if (st[DMVPN_SA_A_REQID]) {
		sa->has_reqid = true;
		err |= get_u32(st[DMVPN_SA_A_REQID], &sa->reqid);
	}
	if (st[DMVPN_SA_A_SOFT_SECS]) {
		sa->has_soft_secs = true;
		err |= get_u32(st[DMVPN_SA_A_SOFT_SECS], &sa->soft_secs);
	}
	if (st[DMVPN_SA_A_HARD_SECS]) {
		sa->has_hard_secs = true;
		err |= get_u32(st[DMVPN_SA_A_HARD_SECS], &sa->hard_secs);
	}
	if (st[DMVPN_SA_A_SOFT_KB]) {
		sa->has_soft_kb = true;
		err |= get_u64(st[DMVPN_SA_A_SOFT_KB], &sa->soft_kb);
	}
	if (st[DMVPN_SA_A_HARD_KB]) {
		sa->has_hard_kb = true;
		err |= get_u64(st[DMVPN_SA_A_HARD_KB], &sa->hard_kb);
	}
	if (st[DMVPN_SA_A_STATE]) {
		sa->has_state = true;
		err |= get_u32(st[DMVPN_SA_A_STATE], &sa->state);
	}
	if (st[DMVPN_SA_A_AGE]) {
		sa->has_age = true;
		err |= get_u64(st[DMVPN_SA_A_AGE], &sa->age);
	}
	if (st[DMVPN_SA_A_LEFT_SECS]) {
		sa->has_left_secs = true;
		err |= get_u32(st[DMVPN_SA_A_LEFT_SECS], &sa->left_secs);
	}
	if (st[DMVPN_SA_A_LEFT_KB]) {
		sa->has_left_kb = true;
		err |= get_u64(st[DMVPN_SA_A_LEFT_KB], &sa->left_kb);
	}
	if (st[DMVPN_SA_A_SEQ]) {
		sa->has_seq = true;
		err |= get_u64(st[DMVPN_SA_A_SEQ], &sa->seq);
	}
	/* key material never comes back; a reply carrying it is broken */
	if (st[DMVPN_SA_A_ENC_KEY] || st[DMVPN_SA_A_AUTH_KEY])
		return -EINVAL;
	if (st[DMVPN_SA_A_STATS])
		err |= parse_sa_stats(st[DMVPN_SA_A_STATS], sa);
	return err ? -EINVAL : 0;
}

int dm_parse_peer_msg(struct nlmsghdr *nlh, struct dm_peer *p, uint8_t *event)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct nlattr *pt[DMVPN_PEER_A_MAX + 1];
	int err = 0;

	memset(p, 0, sizeof(*p));
	if (event)
		*event = 0;
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_PEER])
		return -EINVAL;
	if (parse_head(tb, &p->ifindex, p->ifname, event))
		return -EINVAL;
	if (nla_parse_nested(pt, DMVPN_PEER_A_MAX, tb[DMVPN_A_PEER], NULL))
		return -EINVAL;
	if (!pt[DMVPN_PEER_A_ADDR])
		return -EINVAL;
	err |= get_addr(pt[DMVPN_PEER_A_ADDR], &p->addr);
	if (pt[DMVPN_PEER_A_PORT])
		err |= get_u16(pt[DMVPN_PEER_A_PORT], &p->port);
	if (pt[DMVPN_PEER_A_SPI_OUT]) {
		p->has_spi_out = true;
		err |= get_u32(pt[DMVPN_PEER_A_SPI_OUT], &p->spi_out);
	}
	if (pt[DMVPN_PEER_A_HELD])
		err |= get_u32(pt[DMVPN_PEER_A_HELD], &p->held);
	if (pt[DMVPN_PEER_A_NO_SA])
		err |= get_u64(pt[DMVPN_PEER_A_NO_SA], &p->no_sa);
	if (pt[DMVPN_PEER_A_INVALID_SPI])
		err |= get_u64(pt[DMVPN_PEER_A_INVALID_SPI], &p->invalid_spi);
	if (pt[DMVPN_PEER_A_PMTU]) {
		p->has_pmtu = true;
		err |= get_u32(pt[DMVPN_PEER_A_PMTU], &p->pmtu);
	}
	return err ? -EINVAL : 0;
}

int dm_parse_nhs_msg(struct nlmsghdr *nlh, struct dm_nhs *nhs)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct nlattr *nt[DMVPN_NHS_A_MAX + 1];
	int err = 0;

	memset(nhs, 0, sizeof(*nhs));
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_NHS])
		return -EINVAL;
	if (parse_head(tb, &nhs->ifindex, nhs->ifname, NULL))
		return -EINVAL;
	if (nla_parse_nested(nt, DMVPN_NHS_A_MAX, tb[DMVPN_A_NHS], NULL))
		return -EINVAL;
	if (!nt[DMVPN_NHS_A_PROTO_ADDR])
		return -EINVAL;
	err |= get_addr(nt[DMVPN_NHS_A_PROTO_ADDR], &nhs->proto);
	if (nt[DMVPN_NHS_A_NBMA_ADDR])
		err |= get_addr(nt[DMVPN_NHS_A_NBMA_ADDR], &nhs->nbma);
	if (nt[DMVPN_NHS_A_PRIORITY]) {
		nhs->has_priority = true;
		err |= get_u8(nt[DMVPN_NHS_A_PRIORITY], &nhs->priority);
	}
	if (nt[DMVPN_NHS_A_STATE])
		err |= get_u8(nt[DMVPN_NHS_A_STATE], &nhs->state);
	if (nt[DMVPN_NHS_A_REQ_SENT]) {
		nhs->has_req_sent = true;
		err |= get_u64(nt[DMVPN_NHS_A_REQ_SENT], &nhs->req_sent);
	}
	if (nt[DMVPN_NHS_A_REPLY_RECV]) {
		nhs->has_reply_recv = true;
		err |= get_u64(nt[DMVPN_NHS_A_REPLY_RECV], &nhs->reply_recv);
	}
	if (nt[DMVPN_NHS_A_LAST_REPLY]) {
		nhs->has_last_reply = true;
		err |= get_u32(nt[DMVPN_NHS_A_LAST_REPLY], &nhs->last_reply);
	}
	if (nt[DMVPN_NHS_A_NEXT_REG]) {
		nhs->has_next_reg = true;
		err |= get_u32(nt[DMVPN_NHS_A_NEXT_REG], &nhs->next_reg);
	}
	if (nt[DMVPN_NHS_A_LAST_CODE]) {
		nhs->has_last_code = true;
		err |= get_u8(nt[DMVPN_NHS_A_LAST_CODE], &nhs->last_code);
	}
	if (nt[DMVPN_NHS_A_NAT_ADDR])
		err |= get_addr(nt[DMVPN_NHS_A_NAT_ADDR], &nhs->nat_addr);
	return err ? -EINVAL : 0;
}

int dm_parse_mcast_msg(struct nlmsghdr *nlh, struct dm_mcast *m)
{
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct nlattr *mt[DMVPN_MCAST_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, NULL))
		return -EINVAL;
	if (!tb[DMVPN_A_MCAST])
		return -EINVAL;
	if (parse_head(tb, &m->ifindex, m->ifname, NULL))
		return -EINVAL;
	if (nla_parse_nested(mt, DMVPN_MCAST_A_MAX, tb[DMVPN_A_MCAST], NULL))
		return -EINVAL;
	if (!mt[DMVPN_MCAST_A_NBMA_ADDR])
		return -EINVAL;
	return get_addr(mt[DMVPN_MCAST_A_NBMA_ADDR], &m->nbma);
}

int dm_extack_parse(const struct nlmsghdr *nlh, int *error, char *msg,
		    size_t msglen, uint32_t *miss_type)
{
	const char *base = (const char *)nlh;
	size_t len = nlh->nlmsg_len, off;
	int e;

	if (msglen)
		msg[0] = '\0';
	if (miss_type)
		*miss_type = 0;
	*error = 0;
	if (len < NLMSG_HDRLEN || len > 0x7fffffff)
		return -EINVAL;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err;

		if (len < NLMSG_HDRLEN + sizeof(*err))
			return -EINVAL;
		err = (const struct nlmsgerr *)(base + NLMSG_HDRLEN);
		e = err->error;
		off = NLMSG_HDRLEN + sizeof(*err);
		/* the request is echoed unless capped */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < NLMSG_HDRLEN)
				return -EINVAL;
			off = NLMSG_HDRLEN + sizeof(int) +
			      NLMSG_ALIGN(err->msg.nlmsg_len);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (len < NLMSG_HDRLEN + sizeof(int))
			return 0;	/* old kernels: empty DONE */
		memcpy(&e, base + NLMSG_HDRLEN, sizeof(e));
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	} else {
		return -EINVAL;
	}
	*error = e > 0 ? -e : e;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (off > len)
		return -EINVAL;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;
		size_t alen;

		memcpy(&a, base + off, sizeof(a));
		alen = a.nla_len;
		if (alen < NLA_HDRLEN || off + alen > len)
			return -EINVAL;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && msglen) {
			size_t n = alen - NLA_HDRLEN;
			const char *s = base + off + NLA_HDRLEN;
			const char *z = memchr(s, '\0', n);

			if (z)
				n = (size_t)(z - s);
			if (n >= msglen)
				n = msglen - 1;
			memcpy(msg, s, n);
			msg[n] = '\0';
		} else if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MISS_TYPE &&
			   miss_type && alen == NLA_HDRLEN + 4) {
			memcpy(miss_type, base + off + NLA_HDRLEN, 4);
		}
		off += NLA_ALIGN(alen);
	}
	return 0;
}

/* ------------------------------------------------------------------ socket */

struct talk_ctx {
	struct dm_nl *nl;
	dm_nl_reply_cb cb;
	void *arg;
	bool done;
	int err;
};

static void record(struct dm_nl *nl, struct talk_ctx *c,
		   const struct nlmsghdr *nlh)
{
	int e = 0;

	if (dm_extack_parse(nlh, &e, nl->errmsg, sizeof(nl->errmsg),
			    &nl->miss_type))
		e = e ? e : -EPROTO;
	c->err = e;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk_ctx *c = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int r;

	if (nlh->nlmsg_type != c->nl->family || !c->cb || c->err)
		return NL_OK;
	r = c->cb(nlh, c->arg);
	if (r < 0)
		c->err = r;	/* keep reading until the end of the reply */
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct talk_ctx *c = arg;
	int e = c->err;

	record(c->nl, c, nlmsg_hdr(msg));
	if (!c->err)
		c->err = e;
	c->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct talk_ctx *c = arg;

	(void)msg;
	c->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct talk_ctx *c = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);

	(void)who;
	record(c->nl, c, nlh);
	if (!c->err)
		c->err = -EPROTO;
	c->done = true;
	return NL_STOP;
}

static int on_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static void nl_fail(struct dm_nl *nl, int nlerr)
{
	snprintf(nl->errmsg, sizeof(nl->errmsg), "netlink: %s",
		 nl_geterror(nlerr));
	nl->err = -EIO;
}

int dm_nl_open(struct dm_nl *nl)
{
	return dm_nl_open_family(nl, DMVPN_GENL_NAME);
}

int dm_nl_open_family(struct dm_nl *nl, const char *name)
{
	int one = 1, r;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	r = genl_connect(nl->sk);
	if (r < 0) {
		nl_fail(nl, r);
		dm_nl_close(nl);
		return -EIO;
	}
	nl_socket_disable_auto_ack(nl->sk);
	nl_socket_enable_msg_peek(nl->sk);
	/* extack messages, and no echo of our request in errors */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	r = genl_ctrl_resolve(nl->sk, name);
	if (r < 0) {
		int e = r == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;

		if (e == -EIO)
			nl_fail(nl, r);
		dm_nl_close(nl);
		nl->err = e;
		return e;
	}
	nl->family = r;
	return 0;
}

void dm_nl_close(struct dm_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

int dm_nl_talk(struct dm_nl *nl, struct nl_msg *msg, dm_nl_reply_cb cb,
	       void *arg)
{
	struct talk_ctx c = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int r;

	nl->err = 0;
	nl->errmsg[0] = '\0';
	nl->miss_type = 0;
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &c);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &c);
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &c);

	/* do requests are acked; dumps end with NLMSG_DONE */
	if (!(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP))
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	r = nl_send_auto(nl->sk, msg);
	/* requests may carry key material: leave none in freed memory */
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (r < 0) {
		nl_fail(nl, r);
		goto out;
	}
	while (!c.done) {
		r = nl_recvmsgs(nl->sk, nlcb);
		if (r < 0 && !c.done) {
			if (!c.err)
				nl_fail(nl, r);
			break;
		}
	}
	if (c.err)
		nl->err = c.err;
out:
	nl_cb_put(nlcb);
	return nl->err;
}

const char *dm_nl_strerror(const struct dm_nl *nl, char *buf, size_t len)
{
	if (nl->errmsg[0])
		snprintf(buf, len, "%s", nl->errmsg);
	else if (nl->miss_type)
		snprintf(buf, len, "%s: missing required attribute (type %u)",
			 strerror(nl->err < 0 ? -nl->err : EINVAL), nl->miss_type);
	else
		snprintf(buf, len, "%s", strerror(nl->err < 0 ? -nl->err : nl->err));
	return buf;
}

/* ------------------------------------------------------------ convenience */

struct grow {
	void **items;
	size_t *n;
	size_t cap;
	size_t size;
};

static void *grow_slot(struct grow *g)
{
	if (*g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		void *p = realloc(*g->items, cap * g->size);

		if (!p)
			return NULL;
		*g->items = p;
		g->cap = cap;
	}
	return (char *)*g->items + (*g->n)++ * g->size;
}

static int dev_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_dev_info *d = grow_slot(arg);

	if (!d)
		return -ENOMEM;
	return dm_parse_dev_msg(nlh, d) ? -EPROTO : 0;
}

static int nhrp_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_nhrp_entry *e = grow_slot(arg);

	if (!e)
		return -ENOMEM;
	return dm_parse_nhrp_msg(nlh, e, NULL) ? -EPROTO : 0;
}

int dm_dev_get(struct dm_nl *nl, uint32_t ifindex, struct dm_dev_info **devs,
	       size_t *n)
{
	struct grow g = { (void **)devs, n, *n, sizeof(**devs) };
	struct nl_msg *msg;

	msg = dm_msg_alloc(nl->family, DMVPN_CMD_DEV_GET,
			   ifindex ? 0 : NLM_F_DUMP);
	if (!msg || (ifindex && dm_put_ifindex(msg, ifindex))) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, dev_cb, &g);
}

int dm_nhrp_dump(struct dm_nl *nl, uint32_t ifindex,
		 struct dm_nhrp_entry **ents, size_t *n)
{
	struct grow g = { (void **)ents, n, *n, sizeof(**ents) };
	struct nl_msg *msg;

	msg = dm_msg_alloc(nl->family, DMVPN_CMD_NHRP_GET, NLM_F_DUMP);
	if (!msg || dm_put_ifindex(msg, ifindex)) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, nhrp_cb, &g);
}

int dm_nhrp_get(struct dm_nl *nl, uint32_t ifindex,
		const struct dm_nhrp_entry *key, struct dm_nhrp_entry **ents,
		size_t *n)
{
	struct grow g = { (void **)ents, n, *n, sizeof(**ents) };
	struct dm_nhrp_entry k = {
		.proto = key->proto, .plen = key->plen, .has_plen = key->has_plen,
	};
	struct nl_msg *msg;

	msg = dm_msg_alloc(nl->family, DMVPN_CMD_NHRP_GET, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) || dm_put_nhrp(msg, &k)) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, nhrp_cb, &g);
}

static int sa_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_sa *sa = grow_slot(arg);

	if (!sa)
		return -ENOMEM;
	return dm_parse_sa_msg(nlh, sa, NULL) ? -EPROTO : 0;
}

static int peer_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_peer *p = grow_slot(arg);

	if (!p)
		return -ENOMEM;
	return dm_parse_peer_msg(nlh, p, NULL) ? -EPROTO : 0;
}

int dm_sa_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_sa **sas,
	       size_t *n)
{
	struct grow g = { (void **)sas, n, *n, sizeof(**sas) };
	struct nl_msg *msg;

	msg = dm_msg_alloc(nl->family, DMVPN_CMD_SA_GET, NLM_F_DUMP);
	if (!msg || dm_put_ifindex(msg, ifindex)) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, sa_cb, &g);
}

int dm_peer_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_peer **peers,
		 size_t *n)
{
	struct grow g = { (void **)peers, n, *n, sizeof(**peers) };
	struct nl_msg *msg;

	msg = dm_msg_alloc(nl->family, DMVPN_CMD_PEER_GET, NLM_F_DUMP);
	if (!msg || dm_put_ifindex(msg, ifindex)) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, peer_cb, &g);
}

static int nhs_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_nhs *nhs = grow_slot(arg);

	if (!nhs)
		return -ENOMEM;
	return dm_parse_nhs_msg(nlh, nhs) ? -EPROTO : 0;
}

static int mcast_cb(struct nlmsghdr *nlh, void *arg)
{
	struct dm_mcast *m = grow_slot(arg);

	if (!m)
		return -ENOMEM;
	return dm_parse_mcast_msg(nlh, m) ? -EPROTO : 0;
}

/* A dump of one tunnel's objects, each reply parsed by cb into g. */
static int dump_ifindex(struct dm_nl *nl, uint8_t cmd, uint32_t ifindex,
			dm_nl_reply_cb cb, struct grow *g)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, cmd, NLM_F_DUMP);

	if (!msg || dm_put_ifindex(msg, ifindex)) {
		nlmsg_free(msg);
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, cb, g);
}

int dm_nhs_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_nhs **nhs,
		size_t *n)
{
	struct grow g = { (void **)nhs, n, *n, sizeof(**nhs) };

	return dump_ifindex(nl, DMVPN_CMD_NHS_GET, ifindex, nhs_cb, &g);
}

int dm_mcast_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_mcast **m,
		  size_t *n)
{
	struct grow g = { (void **)m, n, *n, sizeof(**m) };

	return dump_ifindex(nl, DMVPN_CMD_MCAST_GET, ifindex, mcast_cb, &g);
}

int dm_nl_subscribe(struct dm_nl *nl)
{
	int grp, r;

	grp = genl_ctrl_resolve_grp(nl->sk, DMVPN_GENL_NAME, DMVPN_MCGRP_EVENTS);
	if (grp < 0) {
		nl_fail(nl, grp);
		return nl->err;
	}
	r = nl_socket_add_membership(nl->sk, grp);
	if (r < 0) {
		nl_fail(nl, r);
		return nl->err;
	}
	nl_socket_disable_seq_check(nl->sk);
	return 0;
}

int dm_nl_recv_events(struct dm_nl *nl, dm_nl_reply_cb cb, void *arg)
{
	struct talk_ctx c = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	int r;

	if (!nlcb)
		return -ENOMEM;
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	nl_cb_set(nlcb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_any_seq, NULL);
	r = nl_recvmsgs(nl->sk, nlcb);
	nl_cb_put(nlcb);
	if (c.err)
		return c.err;
	if (r == -NLE_NOMEM)	/* ENOBUFS: the kernel dropped events */
		return -ENOBUFS;
	if (r < 0) {
		nl_fail(nl, r);
		return nl->err;
	}
	return 0;
}

int dm_nl_fd(const struct dm_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}
