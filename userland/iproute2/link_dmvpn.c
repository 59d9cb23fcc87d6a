// SPDX-License-Identifier: GPL-2.0-only
/*
 * iproute2 link plugin for kind "dmvpn": ip loads $IP_LIB_DIR/link_dmvpn.so
 * (default /usr/lib/ip) and looks up the symbol "dmvpn_link_util".
 *
 * We do not build against iproute2's private headers; the declarations
 * below match iproute2 6.1 (ip/ip_common.h, include/libnetlink.h,
 * include/json_print.h, include/color.h, include/ll_map.h), and every
 * function used is exported by /usr/sbin/ip (nm -D).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/dmvpn.h>

#include "link_parse.h"

#define EXPORT __attribute__((visibility("default")))

#include "ip_abi.h"

/* iproute2's own plugins pass 1024: the room of struct iplink_req. */
#define MAXLEN 1024

static void dmvpn_print_help(struct link_util *lu, int argc, char **argv,
			     FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	fputs(
"Usage: ... dmvpn local ADDR [ remote ADDR ] [ key KEY | nokey ]\n"
"                 [ ttl TTL ] [ tos TOS ] [ dev PHYS_DEV ]\n"
"                 [ protect ] [ tcp-mss MSS ]\n"
"\n"
"Where: ADDR := { IPv4_ADDRESS | IPv6_ADDRESS }  (local and remote alike;\n"
"                 no remote, or \"remote any\", makes a multipoint tunnel)\n"
"       KEY  := { DOTTED_QUAD | NUMBER }\n"
"       TTL  := { 1..255 | inherit }\n"
"       TOS  := { HEX 00..ff | inherit }\n"
"       MSS  := { 500..1460 | 0 }  (clamp TCP MSS, 0 = off)\n"
"       \"nokey\" removes the GRE key (ip link set only)\n"
"       \"protect\" carries GRE only inside ESP-in-UDP (ip link add only;\n"
"                 SAs and the UDP socket: dmvpnctl crypto ...)\n",
	      f);
}

static int put_addr(struct nlmsghdr *n, int type, const struct dm_addr *a)
{
	return addattr_l(n, MAXLEN, type, a->bytes, a->len);
}

static int dmvpn_parse_opt(struct link_util *lu, int argc, char **argv,
			   struct nlmsghdr *n)
{
	struct dm_link_cfg cfg;
	char err[160];
	unsigned int link = 0;
	int r;

	r = dm_link_parse(argc, argv, &cfg, err, sizeof(err));
	if (r == DM_LINK_PARSE_HELP) {
		dmvpn_print_help(lu, argc, argv, stderr);
		return -1;
	}
	if (r) {
		fprintf(stderr, "dmvpn: %s\n", err);
		dmvpn_print_help(lu, argc, argv, stderr);
		return -1;
	}
	if (cfg.dev[0]) {
		link = ll_name_to_index(cfg.dev);
		if (!link) {
			fprintf(stderr, "Cannot find device \"%s\"\n", cfg.dev);
			return -1;
		}
	}
	/* "local" is required, but the kernel says so (extack), not us */
	if ((cfg.local.family && put_addr(n, IFLA_DMVPN_LOCAL, &cfg.local)) ||
	    (cfg.remote.family && put_addr(n, IFLA_DMVPN_REMOTE, &cfg.remote)) ||
	    (cfg.has_key && addattr32(n, MAXLEN, IFLA_DMVPN_KEY, cfg.key)) ||
	    (cfg.nokey && addattr(n, MAXLEN, IFLA_DMVPN_NOKEY)) ||
	    (cfg.has_ttl && addattr8(n, MAXLEN, IFLA_DMVPN_TTL, cfg.ttl)) ||
	    (cfg.has_tos && addattr8(n, MAXLEN, IFLA_DMVPN_TOS, cfg.tos)) ||
	    (link && addattr32(n, MAXLEN, IFLA_DMVPN_LINK, link)) ||
	    (cfg.protect && addattr8(n, MAXLEN, IFLA_DMVPN_PROTECT, 1)) ||
	    (cfg.has_tcp_mss &&
	     addattr16(n, MAXLEN, IFLA_DMVPN_TCP_MSS, cfg.tcp_mss)))
		return -1;
	return 0;
}

static bool get_addr_attr(struct rtattr *rta, struct dm_addr *a)
{
	return rta && !dm_addr_from_bin(a, RTA_DATA(rta), RTA_PAYLOAD(rta));
}

static bool get_u8_attr(struct rtattr *rta, uint8_t *v)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

static bool get_u16_attr(struct rtattr *rta, uint16_t *v)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

static bool get_u32_attr(struct rtattr *rta, uint32_t *v)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

static void dmvpn_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char buf[DM_ADDR_STRLEN];
	struct dm_addr a;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;

	(void)lu;
	(void)f;
	if (!tb)
		return;
	if (get_addr_attr(tb[IFLA_DMVPN_LOCAL], &a))
		print_color_string(PRINT_ANY, COLOR_NONE, "local", "local %s ",
				   dm_addr_fmt(&a, buf, sizeof(buf)));
	if (get_addr_attr(tb[IFLA_DMVPN_REMOTE], &a))
		print_color_string(PRINT_ANY, COLOR_NONE, "remote", "remote %s ",
				   dm_addr_fmt(&a, buf, sizeof(buf)));
	if (get_u32_attr(tb[IFLA_DMVPN_KEY], &u32))
		print_color_uint(PRINT_ANY, COLOR_NONE, "key", "key %u ", u32);
	if (get_u8_attr(tb[IFLA_DMVPN_TTL], &u8)) {
		if (u8)
			print_color_uint(PRINT_ANY, COLOR_NONE, "ttl", "ttl %u ", u8);
		else
			print_color_string(PRINT_ANY, COLOR_NONE, "ttl", "ttl %s ",
					   "inherit");
	}
	if (get_u8_attr(tb[IFLA_DMVPN_TOS], &u8)) {
		if (u8 == DMVPN_TOS_INHERIT)
			print_color_string(PRINT_ANY, COLOR_NONE, "tos", "tos %s ",
					   "inherit");
		else
			print_color_0xhex(PRINT_ANY, COLOR_NONE, "tos", "tos %#llx ",
					  u8);
	}
	if (get_u32_attr(tb[IFLA_DMVPN_LINK], &u32) && u32) {
		const char *name = ll_index_to_name(u32);

		print_color_string(PRINT_ANY, COLOR_NONE, "link", "dev %s ",
				   name ? name : "?");
	}
	/* protect: the keyword in text when set; true/false in JSON */
	if (get_u8_attr(tb[IFLA_DMVPN_PROTECT], &u8))
		print_color_bool(u8 ? PRINT_ANY : PRINT_JSON, COLOR_NONE,
				 "protect", "protect ", u8 != 0);
	if (get_u16_attr(tb[IFLA_DMVPN_TCP_MSS], &u16) && u16)
		print_color_uint(PRINT_ANY, COLOR_NONE, "tcp_mss", "tcp-mss %u ",
				 u16);
}

EXPORT struct link_util dmvpn_link_util = {
	.id = DMVPN_LINK_KIND,
	.maxattr = IFLA_DMVPN_MAX,
	.parse_opt = dmvpn_parse_opt,
	.print_opt = dmvpn_print_opt,
	.print_help = dmvpn_print_help,
};
