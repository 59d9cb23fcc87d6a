/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ISAKMP wire codec (RFC 2408, with the IPsec DOI of RFC 2407 and the
 * NAT-T payloads of RFC 3947).  Independent of the exchange logic:
 *
 *  - parsers take a buffer and its length, never read past it, and return
 *    0 or a negative enum ike_perr telling what was wrong (ike_perr_str);
 *    parsed payloads point into the caller's buffer (no copies);
 *  - builders append to a fixed-size struct ike_buf; an overflow sets
 *    buf->err and every later call becomes a no-op, so callers check once.
 */
#ifndef DMVPN_KEYER_ISAKMP_H
#define DMVPN_KEYER_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISAKMP_HDR_LEN		28
#define ISAKMP_GEN_LEN		4
#define ISAKMP_VERSION		0x10	/* major 1, minor 0 */
#define ISAKMP_MAX_MSG		8192	/* larger messages are refused */

/* exchange types */
enum {
	ISAKMP_XCHG_IDPROT = 2,		/* main mode */
	ISAKMP_XCHG_AGGR = 4,
	ISAKMP_XCHG_INFO = 5,
	ISAKMP_XCHG_QUICK = 32,
};

/* header flags */
#define ISAKMP_FLAG_ENC		0x01
#define ISAKMP_FLAG_COMMIT	0x02
#define ISAKMP_FLAG_AUTH	0x04

/* payload types */
enum {
	ISAKMP_NP_NONE = 0,
	ISAKMP_NP_SA = 1,
	ISAKMP_NP_P = 2,
	ISAKMP_NP_T = 3,
	ISAKMP_NP_KE = 4,
	ISAKMP_NP_ID = 5,
	ISAKMP_NP_CERT = 6,
	ISAKMP_NP_CR = 7,
	ISAKMP_NP_HASH = 8,
	ISAKMP_NP_SIG = 9,
	ISAKMP_NP_NONCE = 10,
	ISAKMP_NP_N = 11,
	ISAKMP_NP_D = 12,
	ISAKMP_NP_VID = 13,
	ISAKMP_NP_NATD = 20,		/* RFC 3947 */
	ISAKMP_NP_NATOA = 21,
	ISAKMP_NP_NATD_DRAFT = 130,	/* draft-ietf-ipsec-nat-t-ike-02/03 */
	ISAKMP_NP_NATOA_DRAFT = 131,
};

/* DOI, situation, protocol ids */
#define IPSEC_DOI		1
#define SIT_IDENTITY_ONLY	1
enum { PROTO_ISAKMP = 1, PROTO_IPSEC_AH = 2, PROTO_IPSEC_ESP = 3 };
#define KEY_IKE			1	/* phase-1 transform id */

/* phase-1 attributes (RFC 2409 appendix A) */
enum {
	OAKLEY_ENC = 1, OAKLEY_HASH = 2, OAKLEY_AUTH = 3, OAKLEY_GROUP = 4,
	OAKLEY_LIFE_TYPE = 11, OAKLEY_LIFE_DURATION = 12, OAKLEY_KEY_LEN = 14,
};
enum { OAKLEY_DES = 1, OAKLEY_3DES = 5, OAKLEY_AES = 7 };
enum {
	OAKLEY_MD5 = 1, OAKLEY_SHA1 = 2, OAKLEY_SHA256 = 4, OAKLEY_SHA384 = 5,
	OAKLEY_SHA512 = 6,
};
enum { OAKLEY_PSK = 1 };
enum { LIFE_SECONDS = 1, LIFE_KILOBYTES = 2 };

/* phase-2 (IPsec DOI) attributes, RFC 2407 4.5 */
enum {
	IPSEC_ATTR_LIFE_TYPE = 1, IPSEC_ATTR_LIFE_DURATION = 2,
	IPSEC_ATTR_GROUP = 3, IPSEC_ATTR_ENCAP = 4, IPSEC_ATTR_AUTH = 5,
	IPSEC_ATTR_KEY_LEN = 6,
};
enum {
	ENCAP_TUNNEL = 1, ENCAP_TRANSPORT = 2,
	ENCAP_UDP_TUNNEL = 3, ENCAP_UDP_TRANSPORT = 4,		/* RFC 3947 */
	ENCAP_UDP_TUNNEL_DRAFT = 61443, ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};
