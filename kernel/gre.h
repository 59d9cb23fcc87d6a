/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRE header format (RFC 2784, with the key and sequence extensions of
 * RFC 2890).  Pure functions on byte buffers, so KUnit can test them
 * without sk_buffs.
 */
#ifndef _DMVPN_GRE_H
#define _DMVPN_GRE_H

#include <linux/types.h>

#define DMVPN_GRE_F_CSUM	0x8000	/* C: checksum present */
#define DMVPN_GRE_F_ROUTING	0x4000	/* R: RFC 1701 routing, obsolete */
#define DMVPN_GRE_F_KEY		0x2000	/* K: key present (RFC 2890) */
#define DMVPN_GRE_F_SEQ		0x1000	/* S: sequence number present */
#define DMVPN_GRE_F_STRICT	0x0800	/* s: RFC 1701 strict source route */
#define DMVPN_GRE_RECUR_MASK	0x0700	/* RFC 1701 recursion control */
#define DMVPN_GRE_RESERVED0	0x00f8	/* must be zero (RFC 2784) */
#define DMVPN_GRE_VERSION_MASK	0x0007

#define DMVPN_GRE_BASE_HLEN	4
#define DMVPN_GRE_MAX_HLEN	16	/* base + checksum + key + sequence */

/* Protocol type NHRP uses in GRE (RFC 2332 over GRE, as Cisco sends it). */
#define DMVPN_GRE_PROTO_NHRP	0x2001

struct dmvpn_gre_info {
	__be16 protocol;	/* inner protocol type */
	bool csum_present;
	bool key_present;
	bool seq_present;
	u32 key;		/* host byte order */
	u32 seq;		/* host byte order */
	unsigned int hlen;	/* header length in bytes */
};

/* Why a header was rejected; each maps to a drop counter. */
enum dmvpn_gre_error {
	DMVPN_GRE_OK = 0,
	DMVPN_GRE_ERR_TRUNCATED,	/* fewer bytes than the flags announce */
	DMVPN_GRE_ERR_VERSION,		/* version other than 0 */
	DMVPN_GRE_ERR_FLAGS,		/* routing/strict/recursion/reserved */
};

unsigned int dmvpn_gre_hlen(bool csum, bool key);
void dmvpn_gre_build(u8 *buf, __be16 protocol, bool csum, bool key, u32 key_val);
enum dmvpn_gre_error dmvpn_gre_parse(const u8 *buf, unsigned int len,
				     struct dmvpn_gre_info *info);

#endif /* _DMVPN_GRE_H */
