// SPDX-License-Identifier: GPL-2.0-only
/* dmvpnd's config file: seed 003's hub, and bad input named by line. */
#include <linux/dmvpn.h>

#include "../keyer/isakmp.h"
#include "../keyer/policy.h"
#include "unit.h"

static const char hub[] =
	"! seed 003 hub, as dmvpnd reads it\n"
	"crypto isakmp policy 1\n"
	"encr 3des\n"
	"hash sha\n"
	"authentication pre-share\n"
	"crypto isakmp policy 10\n"
	" encr aes 256\n"
	" hash sha256\n"
	" group 19\n"
	" lifetime 3600\n"
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"
	"crypto isakmp key spoke1key address 172.16.1.1\n"
	"crypto isakmp key netkey address 172.16.0.0 255.255.0.0\n"
	"crypto ipsec transform-set DMVPN-TSET esp-3des esp-sha-hmac\n"
	"mode transport\n"
	"crypto ipsec transform-set GCM esp-gcm 256\n"
	" mode transport\n"
	"crypto ipsec profile DMVPN-IPSEC\n"
	"set transform-set GCM DMVPN-TSET\n"
	"set pfs group14\n"
	"interface tun0\n"
	" tunnel source 172.16.10.1\n"
	" tunnel protection ipsec profile DMVPN-IPSEC\n";

