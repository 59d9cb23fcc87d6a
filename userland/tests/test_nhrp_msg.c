// SPDX-License-Identifier: GPL-2.0-only
/*
 * NHRP protocol messages: the requests of "nhrp set", "nhrp nhs" and
 * "nhrp map multicast" byte for byte, and the replies (DEV_GET's NHRP
 * configuration and counters, NHS_GET, MCAST_GET) from hand-built buffers.
 */
#include <errno.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/dmvpn.h>

#include "../lib/dmvpn_nl.h"
#include "unit.h"

#define FAM 0x1c

/* The genetlink payload (after the nlmsghdr) must be exactly want. */
static void check_bytes(struct nl_msg *m, const uint8_t *want, size_t len,
			int line)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	const uint8_t *got = nlmsg_data(h);
	size_t n = h->nlmsg_len - NLMSG_HDRLEN;

	if (n != len) {
		dm_t_fail(__FILE__, line, "payload is %zu bytes, expected %zu", n, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i]) {
			dm_t_fail(__FILE__, line, "byte %zu is 0x%02x, expected 0x%02x",
				  i, got[i], want[i]);
			return;
		}
}

/* little-endian host order, as the uapi says */
#define U16(v)	(uint8_t)((v) & 0xff), (uint8_t)(((v) >> 8) & 0xff)
#define U32(v)	U16((v) & 0xffff), U16(((v) >> 16) & 0xffff)
#define NESTED(t)	U16((t) | NLA_F_NESTED)

static void msg_nhrp_conf_set_bytes(void)
{
	struct dm_nhrp_conf c = {
		.has_network_id = true, .network_id = 1,
		.has_holdtime = true, .holdtime = 300,
		.has_auth = true, .auth = "NHRPAUTH", .auth_len = 8,
		.has_redirect = true, .redirect = true,
		.has_shortcut = true, .shortcut = false,
	};
	static const uint8_t want[] = {
		DMVPN_CMD_NHRP_CONF_SET, DMVPN_GENL_VERSION, 0, 0,
		U16(8), U16(DMVPN_A_IFINDEX), U32(7),
		U16(4 + 8 + 8 + 12 + 8 + 8), NESTED(DMVPN_A_NHRP_CONF),
		U16(8), U16(DMVPN_NHRP_CONF_A_NETWORK_ID), U32(1),
		U16(8), U16(DMVPN_NHRP_CONF_A_HOLDTIME), U32(300),
		U16(12), U16(DMVPN_NHRP_CONF_A_AUTH),
		'N', 'H', 'R', 'P', 'A', 'U', 'T', 'H',
		U16(5), U16(DMVPN_NHRP_CONF_A_REDIRECT), 1, 0, 0, 0,
		U16(5), U16(DMVPN_NHRP_CONF_A_SHORTCUT), 0, 0, 0, 0,
	};
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_CONF_SET, 0);

	CHECK_INT(dm_put_ifindex(m, 7), 0);
	CHECK_INT(dm_put_nhrp_conf(m, &c), 0);
	CHECK_INT(nlmsg_hdr(m)->nlmsg_type, FAM);
	check_bytes(m, want, sizeof(want), __LINE__);
	nlmsg_free(m);
}

static void msg_nhrp_conf_set_others(void)
{
	struct dm_nhrp_conf c = {
		.has_reg_interval = true, .reg_interval = 0,
		.auth_clear = true,
		.has_mcast_dynamic = true, .mcast_dynamic = true,
		.has_reg_no_unique = true, .reg_no_unique = true,
	};
	static const uint8_t want[] = {
		DMVPN_CMD_NHRP_CONF_SET, DMVPN_GENL_VERSION, 0, 0,
		U16(4 + 8 + 4 + 8 + 8), NESTED(DMVPN_A_NHRP_CONF),
		U16(8), U16(DMVPN_NHRP_CONF_A_REG_INTERVAL), U32(0),
		U16(4), U16(DMVPN_NHRP_CONF_A_AUTH_CLEAR),
		U16(5), U16(DMVPN_NHRP_CONF_A_MCAST_DYNAMIC), 1, 0, 0, 0,
		U16(5), U16(DMVPN_NHRP_CONF_A_REG_NO_UNIQUE), 1, 0, 0, 0,
	};
	struct dm_nhrp_conf empty = { 0 };
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_CONF_SET, 0);

	CHECK_INT(dm_put_nhrp_conf(m, &c), 0);
	check_bytes(m, want, sizeof(want), __LINE__);
	nlmsg_free(m);

	/* refused before anything is written */
	m = dm_msg_alloc(FAM, DMVPN_CMD_NHRP_CONF_SET, 0);
	CHECK_INT(dm_put_nhrp_conf(m, &empty), -EINVAL);
	c = (struct dm_nhrp_conf){ .has_auth = true, .auth_len = 9 };
	CHECK_INT(dm_put_nhrp_conf(m, &c), -EINVAL);
	c = (struct dm_nhrp_conf){ .has_auth = true, .auth_len = 0 };
	CHECK_INT(dm_put_nhrp_conf(m, &c), -EINVAL);
	c = (struct dm_nhrp_conf){ .has_auth = true, .auth = "k", .auth_len = 1,
				   .auth_clear = true };
	CHECK_INT(dm_put_nhrp_conf(m, &c), -EINVAL);
	CHECK_INT(nlmsg_hdr(m)->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	nlmsg_free(m);
}

