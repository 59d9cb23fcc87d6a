// SPDX-License-Identifier: GPL-2.0-only
/* Requests built by our code, parsed back; replies and acks parsed. */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/dmvpn.h>

#include "../lib/dmvpn_nl.h"
#include "unit.h"

#define FAM 0x1c

static struct nlattr *tb[DMVPN_A_MAX + 1], *nt[DMVPN_NHRP_A_MAX + 1];

static struct nl_msg *add_msg(const char *proto, int plen, const char *nbma,
			      uint16_t port)
{
	struct dm_nhrp_entry e = { .port = port };
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_ADD, 0);

	CHECK(m != NULL);
	CHECK_INT(dm_addr_parse(proto, &e.proto), 0);
	if (plen >= 0) {
		e.has_plen = true;
		e.plen = (uint8_t)plen;
	}
	if (nbma)
		CHECK_INT(dm_addr_parse(nbma, &e.nbma), 0);
	CHECK_INT(dm_put_ifindex(m, 7), 0);
	CHECK_INT(dm_put_nhrp(m, &e), 0);
	return m;
}

static void parse_back(struct nl_msg *m)
{
	memset(nt, 0, sizeof(nt));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
	CHECK(tb[DMVPN_A_NHRP] != NULL);
	if (tb[DMVPN_A_NHRP])
		CHECK_INT(nla_parse_nested(nt, DMVPN_NHRP_A_MAX, tb[DMVPN_A_NHRP], NULL), 0);
}

static void msg_nhrp_add_v4(void)
{
	struct nl_msg *m = add_msg("10.1.1.1", 32, "172.16.1.1", 4500);
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct genlmsghdr *g = nlmsg_data(h);

	CHECK_INT(h->nlmsg_type, FAM);
	CHECK_INT(g->cmd, DMVPN_CMD_NHRP_ADD);
	CHECK_INT(g->version, DMVPN_GENL_VERSION);
	CHECK(!(h->nlmsg_flags & NLM_F_DUMP));
	parse_back(m);
	CHECK(tb[DMVPN_A_IFINDEX] && nla_len(tb[DMVPN_A_IFINDEX]) == 4);
	CHECK_INT(nla_get_u32(tb[DMVPN_A_IFINDEX]), 7);
	CHECK(tb[DMVPN_A_FLUSH_ALL] == NULL);
	CHECK(nt[DMVPN_NHRP_A_PROTO_ADDR] && nla_len(nt[DMVPN_NHRP_A_PROTO_ADDR]) == 4);
	CHECK(nt[DMVPN_NHRP_A_PROTO_ADDR] &&
	      !memcmp(nla_data(nt[DMVPN_NHRP_A_PROTO_ADDR]), "\x0a\x01\x01\x01", 4));
	CHECK(nt[DMVPN_NHRP_A_PREFIX_LEN] && nla_len(nt[DMVPN_NHRP_A_PREFIX_LEN]) == 1);
	CHECK_INT(nla_get_u8(nt[DMVPN_NHRP_A_PREFIX_LEN]), 32);
	CHECK(nt[DMVPN_NHRP_A_NBMA_ADDR] && nla_len(nt[DMVPN_NHRP_A_NBMA_ADDR]) == 4);
	CHECK(nt[DMVPN_NHRP_A_NBMA_PORT] && nla_len(nt[DMVPN_NHRP_A_NBMA_PORT]) == 2);
	CHECK_INT(nla_get_u16(nt[DMVPN_NHRP_A_NBMA_PORT]), 4500);	/* host order */
	/* only what the user gave: no type, flags, age from the client */
	CHECK(!nt[DMVPN_NHRP_A_TYPE] && !nt[DMVPN_NHRP_A_FLAGS] &&
	      !nt[DMVPN_NHRP_A_AGE] && !nt[DMVPN_NHRP_A_EXPIRES]);
	nlmsg_free(m);
}

