/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * dmvpn: multipoint GRE tunnels with an in-kernel NHRP cache.
 *
 * This header is the whole user-space interface of the dmvpn module:
 *  - the rtnetlink link attributes of kind "dmvpn" (IFLA_INFO_DATA),
 *    used by "ip link add/set/show ... type dmvpn";
 *  - the generic-netlink family "dmvpn", used by dmvpnctl and dmvpnd.
 *
 * Documentation/netlink/specs/dmvpn.yaml describes the same interface for
 * tools such as ynl; the two must be changed together.
 *
 * Conventions:
 *  - Addresses are family-neutral binary attributes: 4 bytes for IPv4 and
 *    16 bytes for IPv6, in network byte order.  The family follows from the
 *    length, so no separate family attribute exists.
 *  - Integers are in host byte order (ports and GRE keys included); the
 *    module converts them for the wire.
 *  - Every request is validated strictly: unknown attributes, wrong sizes
 *    and out-of-range values are rejected with an extack message that names
 *    the attribute.
 */
#ifndef _UAPI_LINUX_DMVPN_H
#define _UAPI_LINUX_DMVPN_H

#include <linux/types.h>

#define DMVPN_LINK_KIND		"dmvpn"

/* ---- rtnetlink: IFLA_INFO_DATA of kind "dmvpn" ---- */
enum {
	IFLA_DMVPN_UNSPEC,
	IFLA_DMVPN_LOCAL,	/* binary 4|16: NBMA source address (required) */
	IFLA_DMVPN_REMOTE,	/* binary 4|16: set = point-to-point tunnel */
	IFLA_DMVPN_KEY,		/* u32: GRE key ("tunnel key"); absent = none */
	IFLA_DMVPN_TTL,		/* u8: outer TTL, 0 = copy from inner packet */
	IFLA_DMVPN_TOS,		/* u8: outer TOS, 1 = copy from inner packet */
	IFLA_DMVPN_LINK,	/* u32: ifindex of the underlay device, 0 = any */
	IFLA_DMVPN_NOKEY,	/* flag: no GRE key (the default on create) */
	__IFLA_DMVPN_MAX
};

#define IFLA_DMVPN_MAX		(__IFLA_DMVPN_MAX - 1)

/* IFLA_DMVPN_TOS value that means "inherit from the inner header". */
#define DMVPN_TOS_INHERIT	1

/* ---- generic netlink family "dmvpn" ---- */
#define DMVPN_GENL_NAME		"dmvpn"
#define DMVPN_GENL_VERSION	1
#define DMVPN_MCGRP_EVENTS	"events"

enum dmvpn_cmd {
	DMVPN_CMD_UNSPEC,
	/* do: one tunnel (DMVPN_A_IFINDEX); dump: every tunnel in the netns */
	DMVPN_CMD_DEV_GET,
	/* add a static NHRP mapping ("ip nhrp map"); an existing entry for
	 * the same tunnel address is replaced unless NLM_F_EXCL is set.
	 * Only DMVPN_NHRP_TYPE_STATIC and the UNIQUE flag are accepted; the
	 * other types and flags are state that NHRP itself maintains.
	 */
	DMVPN_CMD_NHRP_ADD,
	/* delete one NHRP entry by protocol address (and prefix length) */
	DMVPN_CMD_NHRP_DEL,
	/* do: one entry by protocol address; dump: a tunnel's cache */
	DMVPN_CMD_NHRP_GET,
	/* delete every non-static entry ("clear ip nhrp"), or every entry
	 * with DMVPN_A_FLUSH_ALL
	 */
	DMVPN_CMD_NHRP_FLUSH,
	/* multicast: an NHRP entry was added or replaced (NHRP_NEW) or
	 * deleted (NHRP_DEL); see enum dmvpn_event
	 */
	DMVPN_CMD_NHRP_NOTIFY,
	__DMVPN_CMD_MAX
};

#define DMVPN_CMD_MAX		(__DMVPN_CMD_MAX - 1)

enum dmvpn_attr {
	DMVPN_A_UNSPEC,
	DMVPN_A_IFINDEX,	/* u32: the dmvpn tunnel */
	DMVPN_A_IFNAME,		/* string: its name (replies only) */
	DMVPN_A_DEV,		/* nest: dmvpn_dev_attr (replies only) */
	DMVPN_A_NHRP,		/* nest: dmvpn_nhrp_attr */
	DMVPN_A_FLUSH_ALL,	/* flag: NHRP_FLUSH removes static entries too */
	DMVPN_A_EVENT,		/* u8: enum dmvpn_event (notifications) */
	__DMVPN_A_MAX
};

#define DMVPN_A_MAX		(__DMVPN_A_MAX - 1)

