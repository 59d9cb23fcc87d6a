// SPDX-License-Identifier: GPL-2.0-only
/* IKEv1 cryptography on OpenSSL 3 EVP (ikecrypto.h). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "ikecrypto.h"
#include "isakmp.h"

void ike_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

int ike_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

/* ---- hash / PRF ---- */

static const char *md_name(uint16_t h)
{
	switch (h) {
	case OAKLEY_MD5: return "MD5";
	case OAKLEY_SHA1: return "SHA1";
	case OAKLEY_SHA256: return "SHA256";
	case OAKLEY_SHA384: return "SHA384";
	case OAKLEY_SHA512: return "SHA512";
	}
	return NULL;
}

bool ike_hash_supported(uint16_t h)
{
	return md_name(h) != NULL;
}

size_t ike_hash_len(uint16_t h)
{
	switch (h) {
	case OAKLEY_MD5: return 16;
	case OAKLEY_SHA1: return 20;
	case OAKLEY_SHA256: return 32;
	case OAKLEY_SHA384: return 48;
	case OAKLEY_SHA512: return 64;
	}
	return 0;
}

int ike_hash(uint16_t h, uint8_t *out, size_t n, const void *const *ptr,
	     const size_t *len)
{
	const char *name = md_name(h);
	EVP_MD_CTX *c;
	EVP_MD *md;
	int ok = 0;

	if (!name)
		return -1;
	md = EVP_MD_fetch(NULL, name, NULL);
	c = EVP_MD_CTX_new();
	if (md && c && EVP_DigestInit_ex(c, md, NULL) == 1) {
		ok = 1;
		for (size_t i = 0; i < n && ok; i++)
			ok = EVP_DigestUpdate(c, ptr[i], len[i]) == 1;
		ok = ok && EVP_DigestFinal_ex(c, out, NULL) == 1;
	}
	EVP_MD_CTX_free(c);
	EVP_MD_free(md);
	return ok ? 0 : -1;
}

int ike_prf(uint16_t h, const void *key, size_t klen, uint8_t *out, size_t n,
	    const void *const *ptr, const size_t *len)
{
	const char *name = md_name(h);
	EVP_MAC *mac;
	EVP_MAC_CTX *c = NULL;
	OSSL_PARAM params[2];
	size_t outl = 0;
	int ok = 0;

	if (!name)
		return -1;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac)
		c = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* HMAC with an empty key is valid (RFC 2104) but OpenSSL wants a
	 * non-NULL pointer */
	if (c && EVP_MAC_init(c, klen ? key : (const void *)"", klen, params) == 1) {
		ok = 1;
		for (size_t i = 0; i < n && ok; i++)
			ok = !len[i] || EVP_MAC_update(c, ptr[i], len[i]) == 1;
		ok = ok && EVP_MAC_final(c, out, &outl, IKE_MAX_HASH) == 1;
	}
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(mac);
	return ok && outl == ike_hash_len(h) ? 0 : -1;
}

/* ---- Diffie-Hellman ---- */

