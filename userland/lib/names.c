// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "names.h"

#define LOOKUP(tbl, v) ((v) < sizeof(tbl) / sizeof((tbl)[0]) ? (tbl)[v] : NULL)

static const char *const nhrp_types[] = {
	[DMVPN_NHRP_TYPE_STATIC] = "static",
	[DMVPN_NHRP_TYPE_DYNAMIC] = "dynamic",
	[DMVPN_NHRP_TYPE_INCOMPLETE] = "incomplete",
	[DMVPN_NHRP_TYPE_LOCAL] = "local",
	[DMVPN_NHRP_TYPE_SHORTCUT] = "shortcut",
};

static const char *const nhrp_flags[] = {
	"unique", "registered", "used", "nat",
};

static const char *const stats[] = {
	[DMVPN_STAT_RX_KEY_MISMATCH] = "rx_key_mismatch",
	[DMVPN_STAT_RX_CSUM_ERRORS] = "rx_csum_errors",
	[DMVPN_STAT_RX_BAD_HEADER] = "rx_bad_header",
	[DMVPN_STAT_RX_UNKNOWN_PROTO] = "rx_unknown_proto",
	[DMVPN_STAT_TX_NO_NHRP] = "tx_no_nhrp",
	[DMVPN_STAT_TX_NO_ROUTE] = "tx_no_route",
	[DMVPN_STAT_TX_TOO_BIG] = "tx_too_big",
	[DMVPN_STAT_TX_UNSUPPORTED] = "tx_unsupported",
};

static const char *const events[] = {
	[DMVPN_EVENT_NHRP_NEW] = "new",
	[DMVPN_EVENT_NHRP_DEL] = "del",
};

static const char *const attrs[] = {
	[DMVPN_A_IFINDEX] = "DMVPN_A_IFINDEX",
	[DMVPN_A_IFNAME] = "DMVPN_A_IFNAME",
	[DMVPN_A_DEV] = "DMVPN_A_DEV",
	[DMVPN_A_NHRP] = "DMVPN_A_NHRP",
	[DMVPN_A_FLUSH_ALL] = "DMVPN_A_FLUSH_ALL",
	[DMVPN_A_EVENT] = "DMVPN_A_EVENT",
};

static const char *const nhrp_attrs[] = {
	[DMVPN_NHRP_A_PROTO_ADDR] = "DMVPN_NHRP_A_PROTO_ADDR",
	[DMVPN_NHRP_A_PREFIX_LEN] = "DMVPN_NHRP_A_PREFIX_LEN",
	[DMVPN_NHRP_A_NBMA_ADDR] = "DMVPN_NHRP_A_NBMA_ADDR",
	[DMVPN_NHRP_A_NBMA_PORT] = "DMVPN_NHRP_A_NBMA_PORT",
	[DMVPN_NHRP_A_TYPE] = "DMVPN_NHRP_A_TYPE",
	[DMVPN_NHRP_A_FLAGS] = "DMVPN_NHRP_A_FLAGS",
	[DMVPN_NHRP_A_AGE] = "DMVPN_NHRP_A_AGE",
	[DMVPN_NHRP_A_EXPIRES] = "DMVPN_NHRP_A_EXPIRES",
};

const char *dm_nhrp_type_name(unsigned int t) { return LOOKUP(nhrp_types, t); }
const char *dm_nhrp_flag_name(unsigned int b) { return LOOKUP(nhrp_flags, b); }
const char *dm_stat_name(unsigned int s) { return LOOKUP(stats, s); }
const char *dm_event_name(unsigned int e) { return LOOKUP(events, e); }
const char *dm_attr_name(unsigned int t) { return LOOKUP(attrs, t); }
const char *dm_nhrp_attr_name(unsigned int t) { return LOOKUP(nhrp_attrs, t); }

const char *dm_nhrp_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t unknown = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < 32; b++) {
		const char *n;

		if (!(flags & (1U << b)))
			continue;
		n = dm_nhrp_flag_name(b);
		if (!n) {
			unknown |= 1U << b;
			continue;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					off ? " " : "", n);
		if (off >= len)
			return buf;	/* truncated */
	}
	if (unknown)
		snprintf(buf + off, len - off, "%s0x%x", off ? " " : "",
			 unknown);
	return buf;
}
