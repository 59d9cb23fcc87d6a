// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP wire format (RFC 2332, Cisco DMVPN flavour).  Everything here works
 * on plain byte buffers and allocates nothing; the sockets, timers and
 * the cache that act on NHRP packets live elsewhere.
 *
 * The parser trusts nothing but @len: every field is checked against the
 * bytes that are really there before it is read, and every walk (CIEs,
 * extensions) advances by at least a header per step inside a packet of
 * at most 64 KiB, so it always ends.
 */
#include <linux/kernel.h>
#include <linux/if_ether.h>
#include <net/checksum.h>

#include "compat.h"
#include "nhrp_wire.h"

/* Offsets in the fixed header. */
#define OFF_AFN		0
#define OFF_PRO_TYPE	2
#define OFF_PRO_SNAP	4
#define OFF_HOPCNT	9
#define OFF_PKTSZ	10
#define OFF_CHKSUM	12
#define OFF_EXTOFF	14
#define OFF_VERSION	16
#define OFF_TYPE	17
#define OFF_SHTL	18
#define OFF_SSTL	19

/* Offsets in the common header, from its start. */
#define OFF_SPLN	0
#define OFF_TPLN	1
#define OFF_FLAGS	2
#define OFF_REQID	4
#define OFF_CODE	4	/* indications */
#define OFF_ERROFF	6	/* error indication */

/* Offsets in a CIE. */
#define CIE_OFF_CODE	0
#define CIE_OFF_PLEN	1
#define CIE_OFF_MTU	4
#define CIE_OFF_HOLD	6
#define CIE_OFF_NBMA_TL	8
#define CIE_OFF_SUB_TL	9
#define CIE_OFF_PROTO	10
#define CIE_OFF_PREF	11

static unsigned int family_len(sa_family_t family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

static sa_family_t afn_family(u16 afn)
{
	switch (afn) {
	case DMVPN_NHRP_AFN_IPV4:
		return AF_INET;
	case DMVPN_NHRP_AFN_IPV6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

static sa_family_t pro_family(u16 pro_type)
{
	switch (pro_type) {
	case ETH_P_IP:
		return AF_INET;
	case ETH_P_IPV6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

static bool is_indication(u8 type)
{
	return type == DMVPN_NHRP_ERROR_IND || type == DMVPN_NHRP_TRAFFIC_IND;
}

static void get_addr(struct dmvpn_addr *addr, sa_family_t family,
		     const u8 *p)
{
	struct in6_addr v6;

	if (family == AF_INET) {
		dmvpn_addr_set4(addr, (__force __be32)get_unaligned((const u32 *)p));
	} else {
		memcpy(&v6, p, sizeof(v6));
		dmvpn_addr_set6(addr, &v6);
	}
}

static void put_addr(u8 *p, const struct dmvpn_addr *addr)
{
	if (addr->family == AF_INET)
		memcpy(p, &addr->v4, sizeof(addr->v4));
	else
		memcpy(p, &addr->v6, sizeof(addr->v6));
}

/* Fail with @err, remembering where for the Error Indication. */
static enum dmvpn_nhrp_wire_err fail(struct dmvpn_nhrp_wire_msg *msg,
				     enum dmvpn_nhrp_wire_err err,
				     unsigned int off)
{
	msg->bad_off = off;
	return err;
}

/*
 * Check the CIEs in [@off, @end): each fits, and its addresses are either
 * absent or exactly the packet's family size.  A CIE with a subaddress or
 * the E.164 type bit is refused like a wrong length: neither exists for
 * IP NBMA networks.
 */
static enum dmvpn_nhrp_wire_err check_cies(struct dmvpn_nhrp_wire_msg *msg,
					   unsigned int off, unsigned int end,
					   unsigned int *count)
{
	unsigned int nbma_len = family_len(afn_family(msg->afn));
	unsigned int proto_len = family_len(pro_family(msg->pro_type));
	const u8 *buf = msg->buf;
	unsigned int n = 0;

	while (off < end) {
		u8 nbma_tl, sub_tl, plen;

		if (end - off < DMVPN_NHRP_CIE_LEN)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED, off);
		nbma_tl = buf[off + CIE_OFF_NBMA_TL];
		sub_tl = buf[off + CIE_OFF_SUB_TL];
		plen = buf[off + CIE_OFF_PROTO];
		if (nbma_tl && nbma_tl != nbma_len)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN,
				    off + CIE_OFF_NBMA_TL);
		if (sub_tl)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN,
				    off + CIE_OFF_SUB_TL);
		if (plen && plen != proto_len)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN,
				    off + CIE_OFF_PROTO);
		if (end - off < DMVPN_NHRP_CIE_LEN + nbma_tl + plen)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED, off);
		off += DMVPN_NHRP_CIE_LEN + nbma_tl + plen;
		n++;
	}
	*count = n;
	return DMVPN_NHRP_WIRE_OK;
}

