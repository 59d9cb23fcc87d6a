/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One side of a quick mode's proxy identity (RFC 2407 4.6.2.1): a host,
 * a subnet or an address range of one family, with an IP protocol (0:
 * any) and a port (0: any).  dmvpnd negotiates them, publishes them with
 * its SAs (ikestate.h) and dmvpnctl prints them as IOS does.  Version-
 * and wire-neutral: the ID payloads are the keyer's business.
 */
#ifndef DMVPN_LIB_PROXYID_H
#define DMVPN_LIB_PROXYID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum dm_proxy_kind { DM_PROXY_HOST = 1, DM_PROXY_SUBNET, DM_PROXY_RANGE };

#define DM_PROTO_GRE	47

struct dm_proxy_id {
	uint8_t kind;			/* enum dm_proxy_kind; 0: unset */
	struct dm_addr first, last;	/* the range it covers */
	uint8_t plen;			/* DM_PROXY_SUBNET's prefix length */
	uint8_t proto;
	uint16_t port;
};

/* Longest text of dm_proxy_id_fmt: two IPv6 addresses and "/47/0". */
#define DM_PROXY_STRLEN	(2 * DM_ADDR_STRLEN + 16)

/* A host (plen at full length) or subnet; addr's host bits are cleared. */
void dm_proxy_id_prefix(struct dm_proxy_id *p, const struct dm_addr *addr,
			unsigned int plen, uint8_t proto);
/* A range first..last; -1 unless both are of one family, first <= last. */
int dm_proxy_id_range(struct dm_proxy_id *p, const struct dm_addr *first,
		      const struct dm_addr *last, uint8_t proto);
/* Is addr within p's addresses? */
bool dm_proxy_id_has(const struct dm_proxy_id *p, const struct dm_addr *addr);
/* Are inner's addresses, protocol and port all within outer's? */
bool dm_proxy_id_within(const struct dm_proxy_id *inner,
			const struct dm_proxy_id *outer);
/* The same kind, addresses, protocol and port. */
bool dm_proxy_id_equal(const struct dm_proxy_id *a, const struct dm_proxy_id *b);
/* One address, whatever the kind. */
bool dm_proxy_id_is_single(const struct dm_proxy_id *p);

/*
 * IOS's crypto ident "addr/mask/prot/port": "172.16.0.0/255.255.0.0/47/0",
 * IPv6 with a prefix length "2001:db8::/32/47/0", a range
 * "10.0.0.1-10.0.0.9/47/0"; port_first swaps the last two (show crypto
 * sockets).  Returns buf.
 */
const char *dm_proxy_id_fmt_ios(const struct dm_proxy_id *p, bool port_first,
				char *buf, size_t len);
/* Its addresses as dmvpnd.conf writes them: "172.16.0.0/16",
 * "10.0.0.1-10.0.0.9" or "192.0.2.1".  Returns buf. */
const char *dm_proxy_id_fmt_addrs(const struct dm_proxy_id *p, char *buf, size_t len);
/* The state file's word (ikestate.h): "172.16.0.0/16,47,0" (addresses,
 * protocol, port), "10.0.0.1-10.0.0.9,0,0", "192.0.2.1,47,0".  Returns buf. */
const char *dm_proxy_id_fmt_token(const struct dm_proxy_id *p, char *buf, size_t len);
/* The word back; 0 or -1. */
int dm_proxy_id_parse_token(const char *s, struct dm_proxy_id *p);

#endif