static void msg_nhs_bytes(void)
{
	struct dm_nhs n = { .has_priority = true, .priority = 3 };
	static const uint8_t add[] = {
		DMVPN_CMD_NHS_ADD, DMVPN_GENL_VERSION, 0, 0,
		U16(8), U16(DMVPN_A_IFINDEX), U32(5),
		U16(4 + 8 + 8 + 8), NESTED(DMVPN_A_NHS),
		U16(8), U16(DMVPN_NHS_A_PROTO_ADDR), 10, 1, 1, 254,
		U16(8), U16(DMVPN_NHS_A_NBMA_ADDR), 172, 16, 10, 1,
		U16(5), U16(DMVPN_NHS_A_PRIORITY), 3, 0, 0, 0,
	};
	static const uint8_t del6[] = {
		DMVPN_CMD_NHS_DEL, DMVPN_GENL_VERSION, 0, 0,
		U16(4 + 20), NESTED(DMVPN_A_NHS),
		U16(20), U16(DMVPN_NHS_A_PROTO_ADDR),
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe,
	};
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_NHS_ADD, 0);

	dm_addr_parse("10.1.1.254", &n.proto);
	dm_addr_parse("172.16.10.1", &n.nbma);
	n.state = DMVPN_NHS_STATE_RESPONDING;	/* reply-only: never sent */
	n.has_req_sent = true;
	n.req_sent = 9;
	dm_addr_parse("1.2.3.4", &n.nat_addr);
	CHECK_INT(dm_put_ifindex(m, 5), 0);
	CHECK_INT(dm_put_nhs(m, &n), 0);
	check_bytes(m, add, sizeof(add), __LINE__);
	nlmsg_free(m);

	memset(&n, 0, sizeof(n));
	dm_addr_parse("2001:db8::fe", &n.proto);
	m = dm_msg_alloc(FAM, DMVPN_CMD_NHS_DEL, 0);
	CHECK_INT(dm_put_nhs(m, &n), 0);
	check_bytes(m, del6, sizeof(del6), __LINE__);
	memset(&n, 0, sizeof(n));
	CHECK_INT(dm_put_nhs(m, &n), -EINVAL);	/* no protocol address */
	nlmsg_free(m);
}

static void msg_mcast_bytes(void)
{
	static const uint8_t want[] = {
		DMVPN_CMD_MCAST_DEL, DMVPN_GENL_VERSION, 0, 0,
		U16(8), U16(DMVPN_A_IFINDEX), U32(5),
		U16(4 + 8), NESTED(DMVPN_A_MCAST),
		U16(8), U16(DMVPN_MCAST_A_NBMA_ADDR), 172, 16, 1, 1,
	};
	struct dm_addr a, none = { 0 };
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_MCAST_DEL, 0);

	dm_addr_parse("172.16.1.1", &a);
	CHECK_INT(dm_put_ifindex(m, 5), 0);
	CHECK_INT(dm_put_mcast(m, &a), 0);
	check_bytes(m, want, sizeof(want), __LINE__);
	CHECK_INT(dm_put_mcast(m, &none), -EINVAL);
	nlmsg_free(m);
}

/* ---- replies ---- */

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 1, FAM, 0, 0, cmd, DMVPN_GENL_VERSION);
	return m;
}

/* A DEV_GET reply; extra() adds to the DEV nest. */
static struct nl_msg *dev_reply(void (*extra)(struct nl_msg *, int), int k)
{
	struct nl_msg *m = reply(DMVPN_CMD_DEV_GET);
	struct nlattr *n;

	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put_string(m, DMVPN_A_IFNAME, "Tunnel0");
	n = nla_nest_start(m, DMVPN_A_DEV);
	nla_put(m, DMVPN_DEV_A_LOCAL, 4, "\xac\x10\x0a\x01");
	extra(m, k);
	nla_nest_end(m, n);
	return m;
}