static void seed003_hub(void)
{
	struct keyer_config c;
	char err[256];
	struct dm_addr a;
	const struct psk_entry *e;
	const struct profile *p;

	CHECK_INT(keyer_config_parse(hub, "hub.conf", &c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.npol, 3);
	CHECK_INT(c.pol[0].prio, 1);
	CHECK_INT(c.pol[0].enc, OAKLEY_3DES);
	CHECK_INT(c.pol[0].hash, OAKLEY_SHA1);
	CHECK_INT(c.pol[1].key_bits, 256);
	CHECK_INT(c.pol[1].group, 19);
	CHECK_INT(c.pol[1].life_secs, 3600);
	CHECK_INT(c.pol[2].prio, POLICY_DEFAULT_PRIO);
	CHECK(c.pol[2].builtin);
	CHECK_INT(c.npsk, 3);
	dm_addr_parse("172.16.1.1", &a);
	e = policy_psk_for(&c, &a);
	CHECK(e && e->key_len == 9 && !memcmp(e->key, "spoke1key", 9));
	dm_addr_parse("172.16.2.1", &a);
	e = policy_psk_for(&c, &a);
	CHECK(e && !memcmp(e->key, "netkey", 6));
	dm_addr_parse("10.9.9.9", &a);
	e = policy_psk_for(&c, &a);
	CHECK(e && !memcmp(e->key, "cisco123", 8));
	dm_addr_parse("2001:db8::1", &a);
	CHECK(!policy_psk_for(&c, &a));
	CHECK_INT(policy_tset(&c, "DMVPN-TSET")->esp_alg, DMVPN_ESP_3DES_CBC_HMAC_SHA1_96);
	CHECK_INT(policy_tset(&c, "DMVPN-TSET")->mode, DMVPN_SA_MODE_TRANSPORT);
	CHECK_INT(policy_tset(&c, "GCM")->esp_alg, DMVPN_ESP_AES256_GCM16);
	p = policy_profile(&c);
	CHECK(p && p->ntsets == 2 && p->pfs_group == 14);
	CHECK_STR(c.tun.ifname, "tun0");
	CHECK_INT(c.tun.source.family, AF_INET);
	CHECK_INT(c.sa_life_secs, 3600);
	CHECK_INT(c.sa_life_kb, 4608000);
	keyer_config_wipe(&c);
}

static void bad_input_named(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "crypto isakmp policy 10\n encr des\n",
		  "t.conf:2: encryption des is not supported" },
		{ "crypto isakmp policy 0\n", "t.conf:1: policy priority: \"0\" is not in 1..10000" },
		{ "crypto isakmp policy 5\n hash sha1024\n",
		  "t.conf:2: hash: \"sha1024\" is not md5" },
		{ "crypto isakmp policy 5\n group 2\n",
		  "t.conf:2: group 2 is weak; allow it with \"crypto isakmp legacy-groups\"" },
		{ "crypto isakmp policy 5\n group 7\n",
		  "t.conf:2: unknown Diffie-Hellman group \"7\"" },
		{ "crypto isakmp policy 5\n authentication rsa-sig\n",
		  "t.conf:2: authentication: only pre-share" },
		{ "!\n\ncrypto isakmp key abc address 10.0.0.1 255.0.255.0\n",
		  "t.conf:3: mask \"255.0.255.0\" is not contiguous" },
		{ "crypto isakmp key abc address 10.0.0.300\n",
		  "t.conf:1: bad address \"10.0.0.300\"" },
		{ "crypto isakmp key abc 10.0.0.1\n",
		  "t.conf:1: expected \"crypto isakmp key KEY address ADDR [MASK]\"" },
		{ "crypto ipsec transform-set T esp-aes 192 esp-sha-hmac\n",
		  "t.conf:1: esp-aes 192 is not supported by the dmvpn module" },
		{ "crypto ipsec transform-set T esp-aes\n",
		  "t.conf:1: esp-aes needs an integrity transform" },
		{ "crypto ipsec transform-set T esp-gcm esp-sha-hmac\n",
		  "t.conf:1: esp-gcm takes no integrity transform" },
		{ "crypto ipsec transform-set T esp-3des esp-foo\n",
		  "t.conf:1: unknown transform \"esp-foo\"" },
		{ "crypto ipsec transform-set T esp-3des esp-md5-hmac\n mode tunnle\n",
		  "t.conf:2: mode: \"tunnle\" is not transport or tunnel" },
		{ "crypto ipsec profile P\n set transform-set NOPE\n",
		  "t.conf:2: transform-set NOPE is not defined" },
		{ "crypto ipsec profile P\n", "t.conf:1: profile P has no transform set" },
		{ "interface tun0\n tunnel protection ipsec profile X\n",
		  "t.conf:2: ipsec profile X is not defined" },
		{ "interface tun0\n", "t.conf:1: interface tun0 has no \"tunnel source\"" },
		{ "hostname r1\n", "t.conf:1: unknown command \"hostname\"" },
		{ "crypto isakmp aggressive-mode enable\n",
		  "t.conf:1: expected \"crypto isakmp aggressive-mode [disable]\"" },
		{ "crypto isakmp peer 10.0.0.1\n",
		  "t.conf:1: expected \"crypto isakmp peer address ADDR\"" },
		{ "crypto isakmp peer address r1.example.com\n",
		  "t.conf:1: bad address \"r1.example.com\"" },
		{ "crypto isakmp peer address 10.0.0.1\n set aggressive-mode client-endpoint ipv4-address 10.0.0.2\n",
		  "t.conf:2: \"set aggressive-mode client-endpoint\" is not supported" },
		{ "crypto isakmp peer address 10.0.0.1\n set aggressive-mode on\n",
		  "t.conf:2: expected \"set aggressive-mode\"" },
		{ "crypto isakmp peer address 10.0.0.1\n set pfs group14\n",
		  "t.conf:2: unknown isakmp peer command \"set\"" },
		{ "crypto isakmp policy 1\n lifetime 10\n",
		  "t.conf:2: lifetime: \"10\" is not in 60..86400" },
		{ "crypto isakmp policy 1\n\x01\n", "t.conf:2: control character 0x01" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct keyer_config c;
		char err[256];

		if (keyer_config_parse(bad[i].text, "t.conf", &c, err, sizeof(err)) != -1)
			dm_t_fail(__FILE__, __LINE__, "case %zu accepted", i);
		else if (strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			dm_t_fail(__FILE__, __LINE__, "case %zu: \"%s\", expected \"%s...\"",
				  i, err, bad[i].msg);
		/* nothing half-parsed is left */
		CHECK_INT(c.npol, 0);
		CHECK_INT(c.npsk, 0);
	}
}

/* Errors about key lines never echo the key. */
static void key_not_echoed(void)
{
	struct keyer_config c;
	char err[256];

	CHECK_INT(keyer_config_parse("crypto isakmp key s3cr3tkey address 1.2.3.4 bad\n",
				     "k.conf", &c, err, sizeof(err)), -1);
	CHECK(!strstr(err, "s3cr3tkey"));
	CHECK_CONTAINS(err, "k.conf:1:");
	/* IOS's aggressive-mode password is refused without echoing it */
	CHECK_INT(keyer_config_parse("crypto isakmp peer address 1.2.3.4\n"
				     " set aggressive-mode password s3cr3tkey\n",
				     "k.conf", &c, err, sizeof(err)), -1);
	CHECK(!strstr(err, "s3cr3tkey"));
	CHECK_CONTAINS(err, "k.conf:2: \"set aggressive-mode password\" is not supported");
}

/* Seed 004's hub: the wildcard key in a keyring, an ISAKMP profile that
 * matches peers by identity and uses that keyring. */
static const char seed004_hub[] =
	"crypto keyring spokes\n"
	"  pre-shared-key address 0.0.0.0 0.0.0.0 key cisco123\n"
	"crypto keyring branch\n"
	"  description one branch with its own key\n"
	"  pre-shared-key address 198.51.100.7 key branchkey\n"
	"crypto isakmp policy 10\n encr 3des\n authentication pre-share\n group 14\n"
	"crypto isakmp profile L2L\n"
	"   description LAN-to-LAN for spoke router(s) connection\n"
	"   keyring spokes\n"
	"   match identity address 0.0.0.0\n"
	"crypto isakmp profile BRANCH\n"
	"   keyring branch\n"
	"   match identity address 198.51.100.0 255.255.255.0\n"
	"crypto ipsec transform-set myset esp-3des esp-sha-hmac\n"
	"crypto ipsec profile P\n set transform-set myset\n set isakmp-profile L2L\n"
	"interface tun0\n tunnel source 10.48.67.181\n tunnel protection ipsec profile P\n";

static void seed004_profiles(void)
{
	struct keyer_config c;
	struct dm_addr any, branch, other;
	const struct psk_entry *k;
	char err[256];

	CHECK_INT(keyer_config_parse(seed004_hub, "hub.conf", &c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.nkeyring, 2);
	CHECK_INT(c.niprof, 2);
	CHECK(!dm_addr_parse("10.100.2.102", &any));
	CHECK(!dm_addr_parse("198.51.100.7", &branch));
	CHECK(!dm_addr_parse("198.51.100.9", &other));
	/* keys: longest prefix over the keyrings */
	k = policy_psk_for(&c, &any);
	CHECK(k && k->key_len == 8 && !memcmp(k->key, "cisco123", 8));
	CHECK_STR(policy_keyring_name(&c, k), "spokes");
	k = policy_psk_for(&c, &branch);
	CHECK(k && !strcmp(policy_keyring_name(&c, k), "branch"));
	/* profiles: "0.0.0.0" without a mask matches everyone, the longer
	 * match wins */
	CHECK_STR(policy_isakmp_profile_for(&c, &any)->name, "L2L");
	CHECK_STR(policy_isakmp_profile_for(&c, &branch)->name, "BRANCH");
	CHECK_STR(policy_isakmp_profile_for(&c, &other)->name, "BRANCH");
	CHECK(policy_isakmp_profile_uses(policy_isakmp_profile_for(&c, &branch),
					 policy_psk_for(&c, &branch)));
	/* 198.51.100.9 authenticates with the spokes key, which BRANCH
	 * does not use */
	CHECK(!policy_isakmp_profile_uses(policy_isakmp_profile_for(&c, &other),
					  policy_psk_for(&c, &other)));
	CHECK_STR(policy_initiator_isakmp_profile(&c)->name, "L2L");
	keyer_config_wipe(&c);
}

/* What seed 004 has and dmvpnd does not do is refused by name. */
static void profile_bad_lines(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "crypto isakmp profile L2L\n keyring nope\n",
		  "t.conf:2: keyring nope is not defined (define it above)" },
		{ "crypto isakmp profile VPNclient\n match identity group testgroup\n",
		  "t.conf:2: \"match identity group\" is for VPN clients, which need Xauth and mode config: not supported" },
		{ "crypto isakmp profile VPNclient\n client configuration address respond\n",
		  "t.conf:2: \"client ...\" configures Xauth or mode config for VPN clients: not supported" },
		{ "crypto isakmp profile X\n match identity host r1.example.com\n",
		  "t.conf:2: \"match identity host\" is not supported: peers are matched by the address they authenticate with" },
		{ "crypto isakmp profile X\n description nothing else\n",
		  "t.conf:1: isakmp profile X has no \"match identity address\": it would match no peer" },
		{ "crypto isakmp profile X\n match identity address 10.0.0.0 255.0.255.0\n",
		  "t.conf:2: mask \"255.0.255.0\" is not contiguous" },
		{ "crypto keyring K\n pre-shared-key address 10.0.0.1\n",
		  "t.conf:2: expected \"pre-shared-key address ADDR [MASK] key KEY\"" },
		{ "crypto keyring K\ncrypto keyring K\n", "t.conf:2: keyring K defined twice" },
		{ "crypto keyring K vrf red\n",
		  "t.conf:1: expected \"crypto keyring NAME\" (name below 32 characters; no vrf)" },
		{ "crypto ipsec transform-set T esp-3des esp-sha-hmac\ncrypto ipsec profile P\n set transform-set T\n set isakmp-profile NOPE\n",
		  "t.conf:4: isakmp profile NOPE is not defined (define it above)" },
	};
	struct keyer_config c;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(keyer_config_parse(cases[i].text, "t.conf", &c, err, sizeof(err)), -1);
		CHECK_STR(err, cases[i].err);
	}
	/* keyring keys are never echoed, not even by hostname */
	CHECK_INT(keyer_config_parse("crypto keyring K\n pre-shared-key hostname r1 key s3cr3tkey\n",
				     "k.conf", &c, err, sizeof(err)), -1);
	CHECK(!strstr(err, "s3cr3tkey"));
	CHECK_CONTAINS(err, "k.conf:2: keys by hostname are not supported");
	CHECK_INT(keyer_config_parse("crypto keyring K\n pre-shared-key address 1.2.3.4 bad key s3cr3tkey\n",
				     "k.conf", &c, err, sizeof(err)), -1);
	CHECK(!strstr(err, "s3cr3tkey"));
	CHECK_CONTAINS(err, "k.conf:2: bad mask \"bad\"");
}

