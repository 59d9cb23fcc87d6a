// SPDX-License-Identifier: GPL-2.0-only
/* Grammar of the NHRP protocol commands: nhrp set, nhrp nhs, nhrp map
 * multicast, show ip nhrp nhs|traffic|multicast. */
#include <stdlib.h>

#include <linux/dmvpn.h>

#include "../ctl/cli.h"
#include "unit.h"

static char err[256];

static int parse(const char *line, struct dm_cli *c)
{
	char *copy = strdup(line), *argv[40] = { "dmvpnctl" }, *save = NULL;
	int argc = 1, r;

	for (char *t = strtok_r(copy, " ", &save); t && argc < 39;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	r = dm_cli_parse(argc, argv, c, err, sizeof(err));
	free(copy);
	return r;
}

/* refused with exit 2, the message naming token */
#define BAD(line, token) do { struct dm_cli _c; \
	if (parse(line, &_c) != DM_EXIT_USAGE) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\" accepted", line); \
	else if (!strstr(err, token)) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\": message \"%s\" does not name \"%s\"", line, err, token); \
	dm_cli_wipe(&_c); \
} while (0)

static void cli_nhrp_set(void)
{
	struct dm_cli c;
	const struct dm_nhrp_conf *k = &c.conf;

	CHECK_INT(parse("nhrp set dev Tunnel0 network-id 1 holdtime 300 "
			"registration-timeout 100 authentication NHRPAUTH redirect "
			"shortcut map-multicast-dynamic registration-no-unique", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHRP_SET);
	CHECK_STR(c.dev, "Tunnel0");
	CHECK(k->has_network_id && k->network_id == 1);
	CHECK(k->has_holdtime && k->holdtime == 300);
	CHECK(k->has_reg_interval && k->reg_interval == 100);
	CHECK(k->has_auth && k->auth_len == 8 && !memcmp(k->auth, "NHRPAUTH", 8));
	CHECK(!k->auth_clear);
	CHECK(k->has_redirect && k->redirect);
	CHECK(k->has_shortcut && k->shortcut);
	CHECK(k->has_mcast_dynamic && k->mcast_dynamic);
	CHECK(k->has_reg_no_unique && k->reg_no_unique);
	/* the key does not outlive the command */
	dm_cli_wipe(&c);
	CHECK(!k->has_auth && k->auth[0] == 0 && k->auth_len == 0);

	/* abbreviations and the negative forms; unset settings stay unset */
	CHECK_INT(parse("nh se dev tun0 net 4294967295 hold 65535 no-a no-r no-s "
			"no-m registration-u", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHRP_SET);
	CHECK(k->has_network_id && k->network_id == 4294967295U);
	CHECK(k->has_holdtime && k->holdtime == 65535);
	CHECK(!k->has_reg_interval && !k->has_auth);
	CHECK(k->auth_clear);
	CHECK(k->has_redirect && !k->redirect);
	CHECK(k->has_shortcut && !k->shortcut);
	CHECK(k->has_mcast_dynamic && !k->mcast_dynamic);
	CHECK(k->has_reg_no_unique && !k->reg_no_unique);

	/* edges: NHRP off, registration timeout back to holdtime/3 */
	CHECK_INT(parse("nhrp set network-id 0 dev tun0 registration-timeout 0 holdtime 1", &c), 0);
	CHECK(k->has_network_id && k->network_id == 0);
	CHECK(k->has_reg_interval && k->reg_interval == 0);
	CHECK_INT(k->holdtime, 1);
	CHECK(!k->has_redirect && !k->has_shortcut && !k->auth_clear);
	CHECK_INT(parse("nhrp set dev tun0 authentication k", &c), 0);
	CHECK(k->has_auth && k->auth_len == 1 && k->auth[0] == 'k');
	dm_cli_wipe(&c);
}

static void cli_nhrp_set_errors(void)
{
	struct dm_cli c;

	BAD("nhrp set dev tun0", "nothing to set");
	BAD("nhrp set network-id 1", "dev");
	BAD("nhrp set dev tun0 network-id 4294967296", "network-id \"4294967296\"");
	BAD("nhrp set dev tun0 network-id -1", "network-id");
	BAD("nhrp set dev tun0 network-id 0x10", "network-id");
	BAD("nhrp set dev tun0 network-id", "network-id");
	BAD("nhrp set dev tun0 network-id 1 network-id 2", "network-id");
	BAD("nhrp set dev tun0 holdtime 0", "holdtime \"0\" (expected 1-65535)");
	BAD("nhrp set dev tun0 holdtime 65536", "holdtime");
	BAD("nhrp set dev tun0 holdtime soon", "soon");
	BAD("nhrp set dev tun0 registration-timeout 65536", "registration-timeout");
	BAD("nhrp set dev tun0 authentication", "authentication");
	BAD("nhrp set dev tun0 authentication KEY no-authentication", "no-authentication");
	BAD("nhrp set dev tun0 no-authentication authentication KEY", "conflicting");
	BAD("nhrp set dev tun0 authentication a authentication b", "duplicate \"authentication\"");
	BAD("nhrp set dev tun0 redirect no-redirect", "conflicting \"redirect\" and \"no-redirect\"");
	BAD("nhrp set dev tun0 shortcut shortcut", "duplicate \"shortcut\"");
	BAD("nhrp set dev tun0 registration-unique registration-no-unique", "registration-no-unique");
	BAD("nhrp set dev tun0 map-multicast-dynamic no-map-multicast-dynamic", "map-multicast-dynamic");
	BAD("nhrp set dev tun0 reg 5", "\"reg\"");		/* registration-* */
	BAD("nhrp set dev tun0 no", "\"no\"");			/* no-* */
	BAD("nhrp set dev tun0 bogus 1", "bogus");
	BAD("nhrp set dev tun0 dev tun1 redirect", "dev");

	/* a key too long is named by its keyword and length, never shown */
	CHECK_INT(parse("nhrp set dev tun0 authentication s3cr3tkey", &c), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "\"authentication\" key is too long: 9 characters, at most 8");
	CHECK(!strstr(err, "s3cr3tkey"));
	dm_cli_wipe(&c);
	CHECK_INT(parse("nhrp set dev tun0 authentication ab\x01", &c), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "character 3");
	dm_cli_wipe(&c);
}

static void cli_nhs(void)
{
	struct dm_cli c;

	CHECK_INT(parse("nhrp nhs add dev tun0 10.1.1.254 nbma 172.16.10.1 priority 2", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHS_ADD);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.nhs.proto.family, AF_INET);
	CHECK_INT(c.nhs.proto.bytes[3], 254);
	CHECK_INT(c.nhs.nbma.bytes[0], 172);
	CHECK(c.nhs.has_priority && c.nhs.priority == 2);

	CHECK_INT(parse("nh nhs a 10.1.1.254 dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHS_ADD);
	CHECK(!c.nhs.nbma.family && !c.nhs.has_priority);
	CHECK_INT(parse("nhrp nhs add dev tun0 10.1.1.254 pri 0 nb 2001:db8::1", &c), 0);
	CHECK(c.nhs.has_priority && c.nhs.priority == 0);
	CHECK_INT(c.nhs.nbma.family, AF_INET6);
	CHECK_INT(parse("nhrp nhs add dev tun0 10.1.1.254 priority 255", &c), 0);
	CHECK_INT(c.nhs.priority, 255);

	CHECK_INT(parse("nhrp nhs del dev tun0 2001:db8::fe", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHS_DEL);
	CHECK_INT(c.nhs.proto.family, AF_INET6);
	CHECK_INT(parse("nhrp nhs delete dev tun0 10.1.1.254", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_NHS_DEL);

	BAD("nhrp nhs add dev tun0", "NHS tunnel address");
	BAD("nhrp nhs add 10.1.1.254", "dev");
	BAD("nhrp nhs add dev tun0 10.1.1.254/32", "10.1.1.254/32");
	BAD("nhrp nhs add dev tun0 10.1.1.300", "10.1.1.300");
	BAD("nhrp nhs add dev tun0 10.1.1.254 10.1.1.253", "10.1.1.253");
	BAD("nhrp nhs add dev tun0 10.1.1.254 priority 256", "priority \"256\"");
	BAD("nhrp nhs add dev tun0 10.1.1.254 priority", "priority");
	BAD("nhrp nhs add dev tun0 10.1.1.254 priority 1 priority 2", "priority");
	BAD("nhrp nhs add dev tun0 10.1.1.254 nbma 172.16.10", "172.16.10");
	BAD("nhrp nhs add dev tun0 10.1.1.254 nbma", "nbma");
	BAD("nhrp nhs add dev tun0 10.1.1.254 nbma 1.2.3.4 nbma 1.2.3.5", "nbma");
	BAD("nhrp nhs del dev tun0 10.1.1.254 nbma 172.16.10.1", "nbma");
	BAD("nhrp nhs del dev tun0 10.1.1.254 priority 1", "priority");
	BAD("nhrp nhs frob", "frob");
	BAD("nhrp nhs", "nhs");
}

static void cli_map_multicast(void)
{
	struct dm_cli c;

	CHECK_INT(parse("nhrp map multicast add dev tun0 172.16.1.1", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MCAST_ADD);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.nbma.bytes[3], 1);
	CHECK_INT(parse("nh m m d 2001:db8::2 dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MCAST_DEL);
	CHECK_INT(c.nbma.family, AF_INET6);
	/* the static map commands are as before */
	CHECK_INT(parse("nh m a dev tun0 10.1.1.1 172.16.1.1", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_MAP_ADD);

	BAD("nhrp map multicast add dev tun0", "NBMA");
	BAD("nhrp map multicast add 172.16.1.1", "dev");
	BAD("nhrp map multicast add dev tun0 172.16.1", "172.16.1");
	BAD("nhrp map multicast add dev tun0 172.16.1.1/32", "172.16.1.1/32");
	BAD("nhrp map multicast add dev tun0 172.16.1.1 172.16.1.2", "172.16.1.2");
	BAD("nhrp map multicast dynamic dev tun0", "dynamic");
	BAD("nhrp map multicast", "multicast");
}

static void cli_show_nhrp_proto(void)
{
	struct dm_cli c;

	CHECK_INT(parse("show ip nhrp nhs", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_NHS);
	CHECK(!c.detail && !c.dev[0]);
	CHECK_INT(parse("sh ip nh n dev tun0 det", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_NHS);
	CHECK(c.detail);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(parse("show ip nhrp traffic", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_TRAFFIC);
	CHECK_INT(parse("sh ip nh tr dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_TRAFFIC);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(parse("show ip nhrp multicast", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_MCAST);
	CHECK_INT(parse("sh ipv6 nh m dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_MCAST);
	/* the cache listing keeps its words, plus the shortcut filter */
	CHECK_INT(parse("show ip nhrp shortcut", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_NHRP);
	CHECK_INT(c.type_filter, DMVPN_NHRP_TYPE_SHORTCUT);
	CHECK_INT(parse("sh ip nh sh det", &c), 0);
	CHECK_INT(c.type_filter, DMVPN_NHRP_TYPE_SHORTCUT);
	CHECK_INT(parse("sh ip nh st", &c), 0);
	CHECK_INT(c.type_filter, DMVPN_NHRP_TYPE_STATIC);
	CHECK_INT(parse("show ip nhrp dev tun0 detail", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_NHRP);

	BAD("show ip nhrp s", "\"s\"");			/* static|shortcut */
	BAD("show ip nhrp traffic detail", "detail");
	BAD("show ip nhrp multicast detail", "detail");
	BAD("show ip nhrp nhs 10.1.1.1", "10.1.1.1");
	BAD("show ip nhrp nhs dev", "dev");
	BAD("show ip nhrp traffic dev tun0 dev tun1", "dev");
	BAD("show ip nhrp dev tun0 nhs", "nhs");	/* subcommand first */
}

const struct dm_test nhrp_cli_tests[] = {
	{ "cli_nhrp_set", cli_nhrp_set },
	{ "cli_nhrp_set_errors_name_word", cli_nhrp_set_errors },
	{ "cli_nhrp_nhs", cli_nhs },
	{ "cli_nhrp_map_multicast", cli_map_multicast },
	{ "cli_show_ip_nhrp_nhs_traffic_multicast", cli_show_nhrp_proto },
	{ NULL, NULL },
};
