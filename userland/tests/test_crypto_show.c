// SPDX-License-Identifier: GPL-2.0-only
/*
 * "show crypto ..." outputs from fixed structs: the layout of seed 003's
 * hub (Tunnel0 172.16.10.1, spoke 172.16.1.1, esp-3des esp-sha-hmac,
 * transport mode), and the same data as JSON.
 */
#include <stdlib.h>

#include <linux/dmvpn.h>

#include "../ctl/show.h"
#include "unit.h"

static struct dm_dev_info hub, plain;
static struct dm_show_dev devs[2];
static struct dm_peer peers[2];
static struct dm_sa sas[3];
static struct dm_crypto_view view;

static struct dm_sa mk_sa(uint8_t dir, uint32_t spi, const char *peer,
			  uint64_t pkts, uint64_t age)
{
	struct dm_sa sa = {
		.ifindex = 5, .dir = dir, .has_spi = true, .spi = spi,
		.port = 4500, .alg = DMVPN_ESP_3DES_CBC_HMAC_SHA1_96,
		.mode = DMVPN_SA_MODE_TRANSPORT, .has_flags = true,
		.has_reqid = true, .reqid = 1, .has_state = true,
		.has_age = true, .age = age, .has_seq = true, .seq = pkts,
		.has_hard_secs = true, .hard_secs = 3600,
		.has_hard_kb = true, .hard_kb = 4608000,
		.has_left_secs = true, .left_secs = 3600 - (uint32_t)age,
		.has_left_kb = true, .left_kb = 4576682, .has_stats = true,
	};

	dm_addr_parse(peer, &sa.peer);
	if (dir == DMVPN_SA_DIR_IN) {
		sa.has_replay_window = true;
		sa.replay_window = 64;
	}
	for (unsigned int s = 1; s <= DMVPN_SA_STAT_MAX; s++)
		if (s != DMVPN_SA_STAT_PAD)
			sa.stat_present[s] = true;
	sa.stats[DMVPN_SA_STAT_PACKETS] = pkts;
	sa.stats[DMVPN_SA_STAT_BYTES] = pkts * 100;
	return sa;
}

static void setup(void)
{
	memset(&hub, 0, sizeof(hub));
	memset(&plain, 0, sizeof(plain));
	hub.ifindex = 5;
	snprintf(hub.ifname, sizeof(hub.ifname), "Tunnel0");
	dm_addr_parse("172.16.10.1", &hub.local);
	hub.has_protect = hub.protect = true;
	hub.sock_port = 4500;
	hub.has_sa_count = true;
	hub.sa_count = 2;
	plain.ifindex = 6;
	snprintf(plain.ifname, sizeof(plain.ifname), "tun1");
	dm_addr_parse("172.16.10.1", &plain.local);
	plain.has_protect = true;
	devs[0] = (struct dm_show_dev){ .info = &hub };
	devs[1] = (struct dm_show_dev){ .info = &plain };

	/* the spoke of seed 003, and a second spoke behind the same PAT
	 * address that has no SAs yet */
	memset(peers, 0, sizeof(peers));
	peers[0].ifindex = peers[1].ifindex = 5;
	dm_addr_parse("172.16.1.1", &peers[0].addr);
	peers[0].port = 4500;
	peers[0].has_spi_out = true;
	peers[0].spi_out = 0x8D538D11;
	peers[0].has_pmtu = true;
	peers[0].pmtu = 1500;
	dm_addr_parse("172.16.1.1", &peers[1].addr);
	peers[1].port = 31000;
	peers[1].held = 2;
	peers[1].no_sa = 3;

	sas[0] = mk_sa(DMVPN_SA_DIR_IN, 0xA259D71, "172.16.1.1", 34, 103);
	sas[0].stats[DMVPN_SA_STAT_REPLAY] = 1;
	sas[0].stats[DMVPN_SA_STAT_AUTH_FAILED] = 2;
	sas[1] = mk_sa(DMVPN_SA_DIR_OUT, 0x8D538D11, "172.16.1.1", 34, 103);
	sas[1].state = DMVPN_SA_S_CURRENT;
	sas[1].stats[DMVPN_SA_STAT_ENCAPS_FAILED] = 1;
	/* an SA of the unprotected tunnel can't exist: it is ignored */
	sas[2] = mk_sa(DMVPN_SA_DIR_IN, 0x999, "172.16.9.9", 1, 1);
	sas[2].ifindex = 6;
	view = (struct dm_crypto_view){
		.devs = devs, .ndev = 2, .peers = peers, .npeer = 2,
		.sas = sas, .nsa = 3,
	};
}

