// SPDX-License-Identifier: GPL-2.0-only
/*
 * IKEv1 crypto: published vectors where they exist (RFC 2202/4231 HMAC,
 * SP 800-38A AES-CBC), the RFC 2409 derivations recomputed step by step
 * with OpenSSL's one-shot HMAC() and SHA1() (an independent code path),
 * and Diffie-Hellman agreement and peer-value validation for every group.
 */
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "../keyer/ikecrypto.h"
#include "../keyer/isakmp.h"
#include "unit.h"

static void unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static bool eq_hex(const uint8_t *p, const char *h)
{
	size_t n = strlen(h) / 2;
	uint8_t b[128];

	unhex(h, b, n);
	return !memcmp(p, b, n);
}

static void hmac_vectors(void)
{
	uint8_t key[20], out[IKE_MAX_HASH];
	const char *data = "Hi There";

	memset(key, 0x0b, sizeof(key));
	/* RFC 2202 test case 1 */
	CHECK_INT(ike_prf(OAKLEY_SHA1, key, 20, out, 1,
			  (const void *[]){ data }, (size_t[]){ 8 }), 0);
	CHECK(eq_hex(out, "b617318655057264e28bc0b6fb378c8ef146be00"));
	CHECK_INT(ike_prf(OAKLEY_MD5, key, 16, out, 1,
			  (const void *[]){ data }, (size_t[]){ 8 }), 0);
	CHECK(eq_hex(out, "9294727a3638bb1c13f48ef8158bfc9d"));
	/* RFC 4231 test case 1 */
	CHECK_INT(ike_prf(OAKLEY_SHA256, key, 20, out, 1,
			  (const void *[]){ data }, (size_t[]){ 8 }), 0);
	CHECK(eq_hex(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
	/* chunks concatenate */
	CHECK_INT(ike_prf(OAKLEY_SHA1, key, 20, out, 3,
			  (const void *[]){ "Hi", "", " There" },
			  (size_t[]){ 2, 0, 6 }), 0);
	CHECK(eq_hex(out, "b617318655057264e28bc0b6fb378c8ef146be00"));
	CHECK_INT(ike_prf(99, key, 20, out, 0, NULL, NULL), -1);
}

static void aes_cbc_vector(void)
{
	uint8_t key[16], iv[16], pt[16], ct[16], back[16];

	/* NIST SP 800-38A F.2.1, first block */
	unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	unhex("000102030405060708090a0b0c0d0e0f", iv, 16);
	unhex("6bc1bee22e409f96e93d7e117393172a", pt, 16);
	CHECK_INT(ike_cbc(OAKLEY_AES, key, 16, iv, pt, 16, ct, true), 0);
	CHECK(eq_hex(ct, "7649abac8119b246cee98e9b12e9197d"));
	CHECK_INT(ike_cbc(OAKLEY_AES, key, 16, iv, ct, 16, back, false), 0);
	CHECK(!memcmp(back, pt, 16));
	CHECK_INT(ike_cbc(OAKLEY_AES, key, 16, iv, pt, 15, ct, true), -1);
	CHECK_INT(ike_cbc(OAKLEY_AES, key, 15, iv, pt, 16, ct, true), -1);
}

static void dh_groups_agree(void)
{
	static const uint16_t g[] = { 1, 2, 5, 14, 15, 19, 20, 21 };

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		struct ike_dh a, b;
		uint8_t s1[IKE_MAX_DH_PUB], s2[IKE_MAX_DH_PUB];
		size_t l1 = 0, l2 = 0;

		CHECK_INT(ike_dh_new(&a, g[i]), 0);
		CHECK_INT(ike_dh_new(&b, g[i]), 0);
		CHECK_INT(a.pub_len, ike_dh_pub_len(g[i]));
		CHECK_INT(ike_dh_derive(&a, b.pub, b.pub_len, s1, &l1), 0);
		CHECK_INT(ike_dh_derive(&b, a.pub, a.pub_len, s2, &l2), 0);
		if (l1 != l2 || !l1 || memcmp(s1, s2, l1))
			dm_t_fail(__FILE__, __LINE__, "group %u: no agreement", g[i]);
		/* ECP: x coordinate only; MODP: the prime's length */
		CHECK_INT(l1, g[i] >= 19 ? ike_dh_pub_len(g[i]) / 2 : ike_dh_pub_len(g[i]));
		/* wrong length */
		CHECK_INT(ike_dh_derive(&a, b.pub, b.pub_len - 1, s1, &l1), -1);
		ike_dh_free(&a);
		ike_dh_free(&b);
	}
	CHECK(ike_dh_legacy(2) && ike_dh_legacy(5) && !ike_dh_legacy(14));
	CHECK(!ike_dh_supported(3));
}

static void dh_bad_peer_values(void)
{
	struct ike_dh a;
	uint8_t bad[IKE_MAX_DH_PUB], s[IKE_MAX_DH_PUB];
	size_t l;

	CHECK_INT(ike_dh_new(&a, 14), 0);
	memset(bad, 0, sizeof(bad));
	CHECK_INT(ike_dh_derive(&a, bad, 256, s, &l), -1);	/* 0 */
	bad[255] = 1;
	CHECK_INT(ike_dh_derive(&a, bad, 256, s, &l), -1);	/* 1 */
	memset(bad, 0xff, 256);
	CHECK_INT(ike_dh_derive(&a, bad, 256, s, &l), -1);	/* > p */
	ike_dh_free(&a);
	CHECK_INT(ike_dh_new(&a, 19), 0);
	memcpy(bad, a.pub, a.pub_len);
	bad[63] ^= 1;						/* off the curve */
	CHECK_INT(ike_dh_derive(&a, bad, 64, s, &l), -1);
	ike_dh_free(&a);
}

/* The embedded Oakley primes are safe primes of the right form. */
static void legacy_primes(void)
{
	static const uint16_t g[] = { 1, 2 };

	for (size_t i = 0; i < 2; i++) {
		struct ike_dh a;
		BIGNUM *p = NULL, *q = BN_new();
		BN_CTX *ctx = BN_CTX_new();
		const BIGNUM *pp;
		uint8_t pb[128];
		EVP_PKEY *k;

		CHECK_INT(ike_dh_new(&a, g[i]), 0);
		k = a.pkey;
		CHECK_INT(EVP_PKEY_get_bn_param(k, "p", &p), 1);
		pp = p;
		CHECK_INT(BN_num_bits(pp), g[i] == 1 ? 768 : 1024);
		CHECK_INT(BN_check_prime(pp, ctx, NULL), 1);
		BN_rshift1(q, pp);
		CHECK_INT(BN_check_prime(q, ctx, NULL), 1);
		/* top and bottom 64 bits are all ones (RFC 2409 6.1) */
		BN_bn2binpad(pp, pb, BN_num_bytes(pp));
		for (int j = 0; j < 8; j++)
			CHECK(pb[j] == 0xff && pb[BN_num_bytes(pp) - 1 - j] == 0xff);
		BN_free(p);
		BN_free(q);
		BN_CTX_free(ctx);
		ike_dh_free(&a);
	}
}

static void hmac1(const uint8_t *key, size_t klen, const uint8_t *d, size_t dl,
		  uint8_t *out)
{
	unsigned int ol = 0;

	HMAC(EVP_sha1(), key, (int)klen, d, dl, out, &ol);
}

/* SHA1 PRF with AES-256: SKEYID_e (20 bytes) must be expanded to 32. */
static void p1_derivation(void)
{
	uint8_t ni[16], nr[24], gxy[256], gxi[256], gxr[256], icky[8], rcky[8];
	uint8_t buf[1024], skeyid[20], d[20], a[20], e[20], k1[20], k2[20];
	uint8_t h[20];
	struct ike_p1_keys k;
	struct ike_p1_input in = {
		.hash = OAKLEY_SHA1, .enc = OAKLEY_AES, .key_bits = 256,
		.psk = (const uint8_t *)"cisco123", .psk_len = 8,
		.ni = ni, .ni_len = sizeof(ni), .nr = nr, .nr_len = sizeof(nr),
		.gxy = gxy, .gxy_len = sizeof(gxy), .gxi = gxi, .gxi_len = 256,
		.gxr = gxr, .gxr_len = 256, .icky = icky, .rcky = rcky,
	};
	size_t n;

	for (size_t i = 0; i < 256; i++) {
		gxy[i] = (uint8_t)i;
		gxi[i] = (uint8_t)(i * 3);
		gxr[i] = (uint8_t)(i * 7);
	}
	memset(ni, 0x11, sizeof(ni));
	memset(nr, 0x22, sizeof(nr));
	memset(icky, 0xa1, 8);
	memset(rcky, 0xb2, 8);
	CHECK_INT(ike_p1_derive_psk(&in, &k), 0);

	memcpy(buf, ni, 16);
	memcpy(buf + 16, nr, 24);
	hmac1((const uint8_t *)"cisco123", 8, buf, 40, skeyid);
	CHECK(!memcmp(k.skeyid, skeyid, 20));
	n = 0;
	memcpy(buf, gxy, 256); n += 256;
	memcpy(buf + n, icky, 8); n += 8;
	memcpy(buf + n, rcky, 8); n += 8;
	buf[n++] = 0;
	hmac1(skeyid, 20, buf, n, d);
	CHECK(!memcmp(k.skeyid_d, d, 20));
	memcpy(buf, d, 20);
	memcpy(buf + 20, gxy, 256);
	memcpy(buf + 276, icky, 8);
	memcpy(buf + 284, rcky, 8);
	buf[292] = 1;
	hmac1(skeyid, 20, buf, 293, a);
	CHECK(!memcmp(k.skeyid_a, a, 20));
	memcpy(buf, a, 20);
	buf[292] = 2;
	hmac1(skeyid, 20, buf, 293, e);
	CHECK(!memcmp(k.skeyid_e, e, 20));
	/* RFC 2409 appendix B: K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1) */
	buf[0] = 0;
	hmac1(e, 20, buf, 1, k1);
	hmac1(e, 20, k1, 20, k2);
	CHECK_INT(k.enc_len, 32);
	CHECK(!memcmp(k.enc_key, k1, 20));
	CHECK(!memcmp(k.enc_key + 20, k2, 12));
	/* IV = SHA1(g^xi | g^xr), first 16 bytes */
	memcpy(buf, gxi, 256);
	memcpy(buf + 256, gxr, 256);
	SHA1(buf, 512, h);
	CHECK_INT(k.block, 16);
	CHECK(!memcmp(k.iv, h, 16));

	/* with SHA-256 and AES-128 no expansion: the key is SKEYID_e[0..16) */
	in.hash = OAKLEY_SHA256;
	in.key_bits = 128;
	CHECK_INT(ike_p1_derive_psk(&in, &k), 0);
	CHECK_INT(k.enc_len, 16);
	CHECK(!memcmp(k.enc_key, k.skeyid_e, 16));
	/* 3DES with SHA1: 24 bytes from K1 | K2 */
	in.hash = OAKLEY_SHA1;
	in.enc = OAKLEY_3DES;
	in.key_bits = 0;
	CHECK_INT(ike_p1_derive_psk(&in, &k), 0);
	CHECK_INT(k.enc_len, 24);
	CHECK_INT(k.block, 8);
	CHECK(!memcmp(k.enc_key, k1, 20) && !memcmp(k.enc_key + 20, k2, 4));
	ike_p1_wipe(&k);
	CHECK_INT(k.enc_len, 0);
}

static void keymat_expansion(void)
{
	struct ike_p1_keys k = { .hash = OAKLEY_SHA1, .prf_len = 20 };
	uint8_t spi[4] = { 0xc0, 0xff, 0xee, 0x01 }, ni[16], nr[16];
	uint8_t out[52], buf[256], k1[20], k2[20], k3[20];
	size_t n;

	memset(k.skeyid_d, 0x5d, 20);
	memset(ni, 1, 16);
	memset(nr, 2, 16);
	/* aes256-sha1 needs 32 + 20 = 52 bytes: three PRF blocks */
	CHECK_INT(ike_keymat(&k, NULL, 0, PROTO_IPSEC_ESP, spi, ni, 16, nr, 16,
			     out, sizeof(out)), 0);
	n = 0;
	buf[n++] = PROTO_IPSEC_ESP;
	memcpy(buf + n, spi, 4); n += 4;
	memcpy(buf + n, ni, 16); n += 16;
	memcpy(buf + n, nr, 16); n += 16;
	hmac1(k.skeyid_d, 20, buf, n, k1);
	memmove(buf + 20, buf, n);
	memcpy(buf, k1, 20);
	hmac1(k.skeyid_d, 20, buf, n + 20, k2);
	memcpy(buf, k2, 20);
	hmac1(k.skeyid_d, 20, buf, n + 20, k3);
	CHECK(!memcmp(out, k1, 20) && !memcmp(out + 20, k2, 20) &&
	      !memcmp(out + 40, k3, 12));
	/* with PFS, g^xy comes before the protocol */
	{
		uint8_t gxy[8] = "gxygxyxy", o2[20];

		CHECK_INT(ike_keymat(&k, gxy, 8, PROTO_IPSEC_ESP, spi, ni, 16,
				     nr, 16, o2, 20), 0);
		memcpy(buf, gxy, 8);
		buf[8] = PROTO_IPSEC_ESP;
		memcpy(buf + 9, spi, 4);
		memcpy(buf + 13, ni, 16);
		memcpy(buf + 29, nr, 16);
		hmac1(k.skeyid_d, 20, buf, 45, k1);
		CHECK(!memcmp(o2, k1, 20));
	}
}

static void p2_iv(void)
{
	uint8_t last[16], iv[16], buf[20], h[20];

	memset(last, 0x77, 16);
	CHECK_INT(ike_p2_iv(OAKLEY_SHA1, last, 16, 0x01020304, iv), 0);
	memcpy(buf, last, 16);
	buf[16] = 1; buf[17] = 2; buf[18] = 3; buf[19] = 4;
	SHA1(buf, 20, h);
	CHECK(!memcmp(iv, h, 16));
	/* MD5 (16 bytes) is long enough for AES blocks; nothing is shorter */
	CHECK_INT(ike_p2_iv(OAKLEY_MD5, last, 16, 1, iv), 0);
}

const struct dm_test ikecrypto_tests[] = {
	{ "ikecrypto_hmac_vectors", hmac_vectors },
	{ "ikecrypto_aes_cbc_vector", aes_cbc_vector },
	{ "ikecrypto_dh_groups_agree", dh_groups_agree },
	{ "ikecrypto_dh_bad_peer_values", dh_bad_peer_values },
	{ "ikecrypto_legacy_primes", legacy_primes },
	{ "ikecrypto_p1_derivation_rfc2409", p1_derivation },
	{ "ikecrypto_keymat_expansion", keymat_expansion },
	{ "ikecrypto_p2_iv", p2_iv },
	{ NULL, NULL },
};