/* Check the value of a known extension; @type is without the C bit. */
static enum dmvpn_nhrp_wire_err check_ext_value(struct dmvpn_nhrp_wire_msg *msg,
						u16 type, unsigned int off,
						unsigned int len)
{
	enum dmvpn_nhrp_wire_err err;
	unsigned int n;

	switch (type) {
	case DMVPN_NHRP_EXT_RESPONDER:
	case DMVPN_NHRP_EXT_FWD_TRANSIT:
	case DMVPN_NHRP_EXT_REV_TRANSIT:
	case DMVPN_NHRP_EXT_NAT_ADDR:
		/* A bad CIE here is a bad extension, not a bad packet body:
		 * report it as such but keep bad_off on the faulty field.
		 */
		err = check_cies(msg, off, off + len, &n);
		if (err)
			return DMVPN_NHRP_WIRE_ERR_EXT_INVALID;
		/* Empty in requests, the responder itself in replies. */
		if (type == DMVPN_NHRP_EXT_RESPONDER && n > 1)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_INVALID, off);
		return DMVPN_NHRP_WIRE_OK;
	case DMVPN_NHRP_EXT_AUTH:
		if (len < DMVPN_NHRP_AUTH_SPI_LEN)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_INVALID, off);
		return DMVPN_NHRP_WIRE_OK;
	case DMVPN_NHRP_EXT_VENDOR:
		if (len < DMVPN_NHRP_VENDOR_OUI_LEN)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_INVALID, off);
		return DMVPN_NHRP_WIRE_OK;
	default:
		return DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN;
	}
}

/*
 * Walk the extensions from ar$extoff to ar$pktsz.  The chain must end in
 * End of Extensions, which ends it: bytes after End are ignored.  Unknown
 * extensions without the C bit are skipped (an NHS forwarding the packet
 * copies them unchanged); unknown compulsory ones stop the parse so that
 * the caller answers "Unrecognized Extension" (RFC 2332 5.3).  Individual
 * extensions are not aligned: Cisco and FRR write the authentication key
 * unpadded, so End often starts at an odd offset.
 */
static enum dmvpn_nhrp_wire_err parse_exts(struct dmvpn_nhrp_wire_msg *msg)
{
	const u8 *buf = msg->buf;
	unsigned int off = msg->extoff;
	unsigned int end = msg->pktsz;

	for (;;) {
		struct dmvpn_nhrp_wire_ext *ext;
		enum dmvpn_nhrp_wire_err err;
		unsigned int elen;
		u16 raw, type;

		if (off == end)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED,
				    off);
		if (end - off < DMVPN_NHRP_EXT_HLEN)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED, off);
		raw = get_unaligned_be16(buf + off);
		elen = get_unaligned_be16(buf + off + 2);
		if (elen > end - off - DMVPN_NHRP_EXT_HLEN)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED,
				    off + 2);
		type = raw & DMVPN_NHRP_EXT_TYPE_MASK;

		if (type == DMVPN_NHRP_EXT_END) {
			if (elen)
				return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_INVALID,
					    off + 2);
			return DMVPN_NHRP_WIRE_OK;
		}

		err = check_ext_value(msg, type, off + DMVPN_NHRP_EXT_HLEN,
				      elen);
		if (err == DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN) {
			if (raw & DMVPN_NHRP_EXT_COMPULSORY)
				return fail(msg, err, off);
			msg->unknown_ext++;
			off += DMVPN_NHRP_EXT_HLEN + elen;
			continue;
		}
		if (err)
			return err;

		ext = &msg->ext[type];
		/* Two of one kind would leave the receiver to pick. */
		if (ext->present)
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXT_INVALID, off);
		ext->present = true;
		ext->compulsory = raw & DMVPN_NHRP_EXT_COMPULSORY;
		ext->hdr.off = off;
		ext->hdr.len = DMVPN_NHRP_EXT_HLEN;
		ext->value.off = off + DMVPN_NHRP_EXT_HLEN;
		ext->value.len = elen;
		off += DMVPN_NHRP_EXT_HLEN + elen;
	}
}

