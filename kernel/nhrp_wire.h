/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NHRP wire format: RFC 2332 as Cisco DMVPN and FRR's nhrpd speak it,
 * including the Cisco additions (Traffic Indication, NAT address
 * extension, NAT flag, cleartext authentication).  Pure functions on
 * byte buffers, so KUnit can test them without sk_buffs or sockets.
 *
 * Packet layout (all fields big endian, offsets from the fixed header):
 *
 *   fixed header, 20 bytes      ar$afn ar$pro.type ar$pro.snap ar$hopcnt
 *                               ar$pktsz ar$chksum ar$extoff
 *                               ar$op.version ar$op.type ar$shtl ar$sstl
 *   common header, 8 bytes      src/dst protocol address lengths, flags,
 *                               request ID (indications: code and offset)
 *   addresses                   source NBMA, source protocol, destination
 *                               protocol
 *   CIEs (types 1-6)            12-byte header plus client NBMA and
 *                               protocol address, until ar$extoff
 *   or contents (types 7, 8)    the packet that caused the indication
 *   extensions                  from ar$extoff: type, length, value,
 *                               ended by End of Extensions
 *
 * Only IPv4 and IPv6 are supported on either side, in any combination:
 * NBMA addresses are 4 or 16 bytes by ar$afn, protocol addresses 4 or 16
 * by ar$pro.type, and never subaddresses.
 */
#ifndef _DMVPN_NHRP_WIRE_H
#define _DMVPN_NHRP_WIRE_H

#include <linux/types.h>

#include "addr.h"

#define DMVPN_NHRP_VERSION		1	/* ar$op.version, RFC 2332 */
#define DMVPN_NHRP_FIXED_LEN		20
#define DMVPN_NHRP_COMMON_LEN		8	/* lengths, flags, request ID */
#define DMVPN_NHRP_CIE_LEN		12	/* CIE without its addresses */
#define DMVPN_NHRP_EXT_HLEN		4	/* extension type and length */
#define DMVPN_NHRP_MAX_PKTSZ		0xffff	/* ar$pktsz is 16 bits */
#define DMVPN_NHRP_TYPE_OFF		17	/* ar$op.type in the fixed header */

/* ar$afn: address family numbers (IANA) of the NBMA addresses. */
#define DMVPN_NHRP_AFN_IPV4		1
#define DMVPN_NHRP_AFN_IPV6		2

/* ar$shtl, ar$sstl and the CIE's NBMA type/length octets. */
#define DMVPN_NHRP_TL_RESERVED		0x80
#define DMVPN_NHRP_TL_E164		0x40	/* type: 0 NSAP, 1 E.164 */
#define DMVPN_NHRP_TL_LEN_MASK		0x3f

/* ar$op.type */
enum dmvpn_nhrp_op {
	DMVPN_NHRP_RES_REQ = 1,
	DMVPN_NHRP_RES_REPLY = 2,
	DMVPN_NHRP_REG_REQ = 3,
	DMVPN_NHRP_REG_REPLY = 4,
	DMVPN_NHRP_PURGE_REQ = 5,
	DMVPN_NHRP_PURGE_REPLY = 6,
	DMVPN_NHRP_ERROR_IND = 7,
	DMVPN_NHRP_TRAFFIC_IND = 8,	/* Cisco: DMVPN phase 3 redirect */
};

/* Flags of the common header, by packet type. */
#define DMVPN_NHRP_F_RES_ROUTER		0x8000	/* Q: source is a router */
#define DMVPN_NHRP_F_RES_AUTH		0x4000	/* A: authoritative */
#define DMVPN_NHRP_F_RES_DST_STABLE	0x2000	/* D */
#define DMVPN_NHRP_F_RES_UNIQUE		0x1000	/* U */
#define DMVPN_NHRP_F_RES_SRC_STABLE	0x0800	/* S */
#define DMVPN_NHRP_F_REG_UNIQUE		0x8000	/* U: Cisco sets it unless
						 * "registration no-unique"
						 */