enum {
	AUTH_HMAC_MD5 = 1, AUTH_HMAC_SHA1 = 2, AUTH_HMAC_SHA256 = 5,
	AUTH_HMAC_SHA384 = 6, AUTH_HMAC_SHA512 = 7,
};
/* ESP transform ids (RFC 2407 4.4.4, RFC 4106) */
enum {
	ESP_3DES = 3, ESP_NULL = 11, ESP_AES_CBC = 12, ESP_AES_GCM_16 = 20,
};

/* identification types */
enum {
	ID_IPV4_ADDR = 1, ID_FQDN = 2, ID_USER_FQDN = 3,
	ID_IPV4_ADDR_SUBNET = 4, ID_IPV6_ADDR = 5, ID_IPV6_ADDR_SUBNET = 6,
	ID_IPV4_ADDR_RANGE = 7, ID_IPV6_ADDR_RANGE = 8, ID_KEY_ID = 11,
};

/* notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706) */
enum {
	N_INVALID_PAYLOAD_TYPE = 1, N_INVALID_SPI = 11,
	N_NO_PROPOSAL_CHOSEN = 14, N_PAYLOAD_MALFORMED = 16,
	N_INVALID_KEY_INFORMATION = 17, N_INVALID_ID_INFORMATION = 18,
	N_AUTHENTICATION_FAILED = 24, N_INVALID_HASH_INFORMATION = 23,
	N_RESPONDER_LIFETIME = 24576, N_REPLAY_STATUS = 24577,
	N_INITIAL_CONTACT = 24578,
	N_DPD_R_U_THERE = 36136, N_DPD_R_U_THERE_ACK = 36137,
};

/* What a parser found wrong.  ike_perr_str names each one. */
enum ike_perr {
	IKE_PERR_OK = 0,
	IKE_PERR_SHORT_HEADER = -1,	/* fewer than 28 bytes */
	IKE_PERR_VERSION = -2,		/* major version is not 1 */
	IKE_PERR_LENGTH = -3,		/* header length disagrees with the datagram */
	IKE_PERR_TOO_LARGE = -4,
	IKE_PERR_PAYLOAD_TRUNCATED = -5, /* payload runs past the message */
	IKE_PERR_PAYLOAD_SHORT = -6,	/* length below the payload's minimum */
	IKE_PERR_RESERVED = -7,		/* reserved field not zero */
	IKE_PERR_TOO_MANY = -8,		/* more payloads/proposals/transforms than we keep */
	IKE_PERR_TRAILING = -9,		/* bytes after the last payload */
	IKE_PERR_ATTR_TRUNCATED = -10,
	IKE_PERR_BAD_PROPOSAL = -11,	/* not a proposal/transform where one must be */
	IKE_PERR_SPI_SIZE = -12,
	IKE_PERR_COUNT = -13,		/* transform count disagrees with the payloads */
	IKE_PERR_DOI = -14,		/* not the IPsec DOI */
	IKE_PERR_BAD_VALUE = -15,	/* a field has an impossible value */
	IKE_PERR_ZERO_COOKIE = -16,
};

const char *ike_perr_str(int err);

struct isakmp_hdr {
	uint8_t icookie[8];
	uint8_t rcookie[8];
	uint8_t np;
	uint8_t version;
	uint8_t exch;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
};

struct ike_payload {
	uint8_t type;
	const uint8_t *raw;	/* generic header included */
	size_t raw_len;
	const uint8_t *body;	/* after the generic header */
	size_t len;
};

#define IKE_MAX_PAYLOADS	24

struct ike_msg {
	struct isakmp_hdr hdr;
	size_t n;
	struct ike_payload pl[IKE_MAX_PAYLOADS];
};

/* Header only; checks version, len <= buflen, len >= 28, i-cookie != 0. */
int ike_parse_header(const uint8_t *buf, size_t len, struct isakmp_hdr *h);
/*
 * The payload chain starting with type first_np in buf[0..len).  With
 * allow_trailing, bytes after the last payload are accepted (the padding
 * of a decrypted message); otherwise they are an error.
 */
int ike_parse_payloads(uint8_t first_np, const uint8_t *buf, size_t len,
		       bool allow_trailing, struct ike_msg *m);
/* Header plus payload chain of a cleartext message. */
int ike_parse_msg(const uint8_t *buf, size_t len, struct ike_msg *m);
/* First payload of a type, or NULL; ike_count counts them. */
const struct ike_payload *ike_find(const struct ike_msg *m, uint8_t type);
size_t ike_count(const struct ike_msg *m, uint8_t type);

/* ---- SA / proposal / transform ---- */
struct ike_attr {
	uint16_t type;		/* without the AF bit */
	bool tv;		/* basic (2-byte value) form */
	const uint8_t *val;
	uint16_t len;
	uint64_t num;		/* numeric value when len <= 8 */
	bool has_num;
};