/*
 * Parse and validate the NHRP packet at @buf (@len bytes, starting at the
 * fixed header; GRE is already stripped).  Bytes past ar$pktsz are
 * ignored.  Fills @msg and returns DMVPN_NHRP_WIRE_OK, or says what is
 * wrong with it.
 */
enum dmvpn_nhrp_wire_err dmvpn_nhrp_wire_parse(const u8 *buf,
					       unsigned int len,
					       struct dmvpn_nhrp_wire_msg *msg)
{
	unsigned int nbma_len, proto_len, addr_end, mand_end;
	sa_family_t nbma_family, proto_family;
	const u8 *common, *p;
	enum dmvpn_nhrp_wire_err err;

	memset(msg, 0, sizeof(*msg));
	msg->buf = buf;
	if (len < DMVPN_NHRP_FIXED_LEN)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_TRUNCATED, 0);

	msg->pktsz = get_unaligned_be16(buf + OFF_PKTSZ);
	if (msg->pktsz < DMVPN_NHRP_FIXED_LEN)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_PKTSZ, OFF_PKTSZ);
	if (msg->pktsz > len)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_TRUNCATED, OFF_PKTSZ);
	/* RFC 1071 over the whole packet, odd length padded with zero. */
	if (ip_compute_csum(buf, msg->pktsz))
		return fail(msg, DMVPN_NHRP_WIRE_ERR_CHECKSUM, OFF_CHKSUM);

	msg->afn = get_unaligned_be16(buf + OFF_AFN);
	msg->pro_type = get_unaligned_be16(buf + OFF_PRO_TYPE);
	msg->hopcnt = buf[OFF_HOPCNT];
	msg->extoff = get_unaligned_be16(buf + OFF_EXTOFF);
	msg->type = buf[OFF_TYPE];

	/* Another version may lay out even the addresses differently. */
	if (buf[OFF_VERSION] != DMVPN_NHRP_VERSION)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_VERSION, OFF_VERSION);
	/* ar$pro.snap is only meaningful for SNAP protocol types, which we
	 * do not carry; like FRR and Wireshark, ignore it on receipt.
	 */
	nbma_family = afn_family(msg->afn);
	if (nbma_family == AF_UNSPEC)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_AFN, OFF_AFN);
	proto_family = pro_family(msg->pro_type);
	if (proto_family == AF_UNSPEC)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_PROTO, OFF_PRO_TYPE);
	nbma_len = family_len(nbma_family);
	proto_len = family_len(proto_family);

	/* Exact match: also refuses the E.164 type and reserved bits. */
	if (buf[OFF_SHTL] != nbma_len)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, OFF_SHTL);
	if (buf[OFF_SSTL])
		return fail(msg, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, OFF_SSTL);

	if (msg->pktsz < DMVPN_NHRP_FIXED_LEN + DMVPN_NHRP_COMMON_LEN)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_MANDATORY, OFF_PKTSZ);
	common = buf + DMVPN_NHRP_FIXED_LEN;
	if (common[OFF_SPLN] != proto_len)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_ADDR_LEN,
			    DMVPN_NHRP_FIXED_LEN + OFF_SPLN);
	if (common[OFF_TPLN] != proto_len)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_ADDR_LEN,
			    DMVPN_NHRP_FIXED_LEN + OFF_TPLN);
	addr_end = DMVPN_NHRP_FIXED_LEN + DMVPN_NHRP_COMMON_LEN + nbma_len +
		   2 * proto_len;
	if (msg->pktsz < addr_end)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_MANDATORY, OFF_PKTSZ);

	/* From here on the sender is known, so errors can be answered. */
	p = common + DMVPN_NHRP_COMMON_LEN;
	get_addr(&msg->src_nbma, nbma_family, p);
	p += nbma_len;
	get_addr(&msg->src_proto, proto_family, p);
	p += proto_len;
	get_addr(&msg->dst_proto, proto_family, p);

	if (msg->type < DMVPN_NHRP_RES_REQ ||
	    msg->type > DMVPN_NHRP_TRAFFIC_IND)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_TYPE, OFF_TYPE);
	if (!msg->hopcnt)
		return fail(msg, DMVPN_NHRP_WIRE_ERR_HOPCOUNT, OFF_HOPCNT);

	/*
	 * ar$extoff must leave room for at least one extension header.
	 * With IPv4/IPv6 addresses every field before the extensions is a
	 * multiple of 4 bytes long, so the offset is aligned -- except in
	 * indications, whose mandatory part ends in a copied packet of any
	 * length.
	 */
	if (msg->extoff) {
		if (msg->extoff < addr_end ||
		    msg->extoff > msg->pktsz - DMVPN_NHRP_EXT_HLEN ||
		    (!is_indication(msg->type) && !IS_ALIGNED(msg->extoff, 4)))
			return fail(msg, DMVPN_NHRP_WIRE_ERR_EXTOFF,
				    OFF_EXTOFF);
		mand_end = msg->extoff;
	} else {
		mand_end = msg->pktsz;
	}

	if (is_indication(msg->type)) {
		/* The flags field is unused; the request ID's place holds
		 * the code (and, for errors, the offset of the fault).
		 */
		msg->code = get_unaligned_be16(common + OFF_CODE);
		if (msg->type == DMVPN_NHRP_ERROR_IND)
			msg->error_offset = get_unaligned_be16(common +
							       OFF_ERROFF);
		msg->contents.off = addr_end;
		msg->contents.len = mand_end - addr_end;
	} else {
		msg->flags = get_unaligned_be16(common + OFF_FLAGS);
		msg->request_id = get_unaligned_be32(common + OFF_REQID);
		err = check_cies(msg, addr_end, mand_end, &msg->cie_count);
		if (err)
			return err;
		msg->cies.off = addr_end;
		msg->cies.len = mand_end - addr_end;
	}

	if (msg->extoff)
		return parse_exts(msg);
	return DMVPN_NHRP_WIRE_OK;
}

