// SPDX-License-Identifier: GPL-2.0-only
/* ISAKMP codec: bounded parsers and a fixed-size builder (isakmp.h). */
#include <string.h>

#include "isakmp.h"

uint16_t ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

const char *ike_perr_str(int err)
{
	switch (err) {
	case IKE_PERR_OK: return "ok";
	case IKE_PERR_SHORT_HEADER: return "shorter than an ISAKMP header";
	case IKE_PERR_VERSION: return "unsupported ISAKMP major version";
	case IKE_PERR_LENGTH: return "header length disagrees with the datagram";
	case IKE_PERR_TOO_LARGE: return "message too large";
	case IKE_PERR_PAYLOAD_TRUNCATED: return "payload runs past the end of the message";
	case IKE_PERR_PAYLOAD_SHORT: return "payload shorter than its fixed part";
	case IKE_PERR_RESERVED: return "reserved field not zero";
	case IKE_PERR_TOO_MANY: return "too many payloads, proposals, transforms or attributes";
	case IKE_PERR_TRAILING: return "bytes after the last payload";
	case IKE_PERR_ATTR_TRUNCATED: return "attribute runs past its transform";
	case IKE_PERR_BAD_PROPOSAL: return "proposal or transform payload expected";
	case IKE_PERR_SPI_SIZE: return "SPI size out of range";
	case IKE_PERR_COUNT: return "transform count disagrees with the payloads";
	case IKE_PERR_DOI: return "not the IPsec DOI";
	case IKE_PERR_BAD_VALUE: return "field with an impossible value";
	case IKE_PERR_ZERO_COOKIE: return "initiator cookie is zero";
	}
	return "unknown parse error";
}

int ike_parse_header(const uint8_t *buf, size_t len, struct isakmp_hdr *h)
{
	static const uint8_t zero[8];

	if (len < ISAKMP_HDR_LEN)
		return IKE_PERR_SHORT_HEADER;
	memcpy(h->icookie, buf, 8);
	memcpy(h->rcookie, buf + 8, 8);
	h->np = buf[16];
	h->version = buf[17];
	h->exch = buf[18];
	h->flags = buf[19];
	h->msgid = ike_get32(buf + 20);
	h->length = ike_get32(buf + 24);
	if ((h->version >> 4) != 1)
		return IKE_PERR_VERSION;
	if (h->length > ISAKMP_MAX_MSG)
		return IKE_PERR_TOO_LARGE;
	if (h->length < ISAKMP_HDR_LEN || h->length > len)
		return IKE_PERR_LENGTH;
	if (!memcmp(h->icookie, zero, 8))
		return IKE_PERR_ZERO_COOKIE;
	return 0;
}

int ike_parse_payloads(uint8_t first_np, const uint8_t *buf, size_t len,
		       bool allow_trailing, struct ike_msg *m)
{
	uint8_t np = first_np;
	size_t off = 0;

	m->n = 0;
	while (np != ISAKMP_NP_NONE) {
		uint16_t plen;

		if (len - off < ISAKMP_GEN_LEN)
			return IKE_PERR_PAYLOAD_TRUNCATED;
		plen = ike_get16(buf + off + 2);
		if (plen < ISAKMP_GEN_LEN)
			return IKE_PERR_PAYLOAD_SHORT;
		if (plen > len - off)
			return IKE_PERR_PAYLOAD_TRUNCATED;
		if (buf[off + 1] != 0)
			return IKE_PERR_RESERVED;
		if (m->n == IKE_MAX_PAYLOADS)
			return IKE_PERR_TOO_MANY;
		m->pl[m->n].type = np;
		m->pl[m->n].raw = buf + off;
		m->pl[m->n].raw_len = plen;
		m->pl[m->n].body = buf + off + ISAKMP_GEN_LEN;
		m->pl[m->n].len = plen - ISAKMP_GEN_LEN;
		m->n++;
		np = buf[off];
		off += plen;
	}
	if (off != len && !allow_trailing)
		return IKE_PERR_TRAILING;
	return 0;
}

int ike_parse_msg(const uint8_t *buf, size_t len, struct ike_msg *m)
{
	int err = ike_parse_header(buf, len, &m->hdr);

	m->n = 0;
	if (err)
		return err;
	if (m->hdr.flags & ISAKMP_FLAG_ENC)
		return 0;	/* payloads are the caller's after decryption */
	return ike_parse_payloads(m->hdr.np, buf + ISAKMP_HDR_LEN,
				  m->hdr.length - ISAKMP_HDR_LEN, false, m);
}

const struct ike_payload *ike_find(const struct ike_msg *m, uint8_t type)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

size_t ike_count(const struct ike_msg *m, uint8_t type)
{
	size_t c = 0;

	for (size_t i = 0; i < m->n; i++)
		c += m->pl[i].type == type;
	return c;
}