static void msg_nhrp_add_v6_optional(void)
{
	struct nl_msg *m = add_msg("2001:db8::1", -1, "2001:db8:ffff::2", 0);

	parse_back(m);
	CHECK(nt[DMVPN_NHRP_A_PROTO_ADDR] && nla_len(nt[DMVPN_NHRP_A_PROTO_ADDR]) == 16);
	CHECK(nt[DMVPN_NHRP_A_NBMA_ADDR] && nla_len(nt[DMVPN_NHRP_A_NBMA_ADDR]) == 16);
	CHECK(nt[DMVPN_NHRP_A_PREFIX_LEN] == NULL);	/* default left to kernel */
	CHECK(nt[DMVPN_NHRP_A_NBMA_PORT] == NULL);	/* 0 = none: not sent */
	nlmsg_free(m);

	/* delete: protocol address only */
	m = add_msg("10.1.1.0", 24, NULL, 0);
	parse_back(m);
	CHECK(nt[DMVPN_NHRP_A_NBMA_ADDR] == NULL);
	CHECK_INT(nla_get_u8(nt[DMVPN_NHRP_A_PREFIX_LEN]), 24);
	nlmsg_free(m);
}

static void msg_flush_and_dump(void)
{
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_FLUSH, 0);
	struct dm_nhrp_entry empty = { 0 };

	CHECK_INT(dm_put_ifindex(m, 3), 0);
	CHECK_INT(dm_put_flush_all(m), 0);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
	CHECK(tb[DMVPN_A_FLUSH_ALL] && nla_len(tb[DMVPN_A_FLUSH_ALL]) == 0);
	CHECK(tb[DMVPN_A_NHRP] == NULL);
	CHECK_INT(dm_put_nhrp(m, &empty), -EINVAL);	/* no address */
	nlmsg_free(m);

	m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_GET, NLM_F_DUMP);
	CHECK((nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	nlmsg_free(m);
}

/* ---- replies ---- */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 1, FAM, 0, 0, cmd, DMVPN_GENL_VERSION);
	return m;
}

static void msg_parse_nhrp_reply(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_NHRP_NOTIFY);
	struct dm_nhrp_entry e;
	struct nlattr *n;
	uint8_t ev;

	nla_put_u32(m, DMVPN_A_IFINDEX, 9);
	nla_put_u8(m, DMVPN_A_EVENT, DMVPN_EVENT_NHRP_NEW);
	n = nla_nest_start(m, DMVPN_A_NHRP);
	nla_put(m, DMVPN_NHRP_A_PROTO_ADDR, 4, "\x0a\x01\x01\x01");
	nla_put_u8(m, DMVPN_NHRP_A_PREFIX_LEN, 32);
	nla_put(m, DMVPN_NHRP_A_NBMA_ADDR, 4, "\xac\x10\x01\x01");
	nla_put_u16(m, DMVPN_NHRP_A_NBMA_PORT, 4500);
	nla_put_u8(m, DMVPN_NHRP_A_TYPE, DMVPN_NHRP_TYPE_DYNAMIC);
	nla_put_u32(m, DMVPN_NHRP_A_FLAGS, DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_NAT);
	nla_put(m, DMVPN_NHRP_A_PAD, 0, NULL);	/* alignment pad: ignored */
	nla_put_u64(m, DMVPN_NHRP_A_AGE, 86);
	nla_put_u32(m, DMVPN_NHRP_A_EXPIRES, 7113);
	nla_put_u32(m, 60, 1);			/* from a newer kernel: ignored */
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_nhrp_msg(nlmsg_hdr(m), &e, &ev), 0);
	CHECK_INT(ev, DMVPN_EVENT_NHRP_NEW);
	CHECK_INT(e.ifindex, 9);
	CHECK_INT(e.proto.family, AF_INET);
	CHECK(e.has_plen);
	CHECK_INT(e.plen, 32);
	CHECK_INT(e.nbma.bytes[0], 172);
	CHECK_INT(e.port, 4500);
	CHECK_INT(e.type, DMVPN_NHRP_TYPE_DYNAMIC);
	CHECK_INT(e.flags, DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_NAT);
	CHECK(e.has_age && e.age == 86);
	CHECK(e.has_expires && e.expires == 7113);
	nlmsg_free(m);

	/* minimal entry: defaults */
	m = reply(DMVPN_CMD_NHRP_GET);
	n = nla_nest_start(m, DMVPN_A_NHRP);
	nla_put(m, DMVPN_NHRP_A_PROTO_ADDR, 16, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_nhrp_msg(nlmsg_hdr(m), &e, NULL), 0);
	CHECK_INT(e.plen, 128);
	CHECK(!e.has_plen && !e.has_expires && !e.has_age && !e.nbma.family);
	nlmsg_free(m);
}