static const char *render(void (*fn)(const struct dm_out *, bool), bool json,
			  bool detail, struct capture *c)
{
	struct dm_out o = { NULL, json, false };

	o.fp = cap_open(c);
	fn(&o, detail);
	return cap_str(c);
}

static void do_ipsec(const struct dm_out *o, bool detail)
{
	dm_show_ipsec_sa(o, &view, NULL, detail);
}

static void do_sockets(const struct dm_out *o, bool detail)
{
	(void)detail;
	dm_show_crypto_sockets(o, &view);
}

static void do_session(const struct dm_out *o, bool detail)
{
	dm_show_crypto_session(o, &view, detail);
}

/* Seed 003's hub, "show crypto ipsec sa" (without IKE's lines). */
static const char ipsec_hub[] =
	"interface: Tunnel0\n"
	"    local addr 172.16.10.1, UDP port 4500\n"
	"\n"
	"   local  ident (addr/mask/prot/port): (172.16.10.1/255.255.255.255/47/0)\n"
	"   remote ident (addr/mask/prot/port): (172.16.1.1/255.255.255.255/47/0)\n"
	"   current_peer 172.16.1.1 port 4500\n"
	"    #pkts encaps: 34, #pkts encrypt: 34, #pkts digest: 34\n"
	"    #pkts decaps: 34, #pkts decrypt: 34, #pkts verify: 34\n"
	"    #send errors 1, #recv errors 3\n"
	"\n"
	"     local crypto endpt.: 172.16.10.1, remote crypto endpt.: 172.16.1.1\n"
	"     path mtu 1500\n"
	"     current outbound spi: 0x8D538D11(2371063057)\n"
	"\n"
	"     inbound esp sas:\n"
	"      spi: 0xA259D71(170237297)\n"
	"        transform: esp-3des esp-sha-hmac ,\n"
	"        in use settings ={Transport, }\n"
	"        sa timing: remaining key lifetime (k/sec): (4576682/3497)\n"
	"        replay detection support: Y\n"
	"        Status: ACTIVE\n"
	"\n"
	"     outbound esp sas:\n"
	"      spi: 0x8D538D11(2371063057)\n"
	"        transform: esp-3des esp-sha-hmac ,\n"
	"        in use settings ={Transport, }\n"
	"        sa timing: remaining key lifetime (k/sec): (4576682/3497)\n"
	"        Status: ACTIVE\n"
	"\n";

static const char ipsec_pat_peer[] =
	"   local  ident (addr/mask/prot/port): (172.16.10.1/255.255.255.255/47/0)\n"
	"   remote ident (addr/mask/prot/port): (172.16.1.1/255.255.255.255/47/0)\n"
	"   current_peer 172.16.1.1 port 31000\n"
	"    #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0\n"
	"    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0\n"
	"    #send errors 3, #recv errors 0\n"
	"\n"
	"     local crypto endpt.: 172.16.10.1, remote crypto endpt.: 172.16.1.1\n"
	"     path mtu (not learnt)\n"
	"     current outbound spi: 0x0(0)\n"
	"\n"
	"     inbound esp sas:\n"
	"\n"
	"     outbound esp sas:\n"
	"\n";

