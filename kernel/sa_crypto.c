// SPDX-License-Identifier: GPL-2.0
/*
 * ESP cryptography of one SA; see sa_crypto.h for the packet layout.
 * The transform names, key blob and request conventions are those of
 * net/ipv4/esp4.c, so an SA here interoperates with xfrm (and Cisco):
 *
 *  - rfc4106(gcm(aes)) and rfc7539esp(chacha20,poly1305) take key || salt,
 *    and an AD of AAD || IV whose last 8 bytes (the IV) they skip;
 *  - authenc() and authencesn() take the crypto_authenc_key_param blob,
 *    and authenticate the whole AD, IV included, as ESP requires.
 *
 * Either way the request's AD is AAD || IV and req->iv is a copy of the
 * IV: CBC writes its chaining value back into req->iv, which must not be
 * the IV in the packet, still to be authenticated.
 */
#include <crypto/algapi.h>
#include <crypto/authenc.h>
#include <crypto/scatterwalk.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "compat.h"
#include "sa_crypto.h"

/*
 * "modprobe dmvpn parallel_crypto=1": wrap every SA's transform in pcrypt,
 * so one busy SA's crypto runs on all CPUs.  Applies to SAs added later.
 */
bool dmvpn_parallel_crypto;
module_param_named(parallel_crypto, dmvpn_parallel_crypto, bool, 0644);
MODULE_PARM_DESC(parallel_crypto,
		 "spread ESP crypto over all CPUs with pcrypt (new SAs)");

#define AES_CBC(hmac)		"authenc(hmac(" hmac "),cbc(aes))"
#define AES_CBC_ESN(hmac)	"authencesn(hmac(" hmac "),cbc(aes))"
#define DES3_CBC(hmac)		"authenc(hmac(" hmac "),cbc(des3_ede))"
#define DES3_CBC_ESN(hmac)	"authencesn(hmac(" hmac "),cbc(des3_ede))"

#define DMVPN_ESP_GCM(_name, _bits)					\
	{								\
		.name = _name,						\
		.aead = "rfc4106(gcm(aes))",				\
		.enc_key_len = (_bits) / 8,				\
		.salt_len = 4,						\
		.iv_len = 8,						\
		.icv_len = 16,						\
		.block_size = 1,					\
		.counter_iv = true,					\
	}

/* CBC: the IV is one cipher block. */
#define DMVPN_ESP_CBC(_name, _aead, _aead_esn, _keybits, _akeybits,	\
		      _icvbits, _iv, _blk)				\
	{								\
		.name = _name,						\
		.aead = _aead,						\
		.aead_esn = _aead_esn,					\
		.enc_key_len = (_keybits) / 8,				\
		.auth_key_len = (_akeybits) / 8,			\
		.icv_len = (_icvbits) / 8,				\
		.iv_len = _iv,						\
		.block_size = _blk,					\
	}

/*
 * HMAC keys are as long as the hash output (RFC 2404, RFC 2403,
 * RFC 4868 2.1.1); ICVs are truncated to half of it.
 */