int ike_parse_attrs(const uint8_t *p, size_t len, struct ike_attr *attrs,
		    size_t max, size_t *n)
{
	size_t off = 0;

	*n = 0;
	while (off < len) {
		struct ike_attr a = { 0 };
		uint16_t t;

		if (len - off < 4)
			return IKE_PERR_ATTR_TRUNCATED;
		if (*n == max)
			return IKE_PERR_TOO_MANY;
		t = ike_get16(p + off);
		a.type = t & 0x7fff;
		a.tv = t & 0x8000;
		if (a.tv) {
			a.val = p + off + 2;
			a.len = 2;
			off += 4;
		} else {
			a.len = ike_get16(p + off + 2);
			if (a.len > len - off - 4)
				return IKE_PERR_ATTR_TRUNCATED;
			a.val = p + off + 4;
			off += 4 + (size_t)a.len;
		}
		if (a.len <= 8) {
			for (size_t i = 0; i < a.len; i++)
				a.num = a.num << 8 | a.val[i];
			a.has_num = true;
		}
		attrs[(*n)++] = a;
	}
	return 0;
}

const struct ike_attr *ike_attr_find(const struct ike_transform *t,
				     uint16_t type)
{
	for (size_t i = 0; i < t->nattrs; i++)
		if (t->attrs[i].type == type)
			return &t->attrs[i];
	return NULL;
}

/* One proposal or transform generic header inside an SA payload. */
static int sub_header(const uint8_t *p, size_t left, uint16_t min,
		      uint16_t *plen)
{
	if (left < ISAKMP_GEN_LEN)
		return IKE_PERR_PAYLOAD_TRUNCATED;
	*plen = ike_get16(p + 2);
	if (*plen < min)
		return IKE_PERR_PAYLOAD_SHORT;
	if (*plen > left)
		return IKE_PERR_PAYLOAD_TRUNCATED;
	if (p[1] != 0)
		return IKE_PERR_RESERVED;
	return 0;
}

static int parse_proposal(const uint8_t *p, size_t len, struct ike_proposal *pr)
{
	size_t off;
	int err;

	/* p..len is the proposal body after its generic header */
	if (len < 4)
		return IKE_PERR_PAYLOAD_SHORT;
	pr->num = p[0];
	pr->proto = p[1];
	pr->spi_size = p[2];
	if (pr->spi_size > sizeof(pr->spi))
		return IKE_PERR_SPI_SIZE;
	if ((size_t)4 + pr->spi_size > len)
		return IKE_PERR_PAYLOAD_TRUNCATED;
	memcpy(pr->spi, p + 4, pr->spi_size);
	off = 4 + pr->spi_size;
	pr->ntrans = 0;
	for (unsigned int i = 0; i < p[3]; i++) {
		struct ike_transform *t;
		uint16_t tlen;
		uint8_t np;

		err = sub_header(p + off, len - off, 8, &tlen);
		if (err)
			return err;
		np = p[off];	/* only now known to be inside the buffer */
		if (pr->ntrans == IKE_MAX_TRANSFORMS)
			return IKE_PERR_TOO_MANY;
		t = &pr->trans[pr->ntrans++];
		t->num = p[off + 4];
		t->id = p[off + 5];
		if (ike_get16(p + off + 6))
			return IKE_PERR_RESERVED;
		err = ike_parse_attrs(p + off + 8, tlen - 8u, t->attrs,
				      IKE_MAX_ATTRS, &t->nattrs);
		if (err)
			return err;
		off += tlen;
		if (i + 1u < p[3] && np != ISAKMP_NP_T)
			return IKE_PERR_COUNT;
		if (i + 1u == p[3] && np != ISAKMP_NP_NONE)
			return IKE_PERR_COUNT;
	}
	if (off != len)
		return IKE_PERR_COUNT;
	return 0;
}

int ike_parse_sa(const uint8_t *body, size_t len, struct ike_sa_view *sa)
{
	size_t off = 8;
	uint8_t np;

	sa->nprop = 0;
	if (len < 8)
		return IKE_PERR_PAYLOAD_SHORT;
	sa->doi = ike_get32(body);
	sa->situation = ike_get32(body + 4);
	if (sa->doi != IPSEC_DOI)
		return IKE_PERR_DOI;
	if (sa->situation != SIT_IDENTITY_ONLY)
		return IKE_PERR_BAD_VALUE;
	if (len == off)
		return IKE_PERR_BAD_PROPOSAL;
	do {
		uint16_t plen;
		int err = sub_header(body + off, len - off, 8, &plen);

		if (err)
			return err;
		if (sa->nprop == IKE_MAX_PROPOSALS)
			return IKE_PERR_TOO_MANY;
		np = body[off];
		if (np != ISAKMP_NP_P && np != ISAKMP_NP_NONE)
			return IKE_PERR_BAD_PROPOSAL;
		err = parse_proposal(body + off + 4, plen - 4u,
				     &sa->prop[sa->nprop]);
		if (err)
			return err;
		sa->nprop++;
		off += plen;
	} while (np == ISAKMP_NP_P);
	if (off != len)
		return IKE_PERR_TRAILING;
	return 0;
}