static void show_ipsec_sa_text(void)
{
	struct capture c;
	char want[8192];

	setup();
	snprintf(want, sizeof(want), "%s%s", ipsec_hub, ipsec_pat_peer);
	CHECK_STR(render(do_ipsec, false, false, &c), want);
	cap_free(&c);

	/* detail: the error counters one by one, per-SA extras */
	render(do_ipsec, false, true, &c);
	CHECK_CONTAINS(c.buf,
		"    #pkts decaps: 34, #pkts decrypt: 34, #pkts verify: 34\n"
		"    #pkts no sa (send) 0, #pkts invalid sa (rcv) 0\n"
		"    #pkts encaps failed (send) 1, #pkts decaps failed (rcv) 0\n"
		"    #pkts verify failed: 2, #pkts invalid len (rcv) 0\n"
		"    #pkts replay failed (rcv): 1\n"
		"    #pkts internal err (send): 0, #pkts internal err (rcv) 0\n"
		"    #pkts held (waiting for sa): 0\n\n");
	CHECK_CONTAINS(c.buf,
		"        sa timing: remaining key lifetime (k/sec): (4576682/3497)\n"
		"        IV size: 8 bytes\n"
		"        replay detection support: Y\n"
		"        replay window size: 64\n"
		"        #pkts: 34, bytes: 3400, highest sequence number: 34\n"
		"        age: 00:01:43, reqid: 1\n"
		"        Status: ACTIVE\n");
	CHECK_CONTAINS(c.buf, "#pkts: 34, bytes: 3400, last sequence number: 34\n");
	CHECK_CONTAINS(c.buf, "    #pkts no sa (send) 3, #pkts invalid sa (rcv) 0\n");
	CHECK_CONTAINS(c.buf, "    #pkts held (waiting for sa): 2\n");
	CHECK(!strstr(c.buf, "#send errors"));
	CHECK(!strstr(c.buf, "tun1"));		/* unprotected: not shown */
	cap_free(&c);

	/* peer filter, and a tunnel with nothing to show */
	{
		struct dm_out o = { NULL, false, false };
		struct dm_addr f;

		dm_addr_parse("172.16.9.9", &f);
		o.fp = cap_open(&c);
		dm_show_ipsec_sa(&o, &view, &f, false);
		CHECK_STR(cap_str(&c), "");
		cap_free(&c);
		dm_addr_parse("172.16.1.1", &f);
		o.fp = cap_open(&c);
		dm_show_ipsec_sa(&o, &view, &f, false);
		CHECK_STR(cap_str(&c), want);
		cap_free(&c);
	}
}

