/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What ip(8) of iproute2 6.1 gives a link plugin: the struct it looks up
 * as "<kind>_link_util" (layout of its ip_common.h), and the helpers the
 * ip binary exports.  Declared here once, for the plugin and its tests.
 */
#ifndef DMVPN_IP_ABI_H
#define DMVPN_IP_ABI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *, int, char **, struct nlmsghdr *);
	void (*print_opt)(struct link_util *, FILE *, struct rtattr *[]);
	void (*print_xstats)(struct link_util *, FILE *, struct rtattr *);
	void (*print_help)(struct link_util *, int, char **, FILE *);
	int (*parse_ifla_xstats)(struct link_util *, int, char **);
	int (*print_ifla_xstats)(struct nlmsghdr *, void *);
};

enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 4 };
enum color_attr { COLOR_IFNAME, COLOR_MAC, COLOR_INET, COLOR_INET6,
		  COLOR_OPERSTATE_UP, COLOR_OPERSTATE_DOWN, COLOR_NONE };

int addattr(struct nlmsghdr *n, int maxlen, int type);
int addattr8(struct nlmsghdr *n, int maxlen, int type, uint8_t data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, uint16_t data);
int addattr32(struct nlmsghdr *n, int maxlen, int type, uint32_t data);
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);
unsigned int ll_name_to_index(const char *name);
const char *ll_index_to_name(unsigned int idx);
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_bool(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, bool value);
int print_color_0xhex(enum output_type t, enum color_attr color,
		      const char *key, const char *fmt, unsigned long long hex);

#endif