/* RFC 2409 6.1 and 6.2: the first and second Oakley groups (g = 2). */
static const char modp768_hex[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";
static const char modp1024_hex[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
	"FFFFFFFFFFFFFFFF";

struct dh_group {
	uint16_t id;
	bool ec;
	bool legacy;
	const char *name;	/* OpenSSL group name, NULL = explicit prime */
	const char *prime_hex;
	size_t len;		/* prime bytes, or EC field bytes */
	int priv_bits;		/* MODP private exponent: at least twice the
				 * group's strength (RFC 3526 section 8,
				 * SP 800-56A), not the prime's full length */
};

static const struct dh_group groups[] = {
	{ 1, false, true, NULL, modp768_hex, 96, 256 },
	{ 2, false, true, NULL, modp1024_hex, 128, 256 },
	{ 5, false, true, "modp_1536", NULL, 192, 256 },
	{ 14, false, false, "modp_2048", NULL, 256, 256 },
	{ 15, false, false, "modp_3072", NULL, 384, 320 },
	{ 16, false, false, "modp_4096", NULL, 512, 384 },
	{ 19, true, false, "P-256", NULL, 32, 0 },
	{ 20, true, false, "P-384", NULL, 48, 0 },
	{ 21, true, false, "P-521", NULL, 66, 0 },
};

static const struct dh_group *group_of(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

bool ike_dh_supported(uint16_t group)
{
	return group_of(group) != NULL;
}

bool ike_dh_legacy(uint16_t group)
{
	const struct dh_group *g = group_of(group);

	return g && g->legacy;
}

size_t ike_dh_pub_len(uint16_t group)
{
	const struct dh_group *g = group_of(group);

	if (!g)
		return 0;
	return g->ec ? 2 * g->len : g->len;
}

/* Parameters of a group, plus a public value when pub is set. */
static EVP_PKEY *group_key(const struct dh_group *g, const uint8_t *pub,
			   size_t pub_len, int selection)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *p = NULL, *gen = NULL, *y = NULL;
	uint8_t point[1 + 2 * 66];
	int ok = bld != NULL;

	if (g->name)
		ok = ok && OSSL_PARAM_BLD_push_utf8_string(bld,
				OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0);
	if (g->prime_hex) {
		ok = ok && BN_hex2bn(&p, g->prime_hex) && (gen = BN_new()) &&
		     BN_set_word(gen, 2) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, gen);
	}
	if (pub && g->ec) {
		point[0] = 0x04;	/* uncompressed: x | y */
		memcpy(point + 1, pub, pub_len);
		ok = ok && OSSL_PARAM_BLD_push_octet_string(bld,
				OSSL_PKEY_PARAM_PUB_KEY, point, pub_len + 1);
	} else if (pub) {
		ok = ok && (y = BN_bin2bn(pub, (int)pub_len, NULL)) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y);
	}
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld));
	ok = ok && (ctx = EVP_PKEY_CTX_new_from_name(NULL, g->ec ? "EC" : "DH",
						     NULL));
	ok = ok && EVP_PKEY_fromdata_init(ctx) == 1 &&
	     EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(gen);
	BN_free(y);
	if (!ok) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

int ike_dh_new(struct ike_dh *dh, uint16_t group)
{
	const struct dh_group *g = group_of(group);
	EVP_PKEY *params = NULL, *key = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *y = NULL;
	int ok;

	memset(dh, 0, sizeof(*dh));
	if (!g)
		return -1;
	params = group_key(g, NULL, 0, EVP_PKEY_KEY_PARAMETERS);
	ok = params && (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) &&
	     EVP_PKEY_keygen_init(ctx) == 1;
	if (ok && g->priv_bits) {
		int bits = g->priv_bits;
		OSSL_PARAM p[2] = {
			OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits),
			OSSL_PARAM_construct_end(),
		};

		ok = EVP_PKEY_CTX_set_params(ctx, p) == 1;
	}
	ok = ok && EVP_PKEY_generate(ctx, &key) == 1;
	if (ok && g->ec) {
		uint8_t point[1 + 2 * 66];
		size_t len = 0;

		ok = EVP_PKEY_get_octet_string_param(key,
				OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
				sizeof(point), &len) == 1 &&
		     len == 1 + 2 * g->len && point[0] == 0x04;
		if (ok)
			memcpy(dh->pub, point + 1, len - 1);
	} else if (ok) {
		ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &y) == 1 &&
		     BN_bn2binpad(y, dh->pub, (int)g->len) == (int)g->len;
	}
	BN_free(y);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	if (!ok) {
		EVP_PKEY_free(key);
		return -1;
	}
	dh->group = group;
	dh->pkey = key;
	dh->pub_len = ike_dh_pub_len(group);
	return 0;
}

int ike_dh_derive(const struct ike_dh *dh, const uint8_t *peer, size_t len,
		  uint8_t *secret, size_t *slen)
{
	const struct dh_group *g = group_of(dh->group);
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t out = g ? g->len : 0;
	int ok;

	*slen = 0;
	if (!g || !dh->pkey || len != ike_dh_pub_len(dh->group))
		return -1;
	pk = group_key(g, peer, len, EVP_PKEY_PUBLIC_KEY);
	ok = pk && (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->pkey, NULL)) &&
	     EVP_PKEY_derive_init(ctx) == 1 &&
	     (g->ec || EVP_PKEY_CTX_set_dh_pad(ctx, 1) == 1) &&
	     /* validate = 1: range check (MODP) or on-curve check (ECP) */
	     EVP_PKEY_derive_set_peer_ex(ctx, pk, 1) == 1 &&
	     EVP_PKEY_derive(ctx, secret, &out) == 1 && out == g->len;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	if (!ok) {
		ike_wipe(secret, g->len);
		return -1;
	}
	*slen = out;
	return 0;
}