/* Rekey in progress, other suites, tunnel mode, no lifetimes, no peer record. */
static void show_ipsec_sa_variants(void)
{
	struct dm_sa more[3];
	struct capture c;

	setup();
	more[0] = sas[0];
	more[1] = sas[1];
	more[1].state = 0;			/* the old outbound SA */
	more[1].age = 200;
	more[2] = mk_sa(DMVPN_SA_DIR_OUT, 0x3001, "172.16.1.1", 5, 10);
	more[2].state = DMVPN_SA_S_CURRENT | DMVPN_SA_S_SOFT_EXPIRED;
	more[2].alg = DMVPN_ESP_AES256_GCM16;
	more[2].mode = DMVPN_SA_MODE_TUNNEL;
	more[2].has_left_kb = more[2].has_hard_kb = false;
	more[2].has_soft_secs = true;
	more[2].soft_secs = 3000;
	more[2].flags = DMVPN_SA_F_ESN;
	more[0].alg = DMVPN_ESP_NULL;		/* no encryption, no digest */
	more[0].replay_window = 0;
	view.sas = more;
	view.nsa = 3;
	peers[0].spi_out = 0x3001;
	view.npeer = 0;				/* SAs without a peer record */
	render(do_ipsec, false, false, &c);
	CHECK_CONTAINS(c.buf, "#pkts encaps: 39, #pkts encrypt: 39, #pkts digest: 39\n");
	CHECK_CONTAINS(c.buf, "#pkts decaps: 34, #pkts decrypt: 0, #pkts verify: 0\n");
	CHECK_CONTAINS(c.buf, "current outbound spi: 0x3001(12289)\n");
	CHECK_CONTAINS(c.buf, "        transform: esp-null ,\n");
	CHECK_CONTAINS(c.buf, "        replay detection support: N\n");
	/* oldest outbound first: the old one is on standby */
	CHECK_CONTAINS(c.buf,
		"      spi: 0x8D538D11(2371063057)\n"
		"        transform: esp-3des esp-sha-hmac ,\n"
		"        in use settings ={Transport, }\n"
		"        sa timing: remaining key lifetime (k/sec): (4576682/3497)\n"
		"        Status: STANDBY\n\n"
		"      spi: 0x3001(12289)\n"
		"        transform: esp-gcm 256 ,\n"
		"        in use settings ={Tunnel, }\n"
		"        sa timing: remaining key lifetime (k/sec): (unlimited/3590)\n"
		"        Status: ACTIVE\n");
	CHECK_CONTAINS(c.buf, "     path mtu (not learnt)\n");
	cap_free(&c);
	render(do_ipsec, false, true, &c);
	CHECK_CONTAINS(c.buf, "        soft lifetime (k/sec): (unlimited/3000), expired: rekey due\n");
	CHECK_CONTAINS(c.buf, "        age: 00:00:10, reqid: 1, ESN\n");
	CHECK(!strstr(c.buf, "#pkts held"));	/* no peer record: not known */
	cap_free(&c);
	render(do_ipsec, true, false, &c);
	CHECK(json_valid(c.buf));
	CHECK_CONTAINS(c.buf, "\"state\":[\"current\",\"soft-expired\"],\"status\":\"ACTIVE\"");
	CHECK_CONTAINS(c.buf, "\"flags\":[\"esn\"]");
	CHECK_CONTAINS(c.buf, "\"held\":null,\"path_mtu\":null,\"current_outbound_spi\":12289");
	CHECK_CONTAINS(c.buf, "\"transform\":\"esp-gcm 256\",\"mode\":\"tunnel\"");
	cap_free(&c);
}

