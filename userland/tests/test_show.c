// SPDX-License-Identifier: GPL-2.0-only
/* Output of the show commands, compared with IOS layouts. */
#include <linux/dmvpn.h>

#include "../ctl/show.h"
#include "unit.h"

static struct dm_nhrp_entry ent(uint32_t ifindex, const char *proto,
				const char *nbma, uint8_t type, uint32_t flags,
				uint64_t age, long expires)
{
	struct dm_nhrp_entry e = {
		.ifindex = ifindex, .type = type, .flags = flags,
		.age = age, .has_age = true,
	};

	dm_addr_parse(proto, &e.proto);
	e.plen = (uint8_t)dm_addr_max_plen(&e.proto);
	e.has_plen = true;
	if (nbma)
		dm_addr_parse(nbma, &e.nbma);
	if (expires >= 0) {
		e.has_expires = true;
		e.expires = (uint32_t)expires;
	}
	return e;
}

static struct dm_dev_info hub = { .ifindex = 5, .ifname = "Tunnel0" };
static struct dm_dev_info spoke = { .ifindex = 6, .ifname = "tun1" };

static void setup(void)
{
	dm_addr_parse("172.16.10.1", &hub.local);
	dm_addr_parse("172.16.1.1", &spoke.local);
	dm_addr_parse("172.16.10.1", &spoke.remote);
	hub.has_key = true;
	hub.key = 1;
}

static void show_ip_nhrp_matches_ios(void)
{
	struct dm_show_dev devs[] = { { .info = &hub }, { .info = &spoke } };
	struct dm_nhrp_entry e[] = {
		ent(5, "10.1.1.1", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_REGISTERED, 86, 7113),
		ent(6, "10.1.1.254", "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 55, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 2, e, 2, false, 0);
	CHECK_STR(cap_str(&c),
		  "10.1.1.1/32 via 10.1.1.1\n"
		  "   Tunnel0 created 00:01:26, expire 01:58:33\n"
		  "   Type: dynamic, Flags: unique registered\n"
		  "   NBMA address: 172.16.1.1\n"
		  "10.1.1.254/32 via 10.1.1.254\n"
		  "   tun1 created 00:00:55, never expire\n"
		  "   Type: static, Flags:\n"
		  "   NBMA address: 172.16.10.1\n");
	cap_free(&c);

	/* filter, NAT port, detail */
	e[0].port = 4500;
	e[0].flags |= DMVPN_NHRP_F_NAT;
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 2, e, 2, true, DMVPN_NHRP_TYPE_DYNAMIC);
	CHECK_STR(cap_str(&c),
		  "10.1.1.1/32 via 10.1.1.1\n"
		  "   Tunnel0 created 00:01:26, expire 01:58:33\n"
		  "   Type: dynamic, Flags: unique registered nat\n"
		  "   NBMA address: 172.16.1.1, port 4500\n"
		  "   Age: 86 s, expires in: 7113 s, raw flags: 0xb\n");
	cap_free(&c);
}

static void show_ip_nhrp_json(void)
{
	struct dm_show_dev devs[] = { { .info = &hub } };
	struct dm_nhrp_entry e[] = {
		ent(5, "10.1.1.1", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_UNIQUE, 86, 7113),
		ent(5, "10.1.1.9", NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0x100, 3, -1),
	};
	struct dm_out o = { NULL, true, false };
	struct capture c;

	setup();
	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 2, false, 0);
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"Tunnel0\",\"ifindex\":5,\"proto_addr\":\"10.1.1.1\","
		  "\"prefix_len\":32,\"nbma_addr\":\"172.16.1.1\",\"nbma_port\":0,"
		  "\"type\":\"dynamic\",\"flags\":[\"unique\"],\"created\":86,\"expires\":7113},"
		  "{\"ifname\":\"Tunnel0\",\"ifindex\":5,\"proto_addr\":\"10.1.1.9\","
		  "\"prefix_len\":32,\"nbma_addr\":null,\"nbma_port\":0,"
		  "\"type\":\"incomplete\",\"flags\":[\"0x100\"],\"created\":3,\"expires\":null}]\n");
	cap_free(&c);

	o.fp = cap_open(&c);
	dm_show_nhrp(&o, devs, 1, e, 0, false, 0);
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

static void show_dmvpn_spoke_matches_ios(void)
{
	struct dm_show_dev devs[] = { { .info = &spoke } };
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.254", "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 39, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;
	char want[2048];

	setup();
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, false);
	snprintf(want, sizeof(want), "%s%s", legend,
		 "Interface: tun1, IPv4 NHRP Details\n"
		 "Type:Spoke, NHRP Peers:1,\n"
		 "\n"
		 " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
		 " ----- --------------- --------------- ----- -------- -----\n"
		 "     1     172.16.10.1      10.1.1.254    UP 00:00:39     S\n"
		 "\n");
	CHECK_STR(cap_str(&c), want);
	cap_free(&c);
}

