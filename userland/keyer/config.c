// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmvpnd's configuration file: the IOS running-config lines that concern
 * IKE and IPsec, one router per file (policy.h has the model).
 *
 *   crypto isakmp policy 10
 *    encr aes 256
 *    hash sha256
 *    authentication pre-share
 *    group 14
 *    lifetime 86400
 *   crypto isakmp key SECRET address 0.0.0.0 0.0.0.0
 *   ! or, as seed 004's hub: keys in a keyring, peers sorted into
 *   ! ISAKMP profiles by the identity they authenticate with
 *   crypto keyring spokes
 *    pre-shared-key address 0.0.0.0 0.0.0.0 key SECRET
 *   crypto isakmp profile L2L
 *    keyring spokes
 *    match identity address 0.0.0.0
 *   ! aggressive mode, off by default: answer it / initiate it to a peer
 *   crypto isakmp aggressive-mode
 *   crypto isakmp peer address 172.16.10.1
 *    set aggressive-mode
 *   crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 *    mode transport
 *   crypto ipsec profile P
 *    set transform-set TS
 *    set pfs group14
 *    ! dmvpnd: subnet proxy identities to propose and accept
 *    set proxy-identity local 172.16.0.0/16 remote 172.16.0.0/16 protocol gre
 *   interface tun0
 *    tunnel source 172.16.10.1
 *    tunnel protection ipsec profile P
 *
 * Sub-commands may be indented or not (IOS accepts both when pasting);
 * they belong to the last block opened.  "!" starts a comment.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "ikecrypto.h"
#include "isakmp.h"
#include "policy.h"
#include "../lib/names.h"

#define MAX_WORDS	16

enum block { B_NONE, B_POLICY, B_TSET, B_PROFILE, B_IFACE, B_PEER, B_KEYRING,
	     B_IPROF };

struct parser {
	struct keyer_config *cfg;
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
	enum block block;
	size_t cur;		/* index of the open block's object */
	bool key_line;		/* never echo key lines in errors */
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);

	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int num(struct parser *p, const char *w, const char *what,
	       unsigned long long lo, unsigned long long hi,
	       unsigned long long *out)
{
	char *end;

	errno = 0;
	if (!w || !isdigit((unsigned char)*w))
		return fail(p, "%s: expected a number, got \"%s\"", what, w ? w : "");
	*out = strtoull(w, &end, 10);
	if (errno || *end || *out < lo || *out > hi)
		return fail(p, "%s: \"%s\" is not in %llu..%llu", what, w, lo, hi);
	return 0;
}

void keyer_config_defaults(struct keyer_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sa_life_secs = 3600;
	cfg->sa_life_kb = 4608000;
	cfg->retrans_ms = 2000;
	cfg->retrans_count = 5;
	cfg->nat_keepalive = 20;
	cfg->force_encap = true;	/* the module carries ESP in UDP only */
	keyer_nhrp_defaults(&cfg->tun.nhrp);
}

static uint16_t group_word(const char *w)
{
	char *end;
	unsigned long g;

	if (!w)
		return 0;
	if (!strncmp(w, "group", 5))
		w += 5;
	g = strtoul(w, &end, 10);
	return *w && !*end && g < 65536 ? (uint16_t)g : 0;
}

static int check_group(struct parser *p, uint16_t g, const char *w)
{
	if (!g || !ike_dh_supported(g))
		return fail(p, "unknown Diffie-Hellman group \"%s\" (14, 15, 16, 19, 20, 21; 1, 2, 5 with \"crypto isakmp legacy-groups\")",
			    w ? w : "");
	if (ike_dh_legacy(g) && !p->cfg->legacy_groups)
		return fail(p, "group %u is weak; allow it with \"crypto isakmp legacy-groups\" before this line",
			    g);
	return 0;
}

static int policy_cmd(struct parser *p, char **w, size_t n)
{
	struct p1_policy *pol = &p->cfg->pol[p->cur];
	unsigned long long v;

	if (!strcmp(w[0], "encryption") || !strcmp(w[0], "encr")) {
		if (n == 2 && !strcmp(w[1], "3des")) {
			pol->enc = OAKLEY_3DES;
			pol->key_bits = 0;
			return 0;
		}
		if ((n == 2 || n == 3) && !strcmp(w[1], "aes")) {
			if (n == 3 && num(p, w[2], "aes key length", 128, 256, &v))
				return -1;
			pol->key_bits = n == 3 ? (uint16_t)v : 128;
			if (pol->key_bits != 128 && pol->key_bits != 192 &&
			    pol->key_bits != 256)
				return fail(p, "aes key length must be 128, 192 or 256");
			pol->enc = OAKLEY_AES;
			return 0;
		}
		if (n >= 2 && !strcmp(w[1], "des"))
			return fail(p, "encryption des is not supported (use aes or 3des)");
		return fail(p, "encryption: expected \"aes [128|192|256]\" or \"3des\"");
	}
	if (!strcmp(w[0], "hash") && n == 2) {
		static const struct { const char *n; uint16_t id; } h[] = {
			{ "md5", OAKLEY_MD5 }, { "sha", OAKLEY_SHA1 },
			{ "sha256", OAKLEY_SHA256 }, { "sha384", OAKLEY_SHA384 },
			{ "sha512", OAKLEY_SHA512 },
		};
		for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
			if (!strcmp(w[1], h[i].n)) {
				pol->hash = h[i].id;
				return 0;
			}
		return fail(p, "hash: \"%s\" is not md5, sha, sha256, sha384 or sha512", w[1]);
	}
	if (!strcmp(w[0], "hash"))
		return fail(p, "hash: expected one algorithm");
	if (!strcmp(w[0], "authentication")) {
		if (n == 2 && !strcmp(w[1], "pre-share")) {
			pol->auth = OAKLEY_PSK;
			return 0;
		}
		return fail(p, "authentication: only pre-share is supported");
	}
	if (!strcmp(w[0], "group") && n == 2) {
		uint16_t g = group_word(w[1]);

		if (check_group(p, g, w[1]))
			return -1;
		pol->group = g;
		return 0;
	}
	if (!strcmp(w[0], "lifetime") && n == 2) {
		if (num(p, w[1], "lifetime", 60, 86400, &v))
			return -1;
		pol->life_secs = (uint32_t)v;
		return 0;
	}
	return fail(p, "unknown isakmp policy command \"%s\"", w[0]);
}

