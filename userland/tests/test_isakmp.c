// SPDX-License-Identifier: GPL-2.0-only
/* The ISAKMP codec: what the builder writes parses back; every malformed
 * shape is refused with its own error and no read past the buffer (the
 * truncation loops run under ASan). */
#include <stdlib.h>

#include "../keyer/isakmp.h"
#include "unit.h"

static const struct isakmp_hdr hdr0 = {
	.icookie = { 1, 2, 3, 4, 5, 6, 7, 8 }, .exch = ISAKMP_XCHG_IDPROT,
};

/* An MM1-like message: SA(1 proposal, 2 transforms), VID, NAT-D. */
static size_t build_mm1(struct ike_buf *b)
{
	size_t sa, pr, t;

	ike_begin(b, &hdr0);
	sa = ike_sa_begin(b);
	pr = ike_prop_begin(b, 1, PROTO_ISAKMP, NULL, 0, 2, true);
	t = ike_trans_begin(b, 1, KEY_IKE, false);
	ike_attr(b, OAKLEY_ENC, OAKLEY_AES);
	ike_attr(b, OAKLEY_KEY_LEN, 256);
	ike_attr(b, OAKLEY_HASH, OAKLEY_SHA256);
	ike_attr(b, OAKLEY_AUTH, OAKLEY_PSK);
	ike_attr(b, OAKLEY_GROUP, 14);
	ike_attr(b, OAKLEY_LIFE_TYPE, LIFE_SECONDS);
	ike_attr(b, OAKLEY_LIFE_DURATION, 86400);	/* > 16 bits: TLV */
	ike_sub_end(b, t);
	t = ike_trans_begin(b, 2, KEY_IKE, true);
	ike_attr(b, OAKLEY_ENC, OAKLEY_3DES);
	ike_sub_end(b, t);
	ike_sub_end(b, pr);
	ike_pl_end(b, sa);
	ike_put_raw_payload(b, ISAKMP_NP_VID, "0123456789abcdef", 16);
	ike_put_raw_payload(b, ISAKMP_NP_NATD, "hhhhhhhhhhhhhhhhhhhh", 20);
	return ike_finish(b);
}

static void roundtrip(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	struct ike_msg m;
	struct ike_sa_view sa;
	const struct ike_attr *a;
	size_t len = build_mm1(b);

	CHECK(len > ISAKMP_HDR_LEN);
	CHECK_INT(ike_parse_msg(b->b, len, &m), 0);
	CHECK_INT(m.hdr.length, len);
	CHECK_INT(m.hdr.exch, ISAKMP_XCHG_IDPROT);
	CHECK_INT(m.n, 3);
	CHECK_INT(m.pl[0].type, ISAKMP_NP_SA);
	CHECK_INT(m.pl[1].type, ISAKMP_NP_VID);
	CHECK_INT(m.pl[2].type, ISAKMP_NP_NATD);
	CHECK_INT(m.pl[2].len, 20);
	CHECK_INT(ike_count(&m, ISAKMP_NP_NATD), 1);
	CHECK_INT(ike_parse_sa(m.pl[0].body, m.pl[0].len, &sa), 0);
	CHECK_INT(sa.nprop, 1);
	CHECK_INT(sa.prop[0].ntrans, 2);
	CHECK_INT(sa.prop[0].trans[0].nattrs, 7);
	a = ike_attr_find(&sa.prop[0].trans[0], OAKLEY_LIFE_DURATION);
	CHECK(a && !a->tv && a->has_num && a->num == 86400);
	a = ike_attr_find(&sa.prop[0].trans[0], OAKLEY_KEY_LEN);
	CHECK(a && a->tv && a->num == 256);
	CHECK_INT(sa.prop[0].trans[1].num, 2);
	free(b);
}

/* Every prefix of a valid message is refused, never read past. */
static void truncations(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	size_t len = build_mm1(b);
	struct ike_msg m;

	for (size_t l = 0; l < len; l++) {
		uint8_t *copy = malloc(l ? l : 1);
		int r;

		memcpy(copy, b->b, l);
		r = ike_parse_msg(copy, l, &m);
		if (r >= 0)
			dm_t_fail(__FILE__, __LINE__, "prefix %zu accepted", l);
		if (l < ISAKMP_HDR_LEN)
			CHECK_INT(r, IKE_PERR_SHORT_HEADER);
		else
			CHECK_INT(r, IKE_PERR_LENGTH);
		/* and the payload chain alone, cut short */
		if (l > ISAKMP_HDR_LEN) {
			r = ike_parse_payloads(ISAKMP_NP_SA, copy + ISAKMP_HDR_LEN,
					       l - ISAKMP_HDR_LEN, true, &m);
			CHECK_INT(r, IKE_PERR_PAYLOAD_TRUNCATED);
		}
		free(copy);
	}
	free(b);
}

