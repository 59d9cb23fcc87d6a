// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output of the NHRP protocol show commands against the IOS layouts
 * (seed 003 for show ip nhrp nhs and show dmvpn detail), and their JSON
 * through the strict checker.
 */
#include <linux/dmvpn.h>

#include "../ctl/show.h"
#include "unit.h"

static struct dm_dev_info spoke, hub;

static struct dm_nhrp_entry ent(uint32_t ifindex, const char *proto, int plen,
				const char *nbma, uint8_t type, uint32_t flags,
				uint64_t age, long expires)
{
	struct dm_nhrp_entry e = {
		.ifindex = ifindex, .type = type, .flags = flags,
		.age = age, .has_age = true,
	};

	dm_addr_parse(proto, &e.proto);
	e.plen = (uint8_t)(plen < 0 ? dm_addr_max_plen(&e.proto) : plen);
	e.has_plen = true;
	if (nbma)
		dm_addr_parse(nbma, &e.nbma);
	if (expires >= 0) {
		e.has_expires = true;
		e.expires = (uint32_t)expires;
	}
	return e;
}

static void setup(void)
{
	memset(&spoke, 0, sizeof(spoke));
	memset(&hub, 0, sizeof(hub));
	spoke.ifindex = 6;
	snprintf(spoke.ifname, sizeof(spoke.ifname), "Tunnel0");
	dm_addr_parse("172.16.1.1", &spoke.local);
	hub.ifindex = 5;
	snprintf(hub.ifname, sizeof(hub.ifname), "Tunnel1");
	dm_addr_parse("172.16.10.1", &hub.local);
}

/* The spoke of seed 003: NHS 10.1.1.254, reached by its static map. */
static struct dm_nhs seed_nhs(void)
{
	struct dm_nhs n = { .ifindex = 6, .state = DMVPN_NHS_STATE_RESPONDING };

	dm_addr_parse("10.1.1.254", &n.proto);
	return n;
}

static void show_nhs_matches_ios(void)
{
	struct dm_nhs nhs[3] = { seed_nhs(), seed_nhs(), seed_nhs() };
	struct dm_show_dev devs[] = {
		{ .info = &hub, .nhs = nhs, .nnhs = 3, .have_nhs = true },
		{ .info = &spoke, .nhs = nhs, .nnhs = 3, .have_nhs = true },
	};
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.254", -1, "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 55, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	/* a second NHS, configured with its NBMA address, waiting */
	dm_addr_parse("10.1.1.253", &nhs[1].proto);
	dm_addr_parse("172.16.20.1", &nhs[1].nbma);
	nhs[1].state = DMVPN_NHS_STATE_WAITING;
	nhs[1].has_priority = true;
	nhs[1].priority = 1;
	/* an NHS of a tunnel that is not shown */
	nhs[2].ifindex = 77;
	nhs[2].state = DMVPN_NHS_STATE_EXPECTING;

	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 2, e, 1, false);
	CHECK_STR(cap_str(&c),
		  "Legend: E=Expecting replies, R=Responding, W=Waiting\n"
		  "Tunnel0:\n"
		  "10.1.1.254 RE NBMA Address: 172.16.10.1 priority = 0 cluster = 0\n"
		  "10.1.1.253 W NBMA Address: 172.16.20.1 priority = 1 cluster = 0\n");
	cap_free(&c);

	/* the hub of seed 003 has no NHS: the legend alone; and without
	 * the cache the statically mapped NBMA address is not known */
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, e, 1, false);
	CHECK_STR(cap_str(&c), "Legend: E=Expecting replies, R=Responding, W=Waiting\n");
	cap_free(&c);
	nhs[2].ifindex = 6;
	o.fp = cap_open(&c);
	dm_show_nhs(&o, &devs[1], 1, NULL, 0, false);
	CHECK_STR(cap_str(&c),
		  "Legend: E=Expecting replies, R=Responding, W=Waiting\n"
		  "Tunnel0:\n"
		  "10.1.1.254 RE priority = 0 cluster = 0\n"
		  "10.1.1.253 W NBMA Address: 172.16.20.1 priority = 1 cluster = 0\n"
		  "10.1.1.254 E priority = 0 cluster = 0\n");
	cap_free(&c);
}