/* The ESP words of a transform set -> a module suite. */
static int tset_words(struct parser *p, char **w, size_t n, struct tset *ts)
{
	const char *enc = NULL, *auth = NULL;
	unsigned long long bits = 128;
	char suite[32];
	const struct { const char *s; uint32_t alg; } map[] = {
		{ "aes128-sha1", DMVPN_ESP_AES128_CBC_HMAC_SHA1_96 },
		{ "aes128-sha256", DMVPN_ESP_AES128_CBC_HMAC_SHA256_128 },
		{ "aes128-sha384", DMVPN_ESP_AES128_CBC_HMAC_SHA384_192 },
		{ "aes128-sha512", DMVPN_ESP_AES128_CBC_HMAC_SHA512_256 },
		{ "aes256-sha1", DMVPN_ESP_AES256_CBC_HMAC_SHA1_96 },
		{ "aes256-sha256", DMVPN_ESP_AES256_CBC_HMAC_SHA256_128 },
		{ "aes256-sha384", DMVPN_ESP_AES256_CBC_HMAC_SHA384_192 },
		{ "aes256-sha512", DMVPN_ESP_AES256_CBC_HMAC_SHA512_256 },
		{ "3des-sha1", DMVPN_ESP_3DES_CBC_HMAC_SHA1_96 },
		{ "3des-md5", DMVPN_ESP_3DES_CBC_HMAC_MD5_96 },
		{ "gcm128-", DMVPN_ESP_AES128_GCM16 },
		{ "gcm256-", DMVPN_ESP_AES256_GCM16 },
		{ "null-", DMVPN_ESP_NULL },
	};

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(w[i], "esp-aes") || !strcmp(w[i], "esp-gcm")) {
			if (enc)
				return fail(p, "transform set has two ciphers");
			enc = w[i];
			if (i + 1 < n && isdigit((unsigned char)w[i + 1][0])) {
				if (num(p, w[++i], "key length", 128, 256, &bits))
					return -1;
				if (bits != 128 && bits != 256)
					return fail(p, "%s %llu is not supported by the dmvpn module (128 or 256)",
						    enc, bits);
			}
		} else if (!strcmp(w[i], "esp-256-aes")) {
			enc = "esp-aes";
			bits = 256;
		} else if (!strcmp(w[i], "esp-3des") || !strcmp(w[i], "esp-null")) {
			if (enc)
				return fail(p, "transform set has two ciphers");
			enc = w[i];
		} else if (!strcmp(w[i], "esp-sha-hmac") ||
			   !strcmp(w[i], "esp-md5-hmac") ||
			   !strcmp(w[i], "esp-sha256-hmac") ||
			   !strcmp(w[i], "esp-sha384-hmac") ||
			   !strcmp(w[i], "esp-sha512-hmac")) {
			if (auth)
				return fail(p, "transform set has two integrity algorithms");
			auth = w[i];
		} else if (!strcmp(w[i], "esp-des")) {
			return fail(p, "esp-des is not supported by the dmvpn module");
		} else {
			return fail(p, "unknown transform \"%s\"", w[i]);
		}
	}
	if (!enc)
		return fail(p, "transform set needs a cipher (esp-aes, esp-gcm, esp-3des)");
	if (!strcmp(enc, "esp-gcm") || !strcmp(enc, "esp-null")) {
		if (auth)
			return fail(p, "%s takes no integrity transform (%s)", enc, auth);
		snprintf(suite, sizeof(suite), "%s-", !strcmp(enc, "esp-null") ? "null" :
			 bits == 256 ? "gcm256" : "gcm128");
	} else {
		const char *a;

		if (!auth)
			return fail(p, "%s needs an integrity transform (esp-sha-hmac, ...)", enc);
		a = !strcmp(auth, "esp-sha-hmac") ? "sha1" :
		    !strcmp(auth, "esp-md5-hmac") ? "md5" :
		    !strcmp(auth, "esp-sha256-hmac") ? "sha256" :
		    !strcmp(auth, "esp-sha384-hmac") ? "sha384" : "sha512";
		snprintf(suite, sizeof(suite), "%s-%s",
			 !strcmp(enc, "esp-3des") ? "3des" :
			 bits == 256 ? "aes256" : "aes128", a);
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].s, suite)) {
			ts->esp_alg = map[i].alg;
			return 0;
		}
	return fail(p, "%s with %s is not supported by the dmvpn module", enc, auth);
}

/* ADDR[/LEN] or ADDR MASK (mask_w NULL: none given) as IOS writes them. */
static int parse_prefix(struct parser *p, const char *addr_w, const char *mask_w,
			struct dm_addr *addr, uint8_t *plen)
{
	struct dm_addr mask;
	bool has_plen;
	uint32_t m;
	int bits = 0;

	if (dm_prefix_parse(addr_w, addr, plen, &has_plen))
		return fail(p, "bad address \"%s\"", addr_w);
	if (!mask_w)
		return 0;
	if (has_plen || dm_addr_parse(mask_w, &mask) ||
	    mask.family != AF_INET || addr->family != AF_INET)
		return fail(p, "bad mask \"%s\"", mask_w);
	m = (uint32_t)mask.bytes[0] << 24 | (uint32_t)mask.bytes[1] << 16 |
	    (uint32_t)mask.bytes[2] << 8 | mask.bytes[3];
	while (bits < 32 && (m & (0x80000000u >> bits)))
		bits++;
	if (bits < 32 && (m << bits))
		return fail(p, "mask \"%s\" is not contiguous", mask_w);
	*plen = (uint8_t)bits;
	return 0;
}

/* One more key for ADDR [MASK] (words), from keyring (-1: the default). */
static int add_key(struct parser *p, const char *key, char **addr_w, size_t naddr,
		   int keyring)
{
	struct keyer_config *c = p->cfg;
	size_t klen = strlen(key);
	struct psk_entry *e;

	if (c->npsk == sizeof(c->psk) / sizeof(c->psk[0]))
		return fail(p, "too many keys (at most %zu)", sizeof(c->psk) / sizeof(c->psk[0]));
	if (klen > KEYER_PSK_MAX)
		return fail(p, "key longer than %d characters", KEYER_PSK_MAX);
	e = &c->psk[c->npsk];
	memset(e, 0, sizeof(*e));
	if (parse_prefix(p, addr_w[0], naddr > 1 ? addr_w[1] : NULL, &e->addr, &e->plen))
		return -1;
	e->keyring = (int8_t)keyring;
	memcpy(e->key, key, klen);
	e->key_len = klen;
	c->npsk++;
	return 0;
}

static int parse_key(struct parser *p, char **w, size_t n)
{
	size_t i = 3;

	/* crypto isakmp key [0|6] KEY address ADDR [MASK] */
	p->key_line = true;
	if (n >= 4 && (!strcmp(w[3], "0") || !strcmp(w[3], "6"))) {
		if (!strcmp(w[3], "6"))
			return fail(p, "encrypted keys (type 6) are not supported; give the key in clear (mode 0600 file)");
		i++;
	}
	if (n < i + 3 || strcmp(w[i + 1], "address")) {
		if (n >= i + 2 && !strcmp(w[i + 1], "hostname"))
			return fail(p, "keys by hostname are not supported: main mode must choose the key by the peer's address");
		return fail(p, "expected \"crypto isakmp key KEY address ADDR [MASK]\"");
	}
	if (n > i + 4)
		return fail(p, "unexpected \"%s\" after the address", w[i + 4]);
	return add_key(p, w[i], w + i + 2, n - (i + 2), -1);
}