static const struct dmvpn_esp_alg_desc dmvpn_esp_algs[__DMVPN_ESP_ALG_MAX] = {
	[DMVPN_ESP_AES128_GCM16] = DMVPN_ESP_GCM("aes128gcm16", 128),
	[DMVPN_ESP_AES256_GCM16] = DMVPN_ESP_GCM("aes256gcm16", 256),
	[DMVPN_ESP_AES128_CBC_HMAC_SHA1_96] =
		DMVPN_ESP_CBC("aes128-sha1", AES_CBC("sha1"),
			      AES_CBC_ESN("sha1"), 128, 160, 96, 16, 16),
	[DMVPN_ESP_AES128_CBC_HMAC_SHA256_128] =
		DMVPN_ESP_CBC("aes128-sha256", AES_CBC("sha256"),
			      AES_CBC_ESN("sha256"), 128, 256, 128, 16, 16),
	[DMVPN_ESP_AES128_CBC_HMAC_SHA384_192] =
		DMVPN_ESP_CBC("aes128-sha384", AES_CBC("sha384"),
			      AES_CBC_ESN("sha384"), 128, 384, 192, 16, 16),
	[DMVPN_ESP_AES128_CBC_HMAC_SHA512_256] =
		DMVPN_ESP_CBC("aes128-sha512", AES_CBC("sha512"),
			      AES_CBC_ESN("sha512"), 128, 512, 256, 16, 16),
	[DMVPN_ESP_AES256_CBC_HMAC_SHA1_96] =
		DMVPN_ESP_CBC("aes256-sha1", AES_CBC("sha1"),
			      AES_CBC_ESN("sha1"), 256, 160, 96, 16, 16),
	[DMVPN_ESP_AES256_CBC_HMAC_SHA256_128] =
		DMVPN_ESP_CBC("aes256-sha256", AES_CBC("sha256"),
			      AES_CBC_ESN("sha256"), 256, 256, 128, 16, 16),
	[DMVPN_ESP_AES256_CBC_HMAC_SHA384_192] =
		DMVPN_ESP_CBC("aes256-sha384", AES_CBC("sha384"),
			      AES_CBC_ESN("sha384"), 256, 384, 192, 16, 16),
	[DMVPN_ESP_AES256_CBC_HMAC_SHA512_256] =
		DMVPN_ESP_CBC("aes256-sha512", AES_CBC("sha512"),
			      AES_CBC_ESN("sha512"), 256, 512, 256, 16, 16),
	[DMVPN_ESP_3DES_CBC_HMAC_SHA1_96] =
		DMVPN_ESP_CBC("3des-sha1", DES3_CBC("sha1"),
			      DES3_CBC_ESN("sha1"), 192, 160, 96, 8, 8),
	[DMVPN_ESP_3DES_CBC_HMAC_MD5_96] =
		DMVPN_ESP_CBC("3des-md5", DES3_CBC("md5"),
			      DES3_CBC_ESN("md5"), 192, 128, 96, 8, 8),
	[DMVPN_ESP_CHACHA20_POLY1305] = {
		.name = "chacha20poly1305",
		.aead = "rfc7539esp(chacha20,poly1305)",
		.enc_key_len = 32,
		.salt_len = 4,
		.iv_len = 8,
		.icv_len = 16,
		.block_size = 1,
		.counter_iv = true,
	},
	/* RFC 2410 "encryption" without integrity: measures the framing. */
	[DMVPN_ESP_NULL] = {
		.name = "null",
		.aead = "authenc(digest_null,ecb(cipher_null))",
		.aead_esn = "authencesn(digest_null,ecb(cipher_null))",
		.block_size = 1,
		.insecure = true,
	},
};

/* The suite @alg, or NULL if there is none by that number. */
const struct dmvpn_esp_alg_desc *dmvpn_esp_alg_get(u32 alg)
{
	if (alg >= __DMVPN_ESP_ALG_MAX || !dmvpn_esp_algs[alg].name)
		return NULL;
	return &dmvpn_esp_algs[alg];
}

/*
 * Key blob of authenc()/authencesn(): an rtattr holding the encryption
 * key length, the integrity key, then the encryption key (esp_init_authenc
 * builds the same).  The temporary copy is wiped on every path.
 */
static int dmvpn_sa_setkey_authenc(struct crypto_aead *tfm,
				   const struct dmvpn_sa_keys *keys)
{
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   keys->auth_len + keys->enc_len;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;
	int err;

	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(keys->enc_len);
	p = blob + RTA_SPACE(sizeof(*param));
	if (keys->auth_len)
		memcpy(p, keys->auth, keys->auth_len);
	p += keys->auth_len;
	if (keys->enc_len)
		memcpy(p, keys->enc, keys->enc_len);
	err = crypto_aead_setkey(tfm, blob, len);
	kfree_sensitive(blob);	/* memzero_explicit() of the whole buffer */
	return err;
}

static int dmvpn_sa_check_keys(const struct dmvpn_esp_alg_desc *d,
			       const struct dmvpn_sa_keys *keys,
			       const char **errmsg)
{
	if (keys->enc_len != d->enc_key_len + d->salt_len) {
		*errmsg = d->salt_len ?
			  "ESP key length must be the cipher key plus 4 bytes of salt" :
			  "ESP encryption key length does not match the algorithm";
		return -EINVAL;
	}
	if (!d->auth_key_len && keys->auth_len) {
		*errmsg = "ESP algorithm is combined mode and takes no integrity key";
		return -EINVAL;
	}
	if (keys->auth_len != d->auth_key_len) {
		*errmsg = "ESP integrity key length does not match the algorithm";
		return -EINVAL;
	}
	if ((keys->enc_len && !keys->enc) || (keys->auth_len && !keys->auth)) {
		*errmsg = "ESP key missing";
		return -EINVAL;
	}
	return 0;
}

