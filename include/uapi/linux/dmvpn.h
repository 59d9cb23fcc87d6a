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
	/* u8: 1 = tunnel protection ("tunnel protection ipsec profile"):
	 * GRE travels only inside ESP-in-UDP (RFC 4303, RFC 3948), never in
	 * clear.  Fixed when the tunnel is created.
	 */
	IFLA_DMVPN_PROTECT,
	IFLA_DMVPN_TCP_MSS,	/* u16: clamp TCP MSS ("ip tcp adjust-mss"), 0 = off */
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
	/* hand the tunnel a bound UDP socket (DMVPN_A_SOCK_FD), normally the
	 * keyer's port-4500 socket.  ESP arriving on it is consumed by the
	 * module, IKE (non-ESP marker) still reaches the socket's owner, NAT
	 * keepalives are dropped.  The module keeps the socket open until
	 * SOCK_DETACH or the tunnel is deleted.  Protected tunnels only.
	 */
	DMVPN_CMD_SOCK_ATTACH,
	/* give the socket back to its owner, exactly as it was */
	DMVPN_CMD_SOCK_DETACH,
	/* install a security association (DMVPN_A_SA).  Inbound SAs are
	 * found by SPI; a peer's outbound traffic moves to its newest
	 * outbound SA at once (make-before-break rekey).
	 */
	DMVPN_CMD_SA_ADD,
	/* delete one SA: DMVPN_SA_A_DIR and _SPI, plus the peer for outbound */
	DMVPN_CMD_SA_DEL,
	/* do: one SA (as for SA_DEL); dump: every SA of a tunnel, or of one
	 * peer with DMVPN_SA_A_PEER_ADDR.  Key material is never returned.
	 */
	DMVPN_CMD_SA_GET,
	/* delete every SA of a tunnel, or of one peer ("clear crypto sa") */
	DMVPN_CMD_SA_FLUSH,
	/* multicast: SA events (acquire, expiry, invalid SPI); DMVPN_A_EVENT */
	DMVPN_CMD_SA_NOTIFY,
	/* dump: a tunnel's NBMA peers with their crypto state and counters */
	DMVPN_CMD_PEER_GET,
	/* change the tunnel's NHRP configuration (DMVPN_A_NHRP_CONF); only
	 * the attributes present change.  NHRP runs on a tunnel once it has
	 * a network-id ("ip nhrp network-id"); DEV_GET shows the result.
	 */
	DMVPN_CMD_NHRP_CONF_SET,
	/* add or replace a next-hop server ("ip nhrp nhs"), DMVPN_A_NHS */
	DMVPN_CMD_NHS_ADD,
	/* delete one NHS by its protocol address */
	DMVPN_CMD_NHS_DEL,
	/* dump: a tunnel's NHSs with their registration state
	 * ("show ip nhrp nhs")
	 */
	DMVPN_CMD_NHS_GET,
	/* add a static multicast destination ("ip nhrp map multicast
	 * NBMA"), DMVPN_A_MCAST; "map multicast dynamic" is in the conf
	 */
	DMVPN_CMD_MCAST_ADD,
	DMVPN_CMD_MCAST_DEL,
	/* dump: the static multicast destinations */
	DMVPN_CMD_MCAST_GET,
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
	DMVPN_A_SOCK_FD,	/* u32: file descriptor of a bound UDP socket */
	DMVPN_A_SA,		/* nest: dmvpn_sa_attr */
	DMVPN_A_PEER,		/* nest: dmvpn_peer_attr (replies, events) */
	DMVPN_A_SOCK_PORT,	/* u16: local port of the attached socket (replies) */
	DMVPN_A_NHRP_CONF,	/* nest: dmvpn_nhrp_conf_attr */
	DMVPN_A_NHS,		/* nest: dmvpn_nhs_attr */
	DMVPN_A_MCAST,		/* nest: dmvpn_mcast_attr */
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
	DMVPN_DEV_A_PROTECT,	/* u8: 1 = ESP-in-UDP protection */
	DMVPN_DEV_A_SOCK_PORT,	/* u16: local port of the attached socket */
	DMVPN_DEV_A_SA_COUNT,	/* u32: installed SAs, both directions */
	DMVPN_DEV_A_TCP_MSS,	/* u16: TCP MSS clamp, absent = off */
	DMVPN_DEV_A_NHRP_CONF,	/* nest: dmvpn_nhrp_conf_attr (no key) */
	DMVPN_DEV_A_NHRP_STATS,	/* nest: enum dmvpn_nhrp_stat, each a u64 */
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
	/* tunnel protection (summed over peers and SAs) */
	DMVPN_STAT_TX_NO_SA,		/* "no sa (send)": held-queue overflow */
	DMVPN_STAT_RX_INVALID_SPI,	/* "invalid sa (rcv)": unknown SPI */
	DMVPN_STAT_RX_REPLAY,		/* "replay failed" */
	DMVPN_STAT_RX_AUTH_FAILED,	/* "verify failed": ICV mismatch */
	DMVPN_STAT_RX_INVALID_LEN,	/* "invalid len": bad ESP length/padding */
	DMVPN_STAT_TX_ENCAPS_FAILED,	/* "encaps failed" (e.g. seq exhausted) */
	DMVPN_STAT_RX_DECAPS_FAILED,	/* "decaps failed": bad inner packet */
	DMVPN_STAT_INTERNAL_ERR,	/* "internal err": memory, crypto API */
	DMVPN_STAT_RX_NOT_PROTECTED,	/* GRE outside ESP on a protected tunnel */
	DMVPN_STAT_RX_KEEPALIVE,	/* NAT keepalives (RFC 3948 2.3), eaten */
	DMVPN_STAT_TX_VIA_NHS,		/* sent through the NHS: the spoke it
					 * is for has no SA yet
					 */
	__DMVPN_STAT_MAX
};