/* Each malformed reply must be rejected, not half-parsed. */
static void msg_parse_nhrp_malformed(void)
{
	struct dm_nhrp_entry e;
	struct nl_msg *m;
	struct nlattr *n;

	for (int k = 0; k < 7; k++) {
		m = reply(DMVPN_CMD_NHRP_GET);
		nla_put_u32(m, DMVPN_A_IFINDEX, 1);
		if (k == 6) {	/* no nest at all */
			CHECK_INT(dm_parse_nhrp_msg(nlmsg_hdr(m), &e, NULL), -EINVAL);
			nlmsg_free(m);
			continue;
		}
		n = nla_nest_start(m, DMVPN_A_NHRP);
		if (k != 0)
			nla_put(m, DMVPN_NHRP_A_PROTO_ADDR, 4, "\x0a\x01\x01\x01");
		switch (k) {
		case 0: break;	/* no protocol address */
		case 1: nla_put(m, DMVPN_NHRP_A_NBMA_ADDR, 5, "\1\2\3\4\5"); break;
		case 2: nla_put_u8(m, DMVPN_NHRP_A_PREFIX_LEN, 33); break;
		case 3: nla_put_u32(m, DMVPN_NHRP_A_TYPE, 1); break;
		case 4: nla_put_u32(m, DMVPN_NHRP_A_AGE, 1); break;	/* u64 expected */
		case 5: nla_put_u8(m, DMVPN_NHRP_A_NBMA_PORT, 1); break;
		}
		nla_nest_end(m, n);
		if (dm_parse_nhrp_msg(nlmsg_hdr(m), &e, NULL) != -EINVAL)
			dm_t_fail(__FILE__, __LINE__, "malformed case %d accepted", k);
		nlmsg_free(m);
	}
}

static void msg_parse_dev_reply(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_DEV_GET);
	struct dm_dev_info d;
	struct nlattr *n, *s;

	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put_string(m, DMVPN_A_IFNAME, "tun0");
	n = nla_nest_start(m, DMVPN_A_DEV);
	nla_put(m, DMVPN_DEV_A_LOCAL, 4, "\xac\x10\x0a\x01");
	nla_put_u32(m, DMVPN_DEV_A_KEY, 1);
	nla_put_u8(m, DMVPN_DEV_A_TTL, 0);
	nla_put_u8(m, DMVPN_DEV_A_TOS, DMVPN_TOS_INHERIT);
	nla_put_u32(m, DMVPN_DEV_A_LINK, 2);
	nla_put_u32(m, DMVPN_DEV_A_NHRP_COUNT, 3);
	nla_put_u32(m, DMVPN_DEV_A_PEER_COUNT, 2);
	s = nla_nest_start(m, DMVPN_DEV_A_STATS);
	nla_put(m, DMVPN_STAT_PAD, 0, NULL);
	nla_put_u64(m, DMVPN_STAT_RX_KEY_MISMATCH, 17);
	nla_put_u64(m, DMVPN_STAT_TX_NO_NHRP, 0xffffffffffULL);
	nla_put_u64(m, 40, 4);		/* newer kernel's counter: kept */
	nla_put_u64(m, 1000, 4);	/* beyond our table: skipped */
	nla_nest_end(m, s);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), 0);
	CHECK_INT(d.ifindex, 5);
	CHECK_STR(d.ifname, "tun0");
	CHECK_INT(d.local.family, AF_INET);
	CHECK_INT(d.remote.family, 0);
	CHECK(d.has_key && d.key == 1);
	CHECK_INT(d.ttl, 0);
	CHECK_INT(d.tos, DMVPN_TOS_INHERIT);
	CHECK_INT(d.link, 2);
	CHECK(d.has_nhrp_count && d.nhrp_count == 3);
	CHECK(d.has_peer_count && d.peer_count == 2);
	CHECK(d.has_stats);
	CHECK(d.stat_present[DMVPN_STAT_RX_KEY_MISMATCH] && d.stats[DMVPN_STAT_RX_KEY_MISMATCH] == 17);
	CHECK(d.stats[DMVPN_STAT_TX_NO_NHRP] == 0xffffffffffULL);
	CHECK(!d.stat_present[DMVPN_STAT_RX_CSUM_ERRORS]);
	CHECK(!d.stat_present[DMVPN_STAT_PAD]);
	CHECK(d.stat_present[40]);
	nlmsg_free(m);
}