static void show_nhs_detail_json(void)
{
	struct dm_nhs n = seed_nhs();
	struct dm_show_dev devs[] = {
		{ .info = &spoke, .nhs = &n, .nnhs = 1, .have_nhs = true },
	};
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.254", -1, "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 55, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	n.has_req_sent = n.has_reply_recv = true;
	n.req_sent = 19;
	n.reply_recv = 18;
	n.has_last_reply = true;
	n.last_reply = 27;
	n.has_next_reg = true;
	n.next_reg = 2373;
	n.has_last_code = true;
	n.last_code = 0;
	dm_addr_parse("203.0.113.5", &n.nat_addr);
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, e, 1, true);
	CHECK_STR(cap_str(&c),
		  "Legend: E=Expecting replies, R=Responding, W=Waiting\n"
		  "Tunnel0:\n"
		  "10.1.1.254 RE NBMA Address: 172.16.10.1 priority = 0 cluster = 0"
		  "  req-sent 19  repl-recv 18 (00:00:27 ago)\n"
		  "    next registration in 00:39:33, last reply code 0 (success)\n"
		  "    behind NAT: the NHS sees us at 203.0.113.5\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, e, 1, true);
	CHECK(json_valid(cap_str(&c)));
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"Tunnel0\",\"ifindex\":6,\"proto_addr\":\"10.1.1.254\","
		  "\"nbma_addr\":\"172.16.10.1\",\"priority\":0,\"state\":\"responding\","
		  "\"status\":\"RE\",\"req_sent\":19,\"reply_recv\":18,\"last_reply\":27,"
		  "\"next_reg\":2373,\"last_code\":0,\"nat_addr\":\"203.0.113.5\"}]\n");
	cap_free(&c);

	/* a fresh NHS: nothing known yet, an unknown state from a newer
	 * module, a refusal code; and pretty JSON stays valid */
	n = seed_nhs();
	n.state = 9;
	n.has_last_code = true;
	n.last_code = 14;
	o.json = false;
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, NULL, 0, true);
	CHECK_STR(cap_str(&c),
		  "Legend: E=Expecting replies, R=Responding, W=Waiting\n"
		  "Tunnel0:\n"
		  "10.1.1.254 ? priority = 0 cluster = 0  req-sent 0  repl-recv 0\n"
		  "    next registration not scheduled, last reply code 14 (already registered)\n");
	cap_free(&c);
	o.json = true;
	o.pretty = true;
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, NULL, 0, false);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(cap_str(&c), "\"state\": null");
	CHECK_CONTAINS(cap_str(&c), "\"nbma_addr\": null");
	CHECK_CONTAINS(cap_str(&c), "\"last_reply\": null");
	cap_free(&c);

	/* nobody asked the module for NHSs: an empty list, not an error */
	devs[0].have_nhs = false;
	o.pretty = false;
	o.fp = cap_open(&c);
	dm_show_nhs(&o, devs, 1, NULL, 0, false);
	CHECK_STR(cap_str(&c), "[]\n");
	cap_free(&c);
}

static const char legend[] =
	"Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete\n"
	"        N - NATed, L - Local, X - No Socket\n"
	"        T1 - Route Installed\n"
	"        # Ent --> Number of NHRP entries with same NBMA peer\n"
	"        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting\n"
	"        UpDn Time --> Up or Down Time for a Tunnel\n"
	"==========================================================================\n\n";

