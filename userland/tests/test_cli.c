// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include <linux/dmvpn.h>

#include "../ctl/cli.h"
#include "unit.h"

static char err[256];

/* Split a command line on spaces and parse it. */
static int parse(const char *line, struct dm_cli *c)
{
	char *copy = strdup(line), *argv[32] = { "dmvpnctl" }, *save = NULL;
	int argc = 1, r;

	for (char *t = strtok_r(copy, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	r = dm_cli_parse(argc, argv, c, err, sizeof(err));
	free(copy);
	return r;
}

#define BAD(line, token) do { struct dm_cli _c; \
	if (parse(line, &_c) != DM_EXIT_USAGE) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\" accepted", line); \
	else if (!strstr(err, token)) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\": message \"%s\" does not name \"%s\"", line, err, token); \
} while (0)

static void cli_map_add(void)
{
	struct dm_cli c;

	CHECK_INT(parse("nhrp map add dev tun0 10.1.1.1/32 172.16.1.1 port 4500", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MAP_ADD);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.proto.family, AF_INET);
	CHECK(c.has_plen);
	CHECK_INT(c.plen, 32);
	CHECK_INT(c.nbma.bytes[0], 172);
	CHECK_INT(c.port, 4500);

	CHECK_INT(parse("nhrp map add 10.1.1.1 172.16.1.1 dev tun0", &c), 0);
	CHECK(!c.has_plen);
	CHECK_INT(c.port, 0);
	CHECK_STR(c.dev, "tun0");

	CHECK_INT(parse("nhrp map add dev tun0 2001:db8::1/128 2001:db8:ffff::1", &c), 0);
	CHECK_INT(c.proto.family, AF_INET6);
	CHECK_INT(c.nbma.family, AF_INET6);
	/* IPv6 overlay over an IPv4 underlay is a valid DMVPN design */
	CHECK_INT(parse("nhrp map add dev tun0 2001:db8::1 172.16.1.1", &c), 0);
	CHECK_INT(parse("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 1", &c), 0);
	CHECK_INT(parse("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 65535", &c), 0);
	/* abbreviations, IOS style */
	CHECK_INT(parse("nh m a dev tun0 10.1.1.1 172.16.1.1", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MAP_ADD);
}

static void cli_map_errors(void)
{
	BAD("nhrp map add dev tun0 10.1.1.256 172.16.1.1", "10.1.1.256");
	BAD("nhrp map add dev tun0 10.1.1.1/33 172.16.1.1", "10.1.1.1/33");
	BAD("nhrp map add dev tun0 2001:db8::1/129 172.16.1.1", "2001:db8::1/129");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1", "172.16.1");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1/32", "172.16.1.1/32");
	BAD("nhrp map add dev tun0 10.1.1.1", "NBMA");
	BAD("nhrp map add dev tun0", "protocol");
	BAD("nhrp map add 10.1.1.1 172.16.1.1", "dev");
	BAD("nhrp map add dev", "dev");
	BAD("nhrp map add dev tun0 dev tun1 10.1.1.1 172.16.1.1", "dev");
	BAD("nhrp map add dev tun0123456789abcdef 10.1.1.1 172.16.1.1", "tun0123456789abcdef");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 0", "\"0\"");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 65536", "65536");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port -1", "-1");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 0x10", "0x10");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port", "port");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 port 1 port 2", "port");
	BAD("nhrp map add dev tun0 10.1.1.1 172.16.1.1 extra", "extra");
	BAD("nhrp map del dev tun0 10.1.1.1 172.16.1.1", "172.16.1.1");
	BAD("nhrp map del dev tun0 10.1.1.1 port 4500", "port");
	BAD("nhrp map frob", "frob");
	BAD("nhrp map", "map");
}

