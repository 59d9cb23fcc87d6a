// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "link_parse.h"

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return DM_LINK_PARSE_ERR;
}

static int parse_ulong(const char *s, int base, unsigned long max,
		       unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return errno || *end || *v > max ? -1 : 0;
}

int dm_link_parse_key(const char *s, uint32_t *key)
{
	unsigned long v;

	if (strchr(s, '.')) {
		struct in_addr a;

		if (inet_pton(AF_INET, s, &a) != 1)
			return -1;
		*key = ntohl(a.s_addr);
		return 0;
	}
	if (strspn(s, "0123456789") != strlen(s) ||
	    parse_ulong(s, 10, 0xffffffffUL, &v))
		return -1;
	*key = (uint32_t)v;
	return 0;
}

int dm_link_parse(int argc, char **argv, struct dm_link_cfg *cfg, char *err,
		  size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	if (errlen)
		err[0] = '\0';

	for (int i = 0; i < argc; i++) {
		const char *k = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n;

		if (!strcmp(k, "help"))
			return DM_LINK_PARSE_HELP;
		if (!strcmp(k, "protect")) {
			if (cfg->protect)
				return fail(err, errlen, "duplicate \"protect\"");
			cfg->protect = true;
			continue;
		}
		if (!strcmp(k, "nokey")) {
			if (cfg->has_key)
				return fail(err, errlen, "\"key\" and \"nokey\" are mutually exclusive");
			cfg->nokey = true;
			continue;
		}
		if (strcmp(k, "local") && strcmp(k, "remote") &&
		    strcmp(k, "key") && strcmp(k, "ttl") &&
		    strcmp(k, "hoplimit") && strcmp(k, "tos") &&
		    strcmp(k, "dsfield") && strcmp(k, "dev") &&
		    strcmp(k, "tcp-mss"))
			return fail(err, errlen, "unknown option \"%s\"", k);
		if (!v)
			return fail(err, errlen, "missing value after \"%s\"", k);
		i++;

		if (!strcmp(k, "local") || !strcmp(k, "remote")) {
			struct dm_addr *a = k[0] == 'l' ? &cfg->local : &cfg->remote;

			if (a->family)
				return fail(err, errlen, "duplicate \"%s\": \"%s\" is the second value", k, v);
			if (k[0] == 'r' && !strcmp(v, "any"))
				continue;	/* no remote: multipoint */
			if (dm_addr_parse(v, a))
				return fail(err, errlen, "invalid %s address \"%s\"", k, v);
		} else if (!strcmp(k, "key")) {
			if (cfg->nokey)
				return fail(err, errlen, "\"key\" and \"nokey\" are mutually exclusive");
			if (cfg->has_key)
				return fail(err, errlen, "duplicate \"key\": \"%s\" is the second value", v);
			if (dm_link_parse_key(v, &cfg->key))
				return fail(err, errlen, "invalid key \"%s\" (a number or a dotted quad)", v);
			cfg->has_key = true;
		} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit")) {
			if (cfg->has_ttl)
				return fail(err, errlen, "duplicate \"%s\": \"%s\" is the second value", k, v);
			if (!strcmp(v, "inherit"))
				n = 0;
			else if (strspn(v, "0123456789") != strlen(v) ||
				 parse_ulong(v, 10, 255, &n))
				return fail(err, errlen, "invalid TTL \"%s\" (0-255 or inherit)", v);
			cfg->ttl = (uint8_t)n;
			cfg->has_ttl = true;
		} else if (!strcmp(k, "tos") || !strcmp(k, "dsfield")) {
			if (cfg->has_tos)
				return fail(err, errlen, "duplicate \"%s\": \"%s\" is the second value", k, v);
			/* hex, as everywhere in iproute2 ("tos 10" is 0x10) */
			if (!strcmp(v, "inherit"))
				n = DMVPN_TOS_INHERIT;
			else if (parse_ulong(v, 16, 255, &n))
				return fail(err, errlen, "invalid TOS \"%s\" (hex 00-ff or inherit)", v);
			cfg->tos = (uint8_t)n;
			cfg->has_tos = true;
		} else if (!strcmp(k, "tcp-mss")) {
			if (cfg->has_tcp_mss)
				return fail(err, errlen, "duplicate \"tcp-mss\": \"%s\" is the second value", v);
			/* the range (500-1460, 0 = off) is the kernel's to check */
			if (strspn(v, "0123456789") != strlen(v) ||
			    parse_ulong(v, 10, 65535, &n))
				return fail(err, errlen, "invalid tcp-mss \"%s\" (a number, 0 = off)", v);
			cfg->tcp_mss = (uint16_t)n;
			cfg->has_tcp_mss = true;
		} else { /* dev */
			if (cfg->dev[0])
				return fail(err, errlen, "duplicate \"dev\": \"%s\" is the second value", v);
			if (!*v || strlen(v) >= IF_NAMESIZE)
				return fail(err, errlen, "invalid device name \"%s\"", v);
			snprintf(cfg->dev, sizeof(cfg->dev), "%s", v);
		}
	}
	if (cfg->local.family && cfg->remote.family &&
	    cfg->local.family != cfg->remote.family)
		return fail(err, errlen, "local and remote are of different address families (%s and %s)",
			    dm_family_name(cfg->local.family),
			    dm_family_name(cfg->remote.family));
	return DM_LINK_PARSE_OK;
}
