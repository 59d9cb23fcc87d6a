/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IKEv1 cryptography over OpenSSL 3 EVP: Diffie-Hellman (MODP and ECP
 * groups), the negotiated PRF (HMAC) and hash, CBC ciphers, and the key
 * derivations of RFC 2409 (SKEYID for pre-shared keys, SKEYID_d/a/e, the
 * expansion of SKEYID_e, IVs, HASH_I/HASH_R, quick-mode KEYMAT).
 *
 * Secrets live in caller-owned structs that ike_*_wipe() clears with
 * OPENSSL_cleanse; nothing here logs.
 */
#ifndef DMVPN_KEYER_IKECRYPTO_H
#define DMVPN_KEYER_IKECRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_MAX_HASH	64	/* SHA-512 */
#define IKE_MAX_DH_PUB	1024	/* MODP 8192 would be 1024; ECP 521: 132 */
#define IKE_MAX_KEY	32
#define IKE_MAX_BLOCK	16

/* ---- hash / PRF, by OAKLEY_HASH id (isakmp.h) ---- */
bool ike_hash_supported(uint16_t oakley_hash);
size_t ike_hash_len(uint16_t oakley_hash);	/* 0 if unsupported */
/* Plain hash of the concatenation of n chunks. */
int ike_hash(uint16_t oakley_hash, uint8_t *out, size_t n,
	     const void *const *ptr, const size_t *len);
/* HMAC(key, concatenation of n chunks); out gets ike_hash_len bytes. */
int ike_prf(uint16_t oakley_hash, const void *key, size_t klen,
	    uint8_t *out, size_t n, const void *const *ptr, const size_t *len);

/* ---- Diffie-Hellman ---- */
bool ike_dh_supported(uint16_t group);
/* Groups 1, 2, 5: weak, refused unless the config allows legacy groups. */
bool ike_dh_legacy(uint16_t group);
size_t ike_dh_pub_len(uint16_t group);	/* KE payload length, 0 if unknown */

struct ike_dh {
	uint16_t group;
	void *pkey;			/* EVP_PKEY *, private */
	uint8_t pub[IKE_MAX_DH_PUB];	/* KE payload: MODP y, ECP x|y */
	size_t pub_len;
};

int ike_dh_new(struct ike_dh *dh, uint16_t group);
/*
 * g^xy from the peer's KE payload (validated: right length, in range or
 * on the curve).  MODP: padded to the prime length; ECP: the x
 * coordinate (RFC 5903).  *slen is set.  0 or -1.
 */
int ike_dh_derive(const struct ike_dh *dh, const uint8_t *peer, size_t len,
		  uint8_t *secret, size_t *slen);
void ike_dh_free(struct ike_dh *dh);

/* ---- ciphers, by OAKLEY_ENC id; key_bits 0 = the cipher's fixed size ---- */
bool ike_cipher_supported(uint16_t enc, uint16_t key_bits);
size_t ike_cipher_key_len(uint16_t enc, uint16_t key_bits);
size_t ike_cipher_block(uint16_t enc);
/* CBC without padding: len must be a multiple of the block size. */
int ike_cbc(uint16_t enc, const uint8_t *key, size_t klen, const uint8_t *iv,
	    const uint8_t *in, size_t len, uint8_t *out, bool encrypt);

/* ---- RFC 2409 phase-1 keys ---- */
struct ike_p1_keys {
	uint16_t hash;			/* OAKLEY_HASH id of the PRF */
	size_t prf_len;
	uint8_t skeyid[IKE_MAX_HASH];
	uint8_t skeyid_d[IKE_MAX_HASH];
	uint8_t skeyid_a[IKE_MAX_HASH];
	uint8_t skeyid_e[IKE_MAX_HASH];
	uint8_t enc_key[IKE_MAX_KEY + IKE_MAX_HASH];	/* room for expansion */
	size_t enc_len;
	uint8_t iv[IKE_MAX_BLOCK];	/* phase-1 IV: hash(g^xi | g^xr) */
	size_t block;
};

struct ike_p1_input {
	uint16_t hash;
	uint16_t enc;
	uint16_t key_bits;
	const uint8_t *psk;
	size_t psk_len;
	const uint8_t *ni, *nr;		/* nonce bodies */
	size_t ni_len, nr_len;
	const uint8_t *gxy;
	size_t gxy_len;
	const uint8_t *gxi, *gxr;	/* KE bodies */
	size_t gxi_len, gxr_len;
	const uint8_t *icky, *rcky;	/* 8 bytes each */
};

int ike_p1_derive_psk(const struct ike_p1_input *in, struct ike_p1_keys *k);
void ike_p1_wipe(struct ike_p1_keys *k);

/*
 * HASH_I (initiator = true) or HASH_R: prf(SKEYID, g^xi|g^xr|CKY-I|CKY-R|
 * SAi_b|IDii_b), the KE and cookie order swapped for HASH_R.
 */
int ike_p1_auth_hash(const struct ike_p1_keys *k, bool initiator,
		     const uint8_t *gxi, size_t gxi_len,
		     const uint8_t *gxr, size_t gxr_len,
		     const uint8_t *icky, const uint8_t *rcky,
		     const uint8_t *sai_b, size_t sai_len,
		     const uint8_t *id_b, size_t id_len, uint8_t *out);

/* IV of a new phase-2/informational exchange: hash(last block | M-ID). */
int ike_p2_iv(uint16_t hash, const uint8_t *last_block, size_t block,
	      uint32_t msgid, uint8_t *iv);

/*
 * Quick-mode KEYMAT (RFC 2409 5.5) for one SA: out_len bytes of
 * prf(SKEYID_d, [g^xy] | protocol | SPI | Ni_b | Nr_b), expanded.
 * gxy may be NULL (no PFS).  spi is 4 bytes in network order.
 */
int ike_keymat(const struct ike_p1_keys *k, const uint8_t *gxy, size_t gxy_len,
	       uint8_t protocol, const uint8_t *spi,
	       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
	       size_t nr_len, uint8_t *out, size_t out_len);

int ike_random(void *buf, size_t len);
void ike_wipe(void *p, size_t len);

#endif