static void cli_map_del_flush(void)
{
	struct dm_cli c;

	CHECK_INT(parse("nhrp map del dev tun0 10.1.1.0/24", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MAP_DEL);
	CHECK_INT(c.plen, 24);
	CHECK_INT(parse("nhrp map delete dev tun0 10.1.1.1", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MAP_DEL);
	CHECK_INT(parse("nhrp flush dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_FLUSH);
	CHECK(!c.flush_all);
	CHECK_INT(parse("nhrp flush dev tun0 all", &c), 0);
	CHECK(c.flush_all);
	CHECK_INT(parse("clear ip nhrp", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_FLUSH);
	CHECK_STR(c.dev, "");
	CHECK_INT(parse("clear ip nhrp dev tun0", &c), 0);
	CHECK_STR(c.dev, "tun0");
	BAD("clear ip nhrp tun0", "tun0");
	BAD("clear ip", "ip");
	BAD("clear dmvpn", "dmvpn");
}

static void cli_show(void)
{
	struct dm_cli c;

	CHECK_INT(parse("show ip nhrp", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_NHRP);
	CHECK_INT(parse("sh ip nh dev tun0 detail", &c), 0);
	CHECK(c.detail);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(parse("show ip nhrp static", &c), 0);
	CHECK_INT(c.type_filter, DMVPN_NHRP_TYPE_STATIC);
	CHECK_INT(parse("show ipv6 nhrp", &c), 0);
	CHECK_INT(parse("show ip nhrp dev tun0 10.1.1.1", &c), 0);
	CHECK_INT(c.proto.family, AF_INET);
	CHECK(!c.has_plen);
	CHECK_INT(parse("show ip nhrp 2001:db8::/64 detail", &c), 0);
	CHECK(c.has_plen && c.plen == 64 && c.detail);
	BAD("show ip nhrp 10.1.1.1 10.1.1.2", "10.1.1.2");
	BAD("show ip nhrp 10.1.1.300", "10.1.1.300");
	BAD("show ip nhrp 10.1.1.1/40", "10.1.1.1/40");
	BAD("show dmvpn 10.1.1.1", "10.1.1.1");
	CHECK_INT(parse("show dmvpn", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_DMVPN);
	CHECK_INT(parse("sh dm det", &c), 0);
	CHECK(c.detail);
	CHECK_INT(parse("show interface tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_IF);
	CHECK_INT(parse("sh int tun0", &c), 0);
	CHECK_STR(c.dev, "tun0");
	BAD("show", "show");
	BAD("show ip", "ip");
	BAD("show ip route", "route");
	BAD("show dmvpn static", "static");	/* only for show ip nhrp */
	BAD("show ip nhrp d", "\"d\"");		/* dev|detail|dynamic */
	BAD("show interface", "interface");
	BAD("show interface tun0 extra", "extra");
	BAD("show dmvpn dev", "dev");
}

static void cli_global(void)
{
	struct dm_cli c;

	CHECK_INT(parse("-j show dmvpn", &c), 0);
	CHECK(c.json && !c.pretty);
	CHECK_INT(parse("-j -p show dmvpn", &c), 0);
	CHECK(c.json && c.pretty);
	CHECK_INT(parse("-jp show dmvpn", &c), 0);
	CHECK(c.json && c.pretty);
	CHECK_INT(parse("--json --pretty show dmvpn", &c), 0);
	CHECK(c.json && c.pretty);
	CHECK_INT(parse("monitor", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MONITOR);
	CHECK_INT(parse("help", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_HELP);
	CHECK_INT(parse("--help", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_HELP);
	CHECK_INT(parse("-V", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_VERSION);
	BAD("", "missing command");
	BAD("-x show dmvpn", "-x");
	BAD("-jx show dmvpn", "-jx");
	BAD("--frob show dmvpn", "--frob");
	BAD("frobnicate", "frobnicate");
	BAD("monitor extra", "extra");
	BAD("show dmvpn -j", "-j");	/* options go first, like ip(8) */
}

const struct dm_test cli_tests[] = {
	{ "cli_map_add", cli_map_add },
	{ "cli_map_add_errors_name_token", cli_map_errors },
	{ "cli_map_del_and_flush", cli_map_del_flush },
	{ "cli_show", cli_show },
	{ "cli_global_options", cli_global },
	{ NULL, NULL },
};