#define DMVPN_STAT_MAX		(__DMVPN_STAT_MAX - 1)

/* One NHRP cache entry ("show ip nhrp"). */
enum dmvpn_nhrp_attr {
	DMVPN_NHRP_A_UNSPEC,
	DMVPN_NHRP_A_PROTO_ADDR,	/* binary 4|16: tunnel (protocol) address */
	DMVPN_NHRP_A_PREFIX_LEN,	/* u8: default /32 or /128; shorter: the
					 * entry is for a prefix, whose address
					 * has no host bits set
					 */
	DMVPN_NHRP_A_NBMA_ADDR,		/* binary 4|16: NBMA (underlay) address */
	DMVPN_NHRP_A_NBMA_PORT,		/* u16: post-NAT UDP port, 0 = none */
	DMVPN_NHRP_A_TYPE,		/* u8: enum dmvpn_nhrp_type */
	DMVPN_NHRP_A_FLAGS,		/* u32: DMVPN_NHRP_F_* */
	DMVPN_NHRP_A_AGE,		/* u64: seconds since created */
	DMVPN_NHRP_A_EXPIRES,		/* u32: seconds left; absent = never */
	DMVPN_NHRP_A_PAD,
	DMVPN_NHRP_A_NEXT_HOP,		/* binary 4|16: a prefix learnt by
					 * resolution: the tunnel address of the
					 * router that answered (read-only)
					 */
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
#define DMVPN_NHRP_F_IMPLICIT	(1U << 4)	/* learnt from the source of a
						 * resolution request
						 */
#define DMVPN_NHRP_F_ALL	(DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_REGISTERED | \
				 DMVPN_NHRP_F_USED | DMVPN_NHRP_F_NAT | \
				 DMVPN_NHRP_F_IMPLICIT)