/*
 * The Error Indication code to answer a packet rejected with @err, or 0
 * to drop it silently.  Only faults found after the source addresses
 * were read and vouched for by the checksum are answered: before that
 * there is nobody trustworthy to answer (RFC 2332 lists a failed checksum
 * as a Protocol Error, but the addresses the answer would go to are
 * covered by that same checksum).  An Error Indication is never answered
 * with another (RFC 2332 5.2.7).
 */
u16 dmvpn_nhrp_wire_errind(enum dmvpn_nhrp_wire_err err,
			   const struct dmvpn_nhrp_wire_msg *msg)
{
	if (msg->type == DMVPN_NHRP_ERROR_IND)
		return 0;

	switch (err) {
	case DMVPN_NHRP_WIRE_ERR_TYPE:
	case DMVPN_NHRP_WIRE_ERR_EXTOFF:
	case DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED:
	case DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN:
	case DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED:
	case DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED:
		return DMVPN_NHRP_EI_PROTOCOL_ERROR;
	case DMVPN_NHRP_WIRE_ERR_HOPCOUNT:
		return DMVPN_NHRP_EI_HOP_COUNT_EXCEEDED;
	case DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN:
		return DMVPN_NHRP_EI_UNRECOGNIZED_EXT;
	case DMVPN_NHRP_WIRE_ERR_EXT_INVALID:
		return DMVPN_NHRP_EI_INVALID_EXT;
	default:
		return 0;
	}
}