/* seed 003, Spoke1#show dmvpn detail: the IPv4 NHS block, Type:Spoke */
static void show_dmvpn_detail_nhs(void)
{
	struct dm_nhs n[2] = { seed_nhs(), seed_nhs() };
	struct dm_show_dev devs[] = {
		{ .info = &spoke, .state = "up/up", .addr = "10.1.1.1",
		  .nhs = n, .nnhs = 1, .have_nhs = true },
	};
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.254", -1, "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 41, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;
	char want[2048];

	setup();
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, true);
	snprintf(want, sizeof(want), "%s%s", legend,
		 "Interface Tunnel0 is up/up, Addr. is 10.1.1.1, VRF \"\"\n"
		 "   Tunnel Src./Dest. addr: 172.16.1.1/MGRE, Tunnel VRF \"\"\n"
		 "   Protocol/Transport: \"multi-GRE/IP\", Protect \"\"\n"
		 "\n"
		 "IPv4 NHS:\n"
		 "10.1.1.254 RE priority = 0 cluster = 0\n"
		 "Type:Spoke, Total NBMA Peers (v4/v6): 1\n"
		 "\n"
		 "# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network\n"
		 "----- --------------- --------------- ----- -------- ----- -----------------\n"
		 "    1     172.16.10.1      10.1.1.254    UP 00:00:41     S     10.1.1.254/32\n"
		 "\n");
	CHECK_STR(cap_str(&c), want);
	cap_free(&c);

	/* IPv6 NHSs get their own block; the non-detail view says Spoke */
	dm_addr_parse("2001:db8::fe", &n[1].proto);
	dm_addr_parse("2001:db8:ffff::1", &n[1].nbma);
	n[1].state = DMVPN_NHS_STATE_EXPECTING;
	devs[0].nnhs = 2;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, true);
	CHECK_CONTAINS(cap_str(&c),
		       "\nIPv4 NHS:\n10.1.1.254 RE priority = 0 cluster = 0\n"
		       "\nIPv6 NHS:\n2001:db8::fe E NBMA Address: 2001:db8:ffff::1 priority = 0 cluster = 0\n"
		       "Type:Spoke,");
	cap_free(&c);
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, false);
	CHECK_CONTAINS(cap_str(&c), "Interface: Tunnel0, IPv4 NHRP Details\nType:Spoke, NHRP Peers:1,\n");
	cap_free(&c);
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, false);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(cap_str(&c), "\"type\":\"spoke\"");
	cap_free(&c);
}

static void fill_stats(struct dm_dev_info *d)
{
	static const struct { unsigned int id; uint64_t v; } s[] = {
		{ DMVPN_NHRP_STAT_TX_RES_REQ, 18 }, { DMVPN_NHRP_STAT_TX_RES_REPLY, 10 },
		{ DMVPN_NHRP_STAT_TX_REG_REQ, 42 }, { DMVPN_NHRP_STAT_TX_PURGE_REQ, 3 },
		{ DMVPN_NHRP_STAT_TX_PURGE_REPLY, 6 }, { DMVPN_NHRP_STAT_RX_RES_REQ, 10 },
		{ DMVPN_NHRP_STAT_RX_RES_REPLY, 15 }, { DMVPN_NHRP_STAT_RX_REG_REPLY, 36 },
		{ DMVPN_NHRP_STAT_RX_PURGE_REQ, 6 }, { DMVPN_NHRP_STAT_RX_PURGE_REPLY, 2 },
		{ DMVPN_NHRP_STAT_RX_TRAFFIC_IND, 1 }, { DMVPN_NHRP_STAT_RX_MALFORMED, 1 },
		{ DMVPN_NHRP_STAT_RX_AUTH_FAILED, 2 }, { DMVPN_NHRP_STAT_RX_DROPPED, 3 },
	};

	d->has_nhrp_stats = true;
	/* the module reports every counter, zeros included */
	for (unsigned int i = 1; i < DMVPN_NHRP_STAT_PAD; i++)
		d->nhrp_stat_present[i] = true;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		d->nhrp_stats[s[i].id] = s[i].v;
}

