// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-ins for the iproute2 functions link_dmvpn.so takes from ip(8),
 * so the plugin can be driven in-process.  addattr* follow libnetlink's
 * behaviour (fail past maxlen); print_color_* record "key=value " in
 * ip_stub_json and the formatted text in ip_stub_text.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "ip_stubs.h"

char ip_stub_text[1024];
char ip_stub_json[1024];

void ip_stub_reset(void)
{
	ip_stub_text[0] = ip_stub_json[0] = '\0';
}

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen)
{
	int len = RTA_LENGTH(alen);
	struct rtattr *rta;

	if ((int)(NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len)) > maxlen)
		return -1;
	rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)len;
	if (alen)
		memcpy(RTA_DATA(rta), data, (size_t)alen);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len);
	return 0;
}

int addattr(struct nlmsghdr *n, int maxlen, int type)
{
	return addattr_l(n, maxlen, type, NULL, 0);
}

int addattr8(struct nlmsghdr *n, int maxlen, int type, uint8_t d)
{
	return addattr_l(n, maxlen, type, &d, 1);
}

int addattr16(struct nlmsghdr *n, int maxlen, int type, uint16_t d)
{
	return addattr_l(n, maxlen, type, &d, 2);
}

int addattr32(struct nlmsghdr *n, int maxlen, int type, uint32_t d)
{
	return addattr_l(n, maxlen, type, &d, 4);
}

unsigned int ll_name_to_index(const char *name)
{
	if (!strcmp(name, "lo"))
		return 1;
	if (!strcmp(name, "eth0"))
		return 2;
	return 0;
}

const char *ll_index_to_name(unsigned int idx)
{
	return idx == 1 ? "lo" : idx == 2 ? "eth0" : "if?";
}

static void rec(const char *key, const char *fmt, const char *sval,
		unsigned long long uval, int is_str)
{
	size_t t = strlen(ip_stub_text), j = strlen(ip_stub_json);

	if (fmt) {
		if (is_str)
			snprintf(ip_stub_text + t, sizeof(ip_stub_text) - t, fmt, sval);
		else
			snprintf(ip_stub_text + t, sizeof(ip_stub_text) - t, fmt, uval);
	}
	if (key) {
		if (is_str)
			snprintf(ip_stub_json + j, sizeof(ip_stub_json) - j, "%s=%s ", key, sval);
		else
			snprintf(ip_stub_json + j, sizeof(ip_stub_json) - j, "%s=%llu ", key, uval);
	}
}

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int print_color_string(int t, int color, const char *key, const char *fmt,
		       const char *value)
{
	(void)t;
	(void)color;
	rec(key, fmt, value, 0, 1);
	return 0;
}

int print_color_uint(int t, int color, const char *key, const char *fmt,
		     unsigned int value)
{
	(void)t;
	(void)color;
	rec(key, fmt, NULL, value, 0);
	return 0;
}

int print_color_bool(int t, int color, const char *key, const char *fmt,
		     _Bool value)
{
	(void)color;
	/* ip's PRINT_JSON (2) prints nothing in text mode */
	rec(key, t == 2 ? NULL : fmt, value ? "true" : "false", 0, 1);
	return 0;
}

int print_color_0xhex(int t, int color, const char *key, const char *fmt,
		      unsigned long long hex)
{
	(void)t;
	(void)color;
	rec(key, fmt, NULL, hex, 0);
	return 0;
}