#define DMVPN_NHRP_F_PURGE_NO_REPLY	0x8000	/* N */
#define DMVPN_NHRP_F_WIRE_NAT		0x0002	/* Cisco: sender does NAT
						 * detection (resolution and
						 * registration)
						 */

/* Extension type field: C bit, u bit, 14-bit type. */
#define DMVPN_NHRP_EXT_COMPULSORY	0x8000
#define DMVPN_NHRP_EXT_UNUSED		0x4000
#define DMVPN_NHRP_EXT_TYPE_MASK	0x3fff

enum dmvpn_nhrp_ext_type {
	DMVPN_NHRP_EXT_END = 0,
	DMVPN_NHRP_EXT_RESPONDER = 3,	/* one CIE: who answered */
	DMVPN_NHRP_EXT_FWD_TRANSIT = 4,	/* CIEs: NHSs on the way there */
	DMVPN_NHRP_EXT_REV_TRANSIT = 5,	/* CIEs: NHSs on the way back */
	DMVPN_NHRP_EXT_AUTH = 7,	/* 4-byte SPI, then the key */
	DMVPN_NHRP_EXT_VENDOR = 8,	/* 3-byte OUI, then data */
	DMVPN_NHRP_EXT_NAT_ADDR = 9,	/* Cisco: CIEs, NBMA as seen */
	__DMVPN_NHRP_EXT_MAX
};

/* Cisco "ip nhrp authentication": SPI 1 and a cleartext key of 1-8 bytes. */
#define DMVPN_NHRP_AUTH_SPI_LEN		4
#define DMVPN_NHRP_AUTH_CLEARTEXT	1
#define DMVPN_NHRP_AUTH_CISCO_MAX	8
#define DMVPN_NHRP_VENDOR_OUI_LEN	3

/* Error Indication codes (RFC 2332 5.2.7). */
enum dmvpn_nhrp_errind_code {
	DMVPN_NHRP_EI_UNRECOGNIZED_EXT = 1,
	DMVPN_NHRP_EI_LOOP_DETECTED = 3,	/* FRR's header says 2; RFC 3 */
	DMVPN_NHRP_EI_PROTO_UNREACHABLE = 6,
	DMVPN_NHRP_EI_PROTOCOL_ERROR = 7,
	DMVPN_NHRP_EI_SDU_SIZE_EXCEEDED = 8,
	DMVPN_NHRP_EI_INVALID_EXT = 9,
	DMVPN_NHRP_EI_INVALID_RES_REPLY = 10,
	DMVPN_NHRP_EI_AUTH_FAILURE = 11,
	DMVPN_NHRP_EI_HOP_COUNT_EXCEEDED = 15,
};

/* CIE codes in replies (RFC 2332 5.2.2, 5.2.4, 5.2.6). */
enum dmvpn_nhrp_cie_code {
	DMVPN_NHRP_CODE_SUCCESS = 0,
	DMVPN_NHRP_CODE_ADMIN_PROHIBITED = 4,
	DMVPN_NHRP_CODE_NO_RESOURCES = 5,
	DMVPN_NHRP_CODE_NO_BINDING = 12,
	DMVPN_NHRP_CODE_NOT_UNIQUE = 13,
	DMVPN_NHRP_CODE_ALREADY_REGISTERED = 14,
};

/*
 * Why a packet was rejected; each maps to a counter.  The order is the
 * order of the checks, so a packet with several faults reports the first.
 * dmvpn_nhrp_wire_errind() says which of them RFC 2332 answers with an
 * Error Indication.
 */