static void show_dmvpn_hub_grouping(void)
{
	struct dm_show_dev devs[] = { { .info = &hub } };
	struct dm_nhrp_entry e[] = {
		/* unsorted on purpose */
		ent(5, "10.1.1.3", "172.16.3.1", DMVPN_NHRP_TYPE_DYNAMIC,
		    DMVPN_NHRP_F_NAT, 2 * 86400 + 3600, 100),
		ent(5, "10.1.1.2", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 90, 100),
		ent(5, "10.1.1.1", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 90, 100),
		ent(5, "10.1.1.9", NULL, DMVPN_NHRP_TYPE_INCOMPLETE, 0, 3, 100),
		ent(5, "2001:db8::1", "172.16.1.1", DMVPN_NHRP_TYPE_STATIC, 0, 17 * 86400, -1),
		ent(9, "10.9.9.9", "172.16.9.9", DMVPN_NHRP_TYPE_STATIC, 0, 1, -1), /* other tunnel */
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;
	char want[4096];

	setup();
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 6, false);
	snprintf(want, sizeof(want), "%s%s", legend,
		 "Interface: Tunnel0, IPv4 NHRP Details\n"
		 "Type:Hub, NHRP Peers:3,\n"
		 "\n"
		 " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
		 " ----- --------------- --------------- ----- -------- -----\n"
		 "     2      172.16.1.1        10.1.1.1    UP 00:01:30     D\n"
		 "                              10.1.1.2    UP 00:01:30     D\n"
		 "     1      172.16.3.1        10.1.1.3    UP    2d01h    DN\n"
		 "     1         UNKNOWN        10.1.1.9  NHRP 00:00:03     I\n"
		 "\n"
		 "Interface: Tunnel0, IPv6 NHRP Details\n"
		 "Type:Hub, NHRP Peers:1,\n"
		 "\n"
		 " # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
		 " ----- --------------- --------------- ----- -------- -----\n"
		 "     1      172.16.1.1     2001:db8::1    UP     2w3d     S\n"
		 "\n");
	CHECK_STR(cap_str(&c), want);
	cap_free(&c);

	/* empty tunnel: header, no table */
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 0, false);
	snprintf(want, sizeof(want), "%s%s", legend,
		 "Interface: Tunnel0, IPv4 NHRP Details\n"
		 "Type:Hub, NHRP Peers:0,\n\n");
	CHECK_STR(cap_str(&c), want);
	cap_free(&c);
}

static void show_dmvpn_detail(void)
{
	struct dm_show_dev devs[] = { { .info = &spoke, .state = "up/up", .addr = "10.1.1.1" } };
	struct dm_nhrp_entry e[] = {
		ent(6, "10.1.1.254", "172.16.10.1", DMVPN_NHRP_TYPE_STATIC, 0, 41, -1),
	};
	struct dm_out o = { NULL, false, false };
	struct capture c;
	char want[2048];

	setup();
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 1, true);
	snprintf(want, sizeof(want), "%s%s", legend,
		 "Interface tun1 is up/up, Addr. is 10.1.1.1, VRF \"\"\n"
		 "   Tunnel Src./Dest. addr: 172.16.1.1/172.16.10.1, Tunnel VRF \"\"\n"
		 "   Protocol/Transport: \"GRE/IP\", Protect \"\"\n"
		 "Type:Spoke, Total NBMA Peers (v4/v6): 1\n"
		 "\n"
		 "# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network\n"
		 "----- --------------- --------------- ----- -------- ----- -----------------\n"
		 "    1     172.16.10.1      10.1.1.254    UP 00:00:41     S     10.1.1.254/32\n"
		 "\n");
	CHECK_STR(cap_str(&c), want);
	cap_free(&c);
}

static void show_dmvpn_json(void)
{
	struct dm_show_dev devs[] = { { .info = &hub }, { .info = &spoke } };
	struct dm_nhrp_entry e[] = {
		ent(5, "10.1.1.2", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 90, 100),
		ent(5, "10.1.1.1", "172.16.1.1", DMVPN_NHRP_TYPE_DYNAMIC, 0, 90, 100),
	};
	struct dm_out o = { NULL, true, false };
	struct capture c;

	setup();
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 2, e, 2, false);
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"Tunnel0\",\"ifindex\":5,\"type\":\"hub\",\"nhrp_peers\":1,\"peers\":["
		  "{\"ent\":2,\"nbma_addr\":\"172.16.1.1\",\"nbma_port\":0,\"tunnel_addr\":\"10.1.1.1\","
		  "\"prefix_len\":32,\"state\":\"UP\",\"updn_time\":90,\"attrb\":\"D\"},"
		  "{\"ent\":2,\"nbma_addr\":\"172.16.1.1\",\"nbma_port\":0,\"tunnel_addr\":\"10.1.1.2\","
		  "\"prefix_len\":32,\"state\":\"UP\",\"updn_time\":90,\"attrb\":\"D\"}]},"
		  "{\"ifname\":\"tun1\",\"ifindex\":6,\"type\":\"spoke\",\"nhrp_peers\":0,\"peers\":[]}]\n");
	cap_free(&c);
}