/* DMVPN_A_EVENT values. */
enum dmvpn_event {
	DMVPN_EVENT_UNSPEC,
	DMVPN_EVENT_NHRP_NEW,		/* added, or replaced in place */
	DMVPN_EVENT_NHRP_DEL,
	/* SA events, in DMVPN_CMD_SA_NOTIFY messages */
	DMVPN_EVENT_SA_ACQUIRE,		/* DMVPN_A_PEER: traffic waits for SAs */
	DMVPN_EVENT_SA_SOFT_EXPIRE,	/* DMVPN_A_SA: rekey now */
	DMVPN_EVENT_SA_HARD_EXPIRE,	/* DMVPN_A_SA: deleted */
	DMVPN_EVENT_SA_INVALID_SPI,	/* DMVPN_A_SA: SPI and sender of ESP
					 * nobody has an SA for
					 */
	__DMVPN_EVENT_MAX
};

#define DMVPN_EVENT_MAX		(__DMVPN_EVENT_MAX - 1)

/* ---- tunnel protection: security associations ---- */

/* The UDP port of ESP-in-UDP and NAT-T IKE (RFC 3948). */
#define DMVPN_NATT_PORT		4500

/* Default anti-replay window, in packets, and the largest accepted. */
#define DMVPN_REPLAY_WINDOW_DEFAULT	64
#define DMVPN_REPLAY_WINDOW_LIMIT	4096

/*
 * ESP algorithm suites (DMVPN_SA_A_ALG).  One value names cipher,
 * integrity and ICV length together.  Keys: DMVPN_SA_A_ENC_KEY is the
 * cipher key followed by the salt where the suite has one (GCM and
 * ChaCha20: 4 bytes), DMVPN_SA_A_AUTH_KEY the HMAC key of the CBC suites.
 */
enum dmvpn_esp_alg {
	DMVPN_ESP_ALG_UNSPEC,
	DMVPN_ESP_AES128_GCM16,			/* RFC 4106; key 16+4 */
	DMVPN_ESP_AES256_GCM16,			/* key 32+4 */
	DMVPN_ESP_AES128_CBC_HMAC_SHA1_96,	/* RFC 3602 + 2404; 16, 20 */
	DMVPN_ESP_AES128_CBC_HMAC_SHA256_128,	/* RFC 4868; 16, 32 */
	DMVPN_ESP_AES128_CBC_HMAC_SHA384_192,	/* 16, 48 */
	DMVPN_ESP_AES128_CBC_HMAC_SHA512_256,	/* 16, 64 */
	DMVPN_ESP_AES256_CBC_HMAC_SHA1_96,	/* 32, 20 */
	DMVPN_ESP_AES256_CBC_HMAC_SHA256_128,	/* 32, 32 */
	DMVPN_ESP_AES256_CBC_HMAC_SHA384_192,	/* 32, 48 */
	DMVPN_ESP_AES256_CBC_HMAC_SHA512_256,	/* 32, 64 */
	DMVPN_ESP_3DES_CBC_HMAC_SHA1_96,	/* RFC 2451 ("esp-3des esp-sha-hmac"); 24, 20 */
	DMVPN_ESP_3DES_CBC_HMAC_MD5_96,		/* "esp-3des esp-md5-hmac"; 24, 16 */
	DMVPN_ESP_CHACHA20_POLY1305,		/* RFC 7634; key 32+4 */
	DMVPN_ESP_NULL,		/* no protection at all: needs ALLOW_INSECURE */
	__DMVPN_ESP_ALG_MAX
};

#define DMVPN_ESP_ALG_MAX	(__DMVPN_ESP_ALG_MAX - 1)

enum dmvpn_sa_dir {
	DMVPN_SA_DIR_UNSPEC,
	DMVPN_SA_DIR_IN,
	DMVPN_SA_DIR_OUT,
	__DMVPN_SA_DIR_MAX
};

enum dmvpn_sa_mode {
	DMVPN_SA_MODE_UNSPEC,
	DMVPN_SA_MODE_TRANSPORT,	/* ESP next header is GRE (the default) */
	DMVPN_SA_MODE_TUNNEL,		/* ESP carries IP(NBMA) + GRE */
	__DMVPN_SA_MODE_MAX
};

/* DMVPN_SA_A_FLAGS */
#define DMVPN_SA_F_ESN			(1U << 0)	/* 64-bit sequence numbers */
#define DMVPN_SA_F_ALLOW_INSECURE	(1U << 1)	/* permit DMVPN_ESP_NULL */
#define DMVPN_SA_F_ALL			(DMVPN_SA_F_ESN | DMVPN_SA_F_ALLOW_INSECURE)