/* crypto keyring NAME */
static int keyring_block(struct parser *p, char **w, size_t n)
{
	struct keyer_config *c = p->cfg;
	struct keyring *kr;

	if (n != 3 || strlen(w[2]) >= KEYER_NAME_MAX)
		return fail(p, "expected \"crypto keyring NAME\" (name below %d characters; no vrf)",
			    KEYER_NAME_MAX);
	for (size_t i = 0; i < c->nkeyring; i++)
		if (!strcmp(c->keyring[i].name, w[2]))
			return fail(p, "keyring %s defined twice", w[2]);
	if (c->nkeyring == KEYER_KEYRINGS)
		return fail(p, "too many keyrings (at most %d)", KEYER_KEYRINGS);
	kr = &c->keyring[c->nkeyring];
	snprintf(kr->name, sizeof(kr->name), "%s", w[2]);
	kr->line = p->line;
	p->block = B_KEYRING;
	p->cur = c->nkeyring++;
	return 0;
}

static int keyring_cmd(struct parser *p, char **w, size_t n)
{
	if (!strcmp(w[0], "description"))
		return 0;
	if (!strcmp(w[0], "pre-shared-key")) {
		/* pre-shared-key address ADDR [MASK] key KEY */
		p->key_line = true;
		if (n >= 2 && !strcmp(w[1], "hostname"))
			return fail(p, "keys by hostname are not supported: main mode must choose the key by the peer's address");
		if ((n != 5 && n != 6) || strcmp(w[1], "address") || strcmp(w[n - 2], "key"))
			return fail(p, "expected \"pre-shared-key address ADDR [MASK] key KEY\"");
		return add_key(p, w[n - 1], w + 2, n - 4, (int)p->cur);
	}
	return fail(p, "unknown keyring command \"%s\"", w[0]);
}

static const struct keyring *keyring_named(const struct keyer_config *c,
					   const char *name, size_t *idx)
{
	for (size_t i = 0; i < c->nkeyring; i++)
		if (!strcmp(c->keyring[i].name, name)) {
			*idx = i;
			return &c->keyring[i];
		}
	return NULL;
}

static const struct isakmp_profile *isakmp_profile_named(const struct keyer_config *c,
							 const char *name)
{
	for (size_t i = 0; i < c->niprof; i++)
		if (!strcmp(c->iprof[i].name, name))
			return &c->iprof[i];
	return NULL;
}

static bool addr_is_zero(const struct dm_addr *a)
{
	for (size_t i = 0; i < sizeof(a->bytes); i++)
		if (a->bytes[i])
			return false;
	return true;
}

/* crypto isakmp profile NAME */
static int iprof_block(struct parser *p, char **w, size_t n)
{
	struct keyer_config *c = p->cfg;
	struct isakmp_profile *ip;

	if (n != 4 || strlen(w[3]) >= KEYER_NAME_MAX)
		return fail(p, "expected \"crypto isakmp profile NAME\" (name below %d characters)",
			    KEYER_NAME_MAX);
	if (isakmp_profile_named(c, w[3]))
		return fail(p, "isakmp profile %s defined twice", w[3]);
	if (c->niprof == ISAKMP_PROFILES)
		return fail(p, "too many isakmp profiles (at most %d)", ISAKMP_PROFILES);
	ip = &c->iprof[c->niprof];
	memset(ip, 0, sizeof(*ip));
	snprintf(ip->name, sizeof(ip->name), "%s", w[3]);
	ip->line = p->line;
	p->block = B_IPROF;
	p->cur = c->niprof++;
	return 0;
}

static int iprof_cmd(struct parser *p, char **w, size_t n)
{
	struct isakmp_profile *ip = &p->cfg->iprof[p->cur];
	size_t k;

	if (!strcmp(w[0], "description"))
		return 0;
	if (!strcmp(w[0], "keyring")) {
		if (n != 2)
			return fail(p, "expected \"keyring NAME\"");
		if (!keyring_named(p->cfg, w[1], &k))
			return fail(p, "keyring %s is not defined (define it above)", w[1]);
		if (ip->nkeyrings == ISAKMP_PROFILE_KEYRINGS)
			return fail(p, "at most %d keyrings per isakmp profile", ISAKMP_PROFILE_KEYRINGS);
		ip->keyrings[ip->nkeyrings++] = (uint8_t)k;
		return 0;
	}
	if (n >= 3 && !strcmp(w[0], "match") && !strcmp(w[1], "identity")) {
		if (!strcmp(w[2], "address")) {
			if (n != 4 && n != 5)
				return fail(p, "expected \"match identity address ADDR [MASK]\" (no vrf)");
			if (ip->nmatch == ISAKMP_PROFILE_MATCHES)
				return fail(p, "at most %d match lines per isakmp profile",
					    ISAKMP_PROFILE_MATCHES);
			/* IOS: an address without a mask is a host, except
			 * 0.0.0.0, which matches everyone */
			if (parse_prefix(p, w[3], n == 5 ? w[4] : NULL,
					 &ip->match[ip->nmatch].addr, &ip->match[ip->nmatch].plen))
				return -1;
			if (n == 4 && !strchr(w[3], '/') && addr_is_zero(&ip->match[ip->nmatch].addr))
				ip->match[ip->nmatch].plen = 0;
			ip->nmatch++;
			return 0;
		}
		if (!strcmp(w[2], "group"))
			return fail(p, "\"match identity group\" is for VPN clients, which need Xauth and mode config: not supported");
		return fail(p, "\"match identity %s\" is not supported: peers are matched by the address they authenticate with",
			    w[2]);
	}
	if (!strcmp(w[0], "client") || !strcmp(w[0], "isakmp"))
		return fail(p, "\"%s ...\" configures Xauth or mode config for VPN clients: not supported", w[0]);
	if (!strcmp(w[0], "keepalive"))
		return fail(p, "a keepalive per isakmp profile is not supported: use \"crypto isakmp keepalive\"");
	return fail(p, "unknown isakmp profile command \"%s\"", w[0]);
}