static void show_traffic(void)
{
	struct dm_show_dev devs[] = { { .info = &spoke }, { .info = &hub } };
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	fill_stats(&spoke);
	o.fp = cap_open(&c);
	dm_show_nhrp_traffic(&o, devs, 2);
	CHECK_STR(cap_str(&c),
		  "Tunnel0:\n"
		  "   Sent: Total 79\n"
		  "         18 Resolution Request  10 Resolution Reply  42 Registration Request\n"
		  "         0 Registration Reply  3 Purge Request  6 Purge Reply\n"
		  "         0 Error Indication  0 Traffic Indication\n"
		  "   Rcvd: Total 70\n"
		  "         10 Resolution Request  15 Resolution Reply  0 Registration Request\n"
		  "         36 Registration Reply  6 Purge Request  2 Purge Reply\n"
		  "         0 Error Indication  1 Traffic Indication\n"
		  "   Dropped: Total 6\n"
		  "         1 Malformed  2 Authentication Failed  0 Loop Detected\n"
		  "         3 Not Acted On\n"
		  "Tunnel1: no NHRP counters (the dmvpn module does not report them)\n");
	cap_free(&c);

	/* a newer module's counters are shown by number */
	spoke.nhrp_stat_present[40] = spoke.nhrp_stat_present[41] = true;
	spoke.nhrp_stats[40] = 5;
	o.fp = cap_open(&c);
	dm_show_nhrp_traffic(&o, devs, 1);
	CHECK_CONTAINS(cap_str(&c), "         3 Not Acted On\n   Other: 5 stat_40  0 stat_41\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_nhrp_traffic(&o, devs, 2);
	CHECK(json_valid(cap_str(&c)));
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"Tunnel0\",\"ifindex\":6,\"sent\":79,\"rcvd\":70,\"dropped\":6,"
		  "\"stats\":{\"rx_res_req\":10,\"rx_res_reply\":15,\"rx_reg_req\":0,"
		  "\"rx_reg_reply\":36,\"rx_purge_req\":6,\"rx_purge_reply\":2,"
		  "\"rx_error_ind\":0,\"rx_traffic_ind\":1,\"tx_res_req\":18,"
		  "\"tx_res_reply\":10,\"tx_reg_req\":42,\"tx_reg_reply\":0,"
		  "\"tx_purge_req\":3,\"tx_purge_reply\":6,\"tx_error_ind\":0,"
		  "\"tx_traffic_ind\":0,\"rx_malformed\":1,\"rx_auth_failed\":2,"
		  "\"rx_loop\":0,\"rx_dropped\":3,\"stat_40\":5,\"stat_41\":0}}]\n");
	cap_free(&c);
	o.pretty = true;
	o.fp = cap_open(&c);
	dm_show_nhrp_traffic(&o, devs, 2);
	CHECK(json_valid(cap_str(&c)));
	cap_free(&c);
}