void dmvpn_nhrp_wire_cie_iter_init(struct dmvpn_nhrp_wire_cie_iter *it,
				   const struct dmvpn_nhrp_wire_msg *msg,
				   struct dmvpn_nhrp_wire_span span)
{
	it->msg = msg;
	it->off = span.off;
	it->end = span.off + span.len;
}

/*
 * Decode the next CIE into @cie; false at the end of the list.  The list
 * was validated by the parser, but the bounds are checked again so that
 * a span that did not come from it cannot make this read past the end.
 */
bool dmvpn_nhrp_wire_cie_next(struct dmvpn_nhrp_wire_cie_iter *it,
			      struct dmvpn_nhrp_wire_cie *cie)
{
	const struct dmvpn_nhrp_wire_msg *msg = it->msg;
	sa_family_t nbma_family = afn_family(msg->afn);
	sa_family_t proto_family = pro_family(msg->pro_type);
	const u8 *p = msg->buf + it->off;
	u8 nbma_tl, plen;

	if (it->off >= it->end || it->end > msg->pktsz ||
	    it->end - it->off < DMVPN_NHRP_CIE_LEN)
		return false;
	nbma_tl = p[CIE_OFF_NBMA_TL];
	plen = p[CIE_OFF_PROTO];
	if ((nbma_tl && nbma_tl != family_len(nbma_family)) ||
	    p[CIE_OFF_SUB_TL] ||
	    (plen && plen != family_len(proto_family)) ||
	    it->end - it->off < DMVPN_NHRP_CIE_LEN + nbma_tl + plen)
		return false;

	memset(cie, 0, sizeof(*cie));
	cie->code = p[CIE_OFF_CODE];
	cie->prefix_len = p[CIE_OFF_PLEN];
	cie->mtu = get_unaligned_be16(p + CIE_OFF_MTU);
	cie->holdtime = get_unaligned_be16(p + CIE_OFF_HOLD);
	cie->preference = p[CIE_OFF_PREF];
	p += DMVPN_NHRP_CIE_LEN;
	if (nbma_tl)
		get_addr(&cie->nbma, nbma_family, p);
	p += nbma_tl;
	if (plen)
		get_addr(&cie->proto, proto_family, p);
	it->off += DMVPN_NHRP_CIE_LEN + nbma_tl + plen;
	return true;
}

/*
 * Whether the packet carries the authentication extension with @spi and
 * exactly @key.  The key travels in clear text, so a plain comparison
 * leaks nothing the wire does not.
 */
bool dmvpn_nhrp_wire_auth_match(const struct dmvpn_nhrp_wire_msg *msg,
				u32 spi, const u8 *key, unsigned int key_len)
{
	const struct dmvpn_nhrp_wire_ext *ext = &msg->ext[DMVPN_NHRP_EXT_AUTH];
	const u8 *v = msg->buf + ext->value.off;

	if (!ext->present ||
	    ext->value.len != DMVPN_NHRP_AUTH_SPI_LEN + key_len)
		return false;
	return get_unaligned_be32(v) == spi &&
	       !memcmp(v + DMVPN_NHRP_AUTH_SPI_LEN, key, key_len);
}

/* Output cursor: writes past @size are refused, not performed. */
struct wbuf {
	u8 *buf;
	unsigned int size;
	unsigned int len;
};

