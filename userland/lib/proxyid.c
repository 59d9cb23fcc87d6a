// SPDX-License-Identifier: GPL-2.0-only
/* Proxy identities of quick mode (proxyid.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxyid.h"

/* memcmp of two addresses of one family: <0, 0, >0 */
static int addr_cmp(const struct dm_addr *a, const struct dm_addr *b)
{
	return memcmp(a->bytes, b->bytes, a->len);
}

void dm_proxy_id_prefix(struct dm_proxy_id *p, const struct dm_addr *addr,
			unsigned int plen, uint8_t proto)
{
	unsigned int max = (unsigned int)dm_addr_max_plen(addr);

	memset(p, 0, sizeof(*p));
	if (plen > max)
		plen = max;
	p->kind = plen == max ? DM_PROXY_HOST : DM_PROXY_SUBNET;
	p->plen = (uint8_t)plen;
	p->proto = proto;
	p->first = *addr;
	p->last = *addr;
	for (unsigned int b = plen; b < max; b++) {
		uint8_t bit = (uint8_t)(0x80u >> (b % 8));

		p->first.bytes[b / 8] &= (uint8_t)~bit;
		p->last.bytes[b / 8] |= bit;
	}
}

int dm_proxy_id_range(struct dm_proxy_id *p, const struct dm_addr *first,
		      const struct dm_addr *last, uint8_t proto)
{
	memset(p, 0, sizeof(*p));
	if (!first->family || first->family != last->family ||
	    addr_cmp(first, last) > 0)
		return -1;
	p->kind = DM_PROXY_RANGE;
	p->first = *first;
	p->last = *last;
	p->proto = proto;
	return 0;
}

bool dm_proxy_id_has(const struct dm_proxy_id *p, const struct dm_addr *addr)
{
	return p->kind && addr->family == p->first.family &&
	       addr_cmp(&p->first, addr) <= 0 && addr_cmp(addr, &p->last) <= 0;
}

bool dm_proxy_id_within(const struct dm_proxy_id *inner,
			const struct dm_proxy_id *outer)
{
	return dm_proxy_id_has(outer, &inner->first) &&
	       dm_proxy_id_has(outer, &inner->last) &&
	       (!outer->proto || outer->proto == inner->proto) &&
	       (!outer->port || outer->port == inner->port);
}

bool dm_proxy_id_equal(const struct dm_proxy_id *a, const struct dm_proxy_id *b)
{
	return a->kind == b->kind && a->plen == b->plen && a->proto == b->proto &&
	       a->port == b->port && dm_addr_equal(&a->first, &b->first) &&
	       dm_addr_equal(&a->last, &b->last);
}

bool dm_proxy_id_is_single(const struct dm_proxy_id *p)
{
	return p->kind && dm_addr_equal(&p->first, &p->last);
}

/* The addresses: "172.16.0.0" + sep + mask, or "a-b", or "a". */
static void addrs_fmt(const struct dm_proxy_id *p, bool ios, char *buf, size_t len)
{
	char a[DM_ADDR_STRLEN], b[DM_ADDR_STRLEN];

	dm_addr_fmt(&p->first, a, sizeof(a));
	if (p->kind == DM_PROXY_RANGE) {
		snprintf(buf, len, "%s-%s", a, dm_addr_fmt(&p->last, b, sizeof(b)));
	} else if (ios && p->first.family == AF_INET) {
		uint32_t m = p->plen ? 0xffffffffu << (32 - p->plen) : 0;

		snprintf(buf, len, "%s/%u.%u.%u.%u", a, m >> 24, (m >> 16) & 0xff,
			 (m >> 8) & 0xff, m & 0xff);
	} else if (ios || p->kind == DM_PROXY_SUBNET) {
		snprintf(buf, len, "%s/%u", a, p->plen);
	} else {
		snprintf(buf, len, "%s", a);
	}
}

const char *dm_proxy_id_fmt_ios(const struct dm_proxy_id *p, bool port_first,
				char *buf, size_t len)
{
	char a[2 * DM_ADDR_STRLEN + 2];

	addrs_fmt(p, true, a, sizeof(a));
	if (port_first)
		snprintf(buf, len, "%s/%u/%u", a, p->port, p->proto);
	else
		snprintf(buf, len, "%s/%u/%u", a, p->proto, p->port);
	return buf;
}

const char *dm_proxy_id_fmt_addrs(const struct dm_proxy_id *p, char *buf, size_t len)
{
	addrs_fmt(p, false, buf, len);
	return buf;
}

const char *dm_proxy_id_fmt_token(const struct dm_proxy_id *p, char *buf, size_t len)
{
	char a[2 * DM_ADDR_STRLEN + 2];

	addrs_fmt(p, false, a, sizeof(a));
	snprintf(buf, len, "%s,%u,%u", a, p->proto, p->port);
	return buf;
}

/* A decimal number up to max, the whole of s. */
static int small_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
		return -1;
	*out = strtoul(s, &end, 10);
	return *out > max ? -1 : 0;
}

int dm_proxy_id_parse_token(const char *s, struct dm_proxy_id *p)
{
	char buf[DM_PROXY_STRLEN], *proto, *port, *dash;
	struct dm_addr a, b;
	unsigned long pr, po;
	uint8_t plen;
	bool has_plen;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	proto = strchr(buf, ',');
	port = proto ? strchr(proto + 1, ',') : NULL;
	if (!port)
		return -1;
	*proto++ = '\0';
	*port++ = '\0';
	if (small_num(proto, 255, &pr) || small_num(port, 65535, &po))
		return -1;
	dash = strchr(buf, '-');
	if (dash) {
		*dash = '\0';
		if (dm_addr_parse(buf, &a) || dm_addr_parse(dash + 1, &b) ||
		    dm_proxy_id_range(p, &a, &b, (uint8_t)pr))
			return -1;
	} else {
		if (dm_prefix_parse(buf, &a, &plen, &has_plen))
			return -1;
		dm_proxy_id_prefix(p, &a, plen, (uint8_t)pr);
		/* a subnet as long as a host stays a subnet */
		if (has_plen)
			p->kind = DM_PROXY_SUBNET;
	}
	p->port = (uint16_t)po;
	return 0;
}