enum dmvpn_nhrp_wire_err {
	DMVPN_NHRP_WIRE_OK = 0,
	DMVPN_NHRP_WIRE_ERR_TRUNCATED,	/* buffer shorter than header/pktsz */
	DMVPN_NHRP_WIRE_ERR_PKTSZ,	/* ar$pktsz below the fixed header */
	DMVPN_NHRP_WIRE_ERR_CHECKSUM,
	DMVPN_NHRP_WIRE_ERR_VERSION,
	DMVPN_NHRP_WIRE_ERR_AFN,	/* NBMA family neither IPv4 nor IPv6 */
	DMVPN_NHRP_WIRE_ERR_PROTO,	/* protocol neither IPv4 nor IPv6 */
	DMVPN_NHRP_WIRE_ERR_ADDR_LEN,	/* header address type/length */
	DMVPN_NHRP_WIRE_ERR_MANDATORY,	/* common header or addresses cut */
	DMVPN_NHRP_WIRE_ERR_TYPE,	/* unknown ar$op.type */
	DMVPN_NHRP_WIRE_ERR_HOPCOUNT,	/* ar$hopcnt 0 */
	DMVPN_NHRP_WIRE_ERR_EXTOFF,	/* ar$extoff inside the mandatory
					 * part, past the end, or unaligned
					 */
	DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED,	/* CIE runs past its part */
	DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN,	/* CIE address type/length */
	DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED,	/* extension runs off the end */
	DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED,	/* no End of Extensions */
	DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN,	/* unknown compulsory extension */
	DMVPN_NHRP_WIRE_ERR_EXT_INVALID,	/* known one, bad content */
	__DMVPN_NHRP_WIRE_ERR_MAX
};

/* One Client Information Entry, decoded.  Absent addresses are unset. */
struct dmvpn_nhrp_wire_cie {
	u8 code;			/* enum dmvpn_nhrp_cie_code */
	u8 prefix_len;
	u16 mtu;
	u16 holdtime;			/* seconds */
	u8 preference;
	struct dmvpn_addr nbma;
	struct dmvpn_addr proto;
};

/* A byte range of the packet: offset from the fixed header, length. */
struct dmvpn_nhrp_wire_span {
	u16 off;
	u16 len;
};

/* One known extension seen in the packet. */
struct dmvpn_nhrp_wire_ext {
	bool present;
	bool compulsory;
	struct dmvpn_nhrp_wire_span hdr;	/* type and length field */
	struct dmvpn_nhrp_wire_span value;
};

/*
 * A parsed packet.  Nothing is copied but the addresses: spans point into
 * the buffer given to dmvpn_nhrp_wire_parse(), which must outlive the
 * message.  After a failure only the fields parsed so far are valid;
 * bad_off is the RFC 2332 "error offset" of the fault for an Error
 * Indication.
 */
struct dmvpn_nhrp_wire_msg {
	const u8 *buf;
	u16 afn;
	u16 pro_type;
	u8 hopcnt;
	u16 pktsz;
	u16 extoff;
	u8 type;			/* enum dmvpn_nhrp_op */
	u16 flags;			/* types 1-6 */
	u32 request_id;			/* types 1-6 */
	u16 code;			/* 7: error code, 8: traffic code */
	u16 error_offset;		/* 7 */
	struct dmvpn_addr src_nbma;
	struct dmvpn_addr src_proto;
	struct dmvpn_addr dst_proto;
	struct dmvpn_nhrp_wire_span cies;	/* types 1-6 */
	unsigned int cie_count;
	struct dmvpn_nhrp_wire_span contents;	/* types 7, 8 */
	struct dmvpn_nhrp_wire_ext ext[__DMVPN_NHRP_EXT_MAX];
	unsigned int unknown_ext;	/* non-compulsory ones skipped */
	u16 bad_off;
};

enum dmvpn_nhrp_wire_err dmvpn_nhrp_wire_parse(const u8 *buf,
					       unsigned int len,
					       struct dmvpn_nhrp_wire_msg *msg);
u16 dmvpn_nhrp_wire_errind(enum dmvpn_nhrp_wire_err err,
			   const struct dmvpn_nhrp_wire_msg *msg);

/*
 * Walking a CIE list (the mandatory part, or a Responder, Transit or NAT
 * extension) of a message that dmvpn_nhrp_wire_parse() accepted:
 *
 *	struct dmvpn_nhrp_wire_cie_iter it;
 *	struct dmvpn_nhrp_wire_cie cie;
 *
 *	dmvpn_nhrp_wire_cie_iter_init(&it, msg, msg->cies);
 *	while (dmvpn_nhrp_wire_cie_next(&it, &cie))
 *		...
 */