static void msg_parse_dev_malformed(void)
{
	struct dm_dev_info d;
	struct nl_msg *m;
	struct nlattr *n;

	/* interface name without room for a NUL / too long */
	m = reply(DMVPN_CMD_DEV_GET);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put(m, DMVPN_A_IFNAME, 16, "0123456789abcdef");
	n = nla_nest_start(m, DMVPN_A_DEV);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), -EINVAL);
	nlmsg_free(m);

	/* embedded NUL */
	m = reply(DMVPN_CMD_DEV_GET);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put(m, DMVPN_A_IFNAME, 5, "tu\0n0");
	n = nla_nest_start(m, DMVPN_A_DEV);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), -EINVAL);
	nlmsg_free(m);

	/* stats counter of the wrong size */
	m = reply(DMVPN_CMD_DEV_GET);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	n = nla_nest_start(m, DMVPN_A_DEV);
	{
		struct nlattr *s = nla_nest_start(m, DMVPN_DEV_A_STATS);

		nla_put_u32(m, DMVPN_STAT_RX_BAD_HEADER, 1);
		nla_nest_end(m, s);
	}
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), -EINVAL);
	nlmsg_free(m);

	/* no DEV nest */
	m = reply(DMVPN_CMD_DEV_GET);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), -EINVAL);
	nlmsg_free(m);
}

/* ---- acks ---- */

static size_t put_tlv(char *buf, size_t off, uint16_t type, const void *data,
		      uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(buf + off, &a, sizeof(a));
	memcpy(buf + off + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

static void msg_extack_parse(void)
{
	char buf[512] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = (struct nlmsgerr *)(buf + NLMSG_HDRLEN);
	char msg[64];
	uint32_t miss, t = DMVPN_A_IFINDEX;
	size_t off;
	int err;

	/* capped error with a message and a missing attribute */
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -EINVAL;
	e->msg.nlmsg_len = 200;	/* original length; payload not echoed */
	off = NLMSG_HDRLEN + sizeof(*e);
	off = put_tlv(buf, off, NLMSGERR_ATTR_MSG, "Attribute failed policy validation", 35);
	off = put_tlv(buf, off, NLMSGERR_ATTR_MISS_TYPE, &t, 4);
	h->nlmsg_len = (uint32_t)off;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), &miss), 0);
	CHECK_INT(err, -EINVAL);
	CHECK_STR(msg, "Attribute failed policy validation");
	CHECK_INT(miss, DMVPN_A_IFINDEX);

	/* small output buffer: truncated, still terminated */
	CHECK_INT(dm_extack_parse(h, &err, msg, 10, NULL), 0);
	CHECK_STR(msg, "Attribute");

	/* uncapped: the request (24 bytes) is echoed before the TLVs */
	h->nlmsg_flags = NLM_F_ACK_TLVS;
	e->msg.nlmsg_len = 24;
	off = NLMSG_HDRLEN + sizeof(int) + 24;
	off = put_tlv(buf, off, NLMSGERR_ATTR_MSG, "no such tunnel", 15);
	h->nlmsg_len = (uint32_t)off;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), &miss), 0);
	CHECK_STR(msg, "no such tunnel");
	CHECK_INT(miss, 0);

	/* message without a NUL terminator */
	off = NLMSG_HDRLEN + sizeof(int) + 24;
	off = put_tlv(buf, off, NLMSGERR_ATTR_MSG, "abc", 3);
	h->nlmsg_len = (uint32_t)off;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), 0);
	CHECK_STR(msg, "abc");

	/* a TLV running past the end */
	((struct nlattr *)(buf + NLMSG_HDRLEN + sizeof(int) + 24))->nla_len = 300;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), -EINVAL);

	/* echoed request longer than the message */
	e->msg.nlmsg_len = 400;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), -EINVAL);

	/* no TLVs: errno only */
	h->nlmsg_flags = NLM_F_CAPPED;
	e->error = -EPERM;
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e);
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), 0);
	CHECK_INT(err, -EPERM);
	CHECK_STR(msg, "");

	/* truncated error */
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), -EINVAL);

	/* NLMSG_DONE of a failed dump, with extack */
	memset(buf, 0, sizeof(buf));
	h->nlmsg_type = NLMSG_DONE;
	h->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	err = -ENODEV;
	memcpy(buf + NLMSG_HDRLEN, &err, 4);
	off = put_tlv(buf, NLMSG_HDRLEN + 4, NLMSGERR_ATTR_MSG, "dump needs DMVPN_A_IFINDEX", 27);
	h->nlmsg_len = (uint32_t)off;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), 0);
	CHECK_INT(err, -ENODEV);
	CHECK_STR(msg, "dump needs DMVPN_A_IFINDEX");

	/* successful DONE */
	h->nlmsg_flags = NLM_F_MULTI;
	memset(buf + NLMSG_HDRLEN, 0, 4);
	h->nlmsg_len = NLMSG_HDRLEN + 4;
	CHECK_INT(dm_extack_parse(h, &err, msg, sizeof(msg), NULL), 0);
	CHECK_INT(err, 0);
}