static void show_ipsec_sa_json(void)
{
	struct capture c;

	setup();
	render(do_ipsec, true, false, &c);
	CHECK(json_valid(c.buf));
	CHECK(c.buf[0] == '[' && c.len && c.buf[c.len - 1] == '\n');
	CHECK_CONTAINS(c.buf,
		"[{\"ifname\":\"Tunnel0\",\"ifindex\":5,\"local_addr\":\"172.16.10.1\","
		"\"peer_addr\":\"172.16.1.1\",\"peer_port\":4500,"
		"\"local_ident\":\"172.16.10.1/255.255.255.255/47/0\","
		"\"remote_ident\":\"172.16.1.1/255.255.255.255/47/0\",\"socket_port\":4500,"
		"\"pkts_encaps\":34,\"pkts_encrypt\":34,\"pkts_digest\":34,"
		"\"pkts_decaps\":34,\"pkts_decrypt\":34,\"pkts_verify\":34,"
		"\"send_errors\":1,\"recv_errors\":3,\"no_sa_send\":0,\"invalid_sa_rcv\":0,"
		"\"encaps_failed_send\":1,\"decaps_failed_rcv\":0,\"verify_failed\":2,"
		"\"invalid_len_rcv\":0,\"replay_failed_rcv\":1,\"internal_err_send\":0,"
		"\"internal_err_rcv\":0,\"held\":0,\"path_mtu\":1500,"
		"\"current_outbound_spi\":2371063057,\"inbound_esp_sas\":[{\"spi\":170237297,"
		"\"spi_hex\":\"0xa259d71\",\"alg\":\"3des-sha1\",\"transform\":\"esp-3des esp-sha-hmac\","
		"\"mode\":\"transport\",\"replay_window\":64,\"flags\":[],\"state\":[],"
		"\"status\":\"ACTIVE\",\"reqid\":1,\"age\":103,\"seq\":34,\"soft_secs\":null,"
		"\"hard_secs\":3600,\"soft_kb\":null,\"hard_kb\":4608000,\"left_secs\":3497,"
		"\"left_kb\":4576682,\"stats\":{\"packets\":34,\"bytes\":3400,\"replay\":1,"
		"\"auth_failed\":2,\"invalid_len\":0,\"encaps_failed\":0,\"decaps_failed\":0,"
		"\"internal_err\":0}}],\"outbound_esp_sas\":[{\"spi\":2371063057,");
	CHECK_CONTAINS(c.buf, "\"peer_port\":31000,");
	CHECK_CONTAINS(c.buf, "\"held\":2,\"path_mtu\":null,\"current_outbound_spi\":null,"
		       "\"inbound_esp_sas\":[],\"outbound_esp_sas\":[]}]\n");
	cap_free(&c);

	/* nothing protected: an empty list, still JSON */
	view.ndev = 0;
	render(do_ipsec, true, false, &c);
	CHECK_STR(c.buf, "[]\n");
	cap_free(&c);
	render(do_sockets, true, false, &c);
	CHECK(json_valid(c.buf));
	CHECK_STR(c.buf, "{\"connections\":[],\"listen\":[]}\n");
	cap_free(&c);
	render(do_session, true, false, &c);
	CHECK_STR(c.buf, "[]\n");
	cap_free(&c);
	/* pretty JSON is JSON too */
	setup();
	{
		struct dm_out o = { NULL, true, true };

		o.fp = cap_open(&c);
		dm_show_ipsec_sa(&o, &view, NULL, true);
		CHECK(json_valid(cap_str(&c)));
		CHECK(strchr(c.buf, '\n') != strrchr(c.buf, '\n'));
		cap_free(&c);
	}
}

static void show_crypto_sockets(void)
{
	struct capture c;

	setup();
	render(do_sockets, false, false, &c);
	CHECK_STR(c.buf,
		"\n"
		"Number of Crypto Socket connections 2\n"
		"\n"
		"   Tunnel0 Peers (local/remote): 172.16.10.1/172.16.1.1\n"
		"       Local Ident  (addr/mask/port/prot): (172.16.10.1/255.255.255.255/0/47)\n"
		"       Remote Ident (addr/mask/port/prot): (172.16.1.1/255.255.255.255/0/47)\n"
		"       UDP port (local/remote): 4500/4500\n"
		"       Socket State: Open\n"
		"   Tunnel0 Peers (local/remote): 172.16.10.1/172.16.1.1\n"
		"       Local Ident  (addr/mask/port/prot): (172.16.10.1/255.255.255.255/0/47)\n"
		"       Remote Ident (addr/mask/port/prot): (172.16.1.1/255.255.255.255/0/47)\n"
		"       UDP port (local/remote): 4500/31000\n"
		"       Socket State: Closed\n"
		"\n"
		"Crypto Sockets in Listen state:\n"
		"   Tunnel0: local 172.16.10.1, UDP port 4500\n"
		"\n");
	cap_free(&c);
	hub.sock_port = 0;
	render(do_sockets, false, false, &c);
	CHECK_CONTAINS(c.buf, "UDP port (local/remote): none/4500\n");
	CHECK_CONTAINS(c.buf, "   Tunnel0: local 172.16.10.1, no socket attached\n");
	cap_free(&c);
	render(do_sockets, true, false, &c);
	CHECK(json_valid(c.buf));
	CHECK_CONTAINS(c.buf, "\"peer_port\":31000,\"state\":\"Closed\"}]");
	CHECK_CONTAINS(c.buf, "\"listen\":[{\"ifname\":\"Tunnel0\",\"ifindex\":5,"
		       "\"local_addr\":\"172.16.10.1\",\"socket_port\":null}]}\n");
	cap_free(&c);
}