static void sa_truncations(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	size_t len = build_mm1(b);
	struct ike_msg m;
	struct ike_sa_view *sa = malloc(sizeof(*sa));

	CHECK_INT(ike_parse_msg(b->b, len, &m), 0);
	for (size_t l = 0; l < m.pl[0].len; l++) {
		uint8_t *copy = malloc(l ? l : 1);

		memcpy(copy, m.pl[0].body, l);
		if (ike_parse_sa(copy, l, sa) >= 0)
			dm_t_fail(__FILE__, __LINE__, "SA prefix %zu accepted", l);
		free(copy);
	}
	free(sa);
	free(b);
}

static void specific_errors(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	size_t len = build_mm1(b);
	struct ike_msg m;
	struct ike_sa_view *sa = malloc(sizeof(*sa));
	uint8_t c[ISAKMP_MAX_MSG];

	memcpy(c, b->b, len);
	c[17] = 0x20;					/* version 2.0 */
	CHECK_INT(ike_parse_msg(c, len, &m), IKE_PERR_VERSION);
	memcpy(c, b->b, len);
	memset(c, 0, 8);				/* zero i-cookie */
	CHECK_INT(ike_parse_msg(c, len, &m), IKE_PERR_ZERO_COOKIE);
	memcpy(c, b->b, len);
	c[ISAKMP_HDR_LEN + 1] = 1;			/* reserved byte */
	CHECK_INT(ike_parse_msg(c, len, &m), IKE_PERR_RESERVED);
	memcpy(c, b->b, len);
	c[ISAKMP_HDR_LEN + 2] = 0;			/* SA length 3 */
	c[ISAKMP_HDR_LEN + 3] = 3;
	CHECK_INT(ike_parse_msg(c, len, &m), IKE_PERR_PAYLOAD_SHORT);
	/* trailing garbage after the chain (header length covers it) */
	memcpy(c, b->b, len);
	c[len] = 0xee;
	c[27] = (uint8_t)(len + 1);
	CHECK_INT(ike_parse_msg(c, len + 1, &m), IKE_PERR_TRAILING);
	/* a datagram longer than the header says: the rest is ignored */
	memcpy(c, b->b, len);
	CHECK_INT(ike_parse_msg(c, len + 1, &m), 0);

	/* SA: wrong DOI, transform count too high, attribute truncated */
	memcpy(c, b->b, len);
	CHECK_INT(ike_parse_msg(c, len, &m), 0);
	{
		uint8_t *body = (uint8_t *)m.pl[0].body;
		size_t bl = m.pl[0].len;
		uint8_t save;

		body[3] = 2;
		CHECK_INT(ike_parse_sa(body, bl, sa), IKE_PERR_DOI);
		body[3] = 1;
		save = body[8 + 7];			/* #transforms */
		body[8 + 7] = 3;
		CHECK_INT(ike_parse_sa(body, bl, sa), IKE_PERR_COUNT);
		body[8 + 7] = 1;
		CHECK_INT(ike_parse_sa(body, bl, sa), IKE_PERR_COUNT);
		body[8 + 7] = save;
		body[8 + 6] = 17;			/* SPI size */
		CHECK_INT(ike_parse_sa(body, bl, sa), IKE_PERR_SPI_SIZE);
		body[8 + 6] = 0;
		/* the first transform's last attribute is the TLV life
		 * duration (length 4): claim 200 bytes */
		{
			size_t t0 = 8 + 8;		/* first transform */
			size_t tl = (size_t)body[t0 + 2] << 8 | body[t0 + 3];
			size_t at = t0 + tl - 8;	/* type(2) len(2) val(4) */

			CHECK_INT(body[at + 3], 4);
			body[at + 3] = 200;
			CHECK_INT(ike_parse_sa(body, bl, sa), IKE_PERR_ATTR_TRUNCATED);
			body[at + 3] = 4;
		}
		CHECK_INT(ike_parse_sa(body, bl, sa), 0);
	}
	for (int e = -1; e >= IKE_PERR_ZERO_COOKIE; e--)
		CHECK(strcmp(ike_perr_str(e), "unknown parse error"));
	free(sa);
	free(b);
}

/* Found by fuzz_isakmp: a proposal ending at the end of the buffer while
 * its transform count promises more; the parser read one byte past. */
