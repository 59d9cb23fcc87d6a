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
	if (tb[DMVPN_A_IFNAME]) {
		int n = nla_len(tb[DMVPN_A_IFNAME]);
		const char *s = nla_data(tb[DMVPN_A_IFNAME]);

		if (n > 0 && s[n - 1] == '\0')
			n--;
		if (n <= 0 || n >= IF_NAMESIZE || memchr(s, '\0', (size_t)n))
			return -EINVAL;
		memcpy(d->ifname, s, (size_t)n);
		d->ifname[n] = '\0';
	}
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
	return err ? -EINVAL : 0;
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