/* The aead_request follows the struct, aligned as the crypto API wants. */
static unsigned int dmvpn_esp_areq_offset(void)
{
	return ALIGN(sizeof(struct dmvpn_esp_req), CRYPTO_MINALIGN);
}

/*
 * Create the crypto state of one SA for suite @alg (enum dmvpn_esp_alg)
 * with @keys and DMVPN_SA_F_* @flags.  Sleeps.  On error returns an
 * ERR_PTR and points *@errmsg at a static message for extack:
 *   -EINVAL       unknown suite, or a key of the wrong length;
 *   -EPERM        DMVPN_ESP_NULL without DMVPN_SA_F_ALLOW_INSECURE;
 *   -EKEYREJECTED the cipher refused the key (3DES with K1 = K2 or
 *                 K2 = K3, which is single DES);
 *   -ENOENT       the kernel lacks the algorithm;
 *   -ENOMEM.
 */
struct dmvpn_sa_crypto *dmvpn_sa_crypto_create(u32 alg,
					       const struct dmvpn_sa_keys *keys,
					       u32 flags, const char **errmsg)
{
	const struct dmvpn_esp_alg_desc *d = dmvpn_esp_alg_get(alg);
	bool esn = flags & DMVPN_SA_F_ESN;
	struct dmvpn_sa_crypto *sa;
	char pname[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	const char *name;
	int err;

	*errmsg = NULL;
	if (!d) {
		*errmsg = "Unknown ESP algorithm";
		return ERR_PTR(-EINVAL);
	}
	if (d->insecure && !(flags & DMVPN_SA_F_ALLOW_INSECURE)) {
		*errmsg = "ESP NULL protects nothing and must be explicitly allowed";
		return ERR_PTR(-EPERM);
	}
	err = dmvpn_sa_check_keys(d, keys, errmsg);
	if (err)
		return ERR_PTR(err);

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa) {
		*errmsg = "Out of memory for the SA";
		return ERR_PTR(-ENOMEM);
	}
	sa->desc = d;
	sa->esn = esn;

	name = esn && d->aead_esn ? d->aead_esn : d->aead;
	tfm = crypto_alloc_aead(name, 0, 0);
	/*
	 * pcrypt spreads requests over every CPU and completes them in
	 * submission order (padata).  Its instances register under the
	 * name they wrap, so once one exists plain lookups find it: wrap
	 * only what is not pcrypt yet, or instances would nest.
	 */
	if (dmvpn_parallel_crypto && !IS_ERR(tfm) &&
	    strncmp(crypto_tfm_alg_driver_name(crypto_aead_tfm(tfm)),
		    "pcrypt(", 7)) {
		struct crypto_aead *ptfm;

		snprintf(pname, sizeof(pname), "pcrypt(%s)", name);
		ptfm = crypto_alloc_aead(pname, 0, 0);
		if (!IS_ERR(ptfm)) {
			crypto_free_aead(tfm);
			tfm = ptfm;
		}
	}
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm);
		*errmsg = err == -ENOENT ?
			  "Kernel lacks the crypto algorithm of this ESP suite" :
			  "Cannot allocate the ESP crypto transform";
		goto err_free;
	}
	sa->tfm = tfm;
	sa->req_size = dmvpn_esp_areq_offset() + sizeof(struct aead_request) +
		       crypto_aead_reqsize(tfm);
	/* Our table and the transform must agree on the wire layout. */
	if (WARN_ON_ONCE(crypto_aead_ivsize(tfm) != d->iv_len ||
			 crypto_aead_blocksize(tfm) != d->block_size)) {
		*errmsg = "ESP crypto transform has an unexpected layout";
		err = -EINVAL;
		goto err_free;
	}
	err = crypto_aead_setauthsize(tfm, d->icv_len);
	if (err) {
		*errmsg = "ESP crypto transform refused the ICV length";
		goto err_free;
	}

	/* Degenerate 3DES keys reduce it to single DES: refuse them. */
	crypto_aead_set_flags(tfm, CRYPTO_TFM_REQ_FORBID_WEAK_KEYS);
	if (d->auth_key_len || d->insecure)
		err = dmvpn_sa_setkey_authenc(tfm, keys);
	else
		err = crypto_aead_setkey(tfm, keys->enc, keys->enc_len);
	if (err) {
		if (err != -ENOMEM)
			err = -EKEYREJECTED;
		*errmsg = err == -ENOMEM ? "Out of memory for the ESP key" :
			  "ESP cipher rejected the key as weak";
		goto err_free;
	}
	if (d->counter_iv)
		get_random_bytes(sa->iv_salt, sizeof(sa->iv_salt));
	return sa;