/* DMVPN_SA_A_STATE bits (replies only) */
#define DMVPN_SA_S_CURRENT	(1U << 0)	/* outbound: carries the peer's traffic */
#define DMVPN_SA_S_SOFT_EXPIRED	(1U << 1)	/* soft lifetime reached, rekey due */

enum dmvpn_sa_attr {
	DMVPN_SA_A_UNSPEC,
	DMVPN_SA_A_DIR,		/* u8: enum dmvpn_sa_dir (required) */
	DMVPN_SA_A_SPI,		/* u32: 256 and up (RFC 4303 2.1) (required) */
	DMVPN_SA_A_PEER_ADDR,	/* binary 4|16: NBMA address of the peer */
	DMVPN_SA_A_PEER_PORT,	/* u16: its UDP port (post-NAT), 0 = 4500 */
	DMVPN_SA_A_ALG,		/* u32: enum dmvpn_esp_alg */
	DMVPN_SA_A_ENC_KEY,	/* binary: write-only, never dumped */
	DMVPN_SA_A_AUTH_KEY,	/* binary: write-only, never dumped */
	DMVPN_SA_A_MODE,	/* u8: enum dmvpn_sa_mode, default transport */
	DMVPN_SA_A_REPLAY_WINDOW, /* u32: inbound, packets; 0 = off, default 64 */
	DMVPN_SA_A_FLAGS,	/* u32: DMVPN_SA_F_* */
	DMVPN_SA_A_REQID,	/* u32: the keyer's tag, echoed in events */
	DMVPN_SA_A_SOFT_SECS,	/* u32: soft lifetime, seconds; 0 = none */
	DMVPN_SA_A_HARD_SECS,	/* u32: hard lifetime, seconds; 0 = none */
	DMVPN_SA_A_SOFT_KB,	/* u64: soft lifetime, kilobytes; 0 = none */
	DMVPN_SA_A_HARD_KB,	/* u64: hard lifetime, kilobytes; 0 = none */
	/* replies only */
	DMVPN_SA_A_STATE,	/* u32: DMVPN_SA_S_* */
	DMVPN_SA_A_AGE,		/* u64: seconds since installed */
	DMVPN_SA_A_LEFT_SECS,	/* u32: seconds to hard expiry; absent = none */
	DMVPN_SA_A_LEFT_KB,	/* u64: kilobytes to hard expiry; absent = none */
	DMVPN_SA_A_STATS,	/* nest: enum dmvpn_sa_stat, each a u64 */
	DMVPN_SA_A_PAD,
	DMVPN_SA_A_SEQ,		/* u64: outbound: last sequence number sent;
				 * inbound: highest received
				 */
	__DMVPN_SA_A_MAX
};

#define DMVPN_SA_A_MAX		(__DMVPN_SA_A_MAX - 1)

/* Counters of one SA, as "show crypto ipsec sa detail" shows them. */
enum dmvpn_sa_stat {
	DMVPN_SA_STAT_UNSPEC,
	DMVPN_SA_STAT_PACKETS,	/* encaps/encrypt/digest, or decaps/decrypt/verify */
	DMVPN_SA_STAT_BYTES,	/* ESP payload bytes (lifetime accounting) */
	DMVPN_SA_STAT_REPLAY,	/* replay failed */
	DMVPN_SA_STAT_AUTH_FAILED, /* verify failed */
	DMVPN_SA_STAT_INVALID_LEN, /* invalid len */
	DMVPN_SA_STAT_ENCAPS_FAILED,
	DMVPN_SA_STAT_DECAPS_FAILED,
	DMVPN_SA_STAT_INTERNAL_ERR,
	DMVPN_SA_STAT_PAD,
	__DMVPN_SA_STAT_MAX
};

#define DMVPN_SA_STAT_MAX	(__DMVPN_SA_STAT_MAX - 1)

