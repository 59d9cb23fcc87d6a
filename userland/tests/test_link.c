// SPDX-License-Identifier: GPL-2.0-only
/* The iproute2 plugin: argument grammar, attributes built, printing. */
#include <stdio.h>
#include <stdlib.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/dmvpn.h>

#include "../iproute2/link_parse.h"
#include "ip_stubs.h"
#include "unit.h"

#include "../iproute2/ip_abi.h"

extern struct link_util dmvpn_link_util;

static char err[256];

static int split(const char *line, char **argv, char *copy, size_t len)
{
	char *save = NULL;
	int argc = 0;

	snprintf(copy, len, "%s", line);
	for (char *t = strtok_r(copy, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	return argc;
}

static int lparse(const char *line, struct dm_link_cfg *cfg)
{
	char copy[512], *argv[32];
	int argc = split(line, argv, copy, sizeof(copy));

	return dm_link_parse(argc, argv, cfg, err, sizeof(err));
}

#define LBAD(line, token) do { struct dm_link_cfg _c; \
	if (lparse(line, &_c) != DM_LINK_PARSE_ERR) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\" accepted", line); \
	else if (!strstr(err, token)) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\": \"%s\" does not name \"%s\"", line, err, token); \
} while (0)

static void link_parse_ok(void)
{
	struct dm_link_cfg c;

	CHECK_INT(lparse("local 172.16.10.1 key 1 ttl 64 tos inherit dev eth0", &c), 0);
	CHECK_INT(c.local.family, AF_INET);
	CHECK_INT(c.remote.family, 0);
	CHECK(c.has_key && c.key == 1);
	CHECK(c.has_ttl && c.ttl == 64);
	CHECK(c.has_tos && c.tos == DMVPN_TOS_INHERIT);
	CHECK_STR(c.dev, "eth0");

	CHECK_INT(lparse("local 172.16.1.1 remote 172.16.10.1 key 0.0.1.0 ttl inherit tos 10", &c), 0);
	CHECK_INT(c.remote.family, AF_INET);
	CHECK_INT(c.key, 256);			/* dotted quad, as ip-gre */
	CHECK(c.has_ttl && c.ttl == 0);
	CHECK_INT(c.tos, 0x10);			/* hex, as iproute2 */
	CHECK_INT(lparse("local 2001:db8::1 remote 2001:db8::2 key 4294967295 tos 0xff", &c), 0);
	CHECK_INT(c.key, 4294967295U);
	CHECK_INT(c.tos, 0xff);
	CHECK_INT(lparse("local 10.0.0.1 remote any", &c), 0);
	CHECK_INT(c.remote.family, 0);
	/* no local: syntactically fine, the kernel decides */
	CHECK_INT(lparse("key 5", &c), 0);
	CHECK_INT(lparse("nokey", &c), 0);
	CHECK(c.nokey && !c.has_key);
	CHECK_INT(lparse("", &c), 0);
	CHECK_INT(lparse("local 10.0.0.1 help", &c), DM_LINK_PARSE_HELP);
	CHECK_INT(lparse("ttl 0", &c), 0);
	CHECK_INT(lparse("ttl 255", &c), 0);
	CHECK(!c.protect && !c.has_tcp_mss);
	/* tunnel protection and the MSS clamp */
	CHECK_INT(lparse("local 172.16.10.1 key 1 protect tcp-mss 1360", &c), 0);
	CHECK(c.protect);
	CHECK(c.has_tcp_mss && c.tcp_mss == 1360);
	CHECK_INT(lparse("tcp-mss 0", &c), 0);		/* off */
	CHECK(c.has_tcp_mss && c.tcp_mss == 0 && !c.protect);
	CHECK_INT(lparse("tcp-mss 100", &c), 0);	/* range: the kernel's */
}

static void link_parse_errors(void)
{
	LBAD("local 10.0.0.1 bogus 1", "bogus");
	LBAD("local 10.0.0.256", "10.0.0.256");
	LBAD("local 10.0.0.1/32", "10.0.0.1/32");
	LBAD("local", "local");
	LBAD("local 10.0.0.1 local 10.0.0.2", "local");
	LBAD("local 10.0.0.1 remote 2001:db8::1", "different address families");
	LBAD("local 2001:db8::1 remote 10.0.0.1", "different address families");
	LBAD("key 4294967296", "4294967296");
	LBAD("key -1", "-1");
	LBAD("key 0x10", "0x10");
	LBAD("key 1.2.3", "1.2.3");
	LBAD("key 1 nokey", "nokey");
	LBAD("nokey key 1", "nokey");
	LBAD("key 1 key 2", "key");
	LBAD("ttl 256", "256");
	LBAD("ttl -1", "-1");
	LBAD("ttl abc", "abc");
	LBAD("tos 100", "100");
	LBAD("tos zz", "zz");
	LBAD("tos", "tos");
	LBAD("dev", "dev");
	LBAD("dev eth0 dev eth1", "dev");
	LBAD("dev 0123456789abcdefg", "0123456789abcdefg");
	LBAD("local 10.0.0.1 protect protect", "duplicate \"protect\"");
	LBAD("protect 1", "\"1\"");		/* a flag, not a value */
	LBAD("tcp-mss", "tcp-mss");
	LBAD("tcp-mss 65536", "65536");
	LBAD("tcp-mss -1", "-1");
	LBAD("tcp-mss 1360x", "1360x");
	LBAD("tcp-mss 1360 tcp-mss 1400", "duplicate \"tcp-mss\"");
	LBAD("local 10.0.0.1 protected", "protected");
}