#define IKE_MAX_ATTRS		16
#define IKE_MAX_TRANSFORMS	32
#define IKE_MAX_PROPOSALS	8

struct ike_transform {
	uint8_t num;
	uint8_t id;
	size_t nattrs;
	struct ike_attr attrs[IKE_MAX_ATTRS];
};

struct ike_proposal {
	uint8_t num;
	uint8_t proto;
	uint8_t spi_size;
	uint8_t spi[16];
	size_t ntrans;
	struct ike_transform trans[IKE_MAX_TRANSFORMS];
};

struct ike_sa_view {
	uint32_t doi;
	uint32_t situation;
	size_t nprop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
};

/* SA payload body (DOI, situation, proposals). */
int ike_parse_sa(const uint8_t *body, size_t len, struct ike_sa_view *sa);
/* Attributes of a transform body tail. */
int ike_parse_attrs(const uint8_t *p, size_t len, struct ike_attr *attrs,
		    size_t max, size_t *n);
const struct ike_attr *ike_attr_find(const struct ike_transform *t,
				     uint16_t type);

/* ---- ID, notify, delete, NAT-OA ---- */
struct ike_id {
	uint8_t type;
	uint8_t proto;
	uint16_t port;
	const uint8_t *data;
	size_t len;
};
int ike_parse_id(const uint8_t *body, size_t len, struct ike_id *id);

struct ike_notify {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t data_len;
};
int ike_parse_notify(const uint8_t *body, size_t len, struct ike_notify *n);

#define IKE_MAX_DEL_SPIS	32
struct ike_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspi;
	const uint8_t *spis;	/* nspi * spi_size bytes */
};
int ike_parse_delete(const uint8_t *body, size_t len, struct ike_delete *d);

/* NAT-OA (RFC 3947 5.2): an ID type and an address. */
int ike_parse_natoa(const uint8_t *body, size_t len, uint8_t *idtype,
		    const uint8_t **addr, size_t *alen);

/* ---- builder ---- */
struct ike_buf {
	uint8_t b[ISAKMP_MAX_MSG];
	size_t len;
	bool err;
	size_t np_at;		/* offset of the next-payload byte to patch */
	size_t mark[4];		/* open nested lengths (SA, P, T) */
	size_t depth;
};

/* Resets buf and writes the header (length patched by ike_finish). */
void ike_begin(struct ike_buf *buf, const struct isakmp_hdr *h);
/* Opens a payload of type: patches the previous next-payload field. */
size_t ike_pl_begin(struct ike_buf *buf, uint8_t type);
void ike_pl_end(struct ike_buf *buf, size_t start);
/* A whole payload with an opaque body (KE, nonce, HASH, VID, NAT-D). */
void ike_put_raw_payload(struct ike_buf *buf, uint8_t type, const void *body,
			 size_t len);
void ike_put(struct ike_buf *buf, const void *p, size_t len);
void ike_put8(struct ike_buf *buf, uint8_t v);
void ike_put16(struct ike_buf *buf, uint16_t v);
void ike_put32(struct ike_buf *buf, uint32_t v);
/* SA payload: open, proposals with transforms (nested), close. */
size_t ike_sa_begin(struct ike_buf *buf);
/* A proposal; "last" marks the final one (next-payload 0 instead of 2). */
size_t ike_prop_begin(struct ike_buf *buf, uint8_t num, uint8_t proto,
		      const uint8_t *spi, uint8_t spi_size, uint8_t ntrans,
		      bool last);
size_t ike_trans_begin(struct ike_buf *buf, uint8_t num, uint8_t id,
		       bool last);
void ike_sub_end(struct ike_buf *buf, size_t start);
/* An attribute: basic form when the value fits 16 bits, else variable. */
void ike_attr(struct ike_buf *buf, uint16_t type, uint64_t val);
void ike_put_id(struct ike_buf *buf, uint8_t type, uint8_t proto,
		uint16_t port, const void *data, size_t len);
void ike_put_notify(struct ike_buf *buf, uint8_t proto, uint16_t type,
		    const void *spi, uint8_t spi_size, const void *data,
		    size_t len);
void ike_put_delete(struct ike_buf *buf, uint8_t proto, const void *spis,
		    uint8_t spi_size, uint16_t nspi);
/* Patches the header length; returns the total length or 0 on overflow. */
size_t ike_finish(struct ike_buf *buf);

uint16_t ike_get16(const uint8_t *p);
uint32_t ike_get32(const uint8_t *p);

#endif