/* crypto isakmp peer address ADDR */
static int peer_block(struct parser *p, char **w, size_t n)
{
	struct keyer_config *c = p->cfg;
	struct isakmp_peer *pe;
	struct dm_addr a;

	if (n != 5 || strcmp(w[3], "address"))
		return fail(p, "expected \"crypto isakmp peer address ADDR\" (hostnames are not supported)");
	if (dm_addr_parse(w[4], &a))
		return fail(p, "bad address \"%s\"", w[4]);
	for (size_t i = 0; i < c->npeer; i++)
		if (dm_addr_equal(&c->peer[i].addr, &a)) {
			p->block = B_PEER;
			p->cur = i;
			return 0;
		}
	if (c->npeer == sizeof(c->peer) / sizeof(c->peer[0]))
		return fail(p, "too many isakmp peers (at most %zu)",
			    sizeof(c->peer) / sizeof(c->peer[0]));
	pe = &c->peer[c->npeer];
	*pe = (struct isakmp_peer){ .addr = a, .line = p->line };
	p->block = B_PEER;
	p->cur = c->npeer++;
	return 0;
}

static int peer_cmd(struct parser *p, char **w, size_t n)
{
	struct isakmp_peer *pe = &p->cfg->peer[p->cur];

	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "aggressive-mode")) {
		if (n == 2) {
			pe->aggressive = true;
			return 0;
		}
		if (!strcmp(w[2], "password") || !strcmp(w[2], "client-endpoint")) {
			p->key_line = true;
			return fail(p, "\"set aggressive-mode %s\" is not supported: the key comes from \"crypto isakmp key ... address\", the identity is the tunnel source; write \"set aggressive-mode\" alone",
				    w[2]);
		}
		return fail(p, "expected \"set aggressive-mode\"");
	}
	if (n == 3 && !strcmp(w[0], "no") && !strcmp(w[1], "set") &&
	    !strcmp(w[2], "aggressive-mode")) {
		pe->aggressive = false;
		return 0;
	}
	return fail(p, "unknown isakmp peer command \"%s\"", w[0]);
}

static int crypto_cmd(struct parser *p, char **w, size_t n)
{
	struct keyer_config *c = p->cfg;
	unsigned long long v;

	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "policy")) {
		struct p1_policy *pol;

		if (n != 4 || num(p, w[3], "policy priority", 1, 10000, &v))
			return n != 4 ? fail(p, "expected \"crypto isakmp policy 1..10000\"") : -1;
		for (size_t i = 0; i < c->npol; i++)
			if (c->pol[i].prio == v) {
				p->block = B_POLICY;
				p->cur = i;
				return 0;
			}
		if (c->npol == sizeof(c->pol) / sizeof(c->pol[0]) - 1)
			return fail(p, "too many isakmp policies");
		pol = &c->pol[c->npol];
		/* IOS defaults of a new policy (aes-less platforms had DES;
		 * DES is gone, so 3DES) */
		*pol = (struct p1_policy){ .prio = (uint32_t)v, .enc = OAKLEY_3DES,
			.hash = OAKLEY_SHA1, .auth = OAKLEY_PSK, .group = 14,
			.life_secs = 86400 };
		p->block = B_POLICY;
		p->cur = c->npol++;
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "key"))
		return parse_key(p, w, n);
	if (n == 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "legacy-groups")) {
		c->legacy_groups = true;
		return 0;
	}
	if (n == 4 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "nat") &&
	    !strcmp(w[3], "force-encap")) {
		c->force_encap = true;
		return 0;
	}
	if (n == 5 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "nat") &&
	    !strcmp(w[3], "keepalive")) {
		if (num(p, w[4], "nat keepalive", 5, 3600, &v))
			return -1;
		c->nat_keepalive = (uint32_t)v;
		return 0;
	}
	if (n >= 4 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "keepalive")) {
		if (num(p, w[3], "keepalive interval", 10, 3600, &v))
			return -1;
		c->dpd_interval = (uint32_t)v;
		c->dpd_retry = 2;
		if (n >= 5 && isdigit((unsigned char)w[4][0])) {
			if (num(p, w[4], "keepalive retry", 2, 60, &v))
				return -1;
			c->dpd_retry = (uint32_t)v;
		}
		if (!strcmp(w[n - 1], "periodic"))
			c->dpd_periodic = true;
		else if (strcmp(w[n - 1], "on-demand") && n > 4 &&
			 !isdigit((unsigned char)w[n - 1][0]))
			return fail(p, "keepalive: \"%s\" is not periodic or on-demand", w[n - 1]);
		return 0;
	}
	if (n == 5 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "retransmit")) {
		/* dmvpnd: first interval (ms, doubling) and the count */
		if (num(p, w[3], "retransmit interval (ms)", 100, 60000, &v))
			return -1;
		c->retrans_ms = (uint32_t)v;
		if (num(p, w[4], "retransmit count", 1, 20, &v))
			return -1;
		c->retrans_count = (uint32_t)v;
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "aggressive-mode")) {
		/* IOS: "... disable" turns answering it off (our default) */
		if (n == 3)
			c->aggr_accept = true;
		else if (n == 4 && !strcmp(w[3], "disable"))
			c->aggr_accept = false;
		else
			return fail(p, "expected \"crypto isakmp aggressive-mode [disable]\"");
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "peer"))
		return peer_block(p, w, n);
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "profile"))
		return iprof_block(p, w, n);
	if (n >= 2 && !strcmp(w[1], "keyring"))
		return keyring_block(p, w, n);
	if (n >= 3 && !strcmp(w[1], "isakmp") && !strcmp(w[2], "identity"))
		return n == 4 && !strcmp(w[3], "address") ? 0 :
			fail(p, "only \"crypto isakmp identity address\" is supported");
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "transform-set")) {
		struct tset *ts;

		if (n < 5)
			return fail(p, "expected \"crypto ipsec transform-set NAME TRANSFORM...\"");
		if (strlen(w[3]) >= KEYER_NAME_MAX)
			return fail(p, "transform-set name longer than %d", KEYER_NAME_MAX - 1);
		if (policy_tset(c, w[3]))
			return fail(p, "transform-set %s defined twice", w[3]);
		if (c->nts == sizeof(c->ts) / sizeof(c->ts[0]))
			return fail(p, "too many transform sets");
		ts = &c->ts[c->nts];
		memset(ts, 0, sizeof(*ts));
		snprintf(ts->name, sizeof(ts->name), "%s", w[3]);
		ts->mode = DMVPN_SA_MODE_TUNNEL;	/* IOS default */
		if (tset_words(p, w + 4, n - 4, ts))
			return -1;
		p->block = B_TSET;
		p->cur = c->nts++;
		return 0;
	}
	if (n >= 3 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "profile")) {
		struct profile *pr;

		if (n != 4 || strlen(w[3]) >= KEYER_NAME_MAX)
			return fail(p, "expected \"crypto ipsec profile NAME\" (name below %d characters)", KEYER_NAME_MAX);
		for (size_t i = 0; i < c->nprof; i++)
			if (!strcmp(c->prof[i].name, w[3]))
				return fail(p, "profile %s defined twice", w[3]);
		if (c->nprof == sizeof(c->prof) / sizeof(c->prof[0]))
			return fail(p, "too many profiles");
		pr = &c->prof[c->nprof];
		memset(pr, 0, sizeof(*pr));
		snprintf(pr->name, sizeof(pr->name), "%s", w[3]);
		pr->line = p->line;
		p->block = B_PROFILE;
		p->cur = c->nprof++;
		return 0;
	}
	if (n >= 4 && !strcmp(w[1], "ipsec") && !strcmp(w[2], "security-association") &&
	    !strcmp(w[3], "lifetime")) {
		if (n == 6 && !strcmp(w[4], "seconds")) {
			if (num(p, w[5], "lifetime seconds", 120, 86400, &v))
				return -1;
			c->sa_life_secs = (uint32_t)v;
			return 0;
		}
		if (n == 6 && !strcmp(w[4], "kilobytes")) {
			if (num(p, w[5], "lifetime kilobytes", 2560, 4294967295ULL, &v))
				return -1;
			c->sa_life_kb = v;
			return 0;
		}
		return fail(p, "expected \"lifetime seconds N\" or \"lifetime kilobytes N\"");
	}
	return fail(p, "unknown crypto command");
}