err_free:
	dmvpn_sa_crypto_destroy(sa);
	return ERR_PTR(err);
}

/* Frees the transform (the crypto API wipes its keys) and the IV salt. */
void dmvpn_sa_crypto_destroy(struct dmvpn_sa_crypto *sa)
{
	if (!sa)
		return;
	if (!IS_ERR_OR_NULL(sa->tfm))
		crypto_free_aead(sa->tfm);
	kfree_sensitive(sa);
}

static struct aead_request *dmvpn_esp_areq(struct dmvpn_esp_req *r)
{
	return (void *)((u8 *)r + dmvpn_esp_areq_offset());
}

/*
 * Make @mem (@sa->req_size bytes, CRYPTO_MINALIGN-aligned) a
 * request for one packet of @sa.  The packet path embeds it in its own
 * per-packet allocation and wipes it with dmvpn_esp_req_wipe().
 */
struct dmvpn_esp_req *dmvpn_esp_req_init(void *mem, struct dmvpn_sa_crypto *sa)
{
	struct dmvpn_esp_req *r = mem;

	r->sa = sa;
	aead_request_set_tfm(dmvpn_esp_areq(r), sa->tfm);
	return r;
}

/* The request context may hold cipher and hash state. */
void dmvpn_esp_req_wipe(struct dmvpn_esp_req *r)
{
	memzero_explicit(r, r->sa->req_size);
}

/*
 * A request on its own, freed with dmvpn_esp_req_free() after the
 * operation has completed.
 */
struct dmvpn_esp_req *dmvpn_esp_req_alloc(struct dmvpn_sa_crypto *sa,
					  gfp_t gfp)
{
	void *mem = kmalloc(sa->req_size, gfp);

	return mem ? dmvpn_esp_req_init(mem, sa) : NULL;
}

void dmvpn_esp_req_free(struct dmvpn_esp_req *r)
{
	kfree_sensitive(r);
}

/*
 * The scatterlist the AEAD works on.  Without ESN that is the packet as
 * it is: the header is the AAD.  With ESN the AAD has seq_hi between SPI
 * and seq_lo, which the wire lacks, so the AAD is built in the request
 * and chained in front of the packet past its header.
 */
static struct scatterlist *dmvpn_esp_sg(struct dmvpn_esp_req *r,
					struct scatterlist *sg, const u8 *hdr,
					u32 seq_hi)
{
	if (!r->sa->esn)
		return sg;
	memcpy(r->aad, hdr, 4);
	put_unaligned_be32(seq_hi, r->aad + 4);
	memcpy(r->aad + 8, hdr + 4, 4);
	sg_init_table(r->sg, 2);
	sg_set_buf(&r->sg[0], r->aad, DMVPN_ESP_AAD_MAX);
	sg_chain(r->sg, 2, scatterwalk_ffwd(r->fwd, sg, DMVPN_ESP_HDR_LEN));
	return r->sg;
}

static unsigned int dmvpn_esp_aadlen(const struct dmvpn_sa_crypto *sa)
{
	return sa->esn ? DMVPN_ESP_AAD_MAX : DMVPN_ESP_HDR_LEN;
}

/*
 * The IV of packet @seq.  Counter IVs (GCM, ChaCha20-Poly1305) need only
 * be unique per key (RFC 4106 3.1, RFC 7634 2), which the sequence number
 * is; CBC needs unpredictable IVs (RFC 3602 2.4).
 */
static void dmvpn_esp_make_iv(const struct dmvpn_sa_crypto *sa, u64 seq,
			      u8 *iv)
{
	__be64 nseq = cpu_to_be64(seq);

	if (sa->desc->counter_iv) {
		memcpy(iv, &nseq, sizeof(nseq));
		crypto_xor(iv, sa->iv_salt, sizeof(nseq));
	} else if (sa->desc->iv_len) {
		get_random_bytes(iv, sa->desc->iv_len);
	}
}