struct dmvpn_nhrp_wire_cie_iter {
	const struct dmvpn_nhrp_wire_msg *msg;
	unsigned int off;
	unsigned int end;
};

void dmvpn_nhrp_wire_cie_iter_init(struct dmvpn_nhrp_wire_cie_iter *it,
				   const struct dmvpn_nhrp_wire_msg *msg,
				   struct dmvpn_nhrp_wire_span span);
bool dmvpn_nhrp_wire_cie_next(struct dmvpn_nhrp_wire_cie_iter *it,
			      struct dmvpn_nhrp_wire_cie *cie);
bool dmvpn_nhrp_wire_auth_match(const struct dmvpn_nhrp_wire_msg *msg,
				u32 spi, const u8 *key, unsigned int key_len);

/*
 * An extension to write.  The value is @data followed by @cies; for
 * DMVPN_NHRP_EXT_AUTH it is preceded by the 4-byte @spi.  A forwarding
 * NHS copies a Transit NHS Record as @data and appends itself as a CIE.
 * End of Extensions is written by the builder, never listed here.
 */
struct dmvpn_nhrp_wire_ext_spec {
	u16 type;			/* with DMVPN_NHRP_EXT_COMPULSORY */
	u32 spi;			/* authentication only */
	const u8 *data;
	unsigned int data_len;
	const struct dmvpn_nhrp_wire_cie *cies;
	unsigned int n_cies;
};

/*
 * A packet to write.  Which fields are used depends on the type: flags,
 * request_id and cies for 1-6; code, error_offset and contents for 7
 * (contents: the packet in error) and code and contents for 8 (contents:
 * the data packet that triggered the redirect).
 */
struct dmvpn_nhrp_wire_pkt {
	u8 hopcnt;
	u16 flags;
	u32 request_id;
	u16 code;
	u16 error_offset;
	struct dmvpn_addr src_nbma;
	struct dmvpn_addr src_proto;
	struct dmvpn_addr dst_proto;
	const struct dmvpn_nhrp_wire_cie *cies;
	unsigned int n_cies;
	const u8 *contents;
	unsigned int contents_len;
	const struct dmvpn_nhrp_wire_ext_spec *exts;
	unsigned int n_exts;
};

int dmvpn_nhrp_wire_build(u8 *buf, unsigned int size, enum dmvpn_nhrp_op type,
			  const struct dmvpn_nhrp_wire_pkt *pkt);

static inline int
dmvpn_nhrp_wire_build_res_req(u8 *buf, unsigned int size,
			      const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_RES_REQ, pkt);
}

static inline int
dmvpn_nhrp_wire_build_res_reply(u8 *buf, unsigned int size,
				const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_RES_REPLY, pkt);
}

static inline int
dmvpn_nhrp_wire_build_reg_req(u8 *buf, unsigned int size,
			      const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_REG_REQ, pkt);
}

static inline int
dmvpn_nhrp_wire_build_reg_reply(u8 *buf, unsigned int size,
				const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_REG_REPLY, pkt);
}

static inline int
dmvpn_nhrp_wire_build_purge_req(u8 *buf, unsigned int size,
				const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_PURGE_REQ, pkt);
}

static inline int
dmvpn_nhrp_wire_build_purge_reply(u8 *buf, unsigned int size,
				  const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_PURGE_REPLY, pkt);
}

static inline int
dmvpn_nhrp_wire_build_error_ind(u8 *buf, unsigned int size,
				const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_ERROR_IND, pkt);
}

static inline int
dmvpn_nhrp_wire_build_traffic_ind(u8 *buf, unsigned int size,
				  const struct dmvpn_nhrp_wire_pkt *pkt)
{
	return dmvpn_nhrp_wire_build(buf, size, DMVPN_NHRP_TRAFFIC_IND, pkt);
}

#endif /* _DMVPN_NHRP_WIRE_H */