static void show_interface(void)
{
	struct dm_dev_info d = spoke;
	struct dm_show_dev sd = { .info = &d, .state = "up/up", .link_name = "eth0" };
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	d = spoke;
	d.ttl = 64;
	d.tos = DMVPN_TOS_INHERIT;
	d.link = 2;
	d.has_nhrp_count = d.has_peer_count = true;
	d.nhrp_count = 1;
	d.peer_count = 1;
	d.stat_present[DMVPN_STAT_RX_KEY_MISMATCH] = true;
	d.stats[DMVPN_STAT_RX_KEY_MISMATCH] = 3;
	d.stat_present[40] = true;
	d.stats[40] = 9;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	CHECK_STR(cap_str(&c),
		  "tun1 is up/up, dmvpn tunnel, ifindex 6\n"
		  "  Tunnel source 172.16.1.1, destination 172.16.10.1\n"
		  "  Tunnel protocol/transport GRE/IP, Type:Spoke\n"
		  "  Tunnel key none\n"
		  "  Tunnel TTL 64, TOS inherit\n"
		  "  Tunnel underlay device eth0\n"
		  "  NHRP cache entries 1, NBMA peers 1\n"
		  "  Drops and errors:\n"
		  "    rx_key_mismatch      3\n"
		  "    stat_40              9\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &sd);
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"tun1\",\"ifindex\":6,\"state\":\"up/up\",\"type\":\"spoke\","
		  "\"transport\":\"GRE/IP\",\"local\":\"172.16.1.1\",\"remote\":\"172.16.10.1\","
		  "\"key\":null,\"ttl\":64,\"ttl_inherit\":false,\"tos\":1,\"tos_inherit\":true,"
		  "\"link\":2,\"link_ifname\":\"eth0\",\"nhrp_entries\":1,\"nbma_peers\":1,"
		  "\"stats\":{\"rx_key_mismatch\":3,\"stat_40\":9}}]\n");
	cap_free(&c);
}

static void show_event_line(void)
{
	struct dm_nhrp_entry e = ent(5, "10.1.1.1", "172.16.1.1",
				     DMVPN_NHRP_TYPE_DYNAMIC,
				     DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_REGISTERED,
				     0, 7200);
	struct dm_out o = { NULL, false, false };
	struct capture c;

	o.fp = cap_open(&c);
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_NEW, &e);
	e.has_expires = false;
	e.flags = 0;
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_DEL, &e);
	dm_show_event(&o, "Tunnel0", 77, &e);
	CHECK_STR(cap_str(&c),
		  "new Tunnel0 10.1.1.1/32 nbma 172.16.1.1 type dynamic flags unique registered expire 02:00:00\n"
		  "del Tunnel0 10.1.1.1/32 nbma 172.16.1.1 type dynamic\n"
		  "event77 Tunnel0 10.1.1.1/32 nbma 172.16.1.1 type dynamic\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_event(&o, "Tunnel0", DMVPN_EVENT_NHRP_DEL, &e);
	CHECK_CONTAINS(cap_str(&c), "{\"event\":\"del\",\"ifname\":\"Tunnel0\",\"ifindex\":5,");
	cap_free(&c);
}

static void role(void)
{
	struct dm_show_dev h = { .info = &hub }, sp = { .info = &spoke };
	struct dm_nhs nhs = { .ifindex = 5 };

	setup();
	CHECK_STR(dm_tunnel_role(&h), "Hub");
	CHECK_STR(dm_tunnel_role(&sp), "Spoke");
	/* a multipoint tunnel with an NHS registers: a spoke */
	h.nhs = &nhs;
	h.nnhs = 1;
	CHECK_STR(dm_tunnel_role(&h), "Hub");	/* not asked: have_nhs false */
	h.have_nhs = true;
	CHECK_STR(dm_tunnel_role(&h), "Spoke");
	nhs.ifindex = 9;			/* another tunnel's NHS */
	CHECK_STR(dm_tunnel_role(&h), "Hub");
}

const struct dm_test show_tests[] = {
	{ "show_ip_nhrp_matches_ios", show_ip_nhrp_matches_ios },
	{ "show_ip_nhrp_json", show_ip_nhrp_json },
	{ "show_dmvpn_spoke_matches_ios", show_dmvpn_spoke_matches_ios },
	{ "show_dmvpn_hub_grouping_families", show_dmvpn_hub_grouping },
	{ "show_dmvpn_detail", show_dmvpn_detail },
	{ "show_dmvpn_json", show_dmvpn_json },
	{ "show_interface_text_json", show_interface },
	{ "monitor_event_lines", show_event_line },
	{ "tunnel_role", role },
	{ NULL, NULL },
};