/* One NBMA peer in DMVPN_CMD_PEER_GET replies and acquire events. */
enum dmvpn_peer_attr {
	DMVPN_PEER_A_UNSPEC,
	DMVPN_PEER_A_ADDR,	/* binary 4|16 */
	DMVPN_PEER_A_PORT,	/* u16: UDP port, 4500 unless NAT changed it */
	DMVPN_PEER_A_SPI_OUT,	/* u32: SPI of the current outbound SA */
	DMVPN_PEER_A_HELD,	/* u32: packets waiting for an SA */
	DMVPN_PEER_A_NO_SA,	/* u64: "no sa (send)": held-queue overflow */
	DMVPN_PEER_A_INVALID_SPI, /* u64: "invalid sa (rcv)" from this peer */
	DMVPN_PEER_A_PMTU,	/* u32: path MTU to the peer, if learnt */
	DMVPN_PEER_A_PAD,
	__DMVPN_PEER_A_MAX
};

#define DMVPN_PEER_A_MAX	(__DMVPN_PEER_A_MAX - 1)

/* ---- NHRP protocol (RFC 2332, Cisco DMVPN) ---- */

/* Defaults, as on IOS. */
#define DMVPN_NHRP_HOLDTIME_DEFAULT	7200	/* "ip nhrp holdtime" */
#define DMVPN_NHRP_AUTH_MAX		8	/* "ip nhrp authentication" */

/*
 * Tunnel NHRP configuration (DMVPN_A_NHRP_CONF in NHRP_CONF_SET, and
 * DMVPN_DEV_A_NHRP_CONF in DEV_GET replies).
 */
enum dmvpn_nhrp_conf_attr {
	DMVPN_NHRP_CONF_A_UNSPEC,
	/* u32: "ip nhrp network-id"; 0 = NHRP off on this tunnel.  Local
	 * only: never sent on the wire.
	 */
	DMVPN_NHRP_CONF_A_NETWORK_ID,
	DMVPN_NHRP_CONF_A_HOLDTIME,	/* u32: seconds, 1-65535 (7200) */
	/* u32: seconds between registrations, 1-65535; 0 = holdtime/3
	 * ("ip nhrp registration timeout")
	 */
	DMVPN_NHRP_CONF_A_REG_INTERVAL,
	DMVPN_NHRP_CONF_A_AUTH,		/* binary 1-8: cleartext key; write-only */
	DMVPN_NHRP_CONF_A_AUTH_CLEAR,	/* flag: remove the key */
	DMVPN_NHRP_CONF_A_AUTH_SET,	/* u8: 1 = a key is set (replies only) */
	DMVPN_NHRP_CONF_A_REDIRECT,	/* u8: 0/1 "ip nhrp redirect" (hub) */
	DMVPN_NHRP_CONF_A_SHORTCUT,	/* u8: 0/1 "ip nhrp shortcut" (spoke) */
	/* u8: 0/1 "ip nhrp map multicast dynamic": replicate multicast to
	 * every registered spoke
	 */
	DMVPN_NHRP_CONF_A_MCAST_DYNAMIC,
	/* u8: 0/1 "ip nhrp registration no-unique" */
	DMVPN_NHRP_CONF_A_REG_NO_UNIQUE,
	__DMVPN_NHRP_CONF_A_MAX
};

#define DMVPN_NHRP_CONF_A_MAX	(__DMVPN_NHRP_CONF_A_MAX - 1)

/* Registration state of an NHS, as the letters of "show ip nhrp nhs". */
enum dmvpn_nhs_state {
	DMVPN_NHS_STATE_UNSPEC,
	DMVPN_NHS_STATE_WAITING,	/* W: nothing sent yet (no NBMA, NHRP off) */
	DMVPN_NHS_STATE_EXPECTING,	/* E: requests sent, no reply to them */
	DMVPN_NHS_STATE_RESPONDING,	/* R: the last registration was answered */
	__DMVPN_NHS_STATE_MAX
};