void ike_dh_free(struct ike_dh *dh)
{
	EVP_PKEY_free(dh->pkey);
	dh->pkey = NULL;
}

/* ---- ciphers ---- */

static const char *cipher_name(uint16_t enc, uint16_t bits)
{
	switch (enc) {
	case OAKLEY_3DES:
		return bits == 0 || bits == 192 ? "DES-EDE3-CBC" : NULL;
	case OAKLEY_AES:
		switch (bits) {
		case 128: return "AES-128-CBC";
		case 192: return "AES-192-CBC";
		case 256: return "AES-256-CBC";
		}
		return NULL;
	}
	return NULL;
}

bool ike_cipher_supported(uint16_t enc, uint16_t key_bits)
{
	return cipher_name(enc, key_bits) != NULL;
}

size_t ike_cipher_key_len(uint16_t enc, uint16_t key_bits)
{
	if (!cipher_name(enc, key_bits))
		return 0;
	return enc == OAKLEY_3DES ? 24 : key_bits / 8u;
}

size_t ike_cipher_block(uint16_t enc)
{
	return enc == OAKLEY_3DES ? 8 : enc == OAKLEY_AES ? 16 : 0;
}

int ike_cbc(uint16_t enc, const uint8_t *key, size_t klen, const uint8_t *iv,
	    const uint8_t *in, size_t len, uint8_t *out, bool encrypt)
{
	const char *name = cipher_name(enc, enc == OAKLEY_AES ? (uint16_t)(klen * 8) : 0);
	EVP_CIPHER *c;
	EVP_CIPHER_CTX *ctx;
	int ol = 0, fl = 0, ok = 0;

	if (!name || !ike_cipher_block(enc) || len % ike_cipher_block(enc) ||
	    len > 0x7fffffff)
		return -1;
	c = EVP_CIPHER_fetch(NULL, name, NULL);
	ctx = EVP_CIPHER_CTX_new();
	if (c && ctx && (size_t)EVP_CIPHER_get_key_length(c) == klen &&
	    EVP_CipherInit_ex2(ctx, c, key, iv, encrypt, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &ol, in, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + ol, &fl) == 1 &&
	    (size_t)(ol + fl) == len)
		ok = 1;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ok ? 0 : -1;
}

/* ---- RFC 2409 derivations ---- */

int ike_p1_derive_psk(const struct ike_p1_input *in, struct ike_p1_keys *k)
{
	static const uint8_t zero = 0, one = 1, two = 2;
	size_t need, hl = ike_hash_len(in->hash);
	int err = 0;

	memset(k, 0, sizeof(*k));
	need = ike_cipher_key_len(in->enc, in->key_bits);
	if (!hl || !need || !ike_cipher_block(in->enc))
		return -1;
	k->hash = in->hash;
	k->prf_len = hl;
	k->block = ike_cipher_block(in->enc);

	/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
	err |= ike_prf(in->hash, in->psk, in->psk_len, k->skeyid, 2,
		       (const void *[]){ in->ni, in->nr },
		       (size_t[]){ in->ni_len, in->nr_len });
	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	err |= ike_prf(in->hash, k->skeyid, hl, k->skeyid_d, 4,
		       (const void *[]){ in->gxy, in->icky, in->rcky, &zero },
		       (size_t[]){ in->gxy_len, 8, 8, 1 });
	/* SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	err |= ike_prf(in->hash, k->skeyid, hl, k->skeyid_a, 5,
		       (const void *[]){ k->skeyid_d, in->gxy, in->icky,
					 in->rcky, &one },
		       (size_t[]){ hl, in->gxy_len, 8, 8, 1 });
	/* SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
	err |= ike_prf(in->hash, k->skeyid, hl, k->skeyid_e, 5,
		       (const void *[]){ k->skeyid_a, in->gxy, in->icky,
					 in->rcky, &two },
		       (size_t[]){ hl, in->gxy_len, 8, 8, 1 });
	if (!err && hl >= need) {
		memcpy(k->enc_key, k->skeyid_e, need);
	} else if (!err) {
		/* appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0),
		 * Kn = prf(SKEYID_e, Kn-1) */
		uint8_t *p = k->enc_key;

		err |= ike_prf(in->hash, k->skeyid_e, hl, p, 1,
			       (const void *[]){ &zero }, (size_t[]){ 1 });
		for (size_t have = hl; !err && have < need; have += hl) {
			err |= ike_prf(in->hash, k->skeyid_e, hl, p + hl, 1,
				       (const void *[]){ p },
				       (size_t[]){ hl });
			p += hl;
		}
		ike_wipe(k->enc_key + need, sizeof(k->enc_key) - need);
	}
	k->enc_len = need;
	/* IV = hash(g^xi | g^xr), truncated to the block size */
	if (!err) {
		uint8_t h[IKE_MAX_HASH];

		err |= ike_hash(in->hash, h, 2,
				(const void *[]){ in->gxi, in->gxr },
				(size_t[]){ in->gxi_len, in->gxr_len });
		memcpy(k->iv, h, k->block);
	}
	if (err) {
		ike_p1_wipe(k);
		return -1;
	}
	return 0;
}