static void put_full_nhrp(struct nl_msg *m, int k)
{
	struct nlattr *c, *s;

	(void)k;
	c = nla_nest_start(m, DMVPN_DEV_A_NHRP_CONF);
	nla_put_u32(m, DMVPN_NHRP_CONF_A_NETWORK_ID, 1);
	nla_put_u32(m, DMVPN_NHRP_CONF_A_HOLDTIME, 7200);
	nla_put_u32(m, DMVPN_NHRP_CONF_A_REG_INTERVAL, 0);
	nla_put_u8(m, DMVPN_NHRP_CONF_A_AUTH_SET, 1);
	nla_put_u8(m, DMVPN_NHRP_CONF_A_REDIRECT, 1);
	nla_put_u8(m, DMVPN_NHRP_CONF_A_SHORTCUT, 0);
	nla_put_u8(m, DMVPN_NHRP_CONF_A_MCAST_DYNAMIC, 1);
	nla_put_u8(m, DMVPN_NHRP_CONF_A_REG_NO_UNIQUE, 0);
	nla_put_u32(m, 40, 1);		/* newer kernel's setting: ignored */
	nla_nest_end(m, c);
	s = nla_nest_start(m, DMVPN_DEV_A_NHRP_STATS);
	nla_put(m, DMVPN_NHRP_STAT_PAD, 0, NULL);
	nla_put_u64(m, DMVPN_NHRP_STAT_TX_REG_REQ, 42);
	nla_put_u64(m, DMVPN_NHRP_STAT_RX_REG_REPLY, 36);
	nla_put_u64(m, DMVPN_NHRP_STAT_RX_AUTH_FAILED, 0x123456789ULL);
	nla_put_u64(m, 50, 8);		/* newer kernel's counter: kept */
	nla_put_u64(m, 900, 8);		/* beyond our table: skipped */
	nla_nest_end(m, s);
}

static void msg_parse_dev_nhrp(void)
{
	struct nl_msg *m = dev_reply(put_full_nhrp, 0);
	struct dm_dev_info d;

	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), 0);
	CHECK(d.has_nhrp_conf);
	CHECK(d.nhrp.has_network_id && d.nhrp.network_id == 1);
	CHECK(d.nhrp.has_holdtime && d.nhrp.holdtime == 7200);
	CHECK(d.nhrp.has_reg_interval && d.nhrp.reg_interval == 0);
	CHECK(d.nhrp.has_auth_set && d.nhrp.auth_set);
	CHECK(!d.nhrp.has_auth && d.nhrp.auth_len == 0);
	CHECK(d.nhrp.has_redirect && d.nhrp.redirect);
	CHECK(d.nhrp.has_shortcut && !d.nhrp.shortcut);
	CHECK(d.nhrp.has_mcast_dynamic && d.nhrp.mcast_dynamic);
	CHECK(d.nhrp.has_reg_no_unique && !d.nhrp.reg_no_unique);
	CHECK(d.has_nhrp_stats);
	CHECK(d.nhrp_stat_present[DMVPN_NHRP_STAT_TX_REG_REQ]);
	CHECK_INT(d.nhrp_stats[DMVPN_NHRP_STAT_TX_REG_REQ], 42);
	CHECK_INT(d.nhrp_stats[DMVPN_NHRP_STAT_RX_REG_REPLY], 36);
	CHECK(d.nhrp_stats[DMVPN_NHRP_STAT_RX_AUTH_FAILED] == 0x123456789ULL);
	CHECK(!d.nhrp_stat_present[DMVPN_NHRP_STAT_RX_RES_REQ]);
	CHECK(!d.nhrp_stat_present[DMVPN_NHRP_STAT_PAD]);
	CHECK(d.nhrp_stat_present[50]);
	/* the tunnel counters are a different nest */
	CHECK(!d.has_stats);
	nlmsg_free(m);
}

static void nothing(struct nl_msg *m, int k)
{
	(void)m;
	(void)k;
}

