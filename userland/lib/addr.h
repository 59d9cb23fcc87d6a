/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Family-neutral IPv4/IPv6 addresses as carried by the dmvpn uapi:
 * 4 or 16 bytes in network byte order, the family following from the length.
 */
#ifndef DMVPN_LIB_ADDR_H
#define DMVPN_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct dm_addr {
	int family;		/* AF_INET, AF_INET6, or 0 = unset */
	uint8_t len;		/* 4 or 16 */
	uint8_t bytes[16];
};

/* Longest text form of an address (INET6_ADDRSTRLEN) plus "/128". */
#define DM_ADDR_STRLEN	(46 + 4)

/* Parse "1.2.3.4" or "2001:db8::1" (strict dotted quad, no "1.2.3"). */
int dm_addr_parse(const char *s, struct dm_addr *a);

/*
 * Parse "ADDR" or "ADDR/PLEN".  *plen is set to the given length, or to
 * the host length (32/128) when none is given; *has_plen tells which.
 * Returns 0, -1 for a bad address, -2 for a bad prefix length.
 */
int dm_prefix_parse(const char *s, struct dm_addr *a, uint8_t *plen,
		    bool *has_plen);

/* Build from a binary attribute payload; fails unless len is 4 or 16. */
int dm_addr_from_bin(struct dm_addr *a, const void *data, size_t len);

/* Text form; returns buf.  Unset addresses print as "-". */
const char *dm_addr_fmt(const struct dm_addr *a, char *buf, size_t len);

int dm_addr_max_plen(const struct dm_addr *a);
bool dm_addr_equal(const struct dm_addr *a, const struct dm_addr *b);
const char *dm_family_name(int family);	/* "IPv4" / "IPv6" */

#endif