static void transform_count_past_end(void)
{
	static const uint8_t body[] = {
		0, 0, 0, 1, 0, 0, 0, 1,			/* DOI, situation */
		0, 0, 0, 20, 1, PROTO_ISAKMP, 0, 2,	/* proposal: 2 transforms */
		ISAKMP_NP_T, 0, 0, 12, 1, KEY_IKE, 0, 0,	/* "more follow", none does */
		0x80, OAKLEY_ENC, 0, OAKLEY_AES,
	};
	uint8_t *copy = malloc(sizeof(body));	/* exact size: ASan sees past it */
	struct ike_sa_view *sa = malloc(sizeof(*sa));

	memcpy(copy, body, sizeof(body));
	CHECK_INT(ike_parse_sa(copy, sizeof(body), sa), IKE_PERR_PAYLOAD_TRUNCATED);
	free(sa);
	free(copy);
}

static void small_payloads(void)
{
	static const uint8_t id4[] = { ID_IPV4_ADDR, 47, 0, 0, 10, 0, 0, 1 };
	static const uint8_t id_bad[] = { ID_IPV4_ADDR, 47, 0, 0, 10, 0, 0 };
	static const uint8_t del[] = { 0, 0, 0, 1, PROTO_IPSEC_ESP, 4, 0, 2,
				       1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ntf[] = { 0, 0, 0, 1, PROTO_IPSEC_ESP, 4, 0x5e, 0x2a,
				       0xaa, 0xbb, 0xcc, 0xdd };
	static const uint8_t oa[] = { ID_IPV4_ADDR, 0, 0, 0, 192, 168, 1, 2 };
	struct ike_id id;
	struct ike_delete d;
	struct ike_notify n;
	const uint8_t *addr;
	size_t alen;
	uint8_t t;

	CHECK_INT(ike_parse_id(id4, sizeof(id4), &id), 0);
	CHECK_INT(id.proto, 47);
	CHECK_INT(ike_parse_id(id_bad, sizeof(id_bad), &id), IKE_PERR_BAD_VALUE);
	CHECK_INT(ike_parse_id(id4, 3, &id), IKE_PERR_PAYLOAD_SHORT);
	CHECK_INT(ike_parse_delete(del, sizeof(del), &d), 0);
	CHECK_INT(d.nspi, 2);
	CHECK_INT(ike_parse_delete(del, sizeof(del) - 1, &d), IKE_PERR_COUNT);
	CHECK_INT(ike_parse_notify(ntf, sizeof(ntf), &n), 0);
	CHECK_INT(n.type, 24106);
	CHECK_INT(n.data_len, 0);
	CHECK_INT(ike_parse_notify(ntf, 10, &n), IKE_PERR_PAYLOAD_TRUNCATED);
	CHECK_INT(ike_parse_natoa(oa, sizeof(oa), &t, &addr, &alen), 0);
	CHECK_INT(alen, 4);
	CHECK_INT(ike_parse_natoa(oa, 6, &t, &addr, &alen), IKE_PERR_BAD_VALUE);
}

static void builder_overflow(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	static uint8_t big[ISAKMP_MAX_MSG];

	ike_begin(b, &hdr0);
	ike_put_raw_payload(b, ISAKMP_NP_VID, big, 5000);
	CHECK(!b->err);
	ike_put_raw_payload(b, ISAKMP_NP_VID, big, 5000);
	CHECK(b->err);
	CHECK_INT(ike_finish(b), 0);
	/* a payload over 64 KiB cannot be expressed either */
	free(b);
}

/* Too many payloads: the 25th is refused with IKE_PERR_TOO_MANY. */
static void payload_limit(void)
{
	struct ike_buf *b = calloc(1, sizeof(*b));
	struct ike_msg m;
	size_t len;

	ike_begin(b, &hdr0);
	for (int i = 0; i < IKE_MAX_PAYLOADS + 1; i++)
		ike_put_raw_payload(b, ISAKMP_NP_VID, "x", 1);
	len = ike_finish(b);
	CHECK_INT(ike_parse_msg(b->b, len, &m), IKE_PERR_TOO_MANY);
	free(b);
}

const struct dm_test isakmp_tests[] = {
	{ "isakmp_roundtrip", roundtrip },
	{ "isakmp_every_truncation_refused", truncations },
	{ "isakmp_sa_truncations_refused", sa_truncations },
	{ "isakmp_specific_errors", specific_errors },
	{ "isakmp_id_delete_notify_natoa", small_payloads },
	{ "isakmp_transform_count_past_end", transform_count_past_end },
	{ "isakmp_builder_overflow", builder_overflow },
	{ "isakmp_payload_limit", payload_limit },
	{ NULL, NULL },
};
