// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int dm_addr_parse(const char *s, struct dm_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return -1;
	/* inet_pton(AF_INET) is strict: four decimal octets, each <= 255. */
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		a->len = 4;
		return 0;
	}
	if (strchr(s, ':') && inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		a->len = 16;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -1;
}

int dm_prefix_parse(const char *s, struct dm_addr *a, uint8_t *plen,
		    bool *has_plen)
{
	char buf[DM_ADDR_STRLEN + 8];
	const char *slash;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (!s)
		return -1;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (dm_addr_parse(buf, a))
		return -1;

	*has_plen = slash != NULL;
	*plen = (uint8_t)dm_addr_max_plen(a);
	if (slash) {
		const char *p = slash + 1;
		unsigned long v;
		char *end;

		/* digits only: no sign, no spaces, no hex, at most 3 digits */
		if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 3)
			return -2;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || *end || v > (unsigned long)dm_addr_max_plen(a))
			return -2;
		*plen = (uint8_t)v;
	}
	return 0;
}

int dm_addr_from_bin(struct dm_addr *a, const void *data, size_t len)
{
	memset(a, 0, sizeof(*a));
	if (len != 4 && len != 16)
		return -1;
	a->family = len == 4 ? AF_INET : AF_INET6;
	a->len = (uint8_t)len;
	memcpy(a->bytes, data, len);
	return 0;
}

const char *dm_addr_fmt(const struct dm_addr *a, char *buf, size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "-");
	return buf;
}

int dm_addr_max_plen(const struct dm_addr *a)
{
	return a->family == AF_INET6 ? 128 : 32;
}

bool dm_addr_equal(const struct dm_addr *a, const struct dm_addr *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(a->bytes, b->bytes, a->len);
}

const char *dm_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}