const struct dm_test msg_tests[] = {
	{ "msg_nhrp_add_v4", msg_nhrp_add_v4 },
	{ "msg_nhrp_add_v6_and_del", msg_nhrp_add_v6_optional },
	{ "msg_flush_all_and_dump_flags", msg_flush_and_dump },
	{ "msg_parse_nhrp_reply", msg_parse_nhrp_reply },
	{ "msg_parse_nhrp_malformed", msg_parse_nhrp_malformed },
	{ "msg_parse_dev_reply", msg_parse_dev_reply },
	{ "msg_parse_dev_malformed", msg_parse_dev_malformed },
	{ "msg_extack_parse", msg_extack_parse },
	{ NULL, NULL },
};

/* ---- the socket layer, against the kernel's own "nlctrl" family ---- */

#include <linux/genetlink.h>

static int count_cb(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

static int fail_cb(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return -ENOMEM;
}

static void nl_talk_nlctrl(void)
{
	struct dm_nl nl;
	struct nl_msg *m;
	char buf[320];
	int n = 0, r;

	r = dm_nl_open_family(&nl, "nlctrl");
	if (r) {
		dm_t_skip("no generic netlink here");
		return;
	}
	/* dump: every family, then NLMSG_DONE */
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	CHECK_INT(dm_nl_talk(&nl, m, count_cb, &n), 0);
	CHECK(n >= 1);

	/* do: reply then ack */
	n = 0;
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	CHECK_INT(dm_nl_talk(&nl, m, count_cb, &n), 0);
	CHECK_INT(n, 1);

	/* do: kernel error, no extack text -> strerror */
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "nosuchfamily");
	CHECK_INT(dm_nl_talk(&nl, m, NULL, NULL), -ENOENT);
	CHECK_STR(dm_nl_strerror(&nl, buf, sizeof(buf)), strerror(ENOENT));

	/* policy violation: the kernel's extack message comes through */
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "name-longer-than-genl-namsiz");
	r = dm_nl_talk(&nl, m, NULL, NULL);
	CHECK_INT(r, -EINVAL);
	CHECK_STR(dm_nl_strerror(&nl, buf, sizeof(buf)), nl.errmsg);
	CHECK(nl.errmsg[0] != '\0');
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, 0);
	nla_put_u8(m, CTRL_ATTR_FAMILY_ID, 1);	/* u16 expected */
	r = dm_nl_talk(&nl, m, NULL, NULL);
	CHECK(r == -EINVAL || r == -ERANGE);
	printf("# extack: \"%s\"\n", nl.errmsg);
	CHECK(nl.errmsg[0] != '\0');

	/* a failing reply callback fails the call but drains the reply */
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	CHECK_INT(dm_nl_talk(&nl, m, fail_cb, NULL), -ENOMEM);
	n = 0;
	m = dm_msg_alloc(nl.family, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	CHECK_INT(dm_nl_talk(&nl, m, count_cb, &n), 0);	/* socket still in sync */
	CHECK(n >= 1);
	dm_nl_close(&nl);

	/* a family that is not there */
	CHECK_INT(dm_nl_open_family(&nl, "no-such-family-x"), -ENOENT);
}

const struct dm_test nl_tests[] = {
	{ "nl_talk_against_nlctrl", nl_talk_nlctrl },
	{ NULL, NULL },
};