/*
 * One prefix of "set proxy-identity": "any", ADDR, ADDR/LEN or ADDR MASK
 * (words w[0..n-1]).  The address must be the prefix's first: what we
 * propose is what we wrote.
 */
static int proxy_prefix(struct parser *p, const char *side, char **w, size_t n,
			struct dm_proxy_id *id, bool *any)
{
	struct dm_addr a;
	uint8_t plen;
	char want[DM_ADDR_STRLEN];

	*any = n == 1 && !strcmp(w[0], "any");
	if (*any)
		return 0;
	if (n != 1 && n != 2)
		return fail(p, "proxy-identity %s: expected \"any\", ADDR, ADDR/LEN or ADDR MASK",
			    side);
	if (parse_prefix(p, w[0], n == 2 ? w[1] : NULL, &a, &plen))
		return -1;
	dm_proxy_id_prefix(id, &a, plen, 0);
	if (!dm_addr_equal(&id->first, &a))
		return fail(p, "proxy-identity %s: %s%s%s has host bits set (the prefix is %s/%u)",
			    side, w[0], n == 2 ? " " : "", n == 2 ? w[1] : "",
			    dm_addr_fmt(&id->first, want, sizeof(want)), plen);
	return 0;
}

/* set proxy-identity local PREFIX remote PREFIX [protocol gre|any] */
static int proxy_identity_cmd(struct parser *p, struct profile *pr, char **w, size_t n)
{
	static const char usage[] = "expected \"set proxy-identity local PREFIX remote PREFIX [protocol gre|any]\"";
	struct proxy_identity pi = { .line = p->line };
	size_t remote = 0, proto = n;
	uint8_t ip_proto = DM_PROTO_GRE;

	for (size_t i = 3; i < n; i++) {
		if (!strcmp(w[i], "remote") && !remote)
			remote = i;
		else if (!strcmp(w[i], "protocol") && remote && proto == n)
			proto = i;
	}
	if (n < 6 || strcmp(w[2], "local") || !remote || remote + 1 >= proto)
		return fail(p, "%s", usage);
	if (proto < n) {
		if (proto + 2 != n)
			return fail(p, "%s", usage);
		if (!strcmp(w[proto + 1], "gre") || !strcmp(w[proto + 1], "47"))
			ip_proto = DM_PROTO_GRE;
		else if (!strcmp(w[proto + 1], "any") || !strcmp(w[proto + 1], "0"))
			ip_proto = 0;
		else
			return fail(p, "proxy-identity protocol \"%s\" is not gre or any (the tunnel carries GRE only)",
				    w[proto + 1]);
	}
	if (proxy_prefix(p, "local", w + 3, remote - 3, &pi.local, &pi.local_any) ||
	    proxy_prefix(p, "remote", w + remote + 1, proto - remote - 1, &pi.remote,
			 &pi.remote_any))
		return -1;
	if (!pi.local_any && !pi.remote_any &&
	    pi.local.first.family != pi.remote.first.family)
		return fail(p, "proxy-identity: local is %s, remote %s: both must be of one family",
			    dm_family_name(pi.local.first.family),
			    dm_family_name(pi.remote.first.family));
	pi.local.proto = pi.remote.proto = ip_proto;
	if (pr->nproxy == PROFILE_MAX_PROXY_IDS)
		return fail(p, "at most %d proxy-identity lines per ipsec profile",
			    PROFILE_MAX_PROXY_IDS);
	pr->proxy[pr->nproxy++] = pi;
	return 0;
}

static int profile_cmd(struct parser *p, char **w, size_t n)
{
	struct profile *pr = &p->cfg->prof[p->cur];
	unsigned long long v;

	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "transform-set")) {
		if (n < 3)
			return fail(p, "set transform-set: name missing");
		if (n - 2 > PROFILE_MAX_TSETS)
			return fail(p, "at most %d transform sets", PROFILE_MAX_TSETS);
		for (size_t i = 2; i < n; i++) {
			if (!policy_tset(p->cfg, w[i]))
				return fail(p, "transform-set %s is not defined (define it above)", w[i]);
			snprintf(pr->tset_names[i - 2], KEYER_NAME_MAX, "%s", w[i]);
		}
		pr->ntsets = n - 2;
		return 0;
	}
	if (n == 3 && !strcmp(w[0], "set") && !strcmp(w[1], "pfs")) {
		uint16_t g = group_word(w[2]);

		if (check_group(p, g, w[2]))
			return -1;
		pr->pfs_group = g;
		return 0;
	}
	if (n == 5 && !strcmp(w[0], "set") && !strcmp(w[1], "security-association") &&
	    !strcmp(w[2], "lifetime")) {
		if (!strcmp(w[3], "seconds")) {
			if (num(p, w[4], "lifetime seconds", 120, 86400, &v))
				return -1;
			pr->life_secs = (uint32_t)v;
			return 0;
		}
		if (!strcmp(w[3], "kilobytes")) {
			if (num(p, w[4], "lifetime kilobytes", 2560, 4294967295ULL, &v))
				return -1;
			pr->life_kb = v;
			return 0;
		}
	}
	if (n == 3 && !strcmp(w[0], "set") && !strcmp(w[1], "isakmp-profile")) {
		if (!isakmp_profile_named(p->cfg, w[2]))
			return fail(p, "isakmp profile %s is not defined (define it above)", w[2]);
		snprintf(pr->isakmp_profile, sizeof(pr->isakmp_profile), "%s", w[2]);
		return 0;
	}
	if (n >= 2 && !strcmp(w[0], "set") && !strcmp(w[1], "proxy-identity"))
		return proxy_identity_cmd(p, pr, w, n);
	return fail(p, "unknown ipsec profile command \"%s\"", w[0]);
}