int ike_parse_id(const uint8_t *body, size_t len, struct ike_id *id)
{
	if (len < 4)
		return IKE_PERR_PAYLOAD_SHORT;
	id->type = body[0];
	id->proto = body[1];
	id->port = ike_get16(body + 2);
	id->data = body + 4;
	id->len = len - 4;
	switch (id->type) {
	case ID_IPV4_ADDR:
		return id->len == 4 ? 0 : IKE_PERR_BAD_VALUE;
	case ID_IPV6_ADDR:
		return id->len == 16 ? 0 : IKE_PERR_BAD_VALUE;
	case ID_IPV4_ADDR_SUBNET:
		return id->len == 8 ? 0 : IKE_PERR_BAD_VALUE;
	case ID_IPV6_ADDR_SUBNET:
		return id->len == 32 ? 0 : IKE_PERR_BAD_VALUE;
	default:
		return id->len ? 0 : IKE_PERR_BAD_VALUE;
	}
}

int ike_parse_notify(const uint8_t *body, size_t len, struct ike_notify *n)
{
	if (len < 8)
		return IKE_PERR_PAYLOAD_SHORT;
	n->doi = ike_get32(body);
	n->proto = body[4];
	n->spi_size = body[5];
	n->type = ike_get16(body + 6);
	if (n->spi_size > 16)
		return IKE_PERR_SPI_SIZE;
	if ((size_t)8 + n->spi_size > len)
		return IKE_PERR_PAYLOAD_TRUNCATED;
	n->spi = body + 8;
	n->data = body + 8 + n->spi_size;
	n->data_len = len - 8 - n->spi_size;
	return 0;
}

int ike_parse_delete(const uint8_t *body, size_t len, struct ike_delete *d)
{
	if (len < 8)
		return IKE_PERR_PAYLOAD_SHORT;
	d->doi = ike_get32(body);
	d->proto = body[4];
	d->spi_size = body[5];
	d->nspi = ike_get16(body + 6);
	d->spis = body + 8;
	if (d->spi_size == 0 || d->spi_size > 16)
		return IKE_PERR_SPI_SIZE;
	if (d->nspi > IKE_MAX_DEL_SPIS)
		return IKE_PERR_TOO_MANY;
	if ((size_t)d->nspi * d->spi_size != len - 8)
		return IKE_PERR_COUNT;
	return 0;
}

int ike_parse_natoa(const uint8_t *body, size_t len, uint8_t *idtype,
		    const uint8_t **addr, size_t *alen)
{
	if (len < 4)
		return IKE_PERR_PAYLOAD_SHORT;
	if (body[1] || body[2] || body[3])
		return IKE_PERR_RESERVED;
	*idtype = body[0];
	*addr = body + 4;
	*alen = len - 4;
	if (*idtype == ID_IPV4_ADDR && *alen == 4)
		return 0;
	if (*idtype == ID_IPV6_ADDR && *alen == 16)
		return 0;
	return IKE_PERR_BAD_VALUE;
}

/* ---- builder ---- */

void ike_put(struct ike_buf *buf, const void *p, size_t len)
{
	if (buf->err)
		return;
	if (len > sizeof(buf->b) - buf->len) {
		buf->err = true;
		return;
	}
	if (len)
		memcpy(buf->b + buf->len, p, len);
	buf->len += len;
}

void ike_put8(struct ike_buf *buf, uint8_t v)
{
	ike_put(buf, &v, 1);
}

void ike_put16(struct ike_buf *buf, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	ike_put(buf, b, 2);
}

void ike_put32(struct ike_buf *buf, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	ike_put(buf, b, 4);
}

static void patch16(struct ike_buf *buf, size_t at, size_t v)
{
	if (buf->err)
		return;
	if (v > 0xffff) {
		buf->err = true;
		return;
	}
	buf->b[at] = (uint8_t)(v >> 8);
	buf->b[at + 1] = (uint8_t)v;
}

void ike_begin(struct ike_buf *buf, const struct isakmp_hdr *h)
{
	buf->len = 0;
	buf->err = false;
	buf->depth = 0;
	ike_put(buf, h->icookie, 8);
	ike_put(buf, h->rcookie, 8);
	buf->np_at = buf->len;
	ike_put8(buf, ISAKMP_NP_NONE);
	ike_put8(buf, ISAKMP_VERSION);
	ike_put8(buf, h->exch);
	ike_put8(buf, h->flags);
	ike_put32(buf, h->msgid);
	ike_put32(buf, 0);
}

