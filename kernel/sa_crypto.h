/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP (RFC 4303) cryptography of one security association: the AEAD
 * transform with its key, and the encryption and decryption of single
 * packets.  The wire format handled here, from the first byte the
 * scatterlist (or buffer) covers:
 *
 *   SPI (4) | sequence number, low 32 bits (4) | IV (iv_len)
 *   | payload | padding 1, 2, 3... | pad length (1) | next header (1)
 *   | ICV (icv_len)
 *
 * Payload through next header are encrypted; the ICV covers everything
 * before it, plus with ESN the high 32 bits of the sequence number, which
 * are not sent.  The AAD is SPI, [seq_hi,] seq_lo, as RFC 4106 and
 * RFC 7634 define it and as the kernel's authencesn expects it.
 *
 * A request (struct dmvpn_esp_req) carries everything one packet's
 * operation points to, so it can complete asynchronously: the packet path
 * passes its own completion, the *_buf() helpers wait for it.
 */
#ifndef _DMVPN_SA_CRYPTO_H
#define _DMVPN_SA_CRYPTO_H

#include <crypto/aead.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <uapi/linux/dmvpn.h>

struct dmvpn_esp_alg_desc {
	const char *name;	/* for messages and dumps */
	const char *aead;	/* crypto API algorithm */
	const char *aead_esn;	/* with ESN, if not @aead */
	u8 enc_key_len;		/* cipher key bytes, salt excluded */
	u8 salt_len;		/* implicit nonce part after the key */
	u8 auth_key_len;	/* HMAC key bytes; 0 for combined modes */
	u8 iv_len;		/* explicit IV sent in each packet */
	u8 icv_len;		/* ICV sent, after any truncation */
	u8 block_size;		/* cipher block; padding aligns to it */
	bool counter_iv;	/* IV from the sequence number, else random */
	bool insecure;		/* needs DMVPN_SA_F_ALLOW_INSECURE */
};

#define DMVPN_ESP_HDR_LEN	8	/* SPI and low sequence number */
#define DMVPN_ESP_AAD_MAX	12	/* SPI, seq_hi, seq_lo */
#define DMVPN_ESP_IV_MAX	16
#define DMVPN_ESP_ICV_MAX	32
#define DMVPN_ESP_BLOCK_MAX	16

/*
 * Most bytes ESP adds to a payload, over every suite: header, IV, the
 * longest padding, pad length, next header and ICV.
 */
#define DMVPN_ESP_OVERHEAD_MAX	(DMVPN_ESP_HDR_LEN + DMVPN_ESP_IV_MAX + \
				 DMVPN_ESP_BLOCK_MAX - 1 + 2 + DMVPN_ESP_ICV_MAX)

/*
 * Key material as IKE delivers it (RFC 7296 2.17): the encryption key,
 * followed by the salt for the suites that have one, and for the CBC
 * suites a separate integrity key.
 */
struct dmvpn_sa_keys {
	const u8 *enc;
	unsigned int enc_len;
	const u8 *auth;
	unsigned int auth_len;
};

struct dmvpn_sa_crypto {
	struct crypto_aead *tfm;	/* holds the keys; wiped when freed */
	const struct dmvpn_esp_alg_desc *desc;
	bool esn;
	/*
	 * Counter IVs are seq XOR this per-SA random value, as the kernel's
	 * seqiv does: still unique per key, without sending the sequence
	 * number twice in clear.
	 */
	u8 iv_salt[8];
	/* bytes of one packet's request, fixed by the transform */
	unsigned int req_size;
};

/* What encryption needs besides the payload. */
struct dmvpn_esp_tx {
	__be32 spi;
	u64 seq;		/* from dmvpn_seq_out_next() */
	unsigned int plen;	/* payload bytes at dmvpn_esp_hlen() */
	u8 nexthdr;		/* protocol of the payload */
};

/* What decryption found. */
struct dmvpn_esp_rx {
	__be32 spi;
	u32 seq_lo;		/* as sent */
	unsigned int plen;	/* payload bytes at dmvpn_esp_hlen() */
	u8 nexthdr;
};

/*
 * One packet's operation.  The aead_request and the transform's request
 * context follow the struct in the same allocation.
 */
struct dmvpn_esp_req {
	struct dmvpn_sa_crypto *sa;
	unsigned int clen;		/* encrypted bytes: payload + trailer */
	u8 aad[DMVPN_ESP_AAD_MAX];	/* ESN: SPI, seq_hi, seq_lo */
	u8 iv[DMVPN_ESP_IV_MAX] __aligned(8);	/* the cipher changes it */
	struct scatterlist sg[2];	/* ESN: aad, then the packet */
	struct scatterlist fwd[2];	/* for scatterwalk_ffwd() */
};

extern bool dmvpn_parallel_crypto;

const struct dmvpn_esp_alg_desc *dmvpn_esp_alg_get(u32 alg);
struct dmvpn_sa_crypto *dmvpn_sa_crypto_create(u32 alg,
					       const struct dmvpn_sa_keys *keys,
					       u32 flags, const char **errmsg);
void dmvpn_sa_crypto_destroy(struct dmvpn_sa_crypto *sa);

/* Bytes before the payload: ESP header and IV. */
static inline unsigned int dmvpn_esp_hlen(const struct dmvpn_sa_crypto *sa)
{
	return DMVPN_ESP_HDR_LEN + sa->desc->iv_len;
}

/* The encrypted part is a multiple of the block size and 4 (RFC 4303). */
static inline unsigned int dmvpn_esp_align(const struct dmvpn_sa_crypto *sa)
{
	return ALIGN(sa->desc->block_size, 4);
}

/* Whole ESP packet carrying @plen payload bytes. */
static inline unsigned int dmvpn_esp_len(const struct dmvpn_sa_crypto *sa,
					 unsigned int plen)
{
	return dmvpn_esp_hlen(sa) + ALIGN(plen + 2, dmvpn_esp_align(sa)) +
	       sa->desc->icv_len;
}

struct dmvpn_esp_req *dmvpn_esp_req_alloc(struct dmvpn_sa_crypto *sa,
					  gfp_t gfp);
void dmvpn_esp_req_free(struct dmvpn_esp_req *r);
struct dmvpn_esp_req *dmvpn_esp_req_init(void *mem, struct dmvpn_sa_crypto *sa);
void dmvpn_esp_req_wipe(struct dmvpn_esp_req *r);
int dmvpn_esp_encrypt(struct dmvpn_esp_req *r, struct scatterlist *sg,
		      const struct dmvpn_esp_tx *tx, u32 req_flags,
		      crypto_completion_t done, void *data);
int dmvpn_esp_decrypt(struct dmvpn_esp_req *r, struct scatterlist *sg,
		      unsigned int len, u64 seq, u32 req_flags,
		      crypto_completion_t done, void *data);
int dmvpn_esp_decrypt_finish(struct dmvpn_esp_req *r, struct scatterlist *sg,
			     struct dmvpn_esp_rx *rx);

/* Synchronous, on a kmalloc'ed linear buffer; may sleep. */
int dmvpn_esp_encrypt_buf(struct dmvpn_sa_crypto *sa, u8 *buf,
			  unsigned int size, const struct dmvpn_esp_tx *tx);
int dmvpn_esp_decrypt_buf(struct dmvpn_sa_crypto *sa, u8 *buf,
			  unsigned int len, u64 seq, struct dmvpn_esp_rx *rx);

#endif /* _DMVPN_SA_CRYPTO_H */