static void show_interface_nhrp(void)
{
	struct dm_nhs n[2] = { seed_nhs(), seed_nhs() };
	struct dm_show_dev sd = { .info = &spoke, .state = "up/up",
				  .nhs = n, .nnhs = 2, .have_nhs = true };
	struct dm_nhrp_conf *k = &spoke.nhrp;
	struct dm_out o = { NULL, false, false };
	struct capture c;
	const char *s;

	setup();
	n[1].ifindex = 5;		/* the hub's: not this tunnel's */
	spoke.has_nhrp_conf = true;
	k->has_network_id = k->has_holdtime = k->has_reg_interval = true;
	k->network_id = 1;
	k->holdtime = 7200;
	k->has_auth_set = k->auth_set = true;
	k->has_redirect = true;
	k->has_shortcut = k->shortcut = true;
	k->has_mcast_dynamic = true;
	k->has_reg_no_unique = true;
	spoke.has_nhrp_stats = true;
	spoke.nhrp_stat_present[DMVPN_NHRP_STAT_TX_REG_REQ] = true;
	spoke.nhrp_stats[DMVPN_NHRP_STAT_TX_REG_REQ] = 4;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	s = cap_str(&c);
	CHECK_CONTAINS(s, "  Tunnel protocol/transport multi-GRE/IP, Type:Spoke\n");
	CHECK_CONTAINS(s,
		       "  NHRP network-id 1, holdtime 7200 s, registration timeout 2400 s (holdtime/3)\n"
		       "  NHRP authentication set, redirect off, shortcut on, map multicast dynamic off, registration unique\n"
		       "  NHRP NHS 10.1.1.254 RE, priority 0\n"
		       "  Drops and errors:\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	s = cap_str(&c);
	CHECK(json_valid(s));
	CHECK_CONTAINS(s, "\"type\":\"spoke\"");
	CHECK_CONTAINS(s, "\"stats\":{},\"nhrp\":{\"network_id\":1,\"holdtime\":7200,"
		       "\"registration_timeout\":0,\"authentication\":true,\"redirect\":false,"
		       "\"shortcut\":true,\"map_multicast_dynamic\":false,"
		       "\"registration_no_unique\":false},\"nhs\":[{\"proto_addr\":\"10.1.1.254\","
		       "\"nbma_addr\":null,\"priority\":0,\"state\":\"responding\",\"status\":\"RE\"");
	CHECK_CONTAINS(s, "\"nhrp_stats\":{\"tx_reg_req\":4}}]\n");
	cap_free(&c);

	/* NHRP off; a module without NHRP: no NHRP lines or keys at all */
	k->network_id = 0;
	k->reg_interval = 600;
	o.json = false;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	CHECK_CONTAINS(cap_str(&c), "  NHRP off (no network-id), holdtime 7200 s, registration timeout 600 s\n");
	cap_free(&c);
	spoke.has_nhrp_conf = spoke.has_nhrp_stats = false;
	sd.have_nhs = false;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	CHECK(!strstr(cap_str(&c), "NHRP"));
	cap_free(&c);
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	CHECK(json_valid(cap_str(&c)));
	CHECK(!strstr(cap_str(&c), "\"nhrp") && !strstr(cap_str(&c), "\"nhs\""));
	cap_free(&c);
}

/* IOS: an unresolved entry is "Type: incomplete, Flags: negative" */
static void show_nhrp_incomplete_shortcut(void)
{
	struct dm_show_dev devs[] = { { .info = &spoke } };
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.3", -1, NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0, 3, 176),
		ent(6, "192.168.2.0", 24, "172.16.2.1", DMVPN_NHRP_TYPE_SHORTCUT,
		    DMVPN_NHRP_F_USED, 21, 338),
		ent(6, "10.1.1.2", -1, "172.16.2.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_IMPLICIT, 21, 338),
		ent(6, "10.1.1.4", -1, NULL, DMVPN_NHRP_TYPE_INCOMPLETE,
		    DMVPN_NHRP_F_USED, 1, 179),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 4, false, 0);
	CHECK_STR(cap_str(&c),
		  "10.1.1.2/32 via 10.1.1.2\n"
		  "   Tunnel0 created 00:00:21, expire 00:05:38\n"
		  "   Type: dynamic, Flags: implicit\n"
		  "   NBMA address: 172.16.2.1\n"
		  "10.1.1.3/32 via 10.1.1.3\n"
		  "   Tunnel0 created 00:00:03, expire 00:02:56\n"
		  "   Type: incomplete, Flags: negative\n"
		  "10.1.1.4/32 via 10.1.1.4\n"
		  "   Tunnel0 created 00:00:01, expire 00:02:59\n"
		  "   Type: incomplete, Flags: negative used\n"
		  "192.168.2.0/24\n"
		  "   Tunnel0 created 00:00:21, expire 00:05:38\n"
		  "   Type: shortcut, Flags: used\n"
		  "   NBMA address: 172.16.2.1\n");
	cap_free(&c);

	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 4, false, DMVPN_NHRP_TYPE_SHORTCUT);
	CHECK_STR(cap_str(&c),
		  "192.168.2.0/24\n"
		  "   Tunnel0 created 00:00:21, expire 00:05:38\n"
		  "   Type: shortcut, Flags: used\n"
		  "   NBMA address: 172.16.2.1\n");
	cap_free(&c);

	/* A network learnt by resolution names the router that answered. */
	CHECK(!dm_addr_parse("10.1.1.2", &e[1].next_hop));
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 4, false, DMVPN_NHRP_TYPE_SHORTCUT);
	CHECK_STR(cap_str(&c),
		  "192.168.2.0/24 via 10.1.1.2\n"
		  "   Tunnel0 created 00:00:21, expire 00:05:38\n"
		  "   Type: shortcut, Flags: used\n"
		  "   NBMA address: 172.16.2.1\n");
	cap_free(&c);
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 4, false, DMVPN_NHRP_TYPE_SHORTCUT);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(cap_str(&c), "\"prefix_len\":24,\"next_hop\":\"10.1.1.2\",");
	cap_free(&c);
	memset(&e[1].next_hop, 0, sizeof(e[1].next_hop));
	o.json = false;

	/* JSON keeps the kernel's flags: "negative" is IOS's word for the type */
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 4, false, DMVPN_NHRP_TYPE_INCOMPLETE);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(cap_str(&c), "\"proto_addr\":\"10.1.1.3\",\"prefix_len\":32,"
		       "\"nbma_addr\":null,\"nbma_port\":0,\"type\":\"incomplete\",\"flags\":[]");
	cap_free(&c);

	/* show dmvpn: incomplete = NHRP/I/UNKNOWN, shortcut = DT1 */
	o.json = false;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 4, false);
	CHECK_CONTAINS(cap_str(&c),
		       "     2      172.16.2.1        10.1.1.2    UP 00:00:21     D\n"
		       "                           192.168.2.0    UP 00:00:21   DT1\n"
		       "     1         UNKNOWN        10.1.1.3  NHRP 00:00:03     I\n"
		       "     1         UNKNOWN        10.1.1.4  NHRP 00:00:01     I\n");
	cap_free(&c);
}