/*
 * Encrypt one packet in place.  @sg covers dmvpn_esp_len(@tx->plen)
 * bytes with the payload at dmvpn_esp_hlen(); this writes the header, IV,
 * trailer and ICV around it.  Returns 0, or -EINPROGRESS / -EBUSY when
 * @done will be called (crypto API conventions, @req_flags are its
 * CRYPTO_TFM_REQ_* flags), or an error: -EOVERFLOW if @tx->seq does not
 * fit the SA (32 bits without ESN).
 */
int dmvpn_esp_encrypt(struct dmvpn_esp_req *r, struct scatterlist *sg,
		      const struct dmvpn_esp_tx *tx, u32 req_flags,
		      crypto_completion_t done, void *data)
{
	const struct dmvpn_esp_alg_desc *d = r->sa->desc;
	unsigned int hlen = dmvpn_esp_hlen(r->sa), padlen, i;
	struct aead_request *areq = dmvpn_esp_areq(r);
	u8 head[DMVPN_ESP_HDR_LEN + DMVPN_ESP_IV_MAX];
	u8 tail[DMVPN_ESP_BLOCK_MAX + 2];
	struct scatterlist *csg;

	if (!r->sa->esn && tx->seq > U32_MAX)
		return -EOVERFLOW;
	r->clen = ALIGN(tx->plen + 2, dmvpn_esp_align(r->sa));
	padlen = r->clen - tx->plen - 2;

	memcpy(head, &tx->spi, 4);
	put_unaligned_be32(lower_32_bits(tx->seq), head + 4);
	dmvpn_esp_make_iv(r->sa, tx->seq, r->iv);
	memcpy(head + DMVPN_ESP_HDR_LEN, r->iv, d->iv_len);
	scatterwalk_map_and_copy(head, sg, 0, hlen, 1);

	/* RFC 4303 2.4: the default padding is 1, 2, 3, ... */
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = tx->nexthdr;
	scatterwalk_map_and_copy(tail, sg, hlen + tx->plen, padlen + 2, 1);

	csg = dmvpn_esp_sg(r, sg, head, upper_32_bits(tx->seq));
	aead_request_set_callback(areq, req_flags, done, data);
	aead_request_set_crypt(areq, csg, csg, r->clen, r->iv);
	aead_request_set_ad(areq, dmvpn_esp_aadlen(r->sa) + d->iv_len);
	return crypto_aead_encrypt(areq);
}

/*
 * Decrypt and verify one packet of @len bytes in place.  @seq is the
 * sequence number dmvpn_replay_check() inferred; with ESN its high half
 * goes into the ICV, the low half comes from the packet.  Returns as
 * dmvpn_esp_encrypt() does; -EINVAL without starting if @len cannot be an
 * ESP packet of this SA.  The operation ends with -EBADMSG if the ICV
 * does not verify, else call dmvpn_esp_decrypt_finish().
 */
int dmvpn_esp_decrypt(struct dmvpn_esp_req *r, struct scatterlist *sg,
		      unsigned int len, u64 seq, u32 req_flags,
		      crypto_completion_t done, void *data)
{
	const struct dmvpn_esp_alg_desc *d = r->sa->desc;
	unsigned int hlen = dmvpn_esp_hlen(r->sa);
	struct aead_request *areq = dmvpn_esp_areq(r);
	u8 head[DMVPN_ESP_HDR_LEN + DMVPN_ESP_IV_MAX];
	struct scatterlist *csg;

	/* At least pad length and next header must be encrypted. */
	if (len < hlen + 2 + d->icv_len)
		return -EINVAL;
	r->clen = len - hlen - d->icv_len;
	/* CBC cannot decrypt a partial block.  RFC 4303 2.4 also asks for
	 * 4-byte alignment, which we send but, like esp4, do not demand.
	 */
	if (!IS_ALIGNED(r->clen, d->block_size))
		return -EINVAL;

	scatterwalk_map_and_copy(head, sg, 0, hlen, 0);
	memcpy(r->iv, head + DMVPN_ESP_HDR_LEN, d->iv_len);
	csg = dmvpn_esp_sg(r, sg, head, upper_32_bits(seq));
	aead_request_set_callback(areq, req_flags, done, data);
	aead_request_set_crypt(areq, csg, csg, r->clen + d->icv_len, r->iv);
	aead_request_set_ad(areq, dmvpn_esp_aadlen(r->sa) + d->iv_len);
	return crypto_aead_decrypt(areq);
}