void ike_p1_wipe(struct ike_p1_keys *k)
{
	ike_wipe(k, sizeof(*k));
}

int ike_p1_auth_hash(const struct ike_p1_keys *k, bool initiator,
		     const uint8_t *gxi, size_t gxi_len,
		     const uint8_t *gxr, size_t gxr_len,
		     const uint8_t *icky, const uint8_t *rcky,
		     const uint8_t *sai_b, size_t sai_len,
		     const uint8_t *id_b, size_t id_len, uint8_t *out)
{
	if (initiator)
		return ike_prf(k->hash, k->skeyid, k->prf_len, out, 6,
			       (const void *[]){ gxi, gxr, icky, rcky, sai_b, id_b },
			       (size_t[]){ gxi_len, gxr_len, 8, 8, sai_len, id_len });
	return ike_prf(k->hash, k->skeyid, k->prf_len, out, 6,
		       (const void *[]){ gxr, gxi, rcky, icky, sai_b, id_b },
		       (size_t[]){ gxr_len, gxi_len, 8, 8, sai_len, id_len });
}

int ike_p2_iv(uint16_t hash, const uint8_t *last_block, size_t block,
	      uint32_t msgid, uint8_t *iv)
{
	uint8_t mid[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16),
			   (uint8_t)(msgid >> 8), (uint8_t)msgid };
	uint8_t h[IKE_MAX_HASH];

	if (block > ike_hash_len(hash) ||
	    ike_hash(hash, h, 2, (const void *[]){ last_block, mid },
		     (size_t[]){ block, 4 }))
		return -1;
	memcpy(iv, h, block);
	return 0;
}

int ike_keymat(const struct ike_p1_keys *k, const uint8_t *gxy, size_t gxy_len,
	       uint8_t protocol, const uint8_t *spi,
	       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	       size_t nr_len, uint8_t *out, size_t out_len)
{
	uint8_t blk[IKE_MAX_HASH], prev[IKE_MAX_HASH];
	size_t hl = k->prf_len, done = 0, prev_len = 0;
	int err = 0;

	/* K1 = prf(SKEYID_d, [g^xy |] protocol | SPI | Ni_b | Nr_b),
	 * Kn = prf(SKEYID_d, Kn-1 | [g^xy |] protocol | SPI | Ni_b | Nr_b) */
	while (!err && done < out_len) {
		size_t take;

		err = ike_prf(k->hash, k->skeyid_d, hl, blk, 6,
			      (const void *[]){ prev, gxy, &protocol, spi, ni, nr },
			      (size_t[]){ prev_len, gxy ? gxy_len : 0, 1, 4,
					  ni_len, nr_len });
		take = out_len - done < hl ? out_len - done : hl;
		memcpy(out + done, blk, take);
		memcpy(prev, blk, hl);
		prev_len = hl;
		done += take;
	}
	ike_wipe(blk, sizeof(blk));
	ike_wipe(prev, sizeof(prev));
	if (err)
		ike_wipe(out, out_len);
	return err ? -1 : 0;
}
