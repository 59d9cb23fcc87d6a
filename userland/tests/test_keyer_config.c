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
		  "t.conf:1: aggressive mode is not implemented" },
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
}

const struct dm_test keyer_config_tests[] = {
	{ "keyer_config_seed003_hub", seed003_hub },
	{ "keyer_config_bad_input_names_line", bad_input_named },
	{ "keyer_config_key_not_echoed", key_not_echoed },
	{ NULL, NULL },
};