static void monitor_new_types(void)
{
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.3", -1, NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0, 0, 180),
		ent(6, "192.168.2.0", 24, "172.16.2.1", DMVPN_NHRP_TYPE_SHORTCUT, 0, 0, 359),
		ent(6, "10.1.1.2", -1, "172.16.2.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_IMPLICIT | DMVPN_NHRP_F_NAT, 0, 359),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	e[2].port = 4500;
	o.fp = cap_open(&c);
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_NEW, &e[0]);
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_NEW, &e[1]);
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_DEL, &e[2]);
	CHECK_STR(cap_str(&c),
		  "new Tunnel0 10.1.1.3/32 type incomplete expire 00:03:00\n"
		  "new Tunnel0 192.168.2.0/24 nbma 172.16.2.1 type shortcut expire 00:05:59\n"
		  "del Tunnel0 10.1.1.2/32 nbma 172.16.2.1 port 4500 type dynamic flags nat implicit expire 00:05:59\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	for (int i = 0; i < 3; i++)
		dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_NEW, &e[i]);
	{
		/* one JSON object per line, each valid */
		char *all = strdup(cap_str(&c)), *save = NULL;
		int lines = 0;

		for (char *l = strtok_r(all, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			CHECK(json_valid(l));
			lines++;
		}
		CHECK_INT(lines, 3);
		CHECK_CONTAINS(cap_str(&c), "\"type\":\"shortcut\"");
		CHECK_CONTAINS(cap_str(&c), "\"flags\":[\"nat\",\"implicit\"]");
		free(all);
	}
	cap_free(&c);
}