/* One next-hop server (DMVPN_A_NHS). */
enum dmvpn_nhs_attr {
	DMVPN_NHS_A_UNSPEC,
	DMVPN_NHS_A_PROTO_ADDR,	/* binary 4|16: its tunnel address (required) */
	/* binary 4|16: its NBMA address; absent = from the static map of
	 * PROTO_ADDR ("ip nhrp map")
	 */
	DMVPN_NHS_A_NBMA_ADDR,
	DMVPN_NHS_A_PRIORITY,	/* u8: lower is preferred for resolution (0) */
	/* replies only */
	DMVPN_NHS_A_STATE,	/* u8: enum dmvpn_nhs_state */
	DMVPN_NHS_A_REQ_SENT,	/* u64: registration requests sent */
	DMVPN_NHS_A_REPLY_RECV,	/* u64: successful replies received */
	DMVPN_NHS_A_LAST_REPLY,	/* u32: seconds since the last reply */
	DMVPN_NHS_A_NEXT_REG,	/* u32: seconds to the next request */
	DMVPN_NHS_A_LAST_CODE,	/* u8: CIE code of the last reply (0 = ok) */
	/* binary 4|16: our NBMA address as the NHS saw it, when it differs
	 * from ours: we are behind NAT (Cisco NAT extension)
	 */
	DMVPN_NHS_A_NAT_ADDR,
	DMVPN_NHS_A_PAD,
	__DMVPN_NHS_A_MAX
};

#define DMVPN_NHS_A_MAX		(__DMVPN_NHS_A_MAX - 1)

/* One static multicast destination (DMVPN_A_MCAST). */
enum dmvpn_mcast_attr {
	DMVPN_MCAST_A_UNSPEC,
	DMVPN_MCAST_A_NBMA_ADDR,	/* binary 4|16 (required) */
	__DMVPN_MCAST_A_MAX
};

#define DMVPN_MCAST_A_MAX	(__DMVPN_MCAST_A_MAX - 1)

/*
 * NHRP packet counters of a tunnel ("show ip nhrp traffic"), each a u64
 * in DMVPN_DEV_A_NHRP_STATS whose type is the enum value.
 */
enum dmvpn_nhrp_stat {
	DMVPN_NHRP_STAT_UNSPEC,
	DMVPN_NHRP_STAT_RX_RES_REQ,
	DMVPN_NHRP_STAT_RX_RES_REPLY,
	DMVPN_NHRP_STAT_RX_REG_REQ,
	DMVPN_NHRP_STAT_RX_REG_REPLY,
	DMVPN_NHRP_STAT_RX_PURGE_REQ,
	DMVPN_NHRP_STAT_RX_PURGE_REPLY,
	DMVPN_NHRP_STAT_RX_ERROR_IND,
	DMVPN_NHRP_STAT_RX_TRAFFIC_IND,
	DMVPN_NHRP_STAT_TX_RES_REQ,
	DMVPN_NHRP_STAT_TX_RES_REPLY,
	DMVPN_NHRP_STAT_TX_REG_REQ,
	DMVPN_NHRP_STAT_TX_REG_REPLY,
	DMVPN_NHRP_STAT_TX_PURGE_REQ,
	DMVPN_NHRP_STAT_TX_PURGE_REPLY,
	DMVPN_NHRP_STAT_TX_ERROR_IND,
	DMVPN_NHRP_STAT_TX_TRAFFIC_IND,
	DMVPN_NHRP_STAT_RX_MALFORMED,	/* failed parsing (checksum, lengths...) */
	DMVPN_NHRP_STAT_RX_AUTH_FAILED,	/* authentication missing or wrong */
	DMVPN_NHRP_STAT_RX_LOOP,	/* our own address in a transit record */
	/* well-formed but not acted on: NHRP off, unexpected reply, hop
	 * count exhausted, no route to forward
	 */
	DMVPN_NHRP_STAT_RX_DROPPED,
	DMVPN_NHRP_STAT_PAD,
	__DMVPN_NHRP_STAT_MAX
};

#define DMVPN_NHRP_STAT_MAX	(__DMVPN_NHRP_STAT_MAX - 1)

#endif /* _UAPI_LINUX_DMVPN_H */