static int iface_cmd(struct parser *p, char **w, size_t n)
{
	struct keyer_tunnel *t = &p->cfg->tun;

	if (n == 3 && !strcmp(w[0], "tunnel") && !strcmp(w[1], "source")) {
		if (dm_addr_parse(w[2], &t->source))
			return fail(p, "tunnel source: bad address \"%s\"", w[2]);
		return 0;
	}
	if (n == 5 && !strcmp(w[0], "tunnel") && !strcmp(w[1], "protection") &&
	    !strcmp(w[2], "ipsec") && !strcmp(w[3], "profile")) {
		for (size_t i = 0; i < p->cfg->nprof; i++)
			if (!strcmp(p->cfg->prof[i].name, w[4])) {
				snprintf(t->profile, sizeof(t->profile), "%s", w[4]);
				return 0;
			}
		return fail(p, "ipsec profile %s is not defined (define it above)", w[4]);
	}
	if (n >= 2 && !strcmp(w[0], "ip") && !strcmp(w[1], "nhrp")) {
		char why[256];

		p->key_line = n > 2 && !strcmp(w[2], "authentication");
		if (keyer_nhrp_line(&t->nhrp, w, n, p->line, why, sizeof(why)))
			return fail(p, "%s", why);
		return 0;
	}
	return fail(p, "unknown interface command \"%s\"", w[0]);
}

static int tset_cmd(struct parser *p, char **w, size_t n)
{
	struct tset *ts = &p->cfg->ts[p->cur];

	if (n == 2 && !strcmp(w[0], "mode")) {
		if (!strcmp(w[1], "transport"))
			ts->mode = DMVPN_SA_MODE_TRANSPORT;
		else if (!strcmp(w[1], "tunnel"))
			ts->mode = DMVPN_SA_MODE_TUNNEL;
		else
			return fail(p, "mode: \"%s\" is not transport or tunnel", w[1]);
		return 0;
	}
	return fail(p, "unknown transform-set command \"%s\"", w[0]);
}

static int line_cmd(struct parser *p, char **w, size_t n)
{
	if (n == 5 && !strcmp(w[0], "no") && !strcmp(w[1], "crypto") &&
	    !strcmp(w[2], "isakmp") && !strcmp(w[3], "nat") &&
	    !strcmp(w[4], "force-encap")) {
		/* only NAT-D decides; the module then needs a real NAT */
		p->block = B_NONE;
		p->cfg->force_encap = false;
		return 0;
	}
	if (n == 4 && !strcmp(w[0], "no") && !strcmp(w[1], "crypto") &&
	    !strcmp(w[2], "isakmp") && !strcmp(w[3], "aggressive-mode")) {
		p->block = B_NONE;
		p->cfg->aggr_accept = false;
		return 0;
	}
	if (!strcmp(w[0], "crypto")) {
		p->block = B_NONE;
		return crypto_cmd(p, w, n);
	}
	if (!strcmp(w[0], "interface")) {
		if (n != 2 || strlen(w[1]) >= sizeof(p->cfg->tun.ifname))
			return fail(p, "expected \"interface NAME\" (below 16 characters)");
		if (p->cfg->has_tun && strcmp(p->cfg->tun.ifname, w[1]))
			return fail(p, "only one tunnel interface per file (%s already)", p->cfg->tun.ifname);
		snprintf(p->cfg->tun.ifname, sizeof(p->cfg->tun.ifname), "%s", w[1]);
		if (!p->cfg->has_tun)
			p->cfg->tun.line = p->line;
		p->cfg->has_tun = true;
		p->block = B_IFACE;
		return 0;
	}
	if (!strcmp(w[0], "end") && n == 1) {
		p->block = B_NONE;
		return 0;
	}
	switch (p->block) {
	case B_POLICY: return policy_cmd(p, w, n);
	case B_TSET: return tset_cmd(p, w, n);
	case B_PROFILE: return profile_cmd(p, w, n);
	case B_IFACE: return iface_cmd(p, w, n);
	case B_PEER: return peer_cmd(p, w, n);
	case B_KEYRING: return keyring_cmd(p, w, n);
	case B_IPROF: return iprof_cmd(p, w, n);
	case B_NONE: break;
	}
	return fail(p, "unknown command \"%s\"", w[0]);
}

/*
 * At the end of the file, when the tunnel source is known: "any" becomes
 * 0.0.0.0/0 or ::/0 (only then can two lines be found the same), and
 * every proxy-identity must hold the tunnel source on its local side (we
 * propose it, and peers check that it holds our address).
 */
static int settle_proxy_ids(struct parser *p, struct keyer_config *c)
{
	const struct dm_addr *src = c->has_tun && c->tun.source.family ? &c->tun.source : NULL;

	for (size_t i = 0; i < c->nprof; i++)
		for (size_t k = 0; k < c->prof[i].nproxy; k++) {
			struct proxy_identity *pi = &c->prof[i].proxy[k];
			struct dm_addr zero = { .family = AF_INET, .len = 4 };
			char a[DM_PROXY_STRLEN], b[DM_ADDR_STRLEN];

			p->line = pi->line;
			if (!pi->local_any)
				zero = pi->local.first;
			else if (!pi->remote_any)
				zero = pi->remote.first;
			else if (src)
				zero = *src;
			memset(zero.bytes, 0, sizeof(zero.bytes));
			if (pi->local_any)
				dm_proxy_id_prefix(&pi->local, &zero, 0, pi->local.proto);
			if (pi->remote_any)
				dm_proxy_id_prefix(&pi->remote, &zero, 0, pi->remote.proto);
			for (size_t o = 0; o < k; o++)
				if (dm_proxy_id_equal(&c->prof[i].proxy[o].local, &pi->local) &&
				    dm_proxy_id_equal(&c->prof[i].proxy[o].remote, &pi->remote))
					return fail(p, "proxy-identity repeats line %u",
						    c->prof[i].proxy[o].line);
			if (!src)
				continue;
			if (src->family != pi->local.first.family)
				return fail(p, "proxy-identity is %s, the tunnel source %s is %s",
					    dm_family_name(pi->local.first.family),
					    dm_addr_fmt(src, b, sizeof(b)),
					    dm_family_name(src->family));
			if (!dm_proxy_id_has(&pi->local, src))
				return fail(p, "proxy-identity local %s does not contain the tunnel source %s: peers would refuse it",
					    dm_proxy_id_fmt_addrs(&pi->local, a, sizeof(a)),
					    dm_addr_fmt(src, b, sizeof(b)));
		}
	return 0;
}

static int cmp_prio(const void *a, const void *b)
{
	const struct p1_policy *x = a, *y = b;

	return x->prio < y->prio ? -1 : x->prio > y->prio;
}