static struct rtattr *find(struct nlmsghdr *n, size_t off, int type)
{
	int len = (int)(n->nlmsg_len - off);

	for (struct rtattr *a = (struct rtattr *)((char *)n + off); RTA_OK(a, len);
	     a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

static int run_plugin(const char *line, struct nlmsghdr *n, size_t room)
{
	char copy[512], *argv[32];
	int argc = split(line, argv, copy, sizeof(copy));

	memset(n, 0, room);
	n->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	return dmvpn_link_util.parse_opt(&dmvpn_link_util, argc, argv, n);
}

static void link_plugin_attrs(void)
{
	union { struct nlmsghdr n; char b[1024]; } req;
	const size_t off = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	struct rtattr *a;
	uint32_t u32;
	FILE *devnull = fopen("/dev/null", "w");

	CHECK_STR(dmvpn_link_util.id, "dmvpn");
	CHECK_INT(dmvpn_link_util.maxattr, IFLA_DMVPN_MAX);
	CHECK_INT(run_plugin("local 172.16.1.1 remote 172.16.10.1 key 0.0.0.1 ttl inherit tos inherit dev eth0",
			     &req.n, sizeof(req)), 0);
	a = find(&req.n, off, IFLA_DMVPN_LOCAL);
	CHECK(a && RTA_PAYLOAD(a) == 4 && !memcmp(RTA_DATA(a), "\xac\x10\x01\x01", 4));
	a = find(&req.n, off, IFLA_DMVPN_REMOTE);
	CHECK(a && RTA_PAYLOAD(a) == 4);
	a = find(&req.n, off, IFLA_DMVPN_KEY);
	CHECK(a && RTA_PAYLOAD(a) == 4);
	if (a) {
		memcpy(&u32, RTA_DATA(a), 4);
		CHECK_INT(u32, 1);		/* host order */
	}
	a = find(&req.n, off, IFLA_DMVPN_TTL);
	CHECK(a && RTA_PAYLOAD(a) == 1 && *(uint8_t *)RTA_DATA(a) == 0);
	a = find(&req.n, off, IFLA_DMVPN_TOS);
	CHECK(a && RTA_PAYLOAD(a) == 1 && *(uint8_t *)RTA_DATA(a) == DMVPN_TOS_INHERIT);
	a = find(&req.n, off, IFLA_DMVPN_LINK);
	CHECK(a && RTA_PAYLOAD(a) == 4);
	if (a) {
		memcpy(&u32, RTA_DATA(a), 4);
		CHECK_INT(u32, 2);
	}
	CHECK(find(&req.n, off, IFLA_DMVPN_NOKEY) == NULL);
	CHECK(find(&req.n, off, IFLA_DMVPN_PROTECT) == NULL);
	CHECK(find(&req.n, off, IFLA_DMVPN_TCP_MSS) == NULL);

	/* protect: u8 1; tcp-mss: u16, host order; 0 is sent (turns it off) */
	CHECK_INT(run_plugin("local 172.16.10.1 protect tcp-mss 1360", &req.n, sizeof(req)), 0);
	a = find(&req.n, off, IFLA_DMVPN_PROTECT);
	CHECK(a && RTA_PAYLOAD(a) == 1 && *(uint8_t *)RTA_DATA(a) == 1);
	a = find(&req.n, off, IFLA_DMVPN_TCP_MSS);
	CHECK(a && RTA_PAYLOAD(a) == 2);
	if (a) {
		uint16_t u16;

		memcpy(&u16, RTA_DATA(a), 2);
		CHECK_INT(u16, 1360);
	}
	CHECK_INT(run_plugin("tcp-mss 0", &req.n, sizeof(req)), 0);
	a = find(&req.n, off, IFLA_DMVPN_TCP_MSS);
	CHECK(a && RTA_PAYLOAD(a) == 2 && *(uint16_t *)RTA_DATA(a) == 0);
	CHECK(find(&req.n, off, IFLA_DMVPN_PROTECT) == NULL);

	/* v6, nokey, nothing else */
	CHECK_INT(run_plugin("local 2001:db8::1 nokey", &req.n, sizeof(req)), 0);
	a = find(&req.n, off, IFLA_DMVPN_LOCAL);
	CHECK(a && RTA_PAYLOAD(a) == 16);
	a = find(&req.n, off, IFLA_DMVPN_NOKEY);
	CHECK(a && RTA_PAYLOAD(a) == 0);
	CHECK(!find(&req.n, off, IFLA_DMVPN_KEY) && !find(&req.n, off, IFLA_DMVPN_TTL) &&
	      !find(&req.n, off, IFLA_DMVPN_TOS) && !find(&req.n, off, IFLA_DMVPN_LINK) &&
	      !find(&req.n, off, IFLA_DMVPN_REMOTE));

	/* errors go to stderr; silence them */
	{
		FILE *save = stderr;

		stderr = devnull ? devnull : save;
		CHECK_INT(run_plugin("local 10.0.0.1 frob", &req.n, sizeof(req)), -1);
		CHECK_INT(run_plugin("local 10.0.0.1 dev nosuchdev", &req.n, sizeof(req)), -1);
		CHECK_INT(run_plugin("help", &req.n, sizeof(req)), -1);
		stderr = save;
	}
	if (devnull)
		fclose(devnull);
}

static void link_plugin_print(void)
{
	struct { struct rtattr h; uint8_t d[16]; } local, remote;
	struct { struct rtattr h; uint32_t v; } key, link;
	struct { struct rtattr h; uint8_t v; uint8_t pad[3]; } ttl, tos, prot;
	struct { struct rtattr h; uint16_t v; uint8_t pad[2]; } mss;
	struct rtattr *tb[IFLA_DMVPN_MAX + 1] = { 0 };

	local.h.rta_len = RTA_LENGTH(4);
	memcpy(local.d, "\xac\x10\x01\x01", 4);
	remote.h.rta_len = RTA_LENGTH(16);
	memcpy(remote.d, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	key.h.rta_len = RTA_LENGTH(4);
	key.v = 42;
	link.h.rta_len = RTA_LENGTH(4);
	link.v = 2;
	ttl.h.rta_len = tos.h.rta_len = RTA_LENGTH(1);
	ttl.v = 0;
	tos.v = DMVPN_TOS_INHERIT;

	tb[IFLA_DMVPN_LOCAL] = &local.h;
	tb[IFLA_DMVPN_KEY] = &key.h;
	tb[IFLA_DMVPN_TTL] = &ttl.h;
	tb[IFLA_DMVPN_TOS] = &tos.h;
	tb[IFLA_DMVPN_LINK] = &link.h;
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK_STR(ip_stub_text, "local 172.16.1.1 key 42 ttl inherit tos inherit dev eth0 ");
	CHECK_STR(ip_stub_json, "local=172.16.1.1 key=42 ttl=inherit tos=inherit link=eth0 ");

	tb[IFLA_DMVPN_REMOTE] = &remote.h;	/* length 16: shown as v6 */
	ttl.v = 64;
	tos.v = 0x10;
	tb[IFLA_DMVPN_KEY] = NULL;
	tb[IFLA_DMVPN_LINK] = NULL;
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK_STR(ip_stub_text, "local 172.16.1.1 remote 2001:db8::2 ttl 64 tos 0x10 ");

	/* truncated attributes are not read past their end */
	local.h.rta_len = RTA_LENGTH(3);
	ttl.h.rta_len = RTA_LENGTH(0);
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK(!strstr(ip_stub_text, "local") && !strstr(ip_stub_text, "ttl"));

	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, NULL);	/* no IFLA_INFO_DATA */
	CHECK_STR(ip_stub_text, "");

	/* protection: keyword when on, false only in JSON when off */
	memset(tb, 0, sizeof(tb));
	local.h.rta_len = RTA_LENGTH(4);
	prot.h.rta_len = RTA_LENGTH(1);
	prot.v = 1;
	mss.h.rta_len = RTA_LENGTH(2);
	mss.v = 1360;
	tb[IFLA_DMVPN_LOCAL] = &local.h;
	tb[IFLA_DMVPN_PROTECT] = &prot.h;
	tb[IFLA_DMVPN_TCP_MSS] = &mss.h;
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK_STR(ip_stub_text, "local 172.16.1.1 protect tcp-mss 1360 ");
	CHECK_STR(ip_stub_json, "local=172.16.1.1 protect=true tcp_mss=1360 ");
	prot.v = 0;
	mss.v = 0;
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK_STR(ip_stub_text, "local 172.16.1.1 ");
	CHECK_STR(ip_stub_json, "local=172.16.1.1 protect=false ");
	mss.h.rta_len = RTA_LENGTH(1);		/* truncated */
	prot.h.rta_len = RTA_LENGTH(0);
	mss.v = 1360;
	ip_stub_reset();
	dmvpn_link_util.print_opt(&dmvpn_link_util, stdout, tb);
	CHECK_STR(ip_stub_text, "local 172.16.1.1 ");
}

const struct dm_test link_tests[] = {
	{ "link_parse_ok", link_parse_ok },
	{ "link_parse_errors_name_token", link_parse_errors },
	{ "link_plugin_builds_attrs", link_plugin_attrs },
	{ "link_plugin_prints", link_plugin_print },
	{ NULL, NULL },
};