static void show_crypto_session(void)
{
	struct capture c;

	setup();
	render(do_session, false, false, &c);
	CHECK_STR(c.buf,
		"Crypto session current status\n"
		"\n"
		"Interface: Tunnel0\n"
		"Session status: UP-NO-IKE\n"
		"Peer: 172.16.1.1 port 4500\n"
		"  IPSEC FLOW: permit 47 host 172.16.10.1 host 172.16.1.1\n"
		"        Active SAs: 2\n"
		"\n"
		"Interface: Tunnel0\n"
		"Session status: DOWN\n"
		"Peer: 172.16.1.1 port 31000\n"
		"  IPSEC FLOW: permit 47 host 172.16.10.1 host 172.16.1.1\n"
		"        Active SAs: 0\n"
		"\n");
	cap_free(&c);
	render(do_session, false, true, &c);
	CHECK_CONTAINS(c.buf,
		"Interface: Tunnel0\n"
		"Uptime: 00:01:43\n"
		"Session status: UP-NO-IKE\n"
		"Peer: 172.16.1.1 port 4500\n"
		"  IPSEC FLOW: permit 47 host 172.16.10.1 host 172.16.1.1\n"
		"        Active SAs: 2\n"
		"        Inbound:  #pkts dec'ed 34 drop 3 life (KB/Sec) 4576682/3497\n"
		"        Outbound: #pkts enc'ed 34 drop 1 life (KB/Sec) 4576682/3497\n");
	CHECK_CONTAINS(c.buf, "        Outbound: #pkts enc'ed 0 drop 3 life (KB/Sec) none\n");
	cap_free(&c);
	render(do_session, true, true, &c);
	CHECK(json_valid(c.buf));
	CHECK_CONTAINS(c.buf,
		"[{\"ifname\":\"Tunnel0\",\"ifindex\":5,\"local_addr\":\"172.16.10.1\","
		"\"peer_addr\":\"172.16.1.1\",\"peer_port\":4500,\"status\":\"UP-NO-IKE\","
		"\"uptime\":103,\"active_sas\":2,\"inbound\":{\"pkts\":34,\"drop\":3,"
		"\"left_kb\":4576682,\"left_secs\":3497},\"outbound\":{\"pkts\":34,\"drop\":1,"
		"\"left_kb\":4576682,\"left_secs\":3497}},");
	CHECK_CONTAINS(c.buf, "\"status\":\"DOWN\",\"uptime\":null,\"active_sas\":0,");
	cap_free(&c);
	/* dmvpnd's phase 1 with the peer up (at its 4500): UP-ACTIVE, as
	 * IOS says of an IKE-keyed session; not for the other port */
	{
		struct dm_ike_sa_state ike = { .rport = 4500, .state = "QM_IDLE" };

		dm_addr_parse("172.16.1.1", &ike.remote);
		view.ike = &ike;
		view.nike = 1;
		render(do_session, false, false, &c);
		CHECK_CONTAINS(c.buf, "Session status: UP-ACTIVE\nPeer: 172.16.1.1 port 4500\n");
		CHECK_CONTAINS(c.buf, "Session status: DOWN\nPeer: 172.16.1.1 port 31000\n");
		cap_free(&c);
		snprintf(ike.state, sizeof(ike.state), "MM_KEY_EXCH");
		render(do_session, false, false, &c);
		CHECK_CONTAINS(c.buf, "Session status: UP-NO-IKE\nPeer: 172.16.1.1 port 4500\n");
		cap_free(&c);
		view.ike = NULL;
		view.nike = 0;
	}
}