int keyer_config_parse(const char *text, const char *name,
		       struct keyer_config *cfg, char *err, size_t errlen)
{
	struct parser p = { .cfg = cfg, .name = name, .err = err,
			    .errlen = errlen };
	const char *s = text;
	char buf[1024];
	int r = 0;

	keyer_config_defaults(cfg);
	err[0] = '\0';
	while (*s && !r) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *w[MAX_WORDS], *tok, *save;
		size_t n = 0;

		p.line++;
		p.key_line = false;
		if (len >= sizeof(buf)) {
			r = fail(&p, "line longer than %zu characters", sizeof(buf) - 1);
			break;
		}
		memcpy(buf, s, len);
		buf[len] = '\0';
		s += len + (nl ? 1 : 0);
		for (char *c = buf; *c; c++) {
			if (*c == '!') {
				*c = '\0';
				break;
			}
			if ((unsigned char)*c < 0x20 && *c != '\t' && *c != '\r') {
				r = fail(&p, "control character 0x%02x", (unsigned char)*c);
				break;
			}
		}
		if (r)
			break;
		for (tok = strtok_r(buf, " \t\r", &save); tok;
		     tok = strtok_r(NULL, " \t\r", &save)) {
			if (n == MAX_WORDS) {
				r = fail(&p, "more than %d words", MAX_WORDS);
				break;
			}
			w[n++] = tok;
		}
		if (!r && n)
			r = line_cmd(&p, w, n);
		ike_wipe(buf, sizeof(buf));
	}
	if (!r) {
		struct keyer_config *c = cfg;

		for (size_t i = 0; i < c->nprof && !r; i++) {
			p.line = c->prof[i].line;
			if (!c->prof[i].ntsets)
				r = fail(&p, "profile %s has no transform set", c->prof[i].name);
		}
		for (size_t i = 0; i < c->niprof && !r; i++) {
			p.line = c->iprof[i].line;
			if (!c->iprof[i].nmatch)
				r = fail(&p, "isakmp profile %s has no \"match identity address\": it would match no peer",
					 c->iprof[i].name);
		}
		p.line = c->tun.line;
		if (!r && c->has_tun && !c->tun.source.family)
			r = fail(&p, "interface %s has no \"tunnel source\"", c->tun.ifname);
		if (!r)
			r = settle_proxy_ids(&p, c);
	}
	if (r) {
		keyer_config_wipe(cfg);
		keyer_config_defaults(cfg);
		return -1;
	}
	qsort(cfg->pol, cfg->npol, sizeof(cfg->pol[0]), cmp_prio);
	/* the built-in IOS policy, compared against offers, never chosen */
	cfg->pol[cfg->npol++] = (struct p1_policy){ .prio = POLICY_DEFAULT_PRIO,
		.enc = OAKLEY_DES, .hash = OAKLEY_SHA1, .auth = 3 /* rsa-sig */,
		.group = 1, .life_secs = 86400, .builtin = true };
	return 0;
}

int keyer_config_load(const char *path, struct keyer_config *cfg, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;
	int r;

	keyer_config_defaults(cfg);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || len > 1 << 20 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		snprintf(err, errlen, "%s: cannot read (or larger than 1 MiB)", path);
		return -1;
	}
	text = calloc(1, (size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(text);
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	fclose(f);
	if (memchr(text, '\0', (size_t)len)) {
		snprintf(err, errlen, "%s: NUL byte in the file", path);
		r = -1;
	} else {
		r = keyer_config_parse(text, path, cfg, err, errlen);
	}
	ike_wipe(text, (size_t)len);
	free(text);
	return r;
}

void keyer_config_wipe(struct keyer_config *cfg)
{
	ike_wipe(cfg->psk, sizeof(cfg->psk));
	ike_wipe(cfg->tun.nhrp.auth, sizeof(cfg->tun.nhrp.auth));
}

bool policy_aggressive_to(const struct keyer_config *cfg, const struct dm_addr *peer)
{
	for (size_t i = 0; i < cfg->npeer; i++)
		if (cfg->peer[i].aggressive && dm_addr_equal(&cfg->peer[i].addr, peer))
			return true;
	return false;
}

size_t policy_aggressive_peers(const struct keyer_config *cfg)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->npeer; i++)
		n += cfg->peer[i].aggressive;
	return n;
}

/* Is a within net/plen? */
static bool prefix_has(const struct dm_addr *net, unsigned int plen,
		       const struct dm_addr *a)
{
	if (net->family != a->family)
		return false;
	for (unsigned int b = 0; b < plen; b++) {
		unsigned int byte = b / 8, bit = 0x80u >> (b % 8);

		if ((net->bytes[byte] & bit) != (a->bytes[byte] & bit))
			return false;
	}
	return true;
}

const struct psk_entry *policy_psk_for(const struct keyer_config *cfg,
				       const struct dm_addr *peer)
{
	const struct psk_entry *best = NULL;

	for (size_t i = 0; i < cfg->npsk; i++) {
		const struct psk_entry *e = &cfg->psk[i];

		if (prefix_has(&e->addr, e->plen, peer) && (!best || e->plen > best->plen))
			best = e;
	}
	return best;
}

const struct isakmp_profile *policy_isakmp_profile_for(const struct keyer_config *cfg,
						       const struct dm_addr *identity)
{
	const struct isakmp_profile *best = NULL;
	int best_plen = -1;

	for (size_t i = 0; identity && i < cfg->niprof; i++)
		for (size_t j = 0; j < cfg->iprof[i].nmatch; j++)
			if (prefix_has(&cfg->iprof[i].match[j].addr,
				       cfg->iprof[i].match[j].plen, identity) &&
			    cfg->iprof[i].match[j].plen > best_plen) {
				best = &cfg->iprof[i];
				best_plen = cfg->iprof[i].match[j].plen;
			}
	return best;
}

const struct isakmp_profile *policy_initiator_isakmp_profile(const struct keyer_config *cfg)
{
	const struct profile *pr = policy_profile(cfg);

	return pr && pr->isakmp_profile[0] ? isakmp_profile_named(cfg, pr->isakmp_profile) : NULL;
}

bool policy_isakmp_profile_uses(const struct isakmp_profile *ip,
				const struct psk_entry *psk)
{
	if (psk->keyring < 0)
		return true;
	for (size_t i = 0; i < ip->nkeyrings; i++)
		if (ip->keyrings[i] == psk->keyring)
			return true;
	return false;
}

const char *policy_keyring_name(const struct keyer_config *cfg,
				const struct psk_entry *psk)
{
	return psk->keyring < 0 ? "default" : cfg->keyring[psk->keyring].name;
}

const struct tset *policy_tset(const struct keyer_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nts; i++)
		if (!strcmp(cfg->ts[i].name, name))
			return &cfg->ts[i];
	return NULL;
}