/*
 * After dmvpn_esp_decrypt() succeeded: check the trailer and fill @rx.
 * The padding must be 1, 2, 3, ... as we and every implementation we know
 * send it (RFC 4303 2.4 says the receiver SHOULD inspect it).  -EPROTO if
 * the trailer is bad: the ICV verified, so the peer itself is broken.
 */
int dmvpn_esp_decrypt_finish(struct dmvpn_esp_req *r, struct scatterlist *sg,
			     struct dmvpn_esp_rx *rx)
{
	unsigned int hlen = dmvpn_esp_hlen(r->sa), off, i, n;
	u8 buf[32], head[DMVPN_ESP_HDR_LEN], padlen;

	scatterwalk_map_and_copy(buf, sg, hlen + r->clen - 2, 2, 0);
	padlen = buf[0];
	if (padlen + 2 > r->clen)
		return -EPROTO;
	rx->nexthdr = buf[1];
	rx->plen = r->clen - 2 - padlen;
	for (off = 0; off < padlen; off += n) {
		n = min_t(unsigned int, padlen - off, sizeof(buf));
		scatterwalk_map_and_copy(buf, sg, hlen + rx->plen + off, n, 0);
		for (i = 0; i < n; i++)
			if (buf[i] != (u8)(off + i + 1))
				return -EPROTO;
	}
	scatterwalk_map_and_copy(head, sg, 0, DMVPN_ESP_HDR_LEN, 0);
	memcpy(&rx->spi, head, 4);
	rx->seq_lo = get_unaligned_be32(head + 4);
	return 0;
}

#define DMVPN_ESP_SYNC_FLAGS \
	(CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP)

/*
 * Encrypt the payload of @tx->plen bytes at @buf + dmvpn_esp_hlen() into a
 * whole ESP packet, waiting for the result.  @buf (@size bytes) must be
 * kmalloc'ed: a scatterlist cannot point into the stack.  Returns the
 * packet's length, -EMSGSIZE if it does not fit, or an error.
 */
int dmvpn_esp_encrypt_buf(struct dmvpn_sa_crypto *sa, u8 *buf,
			  unsigned int size, const struct dmvpn_esp_tx *tx)
{
	unsigned int len = dmvpn_esp_len(sa, tx->plen);
	DECLARE_CRYPTO_WAIT(wait);
	struct dmvpn_esp_req *r;
	struct scatterlist sg;
	int err;

	if (tx->plen > size || len > size)
		return -EMSGSIZE;
	r = dmvpn_esp_req_alloc(sa, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	sg_init_one(&sg, buf, len);
	err = crypto_wait_req(dmvpn_esp_encrypt(r, &sg, tx, DMVPN_ESP_SYNC_FLAGS,
						crypto_req_done, &wait),
			      &wait);
	dmvpn_esp_req_free(r);
	return err ?: len;
}

/*
 * Decrypt the ESP packet of @len bytes at @buf (kmalloc'ed), waiting for
 * the result.  The payload is then at @buf + dmvpn_esp_hlen().  Returns 0,
 * -EINVAL for a packet too short or misaligned, -EBADMSG if the ICV does
 * not verify, -EPROTO for a bad trailer.
 */
int dmvpn_esp_decrypt_buf(struct dmvpn_sa_crypto *sa, u8 *buf,
			  unsigned int len, u64 seq, struct dmvpn_esp_rx *rx)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct dmvpn_esp_req *r;
	struct scatterlist sg;
	int err;

	r = dmvpn_esp_req_alloc(sa, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	sg_init_one(&sg, buf, len);
	err = crypto_wait_req(dmvpn_esp_decrypt(r, &sg, len, seq,
						DMVPN_ESP_SYNC_FLAGS,
						crypto_req_done, &wait),
			      &wait);
	if (!err)
		err = dmvpn_esp_decrypt_finish(r, &sg, rx);
	dmvpn_esp_req_free(r);
	return err;
}