/* Aggressive mode: off unless asked for, to answer and per peer to
 * initiate. */
static void aggressive_mode(void)
{
	struct keyer_config c;
	struct dm_addr a, b, v6;
	char err[256];

	dm_addr_parse("172.16.10.1", &a);
	dm_addr_parse("172.16.10.2", &b);
	dm_addr_parse("2001:db8::1", &v6);
	CHECK_INT(keyer_config_parse(hub, "hub.conf", &c, err, sizeof(err)), 0);
	CHECK(!c.aggr_accept);
	CHECK(!policy_aggressive_to(&c, &a));
	CHECK_INT(policy_aggressive_peers(&c), 0);
	keyer_config_wipe(&c);

	CHECK_INT(keyer_config_parse("crypto isakmp aggressive-mode\n", "t.conf", &c,
				     err, sizeof(err)), 0);
	CHECK(c.aggr_accept);
	CHECK_INT(keyer_config_parse("crypto isakmp aggressive-mode\n"
				     "crypto isakmp aggressive-mode disable\n", "t.conf", &c,
				     err, sizeof(err)), 0);
	CHECK(!c.aggr_accept);
	CHECK_INT(keyer_config_parse("crypto isakmp aggressive-mode\n"
				     "no crypto isakmp aggressive-mode\n", "t.conf", &c,
				     err, sizeof(err)), 0);
	CHECK(!c.aggr_accept);

	CHECK_INT(keyer_config_parse("crypto isakmp peer address 172.16.10.1\n"
				     " set aggressive-mode\n"
				     "crypto isakmp peer address 2001:db8::1\n"
				     "set aggressive-mode\n"
				     "crypto isakmp peer address 172.16.10.2\n"
				     "crypto isakmp key k address 0.0.0.0 0.0.0.0\n",
				     "t.conf", &c, err, sizeof(err)), 0);
	CHECK(!c.aggr_accept);		/* initiating does not answer */
	CHECK(policy_aggressive_to(&c, &a));
	CHECK(policy_aggressive_to(&c, &v6));
	CHECK(!policy_aggressive_to(&c, &b));
	CHECK_INT(policy_aggressive_peers(&c), 2);
	CHECK_INT(c.npeer, 3);
	CHECK_INT(c.npsk, 1);		/* the key line closed the peer block */
	keyer_config_wipe(&c);

	/* the same peer again reopens its block */
	CHECK_INT(keyer_config_parse("crypto isakmp peer address 172.16.10.1\n"
				     " set aggressive-mode\n"
				     "crypto isakmp peer address 172.16.10.1\n"
				     " no set aggressive-mode\n",
				     "t.conf", &c, err, sizeof(err)), 0);
	CHECK_INT(c.npeer, 1);
	CHECK(!policy_aggressive_to(&c, &a));
	keyer_config_wipe(&c);
}