static void show_sa_events(void)
{
	struct dm_out o = { NULL, false, false };
	struct dm_sa sa = { .ifindex = 5, .dir = DMVPN_SA_DIR_OUT, .spi = 0x2001,
			    .port = 4500, .has_reqid = true, .reqid = 7 };
	struct dm_peer p = { .ifindex = 5, .port = 31000 };
	struct capture c;
	char *line, *save = NULL;

	dm_addr_parse("172.16.1.1", &sa.peer);
	dm_addr_parse("172.16.1.1", &p.addr);
	o.fp = cap_open(&c);
	dm_show_peer_event(&o, "Tunnel0", DMVPN_EVENT_SA_ACQUIRE, &p);
	dm_show_sa_event(&o, "Tunnel0", DMVPN_EVENT_SA_SOFT_EXPIRE, &sa);
	dm_show_sa_event(&o, "Tunnel0", DMVPN_EVENT_SA_HARD_EXPIRE, &sa);
	sa.dir = 0;
	sa.has_reqid = false;
	dm_show_sa_event(&o, "Tunnel0", DMVPN_EVENT_SA_INVALID_SPI, &sa);
	dm_show_sa_event(&o, "Tunnel0", 99, &sa);
	CHECK_STR(cap_str(&c),
		  "acquire Tunnel0 peer 172.16.1.1 port 31000\n"
		  "soft-expire Tunnel0 out spi 0x2001 peer 172.16.1.1 port 4500 reqid 7\n"
		  "hard-expire Tunnel0 out spi 0x2001 peer 172.16.1.1 port 4500 reqid 7\n"
		  "invalid-spi Tunnel0 spi 0x2001 peer 172.16.1.1 port 4500\n"
		  "event99 Tunnel0 spi 0x2001 peer 172.16.1.1 port 4500\n");
	cap_free(&c);

	o.json = true;
	o.fp = cap_open(&c);
	dm_show_peer_event(&o, "Tunnel0", DMVPN_EVENT_SA_ACQUIRE, &p);
	dm_show_sa_event(&o, "Tunnel0", DMVPN_EVENT_SA_INVALID_SPI, &sa);
	cap_str(&c);
	for (line = strtok_r(c.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		CHECK(json_valid(line));
	cap_free(&c);
	o.fp = cap_open(&c);
	dm_show_sa_event(&o, "Tunnel0", DMVPN_EVENT_SA_INVALID_SPI, &sa);
	CHECK_STR(cap_str(&c),
		  "{\"event\":\"invalid-spi\",\"ifname\":\"Tunnel0\",\"ifindex\":5,\"dir\":null,"
		  "\"spi\":8193,\"peer_addr\":\"172.16.1.1\",\"peer_port\":4500,\"reqid\":null}\n");
	cap_free(&c);
}

/* show dmvpn and show interface on a protected tunnel */
static void show_dmvpn_protect(void)
{
	struct dm_nhrp_entry e[2];
	struct dm_out o = { NULL, false, false };
	struct capture c;

	setup();
	memset(e, 0, sizeof(e));
	for (int i = 0; i < 2; i++) {
		e[i].ifindex = 5;
		e[i].type = DMVPN_NHRP_TYPE_DYNAMIC;
		e[i].has_age = true;
		e[i].age = 90;
		dm_addr_parse(i ? "10.1.1.2" : "10.1.1.1", &e[i].proto);
		e[i].plen = 32;
		dm_addr_parse("172.16.1.1", &e[i].nbma);
	}
	e[1].port = 31000;			/* PAT spoke without SAs */
	e[1].flags = DMVPN_NHRP_F_NAT;
	devs[0].peers = peers;
	devs[0].npeer = 2;
	devs[0].have_peers = true;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 2, false);
	CHECK_CONTAINS(cap_str(&c),
		"     1      172.16.1.1        10.1.1.1    UP 00:01:30     D\n"
		"     1 172.16.1.1:31000        10.1.1.2    UP 00:01:30   DNX\n");
	cap_free(&c);
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 2, true);
	CHECK_CONTAINS(cap_str(&c),
		"   Protocol/Transport: \"multi-GRE/IP\", Protect \"ESP-in-UDP, port 4500\"\n");
	cap_free(&c);
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 2, false);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(c.buf, "\"type\":\"hub\",\"protect\":true,\"socket_port\":4500,");
	CHECK_CONTAINS(c.buf, "\"attrb\":\"DNX\"");
	cap_free(&c);

	/* peers not asked (older module): no X */
	devs[0].have_peers = false;
	o.json = false;
	o.fp = cap_open(&c);
	dm_show_dmvpn(&o, devs, 1, e, 2, false);
	CHECK(!strstr(cap_str(&c), "DNX"));
	cap_free(&c);

	hub.tcp_mss = 1360;
	hub.stat_present[DMVPN_STAT_TX_NO_SA] = true;
	hub.stats[DMVPN_STAT_TX_NO_SA] = 3;
	hub.stat_present[DMVPN_STAT_RX_KEEPALIVE] = true;
	hub.stats[DMVPN_STAT_RX_KEEPALIVE] = 12;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &devs[0]);
	CHECK_CONTAINS(cap_str(&c),
		"  Tunnel underlay device any\n"
		"  Tunnel protection ESP-in-UDP, socket port 4500, SAs 2\n"
		"  TCP MSS adjust 1360\n"
		"  Drops and errors:\n"
		"    tx_no_sa             3\n"
		"    rx_keepalive         12\n");
	cap_free(&c);
	o.fp = cap_open(&c);
	dm_show_interface(&o, &devs[1]);
	CHECK_CONTAINS(cap_str(&c), "  Tunnel protection none\n");
	CHECK(!strstr(c.buf, "TCP MSS"));
	cap_free(&c);
	o.json = true;
	o.fp = cap_open(&c);
	dm_show_interface(&o, &devs[0]);
	CHECK(json_valid(cap_str(&c)));
	CHECK_CONTAINS(c.buf, "\"protect\":true,\"socket_port\":4500,\"sa_count\":2,"
		       "\"tcp_mss\":1360,\"stats\":{\"tx_no_sa\":3,\"rx_keepalive\":12}");
	cap_free(&c);
}