static u8 *wbuf_put(struct wbuf *w, unsigned int n)
{
	u8 *p;

	if (w->size - w->len < n)
		return NULL;
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static bool cie_ok(const struct dmvpn_nhrp_wire_cie *cie,
		   const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return (!dmvpn_addr_is_set(&cie->nbma) ||
		cie->nbma.family == pkt->src_nbma.family) &&
	       (!dmvpn_addr_is_set(&cie->proto) ||
		cie->proto.family == pkt->src_proto.family);
}

static int put_cie(struct wbuf *w, const struct dmvpn_nhrp_wire_cie *cie)
{
	unsigned int nbma_len = dmvpn_addr_len(&cie->nbma);
	unsigned int plen = dmvpn_addr_len(&cie->proto);
	u8 *p = wbuf_put(w, DMVPN_NHRP_CIE_LEN + nbma_len + plen);

	if (!p)
		return -EMSGSIZE;
	p[CIE_OFF_CODE] = cie->code;
	p[CIE_OFF_PLEN] = cie->prefix_len;
	put_unaligned_be16(0, p + 2);		/* unused */
	put_unaligned_be16(cie->mtu, p + CIE_OFF_MTU);
	put_unaligned_be16(cie->holdtime, p + CIE_OFF_HOLD);
	p[CIE_OFF_NBMA_TL] = nbma_len;
	p[CIE_OFF_SUB_TL] = 0;
	p[CIE_OFF_PROTO] = plen;
	p[CIE_OFF_PREF] = cie->preference;
	p += DMVPN_NHRP_CIE_LEN;
	if (nbma_len)
		put_addr(p, &cie->nbma);
	if (plen)
		put_addr(p + nbma_len, &cie->proto);
	return 0;
}

static int put_ext(struct wbuf *w, const struct dmvpn_nhrp_wire_ext_spec *ext)
{
	unsigned int hdr = w->len;
	unsigned int i;
	u8 *p;
	int err;

	if (!wbuf_put(w, DMVPN_NHRP_EXT_HLEN))
		return -EMSGSIZE;
	if ((ext->type & DMVPN_NHRP_EXT_TYPE_MASK) == DMVPN_NHRP_EXT_AUTH) {
		p = wbuf_put(w, DMVPN_NHRP_AUTH_SPI_LEN);
		if (!p)
			return -EMSGSIZE;
		put_unaligned_be32(ext->spi, p);
	}
	if (ext->data_len) {
		p = wbuf_put(w, ext->data_len);
		if (!p)
			return -EMSGSIZE;
		memcpy(p, ext->data, ext->data_len);
	}
	for (i = 0; i < ext->n_cies; i++) {
		err = put_cie(w, &ext->cies[i]);
		if (err)
			return err;
	}
	/* The value cannot exceed 64 KiB: the caller checks the total. */
	put_unaligned_be16(ext->type, w->buf + hdr);
	put_unaligned_be16(w->len - hdr - DMVPN_NHRP_EXT_HLEN,
			   w->buf + hdr + 2);
	return 0;
}

static int check_pkt(enum dmvpn_nhrp_op type,
		     const struct dmvpn_nhrp_wire_pkt *pkt)
{
	unsigned int i, j;

	if (type < DMVPN_NHRP_RES_REQ || type > DMVPN_NHRP_TRAFFIC_IND ||
	    !pkt->hopcnt)
		return -EINVAL;
	if (!dmvpn_addr_is_set(&pkt->src_nbma) ||
	    !dmvpn_addr_is_set(&pkt->src_proto) ||
	    pkt->dst_proto.family != pkt->src_proto.family)
		return -EINVAL;
	if (is_indication(type) ? pkt->n_cies : pkt->contents_len)
		return -EINVAL;
	for (i = 0; i < pkt->n_cies; i++)
		if (!cie_ok(&pkt->cies[i], pkt))
			return -EINVAL;
	for (i = 0; i < pkt->n_exts; i++) {
		const struct dmvpn_nhrp_wire_ext_spec *ext = &pkt->exts[i];

		/* The builder ends the chain itself. */
		if (!(ext->type & DMVPN_NHRP_EXT_TYPE_MASK))
			return -EINVAL;
		for (j = 0; j < ext->n_cies; j++)
			if (!cie_ok(&ext->cies[j], pkt))
				return -EINVAL;
	}
	return 0;
}

/*
 * Write a complete NHRP packet of @type into @buf (@size bytes): fixed
 * header, mandatory part, the extensions listed in @pkt followed by End
 * of Extensions (only if there are any, as Cisco and FRR do), then
 * ar$pktsz and the checksum.  Returns the length, -EMSGSIZE if it does
 * not fit in @size or in the 16-bit ar$pktsz, or -EINVAL for fields the
 * parser would refuse (mixed families, hop count 0, CIEs in an
 * indication, ...).
 */
int dmvpn_nhrp_wire_build(u8 *buf, unsigned int size, enum dmvpn_nhrp_op type,
			  const struct dmvpn_nhrp_wire_pkt *pkt)
{
	struct wbuf w = { .buf = buf, .size = size };
	unsigned int nbma_len = dmvpn_addr_len(&pkt->src_nbma);
	unsigned int proto_len = dmvpn_addr_len(&pkt->src_proto);
	unsigned int i;
	u8 *p;
	int err;

	err = check_pkt(type, pkt);
	if (err)
		return err;

	p = wbuf_put(&w, DMVPN_NHRP_FIXED_LEN + DMVPN_NHRP_COMMON_LEN +
			 nbma_len + 2 * proto_len);
	if (!p)
		return -EMSGSIZE;
	put_unaligned_be16(pkt->src_nbma.family == AF_INET ?
			   DMVPN_NHRP_AFN_IPV4 : DMVPN_NHRP_AFN_IPV6,
			   p + OFF_AFN);
	put_unaligned_be16(pkt->src_proto.family == AF_INET ?
			   ETH_P_IP : ETH_P_IPV6, p + OFF_PRO_TYPE);
	memset(p + OFF_PRO_SNAP, 0, 5);
	p[OFF_HOPCNT] = pkt->hopcnt;
	put_unaligned_be32(0, p + OFF_PKTSZ);	/* and checksum: later */
	put_unaligned_be16(0, p + OFF_EXTOFF);
	p[OFF_VERSION] = DMVPN_NHRP_VERSION;
	p[OFF_TYPE] = type;
	p[OFF_SHTL] = nbma_len;
	p[OFF_SSTL] = 0;

	p += DMVPN_NHRP_FIXED_LEN;
	p[OFF_SPLN] = proto_len;
	p[OFF_TPLN] = proto_len;
	if (is_indication(type)) {
		put_unaligned_be16(0, p + OFF_FLAGS);
		put_unaligned_be16(pkt->code, p + OFF_CODE);
		put_unaligned_be16(type == DMVPN_NHRP_ERROR_IND ?
				   pkt->error_offset : 0, p + OFF_ERROFF);
	} else {
		put_unaligned_be16(pkt->flags, p + OFF_FLAGS);
		put_unaligned_be32(pkt->request_id, p + OFF_REQID);
	}
	p += DMVPN_NHRP_COMMON_LEN;
	put_addr(p, &pkt->src_nbma);
	put_addr(p + nbma_len, &pkt->src_proto);
	put_addr(p + nbma_len + proto_len, &pkt->dst_proto);

	for (i = 0; i < pkt->n_cies; i++) {
		err = put_cie(&w, &pkt->cies[i]);
		if (err)
			return err;
	}
	if (pkt->contents_len) {
		p = wbuf_put(&w, pkt->contents_len);
		if (!p)
			return -EMSGSIZE;
		memcpy(p, pkt->contents, pkt->contents_len);
	}

	if (pkt->n_exts) {
		static const struct dmvpn_nhrp_wire_ext_spec end = {
			.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_END,
		};

		if (w.len > DMVPN_NHRP_MAX_PKTSZ)
			return -EMSGSIZE;
		put_unaligned_be16(w.len, buf + OFF_EXTOFF);
		for (i = 0; i < pkt->n_exts; i++) {
			err = put_ext(&w, &pkt->exts[i]);
			if (err)
				return err;
		}
		err = put_ext(&w, &end);
		if (err)
			return err;
	}

	if (w.len > DMVPN_NHRP_MAX_PKTSZ)
		return -EMSGSIZE;
	put_unaligned_be16(w.len, buf + OFF_PKTSZ);
	put_unaligned((__force u16)ip_compute_csum(buf, w.len),
		      (u16 *)(buf + OFF_CHKSUM));
	return w.len;
}