static void put_bad_nhrp(struct nl_msg *m, int k)
{
	struct nlattr *n = nla_nest_start(m, k < 6 ? DMVPN_DEV_A_NHRP_CONF :
						     DMVPN_DEV_A_NHRP_STATS);

	switch (k) {
	case 0: nla_put_u8(m, DMVPN_NHRP_CONF_A_REDIRECT, 2); break;
	case 1: nla_put_u32(m, DMVPN_NHRP_CONF_A_SHORTCUT, 1); break;
	case 2: nla_put_u16(m, DMVPN_NHRP_CONF_A_NETWORK_ID, 1); break;
	case 3: nla_put(m, DMVPN_NHRP_CONF_A_AUTH, 4, "abcd"); break; /* write-only */
	case 4: nla_put_u64(m, DMVPN_NHRP_CONF_A_HOLDTIME, 1); break;
	case 5: nla_put_u8(m, DMVPN_NHRP_CONF_A_AUTH_SET, 7); break;
	case 6: nla_put_u32(m, DMVPN_NHRP_STAT_RX_LOOP, 1); break;
	}
	nla_nest_end(m, n);
}

static void msg_parse_dev_nhrp_malformed(void)
{
	struct dm_dev_info d;
	struct nl_msg *m;

	for (int k = 0; k <= 6; k++) {
		m = dev_reply(put_bad_nhrp, k);
		if (dm_parse_dev_msg(nlmsg_hdr(m), &d) != -EINVAL)
			dm_t_fail(__FILE__, __LINE__, "malformed case %d accepted", k);
		nlmsg_free(m);
	}
	/* an older module: neither nest, nothing claimed */
	m = dev_reply(nothing, 0);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), 0);
	CHECK(!d.has_nhrp_conf && !d.has_nhrp_stats && !d.nhrp.has_network_id);
	nlmsg_free(m);
}

static void msg_parse_nhs_reply(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_NHS_GET);
	struct dm_nhs n;
	struct nlattr *a;

	nla_put_u32(m, DMVPN_A_IFINDEX, 6);
	nla_put_string(m, DMVPN_A_IFNAME, "tun1");
	a = nla_nest_start(m, DMVPN_A_NHS);
	nla_put(m, DMVPN_NHS_A_PROTO_ADDR, 4, "\x0a\x01\x01\xfe");
	nla_put(m, DMVPN_NHS_A_NBMA_ADDR, 4, "\xac\x10\x0a\x01");
	nla_put_u8(m, DMVPN_NHS_A_PRIORITY, 2);
	nla_put_u8(m, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_RESPONDING);
	nla_put(m, DMVPN_NHS_A_PAD, 0, NULL);
	nla_put_u64(m, DMVPN_NHS_A_REQ_SENT, 19);
	nla_put_u64(m, DMVPN_NHS_A_REPLY_RECV, 18);
	nla_put_u32(m, DMVPN_NHS_A_LAST_REPLY, 27);
	nla_put_u32(m, DMVPN_NHS_A_NEXT_REG, 2373);
	nla_put_u8(m, DMVPN_NHS_A_LAST_CODE, 0);
	nla_put(m, DMVPN_NHS_A_NAT_ADDR, 4, "\xcb\x00\x71\x05");
	nla_put_u32(m, 60, 1);		/* newer kernel: ignored */
	nla_nest_end(m, a);
	CHECK_INT(dm_parse_nhs_msg(nlmsg_hdr(m), &n), 0);
	CHECK_INT(n.ifindex, 6);
	CHECK_STR(n.ifname, "tun1");
	CHECK_INT(n.proto.family, AF_INET);
	CHECK_INT(n.proto.bytes[3], 254);
	CHECK_INT(n.nbma.bytes[0], 172);
	CHECK(n.has_priority && n.priority == 2);
	CHECK_INT(n.state, DMVPN_NHS_STATE_RESPONDING);
	CHECK(n.has_req_sent && n.req_sent == 19);
	CHECK(n.has_reply_recv && n.reply_recv == 18);
	CHECK(n.has_last_reply && n.last_reply == 27);
	CHECK(n.has_next_reg && n.next_reg == 2373);
	CHECK(n.has_last_code && n.last_code == 0);
	CHECK_INT(n.nat_addr.family, AF_INET);
	CHECK_INT(n.nat_addr.bytes[0], 203);
	nlmsg_free(m);

	/* minimal: an IPv6 NHS known only by its tunnel address */
	m = reply(DMVPN_CMD_NHS_GET);
	a = nla_nest_start(m, DMVPN_A_NHS);
	nla_put(m, DMVPN_NHS_A_PROTO_ADDR, 16, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\xfe");
	nla_nest_end(m, a);
	CHECK_INT(dm_parse_nhs_msg(nlmsg_hdr(m), &n), 0);
	CHECK_INT(n.proto.family, AF_INET6);
	CHECK(!n.nbma.family && !n.nat_addr.family && !n.has_priority &&
	      !n.state && !n.has_req_sent && !n.has_last_reply && !n.has_next_reg &&
	      !n.has_last_code);
	nlmsg_free(m);
}