/* IPv6 underlay: prefix length instead of a mask in the idents */
static void show_ipsec_sa_v6(void)
{
	struct capture c;

	setup();
	dm_addr_parse("2001:db8::a", &hub.local);
	dm_addr_parse("2001:db8::1", &peers[0].addr);
	dm_addr_parse("2001:db8::1", &sas[0].peer);
	dm_addr_parse("2001:db8::1", &sas[1].peer);
	view.npeer = 1;
	render(do_ipsec, false, false, &c);
	CHECK_CONTAINS(c.buf,
		"   local  ident (addr/prefixlen/prot/port): (2001:db8::a/128/47/0)\n"
		"   remote ident (addr/prefixlen/prot/port): (2001:db8::1/128/47/0)\n"
		"   current_peer 2001:db8::1 port 4500\n");
	cap_free(&c);
}

const struct dm_test crypto_show_tests[] = {
	{ "crypto_show_ipsec_sa_matches_seed003", show_ipsec_sa_text },
	{ "crypto_show_ipsec_sa_rekey_and_suites", show_ipsec_sa_variants },
	{ "crypto_show_ipsec_sa_json", show_ipsec_sa_json },
	{ "crypto_show_ipsec_sa_ipv6", show_ipsec_sa_v6 },
	{ "crypto_show_sockets", show_crypto_sockets },
	{ "crypto_show_session", show_crypto_session },
	{ "crypto_monitor_sa_events", show_sa_events },
	{ "crypto_show_dmvpn_interface_protect", show_dmvpn_protect },
	{ NULL, NULL },
};