/* seed 003's spoke with its NHRP lines, as on IOS */
static const char spoke_nhrp[] =
	"crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
	" mode transport\n"
	"crypto ipsec profile P\n"
	" set transform-set TS\n"
	"interface tun0\n"
	" tunnel source 172.16.1.1\n"
	" ip nhrp authentication DMVPN\n"
	" ip nhrp network-id 1\n"
	" ip nhrp holdtime 300\n"
	" ip nhrp registration timeout 60\n"
	" ip nhrp nhs 10.1.1.254 nbma 172.16.10.1 multicast\n"
	" ip nhrp nhs 10.1.1.253 priority 2\n"
	" ip nhrp map 10.1.1.253 172.16.10.2\n"
	" ip nhrp shortcut\n"
	" tunnel protection ipsec profile P\n";

static void nhrp_lines(void)
{
	struct keyer_config c;
	const struct keyer_nhrp *n = &c.tun.nhrp;
	char err[256], a[DM_ADDR_STRLEN];

	CHECK_INT(keyer_config_parse(spoke_nhrp, "spoke.conf", &c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(n->managed);
	CHECK_INT(n->line, 8);
	CHECK_INT(n->network_id, 1);
	CHECK_INT(n->holdtime, 300);
	CHECK_INT(n->reg_timeout, 60);
	CHECK_STR(n->auth, "DMVPN");
	CHECK(n->shortcut && !n->redirect && !n->mcast_dynamic && !n->no_unique);
	CHECK_INT(n->nnhs, 2);
	CHECK_STR(dm_addr_fmt(&n->nhs[0].nbma, a, sizeof(a)), "172.16.10.1");
	CHECK_INT(n->nhs[0].line, 12);
	CHECK(!n->nhs[1].nbma.family && n->nhs[1].has_priority && n->nhs[1].priority == 2);
	CHECK_INT(n->nmcast, 1);	/* "multicast" on the nhs line */
	CHECK_STR(dm_addr_fmt(&n->mcast[0].nbma, a, sizeof(a)), "172.16.10.1");
	CHECK_INT(n->nmap, 1);
	CHECK_INT(n->map[0].line, 14);
	/* IOS's "ip nhrp map multicast" next to "nhs ... multicast": one */
	{
		static struct keyer_config c2;
		char text[2048];

		snprintf(text, sizeof(text), "%s ip nhrp map multicast 172.16.10.1\n", spoke_nhrp);
		CHECK_INT(keyer_config_parse(text, "spoke.conf", &c2, err, sizeof(err)), 0);
		CHECK_INT(c2.tun.nhrp.nmcast, 1);
		keyer_config_wipe(&c2);
	}
	keyer_config_wipe(&c);
	CHECK_STR(c.tun.nhrp.auth, "");

	/* a file without "ip nhrp": NHRP is left to dmvpnctl */
	CHECK_INT(keyer_config_parse(hub, "hub.conf", &c, err, sizeof(err)), 0);
	CHECK(!c.tun.nhrp.managed);
	CHECK_INT(c.tun.nhrp.holdtime, 7200);
}

static void nhrp_bad_lines(void)
{
	static const char head[] = "interface tun0\n tunnel source 1.2.3.4\n";
	static const struct { const char *line, *msg; } bad[] = {
		{ " ip nhrp network-id 0\n", "t.conf:3: ip nhrp network-id: \"0\" is not in 1..4294967295" },
		{ " ip nhrp holdtime 70000\n", "t.conf:3: ip nhrp holdtime: \"70000\" is not in 1..65535" },
		{ " ip nhrp holdtime\n", "t.conf:3: unknown or incomplete NHRP command \"ip nhrp holdtime\"" },
		{ " ip nhrp authentication 123456789\n",
		  "t.conf:3: ip nhrp authentication: the key has more than 8 characters" },
		{ " ip nhrp nhs 10.1.1.300\n", "t.conf:3: ip nhrp nhs: bad address \"10.1.1.300\"" },
		{ " ip nhrp nhs 10.1.1.254 nbma 224.0.0.5\n",
		  "t.conf:3: ip nhrp nhs ... nbma: 224.0.0.5 is not a unicast address" },
		{ " ip nhrp nhs 10.1.1.254 multicast\n",
		  "t.conf:3: ip nhrp nhs 10.1.1.254: \"multicast\" needs \"nbma ADDR\"" },
		{ " ip nhrp nhs 10.1.1.254 priority 300\n",
		  "t.conf:3: ip nhrp nhs ... priority: \"300\" is not in 0..255" },
		{ " ip nhrp nhs 10.1.1.254 nbma 1.1.1.1 nbma 2.2.2.2\n",
		  "t.conf:3: ip nhrp nhs: unexpected \"nbma\"" },
		{ " ip nhrp nhs 10.1.1.254\n ip nhrp nhs 10.1.1.254 nbma 1.1.1.1\n",
		  "t.conf:4: ip nhrp nhs 10.1.1.254: configured already on line 3" },
		{ " ip nhrp map 10.1.1.1 172.16.1.1\n ip nhrp map 10.1.1.1 172.16.1.2\n",
		  "t.conf:4: ip nhrp map 10.1.1.1: mapped already on line 3" },
		{ " ip nhrp map 10.1.1.1\n", "t.conf:3: expected \"ip nhrp map PROTO-ADDR NBMA-ADDR\"" },
		{ " ip nhrp map multicast 0.0.0.0\n",
		  "t.conf:3: ip nhrp map multicast: 0.0.0.0 is not a unicast address" },
		{ " ip nhrp map multicast 1.1.1.1\n ip nhrp map multicast 1.1.1.1\n",
		  "t.conf:4: ip nhrp map multicast 1.1.1.1: given twice" },
		{ " ip nhrp cache non-authoritative\n",
		  "t.conf:3: unknown or incomplete NHRP command \"ip nhrp cache\"" },
		{ " ip address 10.1.1.1 255.255.255.0\n", "t.conf:3: unknown interface command \"ip\"" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct keyer_config c;
		char text[512], err[512];

		snprintf(text, sizeof(text), "%s%s", head, bad[i].line);
		if (keyer_config_parse(text, "t.conf", &c, err, sizeof(err)) != -1)
			dm_t_fail(__FILE__, __LINE__, "case %zu accepted", i);
		else if (strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			dm_t_fail(__FILE__, __LINE__, "case %zu: \"%s\", expected \"%s...\"",
				  i, err, bad[i].msg);
		CHECK(!c.tun.nhrp.managed);	/* nothing half-parsed */
	}
	/* the NHRP key is not echoed either */
	{
		struct keyer_config c;
		char err[256];

		CHECK_INT(keyer_config_parse("interface tun0\n ip nhrp authentication s3cr3tkeyX\n",
					     "k.conf", &c, err, sizeof(err)), -1);
		CHECK(!strstr(err, "s3cr3tkeyX"));
	}
}

struct plan_log {
	char text[2048];
};

static void plan_step(void *arg, enum keyer_nhrp_step step, const void *item)
{
	static const char *const names[] = {
		[NHRP_STEP_MAP_DEL] = "map-del", [NHRP_STEP_NHS_DEL] = "nhs-del",
		[NHRP_STEP_MCAST_DEL] = "mcast-del", [NHRP_STEP_MAP_ADD] = "map-add",
		[NHRP_STEP_MCAST_ADD] = "mcast-add", [NHRP_STEP_SETTINGS] = "settings",
		[NHRP_STEP_NHS_ADD] = "nhs-add",
	};
	struct plan_log *l = arg;
	char a[DM_ADDR_STRLEN] = "";
	size_t len = strlen(l->text);

	switch (step) {
	case NHRP_STEP_MAP_DEL:
	case NHRP_STEP_MAP_ADD:
		dm_addr_fmt(&((const struct keyer_nhrp_map *)item)->proto, a, sizeof(a));
		break;
	case NHRP_STEP_NHS_DEL:
	case NHRP_STEP_NHS_ADD:
		dm_addr_fmt(&((const struct keyer_nhrp_nhs *)item)->proto, a, sizeof(a));
		break;
	case NHRP_STEP_MCAST_DEL:
	case NHRP_STEP_MCAST_ADD:
		dm_addr_fmt(&((const struct keyer_nhrp_mcast *)item)->nbma, a, sizeof(a));
		break;
	case NHRP_STEP_SETTINGS: {
		const struct keyer_nhrp_settings *s = item;

		snprintf(a, sizeof(a), "id=%u,hold=%u%s%s", s->new->network_id, s->new->holdtime,
			 KEYER_NHRP_CHANGED(s, holdtime) ? ",hold changed" : "",
			 KEYER_NHRP_CHANGED(s, auth) ? ",auth changed" : "");
		break;
	}
	}
	snprintf(l->text + len, sizeof(l->text) - len, "%s %s; ", names[step], a);
}

static void nhrp_plan(void)
{
	static struct keyer_config c1, c2, c3;
	struct plan_log l;
	char err[256], text[2048];

	CHECK_INT(keyer_config_parse(spoke_nhrp, "s.conf", &c1, err, sizeof(err)), 0);
	/* at start: maps, multicast, settings, then the NHSs */
	memset(&l, 0, sizeof(l));
	CHECK_INT(keyer_nhrp_plan(NULL, &c1.tun.nhrp, plan_step, &l), 5);
	CHECK_STR(l.text, "map-add 10.1.1.253; mcast-add 172.16.10.1; "
		  "settings id=1,hold=300,hold changed,auth changed; "
		  "nhs-add 10.1.1.254; nhs-add 10.1.1.253; ");
	/* reload: the second NHS and its map go, the holdtime changes, a
	 * multicast destination comes: only that moves (the first NHS stays) */
	snprintf(text, sizeof(text), "%s", spoke_nhrp);
	*strstr(text, " ip nhrp nhs 10.1.1.253") = '\0';
	strcat(text, " ip nhrp shortcut\n ip nhrp map multicast 172.16.10.9\n");
	memcpy(strstr(text, "holdtime 300"), "holdtime 600", 12);
	CHECK_INT(keyer_config_parse(text, "s.conf", &c2, err, sizeof(err)), 0);
	memset(&l, 0, sizeof(l));
	keyer_nhrp_plan(&c1.tun.nhrp, &c2.tun.nhrp, plan_step, &l);
	CHECK_STR(l.text, "map-del 10.1.1.253; nhs-del 10.1.1.253; mcast-add 172.16.10.9; "
		  "settings id=1,hold=600,hold changed; ");
	/* the same file again: nothing to do (no re-registration) */
	memset(&l, 0, sizeof(l));
	CHECK_INT(keyer_nhrp_plan(&c2.tun.nhrp, &c2.tun.nhrp, plan_step, &l), 0);
	/* the lines removed: what dmvpnd put there goes, NHRP off */
	CHECK_INT(keyer_config_parse(hub, "hub.conf", &c3, err, sizeof(err)), 0);
	memset(&l, 0, sizeof(l));
	keyer_nhrp_plan(&c2.tun.nhrp, &c3.tun.nhrp, plan_step, &l);
	CHECK_STR(l.text, "nhs-del 10.1.1.254; mcast-del 172.16.10.1; mcast-del 172.16.10.9; "
		  "settings id=0,hold=7200,hold changed,auth changed; ");
	/* never managed: nothing at all */
	memset(&l, 0, sizeof(l));
	CHECK_INT(keyer_nhrp_plan(NULL, &c3.tun.nhrp, plan_step, &l), 0);
	CHECK_INT(keyer_nhrp_plan(&c3.tun.nhrp, &c3.tun.nhrp, plan_step, &l), 0);
	keyer_config_wipe(&c1);
	keyer_config_wipe(&c2);
}


/* "set proxy-identity" (a dmvpnd extension): prefixes as the rest of the
 * file writes them, "any" of the tunnel's family, GRE by default. */
#define PROXY_PROFILE \
	"crypto ipsec transform-set T esp-gcm 256\n mode transport\n" \
	"crypto ipsec profile P\n set transform-set T\n" \
	" set proxy-identity local 172.16.0.0/16 remote 10.0.0.0 255.0.0.0\n" \
	" set proxy-identity local any remote any protocol any\n" \
	" set proxy-identity local 172.16.10.1 remote 10.1.2.0/24 protocol gre\n"
#define PROXY_TUNNEL \
	"interface tun0\n tunnel source 172.16.10.1\n tunnel protection ipsec profile P\n"

static void proxy_identity_lines(void)
{
	struct keyer_config c;
	struct dm_proxy_id l, r;
	struct dm_addr a;
	char err[256], b[DM_PROXY_STRLEN];
	const struct profile *p;

	/* an IPv6 profile in an IPv4 tunnel's file: named where it is */
	CHECK_INT(keyer_config_parse(PROXY_PROFILE
				     "crypto ipsec profile P6\n set transform-set T\n"
				     " set proxy-identity local 2001:db8::/32 remote any\n"
				     PROXY_TUNNEL, "p.conf", &c, err, sizeof(err)), -1);
	CHECK_STR(err, "p.conf:10: proxy-identity is IPv6, the tunnel source 172.16.10.1 is IPv4");
	CHECK_INT(keyer_config_parse(PROXY_PROFILE PROXY_TUNNEL, "p.conf", &c, err, sizeof(err)), 0);
	p = policy_profile(&c);
	CHECK(p && p->nproxy == 3);
	if (!p || p->nproxy != 3)
		return;
	CHECK_STR(dm_proxy_id_fmt_token(&p->proxy[0].local, b, sizeof(b)), "172.16.0.0/16,47,0");
	CHECK_STR(dm_proxy_id_fmt_token(&p->proxy[0].remote, b, sizeof(b)), "10.0.0.0/8,47,0");
	CHECK_STR(dm_proxy_id_fmt_token(&p->proxy[1].local, b, sizeof(b)), "0.0.0.0/0,0,0");
	CHECK_STR(dm_proxy_id_fmt_token(&p->proxy[1].remote, b, sizeof(b)), "0.0.0.0/0,0,0");
	CHECK_STR(dm_proxy_id_fmt_token(&p->proxy[2].local, b, sizeof(b)), "172.16.10.1,47,0");
	CHECK_INT(p->proxy[2].line, 7);
	/* an offer within the first line is covered by it; the same with
	 * protocol any only by the "any any any" line */
	dm_addr_parse("172.16.1.0", &a);
	dm_proxy_id_prefix(&l, &a, 24, DM_PROTO_GRE);
	dm_addr_parse("10.9.0.0", &a);
	dm_proxy_id_prefix(&r, &a, 16, DM_PROTO_GRE);
	CHECK(policy_proxy_covering(p, &l, &r) == &p->proxy[0]);
	l.proto = r.proto = 0;
	CHECK(policy_proxy_covering(p, &l, &r) == &p->proxy[1]);
	keyer_config_wipe(&c);
	/* IPv6 tunnel: "any" is ::/0 */
	CHECK_INT(keyer_config_parse("crypto ipsec transform-set T esp-gcm 256\n"
				     "crypto ipsec profile P\n set transform-set T\n"
				     " set proxy-identity local 2001:db8::/32 remote any\n"
				     " set proxy-identity local any remote any\n"
				     "interface tun0\n tunnel source 2001:db8::1\n",
				     "p.conf", &c, err, sizeof(err)), 0);
	CHECK_STR(dm_proxy_id_fmt_token(&c.prof[0].proxy[0].remote, b, sizeof(b)), "::/0,47,0");
	CHECK_STR(dm_proxy_id_fmt_ios(&c.prof[0].proxy[0].local, false, b, sizeof(b)),
		  "2001:db8::/32/47/0");
	CHECK_STR(dm_proxy_id_fmt_token(&c.prof[0].proxy[1].local, b, sizeof(b)), "::/0,47,0");
	keyer_config_wipe(&c);
}

static void proxy_identity_bad_lines(void)
{
	static const char head[] = "crypto ipsec transform-set T esp-gcm 256\n"
				    "crypto ipsec profile P\n set transform-set T\n";
	static const char tail[] = "interface tun0\n tunnel source 172.16.10.1\n";
	static const struct {
		const char *line, *err;
	} cases[] = {
		{ " set proxy-identity local 172.16.0.0/16\n",
		  "t.conf:4: expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"" },
		{ " set proxy-identity remote any local any\n",
		  "t.conf:4: expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"" },
		{ " set proxy-identity local any remote\n",
		  "t.conf:4: expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"" },
		{ " set proxy-identity local any remote any protocol\n",
		  "t.conf:4: expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"" },
		{ " set proxy-identity local any remote any protocol tcp\n",
		  "t.conf:4: proxy-identity protocol \"tcp\" is not gre or any (the tunnel carries GRE only)" },
		{ " set proxy-identity local any remote any protocol gre 5\n",
		  "t.conf:4: expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"" },
		{ " set proxy-identity local 172.16.0.0/33 remote any\n",
		  "t.conf:4: bad address \"172.16.0.0/33\"" },
		{ " set proxy-identity local 172.16.0.0 255.0.255.0 remote any\n",
		  "t.conf:4: mask \"255.0.255.0\" is not contiguous" },
		{ " set proxy-identity local 172.16.0.0 255.255.0.0 1 remote any\n",
		  "t.conf:4: proxy-identity local: expected \"any\", ADDR, ADDR/LEN or ADDR MASK" },
		{ " set proxy-identity local 172.16.1.1/16 remote any\n",
		  "t.conf:4: proxy-identity local: 172.16.1.1/16 has host bits set (the prefix is 172.16.0.0/16)" },
		{ " set proxy-identity local any remote 10.1.1.1 255.255.255.0\n",
		  "t.conf:4: proxy-identity remote: 10.1.1.1 255.255.255.0 has host bits set (the prefix is 10.1.1.0/24)" },
		{ " set proxy-identity local 172.16.0.0/16 remote 2001:db8::/32\n",
		  "t.conf:4: proxy-identity: local is IPv4, remote IPv6: both must be of one family" },
		{ " set proxy-identity local 10.0.0.0/8 remote any\n",
		  "t.conf:4: proxy-identity local 10.0.0.0/8 does not contain the tunnel source 172.16.10.1: peers would refuse it" },
		{ " set proxy-identity local any remote any\n set proxy-identity local 0.0.0.0/0 remote any\n",
		  "t.conf:5: proxy-identity repeats line 4" },
	};
	struct keyer_config c;
	char text[1024], err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "%s%s%s", head, cases[i].line, tail);
		CHECK_INT(keyer_config_parse(text, "t.conf", &c, err, sizeof(err)), -1);
		CHECK_STR(err, cases[i].err);
	}
	/* at most 8 a profile */
	snprintf(text, sizeof(text), "%s", head);
	for (int i = 0; i < PROFILE_MAX_PROXY_IDS + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 " set proxy-identity local any remote 10.%d.0.0/16\n", i);
	CHECK_INT(keyer_config_parse(text, "t.conf", &c, err, sizeof(err)), -1);
	CHECK_STR(err, "t.conf:12: at most 8 proxy-identity lines per ipsec profile");
}

const struct dm_test keyer_config_tests[] = {
	{ "keyer_config_nhrp_lines", nhrp_lines },
	{ "keyer_config_nhrp_bad_lines", nhrp_bad_lines },
	{ "keyer_config_nhrp_plan", nhrp_plan },
	{ "keyer_config_seed003_hub", seed003_hub },
	{ "keyer_config_bad_input_names_line", bad_input_named },
	{ "keyer_config_key_not_echoed", key_not_echoed },
	{ "keyer_config_seed004_profiles", seed004_profiles },
	{ "keyer_config_profile_bad_lines", profile_bad_lines },
	{ "keyer_config_aggressive_mode", aggressive_mode },
	{ "keyer_config_proxy_identity", proxy_identity_lines },
	{ "keyer_config_proxy_identity_bad_lines", proxy_identity_bad_lines },
	{ NULL, NULL },
};