const struct profile *policy_profile(const struct keyer_config *cfg)
{
	for (size_t i = 0; i < cfg->nprof; i++)
		if (!strcmp(cfg->prof[i].name, cfg->tun.profile))
			return &cfg->prof[i];
	return cfg->nprof == 1 ? &cfg->prof[0] : NULL;
}

const struct proxy_identity *policy_proxy_covering(const struct profile *p,
						   const struct dm_proxy_id *local,
						   const struct dm_proxy_id *remote)
{
	for (size_t i = 0; p && i < p->nproxy; i++)
		if (dm_proxy_id_within(local, &p->proxy[i].local) &&
		    dm_proxy_id_within(remote, &p->proxy[i].remote))
			return &p->proxy[i];
	return NULL;
}

const char *policy_reload_refusal(const struct keyer_config *old,
				  const struct keyer_config *new,
				  char *buf, size_t len)
{
	char a[DM_ADDR_STRLEN], b[DM_ADDR_STRLEN];

	if (!new->has_tun) {
		snprintf(buf, len, "no interface with \"tunnel protection ipsec profile\"");
		return buf;
	}
	if (!policy_profile(new)) {
		snprintf(buf, len, "interface %s: no ipsec profile \"%s\"",
			 new->tun.ifname, new->tun.profile);
		return buf;
	}
	if (strcmp(old->tun.ifname, new->tun.ifname)) {
		snprintf(buf, len, "the protected interface changed (%s -> %s); restart dmvpnd",
			 old->tun.ifname, new->tun.ifname);
		return buf;
	}
	if (!dm_addr_equal(&old->tun.source, &new->tun.source)) {
		dm_addr_fmt(&old->tun.source, a, sizeof(a));
		dm_addr_fmt(&new->tun.source, b, sizeof(b));
		snprintf(buf, len, "interface %s: tunnel source changed (%s -> %s); restart dmvpnd",
			 new->tun.ifname, a, b);
		return buf;
	}
	return NULL;
}

static bool same_psk(const struct psk_entry *x, const struct psk_entry *y)
{
	/* not constant time: both keys are ours, nothing is compared
	 * against a peer's input here */
	return x->key_len == y->key_len && !memcmp(x->key, y->key, x->key_len);
}

const char *policy_reload_p1_change(const struct keyer_config *old,
				    const struct keyer_config *new,
				    const struct dm_addr *peer,
				    const struct p1_policy *chosen,
				    char *buf, size_t len)
{
	const struct psk_entry *was = policy_psk_for(old, peer);
	const struct psk_entry *now = policy_psk_for(new, peer);

	if (!now) {
		snprintf(buf, len, "no pre-shared key for the peer any more");
		return buf;
	}
	if (was && !same_psk(was, now)) {
		snprintf(buf, len, "the peer's pre-shared key changed");
		return buf;
	}
	if (!chosen || !chosen->enc)
		return NULL;	/* not negotiated yet: the next offer uses new */
	for (size_t i = 0; i < new->npol; i++) {
		const struct p1_policy *p = &new->pol[i];

		if (!p->builtin && p->enc == chosen->enc &&
		    p->key_bits == chosen->key_bits && p->hash == chosen->hash &&
		    p->auth == chosen->auth && p->group == chosen->group)
			return NULL;
	}
	snprintf(buf, len, "no isakmp policy has %s%s%.0u/%s/group %u any more",
		 policy_enc_name(chosen->enc), chosen->key_bits ? " " : "",
		 chosen->key_bits, policy_hash_name(chosen->hash), chosen->group);
	return buf;
}

const char *policy_reload_identity_change(const struct keyer_config *new,
					  const struct dm_addr *peer,
					  const struct dm_addr *identity,
					  char *buf, size_t len)
{
	const struct isakmp_profile *ip;
	const struct psk_entry *psk = policy_psk_for(new, peer);

	if (!new->niprof)
		return NULL;
	ip = identity->family ? policy_isakmp_profile_for(new, identity) : NULL;
	if (!ip) {
		snprintf(buf, len, "its identity matches no isakmp profile any more");
		return buf;
	}
	if (psk && !policy_isakmp_profile_uses(ip, psk)) {
		snprintf(buf, len, "its key is in keyring %s, which isakmp profile %s does not use",
			 policy_keyring_name(new, psk), ip->name);
		return buf;
	}
	return NULL;
}

const char *policy_reload_child_change(const struct keyer_config *new,
				       const struct dm_addr *peer,
				       uint32_t esp_alg, uint8_t mode,
				       const struct dm_proxy_id *local,
				       const struct dm_proxy_id *remote,
				       char *buf, size_t len)
{
	const struct profile *p = policy_profile(new);
	const struct dm_esp_alg *alg = dm_esp_alg_by_id(esp_alg);

	if (!policy_psk_for(new, peer)) {
		snprintf(buf, len, "no pre-shared key for the peer any more");
		return buf;
	}
	if (local->kind && remote->kind &&
	    !(dm_proxy_id_is_single(local) && dm_proxy_id_is_single(remote)) &&
	    !policy_proxy_covering(p, local, remote)) {
		char l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];

		snprintf(buf, len, "no proxy-identity of profile %s covers local %s remote %s any more",
			 p ? p->name : "(none)", dm_proxy_id_fmt_ios(local, false, l, sizeof(l)),
			 dm_proxy_id_fmt_ios(remote, false, r, sizeof(r)));
		return buf;
	}
	for (size_t i = 0; p && i < p->ntsets; i++) {
		const struct tset *ts = policy_tset(new, p->tset_names[i]);

		if (ts && ts->esp_alg == esp_alg && ts->mode == mode)
			return NULL;
	}
	snprintf(buf, len, "no transform set of profile %s has %s, %s mode any more",
		 p ? p->name : "(none)", alg ? alg->cisco : "that transform",
		 mode == DMVPN_SA_MODE_TUNNEL ? "tunnel" : "transport");
	return buf;
}

const char *policy_enc_name(uint16_t enc)
{
	switch (enc) {
	case OAKLEY_DES: return "DES-CBC";
	case OAKLEY_3DES: return "3DES-CBC";
	case OAKLEY_AES: return "AES-CBC";
	}
	return "unknown";
}

const char *policy_hash_name(uint16_t hash)
{
	switch (hash) {
	case OAKLEY_MD5: return "MD5";
	case OAKLEY_SHA1: return "SHA";
	case OAKLEY_SHA256: return "SHA256";
	case OAKLEY_SHA384: return "SHA384";
	case OAKLEY_SHA512: return "SHA512";
	}
	return "unknown";
}

const char *policy_auth_name(uint16_t auth)
{
	switch (auth) {
	case OAKLEY_PSK: return "pre-share";
	case 3: return "RSA sig";
	}
	return "unknown";
}