size_t ike_pl_begin(struct ike_buf *buf, uint8_t type)
{
	size_t start = buf->len;

	if (!buf->err)
		buf->b[buf->np_at] = type;
	buf->np_at = start;
	ike_put8(buf, ISAKMP_NP_NONE);
	ike_put8(buf, 0);
	ike_put16(buf, 0);
	return start;
}

void ike_pl_end(struct ike_buf *buf, size_t start)
{
	patch16(buf, start + 2, buf->len - start);
}

void ike_put_raw_payload(struct ike_buf *buf, uint8_t type, const void *body,
			 size_t len)
{
	size_t s = ike_pl_begin(buf, type);

	ike_put(buf, body, len);
	ike_pl_end(buf, s);
}

size_t ike_sa_begin(struct ike_buf *buf)
{
	size_t s = ike_pl_begin(buf, ISAKMP_NP_SA);

	ike_put32(buf, IPSEC_DOI);
	ike_put32(buf, SIT_IDENTITY_ONLY);
	return s;
}

size_t ike_prop_begin(struct ike_buf *buf, uint8_t num, uint8_t proto,
		      const uint8_t *spi, uint8_t spi_size, uint8_t ntrans,
		      bool last)
{
	size_t s = buf->len;

	ike_put8(buf, last ? ISAKMP_NP_NONE : ISAKMP_NP_P);
	ike_put8(buf, 0);
	ike_put16(buf, 0);
	ike_put8(buf, num);
	ike_put8(buf, proto);
	ike_put8(buf, spi_size);
	ike_put8(buf, ntrans);
	ike_put(buf, spi, spi_size);
	return s;
}

size_t ike_trans_begin(struct ike_buf *buf, uint8_t num, uint8_t id,
		       bool last)
{
	size_t s = buf->len;

	ike_put8(buf, last ? ISAKMP_NP_NONE : ISAKMP_NP_T);
	ike_put8(buf, 0);
	ike_put16(buf, 0);
	ike_put8(buf, num);
	ike_put8(buf, id);
	ike_put16(buf, 0);
	return s;
}

void ike_sub_end(struct ike_buf *buf, size_t start)
{
	patch16(buf, start + 2, buf->len - start);
}

void ike_attr(struct ike_buf *buf, uint16_t type, uint64_t val)
{
	if (val <= 0xffff) {
		ike_put16(buf, (uint16_t)(0x8000 | type));
		ike_put16(buf, (uint16_t)val);
	} else if (val <= 0xffffffff) {
		ike_put16(buf, type);
		ike_put16(buf, 4);
		ike_put32(buf, (uint32_t)val);
	} else {
		ike_put16(buf, type);
		ike_put16(buf, 8);
		ike_put32(buf, (uint32_t)(val >> 32));
		ike_put32(buf, (uint32_t)val);
	}
}

void ike_put_id(struct ike_buf *buf, uint8_t type, uint8_t proto,
		uint16_t port, const void *data, size_t len)
{
	size_t s = ike_pl_begin(buf, ISAKMP_NP_ID);

	ike_put8(buf, type);
	ike_put8(buf, proto);
	ike_put16(buf, port);
	ike_put(buf, data, len);
	ike_pl_end(buf, s);
}

void ike_put_notify(struct ike_buf *buf, uint8_t proto, uint16_t type,
		    const void *spi, uint8_t spi_size, const void *data,
		    size_t len)
{
	size_t s = ike_pl_begin(buf, ISAKMP_NP_N);

	ike_put32(buf, IPSEC_DOI);
	ike_put8(buf, proto);
	ike_put8(buf, spi_size);
	ike_put16(buf, type);
	ike_put(buf, spi, spi_size);
	ike_put(buf, data, len);
	ike_pl_end(buf, s);
}

void ike_put_delete(struct ike_buf *buf, uint8_t proto, const void *spis,
		    uint8_t spi_size, uint16_t nspi)
{
	size_t s = ike_pl_begin(buf, ISAKMP_NP_D);

	ike_put32(buf, IPSEC_DOI);
	ike_put8(buf, proto);
	ike_put8(buf, spi_size);
	ike_put16(buf, nspi);
	ike_put(buf, spis, (size_t)spi_size * nspi);
	ike_pl_end(buf, s);
}

size_t ike_finish(struct ike_buf *buf)
{
	if (buf->err || buf->len < ISAKMP_HDR_LEN)
		return 0;
	buf->b[24] = (uint8_t)(buf->len >> 24);
	buf->b[25] = (uint8_t)(buf->len >> 16);
	buf->b[26] = (uint8_t)(buf->len >> 8);
	buf->b[27] = (uint8_t)buf->len;
	return buf->len;
}