static void msg_parse_nhs_malformed(void)
{
	struct dm_nhs n;
	struct nl_msg *m;
	struct nlattr *a;

	for (int k = 0; k < 9; k++) {
		m = reply(DMVPN_CMD_NHS_GET);
		nla_put_u32(m, DMVPN_A_IFINDEX, 6);
		if (k == 8) {	/* no nest */
			CHECK_INT(dm_parse_nhs_msg(nlmsg_hdr(m), &n), -EINVAL);
			nlmsg_free(m);
			continue;
		}
		if (k == 7)	/* bad interface name */
			nla_put(m, DMVPN_A_IFNAME, 16, "0123456789abcdef");
		a = nla_nest_start(m, DMVPN_A_NHS);
		if (k != 0)
			nla_put(m, DMVPN_NHS_A_PROTO_ADDR, 4, "\x0a\x01\x01\xfe");
		switch (k) {
		case 0: nla_put(m, DMVPN_NHS_A_NBMA_ADDR, 4, "\xac\x10\x0a\x01"); break;
		case 1: nla_put(m, DMVPN_NHS_A_NBMA_ADDR, 5, "\1\2\3\4\5"); break;
		case 2: nla_put_u32(m, DMVPN_NHS_A_STATE, 3); break;
		case 3: nla_put_u32(m, DMVPN_NHS_A_REQ_SENT, 1); break;	/* u64 */
		case 4: nla_put(m, DMVPN_NHS_A_NAT_ADDR, 3, "\1\2\3"); break;
		case 5: nla_put_u16(m, DMVPN_NHS_A_PRIORITY, 1); break;
		case 6: nla_put_u64(m, DMVPN_NHS_A_NEXT_REG, 1); break;	/* u32 */
		}
		nla_nest_end(m, a);
		if (dm_parse_nhs_msg(nlmsg_hdr(m), &n) != -EINVAL)
			dm_t_fail(__FILE__, __LINE__, "malformed case %d accepted", k);
		nlmsg_free(m);
	}
}

static void msg_parse_mcast(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_MCAST_GET);
	struct dm_mcast mc;
	struct nlattr *a;

	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	a = nla_nest_start(m, DMVPN_A_MCAST);
	nla_put(m, DMVPN_MCAST_A_NBMA_ADDR, 4, "\xac\x10\x01\x01");
	nla_nest_end(m, a);
	CHECK_INT(dm_parse_mcast_msg(nlmsg_hdr(m), &mc), 0);
	CHECK_INT(mc.ifindex, 5);
	CHECK_INT(mc.nbma.family, AF_INET);
	CHECK_INT(mc.nbma.bytes[3], 1);
	nlmsg_free(m);

	for (int k = 0; k < 3; k++) {
		m = reply(DMVPN_CMD_MCAST_GET);
		if (k < 2) {
			a = nla_nest_start(m, DMVPN_A_MCAST);
			if (k == 1)
				nla_put(m, DMVPN_MCAST_A_NBMA_ADDR, 6, "\1\2\3\4\5\6");
			nla_nest_end(m, a);
		}
		if (dm_parse_mcast_msg(nlmsg_hdr(m), &mc) != -EINVAL)
			dm_t_fail(__FILE__, __LINE__, "malformed case %d accepted", k);
		nlmsg_free(m);
	}
}

const struct dm_test nhrp_msg_tests[] = {
	{ "msg_nhrp_conf_set_bytes", msg_nhrp_conf_set_bytes },
	{ "msg_nhrp_conf_set_flags_and_refusals", msg_nhrp_conf_set_others },
	{ "msg_nhs_add_del_bytes", msg_nhs_bytes },
	{ "msg_mcast_del_bytes", msg_mcast_bytes },
	{ "msg_parse_dev_nhrp_conf_stats", msg_parse_dev_nhrp },
	{ "msg_parse_dev_nhrp_malformed", msg_parse_dev_nhrp_malformed },
	{ "msg_parse_nhs_reply", msg_parse_nhs_reply },
	{ "msg_parse_nhs_malformed", msg_parse_nhs_malformed },
	{ "msg_parse_mcast_reply", msg_parse_mcast },
	{ NULL, NULL },
};