static void show_multicast(void)
{
	struct dm_show_dev devs[] = { { .info = &hub }, { .info = &spoke } };
	struct dm_mcast mc[3] = { { .ifindex = 5 }, { .ifindex = 5 }, { .ifindex = 6 } };
	struct dm_nhrp_entry e[] = {
		ent(5, "10.1.1.1", -1, "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_REGISTERED, 10, 7000),
		ent(5, "10.1.1.2", -1, "172.16.2.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_REGISTERED, 10, 7000),
		/* same spoke, second address: one destination */
		ent(5, "10.1.1.9", -1, "172.16.2.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 10, 7000),
		ent(5, "10.1.1.7", -1, NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0, 1, 170),
		ent(5, "10.1.1.254", -1, "172.16.30.1", DMVPN_NHRP_TYPE_STATIC, 0, 10, -1),
		ent(6, "10.1.1.254", -1, "172.16.10.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 10, 70),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	dm_addr_parse("172.16.99.1", &mc[0].nbma);
	dm_addr_parse("172.16.99.1", &mc[1].nbma);	/* listed once */
	dm_addr_parse("172.16.10.1", &mc[2].nbma);
	hub.has_nhrp_conf = true;
	hub.nhrp.has_mcast_dynamic = hub.nhrp.mcast_dynamic = true;
	o.fp = cap_open(&c);
	dm_show_nhrp_mcast(&o, devs, 2, mc, 3, e, 6);
	CHECK_STR(cap_str(&c),
		  "  I/F     NBMA address\n"
		  "Tunnel1    172.16.99.1      Flags: static\n"
		  "Tunnel1    172.16.1.1       Flags: dynamic\n"
		  "Tunnel1    172.16.2.1       Flags: dynamic\n"
		  "Tunnel0    172.16.10.1      Flags: static\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_nhrp_mcast(&o, devs, 2, mc, 3, e, 6);
	CHECK(json_valid(cap_str(&c)));
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"Tunnel1\",\"ifindex\":5,\"nbma_addr\":\"172.16.99.1\",\"type\":\"static\"},"
		  "{\"ifname\":\"Tunnel1\",\"ifindex\":5,\"nbma_addr\":\"172.16.1.1\",\"type\":\"dynamic\"},"
		  "{\"ifname\":\"Tunnel1\",\"ifindex\":5,\"nbma_addr\":\"172.16.2.1\",\"type\":\"dynamic\"},"
		  "{\"ifname\":\"Tunnel0\",\"ifindex\":6,\"nbma_addr\":\"172.16.10.1\",\"type\":\"static\"}]\n");
	cap_free(&c);

	/* without "map multicast dynamic": the static ones only */
	hub.nhrp.mcast_dynamic = false;
	o.json = false;
	o.fp = cap_open(&c);
	dm_show_nhrp_mcast(&o, devs, 1, mc, 3, e, 6);
	CHECK_STR(cap_str(&c),
		  "  I/F     NBMA address\n"
		  "Tunnel1    172.16.99.1      Flags: static\n");
	cap_free(&c);
}

const struct dm_test nhrp_show_tests[] = {
	{ "show_ip_nhrp_nhs_matches_ios", show_nhs_matches_ios },
	{ "show_ip_nhrp_nhs_detail_json", show_nhs_detail_json },
	{ "show_dmvpn_detail_nhs_block", show_dmvpn_detail_nhs },
	{ "show_ip_nhrp_traffic", show_traffic },
	{ "show_interface_nhrp_config", show_interface_nhrp },
	{ "show_ip_nhrp_incomplete_shortcut", show_nhrp_incomplete_shortcut },
	{ "monitor_incomplete_shortcut_implicit", monitor_new_types },
	{ "show_ip_nhrp_multicast", show_multicast },
	{ NULL, NULL },
};
