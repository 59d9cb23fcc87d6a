/* SPDX-License-Identifier: GPL-2.0-only */
/* Argument grammar of "ip link add/set NAME type dmvpn ...", without
 * any iproute2 dependency so it can be unit-tested. */
#ifndef DMVPN_LINK_PARSE_H
#define DMVPN_LINK_PARSE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/addr.h"

struct dm_link_cfg {
	struct dm_addr local;
	struct dm_addr remote;
	bool has_key;
	uint32_t key;		/* host order */
	bool nokey;
	bool has_ttl;
	uint8_t ttl;		/* 0 = inherit */
	bool has_tos;
	uint8_t tos;		/* DMVPN_TOS_INHERIT = inherit */
	char dev[IF_NAMESIZE];	/* underlay; "" = not given */
	bool protect;		/* ESP-in-UDP tunnel protection (create only) */
	bool has_tcp_mss;
	uint16_t tcp_mss;	/* 0 = clamping off */
};

#define DM_LINK_PARSE_OK	0
#define DM_LINK_PARSE_ERR	(-1)	/* message in err */
#define DM_LINK_PARSE_HELP	1	/* "help" was given */

int dm_link_parse(int argc, char **argv, struct dm_link_cfg *cfg, char *err,
		  size_t errlen);
/* "1.2.3.4" -> 0x01020304, "16909060" -> 16909060 */
int dm_link_parse_key(const char *s, uint32_t *key);

#endif