/* Tunnel description in DMVPN_CMD_DEV_GET replies. */
enum dmvpn_dev_attr {
	DMVPN_DEV_A_UNSPEC,
	DMVPN_DEV_A_LOCAL,	/* binary 4|16 */
	DMVPN_DEV_A_REMOTE,	/* binary 4|16: point-to-point tunnels only */
	DMVPN_DEV_A_KEY,	/* u32: absent = no key */
	DMVPN_DEV_A_TTL,	/* u8 */
	DMVPN_DEV_A_TOS,	/* u8 */
	DMVPN_DEV_A_LINK,	/* u32 */
	DMVPN_DEV_A_NHRP_COUNT,	/* u32: entries in the NHRP cache */
	DMVPN_DEV_A_PEER_COUNT,	/* u32: distinct NBMA peers */
	DMVPN_DEV_A_STATS,	/* nest: enum dmvpn_stat, each a u64 */
	DMVPN_DEV_A_PAD,
	__DMVPN_DEV_A_MAX
};

#define DMVPN_DEV_A_MAX		(__DMVPN_DEV_A_MAX - 1)

/*
 * Drop and error counters of a tunnel.  Each is carried as a u64 attribute
 * whose type is the enum value, inside DMVPN_DEV_A_STATS.  The same
 * counters appear in "ethtool -S".  Totals (packets, bytes, rx_errors,
 * tx_dropped, ...) are in the ordinary interface statistics ("ip -s link").
 */
enum dmvpn_stat {
	DMVPN_STAT_UNSPEC,
	DMVPN_STAT_RX_KEY_MISMATCH,	/* GRE key absent, present or wrong */
	DMVPN_STAT_RX_CSUM_ERRORS,	/* GRE checksum did not verify */
	DMVPN_STAT_RX_BAD_HEADER,	/* truncated or malformed GRE header */
	DMVPN_STAT_RX_UNKNOWN_PROTO,	/* GRE protocol type we do not carry */
	DMVPN_STAT_TX_NO_NHRP,		/* no NHRP entry for the next hop */
	DMVPN_STAT_TX_NO_ROUTE,		/* no underlay route to the NBMA peer */
	DMVPN_STAT_TX_TOO_BIG,		/* exceeded the path MTU with DF set */
	DMVPN_STAT_TX_UNSUPPORTED,	/* inner protocol we cannot carry */
	DMVPN_STAT_PAD,
	__DMVPN_STAT_MAX
};

#define DMVPN_STAT_MAX		(__DMVPN_STAT_MAX - 1)

/* One NHRP cache entry ("show ip nhrp"). */
enum dmvpn_nhrp_attr {
	DMVPN_NHRP_A_UNSPEC,
	DMVPN_NHRP_A_PROTO_ADDR,	/* binary 4|16: tunnel (protocol) address */
	DMVPN_NHRP_A_PREFIX_LEN,	/* u8: default /32 or /128 */
	DMVPN_NHRP_A_NBMA_ADDR,		/* binary 4|16: NBMA (underlay) address */
	DMVPN_NHRP_A_NBMA_PORT,		/* u16: post-NAT UDP port, 0 = none */
	DMVPN_NHRP_A_TYPE,		/* u8: enum dmvpn_nhrp_type */
	DMVPN_NHRP_A_FLAGS,		/* u32: DMVPN_NHRP_F_* */
	DMVPN_NHRP_A_AGE,		/* u64: seconds since created */
	DMVPN_NHRP_A_EXPIRES,		/* u32: seconds left; absent = never */
	DMVPN_NHRP_A_PAD,
	__DMVPN_NHRP_A_MAX
};

#define DMVPN_NHRP_A_MAX	(__DMVPN_NHRP_A_MAX - 1)

/* Entry types, as in Cisco's "show ip nhrp". */
enum dmvpn_nhrp_type {
	DMVPN_NHRP_TYPE_UNSPEC,
	DMVPN_NHRP_TYPE_STATIC,		/* configured ("ip nhrp map") */
	DMVPN_NHRP_TYPE_DYNAMIC,	/* learnt from a registration */
	DMVPN_NHRP_TYPE_INCOMPLETE,	/* resolution pending */
	DMVPN_NHRP_TYPE_LOCAL,		/* our own address, sent in replies */
	DMVPN_NHRP_TYPE_SHORTCUT,	/* phase-3 shortcut route */
	__DMVPN_NHRP_TYPE_MAX
};

#define DMVPN_NHRP_TYPE_MAX	(__DMVPN_NHRP_TYPE_MAX - 1)

/* Entry flags, as in Cisco's "show ip nhrp detail". */
#define DMVPN_NHRP_F_UNIQUE	(1U << 0)	/* may not be re-registered */
#define DMVPN_NHRP_F_REGISTERED	(1U << 1)	/* from a registration */
#define DMVPN_NHRP_F_USED	(1U << 2)	/* forwarded through recently */
#define DMVPN_NHRP_F_NAT	(1U << 3)	/* peer is behind NAT */
#define DMVPN_NHRP_F_ALL	(DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_REGISTERED | \
				 DMVPN_NHRP_F_USED | DMVPN_NHRP_F_NAT)

/* DMVPN_A_EVENT values. */
enum dmvpn_event {
	DMVPN_EVENT_UNSPEC,
	DMVPN_EVENT_NHRP_NEW,		/* added, or replaced in place */
	DMVPN_EVENT_NHRP_DEL,
	__DMVPN_EVENT_MAX
};

#define DMVPN_EVENT_MAX		(__DMVPN_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_DMVPN_H */
