// SPDX-License-Identifier: GPL-2.0
/*
 * GRE wire format.  Everything here works on plain byte buffers; the
 * sk_buff handling lives in device.c (transmit) and receive.c.
 */
#include <linux/kernel.h>

#include "compat.h"
#include "gre.h"

unsigned int dmvpn_gre_hlen(bool csum, bool key)
{
	return DMVPN_GRE_BASE_HLEN + (csum ? 4 : 0) + (key ? 4 : 0);
}

/*
 * Write a GRE header for @protocol at @buf, which must hold
 * dmvpn_gre_hlen(@csum, @key) bytes.  The checksum field, if requested,
 * is left zero for the caller to fill once the payload is final.
 */
void dmvpn_gre_build(u8 *buf, __be16 protocol, bool csum, bool key, u32 key_val)
{
	u16 flags = (csum ? DMVPN_GRE_F_CSUM : 0) | (key ? DMVPN_GRE_F_KEY : 0);
	u8 *p = buf + DMVPN_GRE_BASE_HLEN;

	put_unaligned_be16(flags, buf);
	put_unaligned((__force u16)protocol, (u16 *)(buf + 2));
	if (csum) {
		put_unaligned_be32(0, p);
		p += 4;
	}
	if (key)
		put_unaligned_be32(key_val, p);
}

/*
 * Parse the GRE header at the start of @buf (@len bytes available).
 * Fills @info and returns DMVPN_GRE_OK, or says why the header is bad.
 * RFC 2784 requires discarding packets with the routing, strict-route or
 * recursion bits set; the reserved bits 6-12 are ignored as it says.
 */
enum dmvpn_gre_error dmvpn_gre_parse(const u8 *buf, unsigned int len,
				     struct dmvpn_gre_info *info)
{
	unsigned int hlen = DMVPN_GRE_BASE_HLEN;
	const u8 *p;
	u16 flags;

	memset(info, 0, sizeof(*info));
	if (len < DMVPN_GRE_BASE_HLEN)
		return DMVPN_GRE_ERR_TRUNCATED;

	flags = get_unaligned_be16(buf);
	if (flags & DMVPN_GRE_VERSION_MASK)
		return DMVPN_GRE_ERR_VERSION;
	if (flags & (DMVPN_GRE_F_ROUTING | DMVPN_GRE_F_STRICT |
		     DMVPN_GRE_RECUR_MASK))
		return DMVPN_GRE_ERR_FLAGS;

	info->csum_present = flags & DMVPN_GRE_F_CSUM;
	info->key_present = flags & DMVPN_GRE_F_KEY;
	info->seq_present = flags & DMVPN_GRE_F_SEQ;
	hlen += (info->csum_present ? 4 : 0) + (info->key_present ? 4 : 0) +
		(info->seq_present ? 4 : 0);
	if (len < hlen)
		return DMVPN_GRE_ERR_TRUNCATED;

	info->protocol = (__force __be16)get_unaligned((const u16 *)(buf + 2));
	p = buf + DMVPN_GRE_BASE_HLEN;
	if (info->csum_present)
		p += 4;
	if (info->key_present) {
		info->key = get_unaligned_be32(p);
		p += 4;
	}
	if (info->seq_present)
		info->seq = get_unaligned_be32(p);
	info->hlen = hlen;
	return DMVPN_GRE_OK;
}
