/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Client of the generic-netlink family "dmvpn" (libnl-genl-3).
 *
 * Split in three layers so each can be tested without a kernel:
 *  - request builders (dm_msg_*, dm_put_*): fill a struct nl_msg;
 *  - reply parsers (dm_parse_*): nlmsghdr -> plain C structs;
 *  - the socket (dm_nl_*): send, collect replies, decode errors + extack.
 */
#ifndef DMVPN_LIB_DMVPN_NL_H
#define DMVPN_LIB_DMVPN_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/msg.h>

#include <linux/dmvpn.h>

#include "addr.h"

/* Room for counters of newer kernels than this header. */
#define DM_STAT_SLOTS	64

struct dm_nhrp_entry {
	uint32_t ifindex;
	struct dm_addr proto;
	uint8_t plen;
	bool has_plen;
	struct dm_addr nbma;
	uint16_t port;		/* 0 = none */
	uint8_t type;		/* enum dmvpn_nhrp_type */
	uint32_t flags;		/* DMVPN_NHRP_F_* */
	uint64_t age;
	bool has_age;
	uint32_t expires;
	bool has_expires;	/* false = never expires */
	struct dm_addr next_hop;	/* a resolved prefix: who answered */
};

/* Room for NHRP counters of newer kernels than this header. */
#define DM_NHRP_STAT_SLOTS	64

/*
 * NHRP configuration of a tunnel: what "nhrp set" sends (has_* say what
 * the user gave) and what DEV_GET replies carry (DMVPN_DEV_A_NHRP_CONF).
 */
struct dm_nhrp_conf {
	bool has_network_id;
	uint32_t network_id;	/* 0 = NHRP off */
	bool has_holdtime;
	uint32_t holdtime;
	bool has_reg_interval;
	uint32_t reg_interval;	/* 0 = holdtime/3 */
	/* requests only: the key is write-only */
	bool has_auth;
	uint8_t auth[DMVPN_NHRP_AUTH_MAX];
	size_t auth_len;
	bool auth_clear;
	/* replies only */
	bool has_auth_set;
	bool auth_set;
	bool has_redirect, redirect;
	bool has_shortcut, shortcut;
	bool has_mcast_dynamic, mcast_dynamic;
	bool has_reg_no_unique, reg_no_unique;
};

struct dm_dev_info {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct dm_addr local;
	struct dm_addr remote;	/* family 0 = multipoint */
	bool has_key;
	uint32_t key;
	uint8_t ttl;
	uint8_t tos;
	uint32_t link;
	bool has_nhrp_count, has_peer_count;
	uint32_t nhrp_count, peer_count;
	bool has_stats;
	bool stat_present[DM_STAT_SLOTS];
	uint64_t stats[DM_STAT_SLOTS];
	/* tunnel protection (absent from older modules) */
	bool has_protect;
	bool protect;
	uint16_t sock_port;	/* 0 = no socket attached */
	bool has_sa_count;
	uint32_t sa_count;
	uint16_t tcp_mss;	/* 0 = no clamp */
	/* NHRP protocol (absent from older modules) */
	bool has_nhrp_conf;
	struct dm_nhrp_conf nhrp;
	bool has_nhrp_stats;
	bool nhrp_stat_present[DM_NHRP_STAT_SLOTS];
	uint64_t nhrp_stats[DM_NHRP_STAT_SLOTS];
};

/* One next-hop server: what "nhrp nhs add|del" sends and NHS_GET replies. */
struct dm_nhs {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct dm_addr proto;	/* required */
	struct dm_addr nbma;	/* family 0 = from the static map */
	bool has_priority;
	uint8_t priority;
	/* replies only */
	uint8_t state;		/* enum dmvpn_nhs_state, 0 = not reported */
	bool has_req_sent;
	uint64_t req_sent;
	bool has_reply_recv;
	uint64_t reply_recv;
	bool has_last_reply;
	uint32_t last_reply;	/* seconds ago */
	bool has_next_reg;
	uint32_t next_reg;	/* seconds from now */
	bool has_last_code;
	uint8_t last_code;	/* CIE code, 0 = success */
	struct dm_addr nat_addr; /* family 0 = not behind NAT */
};

/* One static multicast destination (MCAST_GET replies). */
struct dm_mcast {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct dm_addr nbma;
};

/* Room for SA counters of newer kernels than this header. */
#define DM_SA_STAT_SLOTS	32
/* Longest key the module accepts (DMVPN_SA_A_ENC_KEY / _AUTH_KEY). */
#define DM_SA_KEY_MAX		64

/*
 * One security association: what "crypto sa add" sends (the has_* fields
 * say what the user gave) and what SA_GET replies and SA events carry.
 */
struct dm_sa {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t dir;		/* enum dmvpn_sa_dir, 0 = not given */
	bool has_spi;
	uint32_t spi;
	struct dm_addr peer;	/* family 0 = not given */
	uint16_t port;		/* 0 = not given / default 4500 */
	uint32_t alg;		/* enum dmvpn_esp_alg, 0 = not given */
	uint8_t enc_key[DM_SA_KEY_MAX];
	size_t enc_key_len;
	bool has_enc_key;
	uint8_t auth_key[DM_SA_KEY_MAX];
	size_t auth_key_len;
	bool has_auth_key;
	uint8_t mode;		/* enum dmvpn_sa_mode, 0 = not given */
	bool has_replay_window;
	uint32_t replay_window;
	bool has_flags;
	uint32_t flags;		/* DMVPN_SA_F_* */
	bool has_reqid;
	uint32_t reqid;
	bool has_soft_secs, has_hard_secs, has_soft_kb, has_hard_kb;
	uint32_t soft_secs, hard_secs;
	uint64_t soft_kb, hard_kb;
	/* replies only */
	bool has_state;
	uint32_t state;		/* DMVPN_SA_S_* */
	bool has_age;
	uint64_t age;
	bool has_left_secs;
	uint32_t left_secs;
	bool has_left_kb;
	uint64_t left_kb;
	bool has_seq;
	uint64_t seq;
	bool has_stats;
	bool stat_present[DM_SA_STAT_SLOTS];
	uint64_t stats[DM_SA_STAT_SLOTS];
};

/* One NBMA peer of a tunnel (PEER_GET replies, acquire events). */
struct dm_peer {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct dm_addr addr;
	uint16_t port;
	bool has_spi_out;
	uint32_t spi_out;
	uint32_t held;
	uint64_t no_sa;
	uint64_t invalid_spi;
	bool has_pmtu;
	uint32_t pmtu;
};

/* ---- builders ---- */
struct nl_msg *dm_msg_alloc(int family, uint8_t cmd, int nlflags);
int dm_put_ifindex(struct nl_msg *msg, uint32_t ifindex);
/* NHRP nest: PROTO_ADDR, PREFIX_LEN if has_plen, NBMA_ADDR if set,
 * NBMA_PORT if non-zero. */
int dm_put_nhrp(struct nl_msg *msg, const struct dm_nhrp_entry *e);
int dm_put_flush_all(struct nl_msg *msg);
/* DMVPN_A_SOCK_FD */
int dm_put_sock_fd(struct nl_msg *msg, uint32_t fd);
/*
 * SA nest with every field the user gave (has_*, non-zero dir/alg/mode,
 * set peer, non-zero port).  Reply-only fields are never sent.
 */
int dm_put_sa(struct nl_msg *msg, const struct dm_sa *sa);
/* SA nest holding only a peer filter (SA dump, SA flush); nothing if the
 * address is unset. */
int dm_put_sa_peer(struct nl_msg *msg, const struct dm_addr *peer,
		   uint16_t port);

/*
 * DMVPN_A_NHRP_CONF nest with every field the user gave (has_*,
 * auth_clear).  -EINVAL for an empty change, a key longer than
 * DMVPN_NHRP_AUTH_MAX, or a key together with auth_clear.
 */
int dm_put_nhrp_conf(struct nl_msg *msg, const struct dm_nhrp_conf *conf);
/* DMVPN_A_NHS nest: PROTO_ADDR, NBMA_ADDR if set, PRIORITY if given;
 * -EINVAL without a protocol address.  Reply-only fields are never sent. */
int dm_put_nhs(struct nl_msg *msg, const struct dm_nhs *nhs);
/* DMVPN_A_MCAST nest with NBMA_ADDR; -EINVAL if nbma is unset. */
int dm_put_mcast(struct nl_msg *msg, const struct dm_addr *nbma);

/* ---- parsers; return 0 or -EINVAL for a malformed reply ---- */
int dm_parse_nhrp_msg(struct nlmsghdr *nlh, struct dm_nhrp_entry *e,
		      uint8_t *event);
int dm_parse_dev_msg(struct nlmsghdr *nlh, struct dm_dev_info *d);
/* SA_GET replies and SA events with DMVPN_A_SA (event may be NULL). */
int dm_parse_sa_msg(struct nlmsghdr *nlh, struct dm_sa *sa, uint8_t *event);
/* PEER_GET replies and acquire events with DMVPN_A_PEER. */
int dm_parse_peer_msg(struct nlmsghdr *nlh, struct dm_peer *p,
		      uint8_t *event);

/* NHS_GET replies (DMVPN_A_NHS). */
int dm_parse_nhs_msg(struct nlmsghdr *nlh, struct dm_nhs *nhs);
/* MCAST_GET replies (DMVPN_A_MCAST). */
int dm_parse_mcast_msg(struct nlmsghdr *nlh, struct dm_mcast *m);

/*
 * Decode an NLMSG_ERROR or NLMSG_DONE message: *error gets the (negative)
 * errno or 0; msg the extack message ("" if none); *miss_type the
 * NLMSGERR_ATTR_MISS_TYPE attribute or 0.  Returns 0, or -EINVAL if the
 * message is truncated.
 */
int dm_extack_parse(const struct nlmsghdr *nlh, int *error, char *msg,
		    size_t msglen, uint32_t *miss_type);

/* ---- socket ---- */
struct nl_sock;

struct dm_nl {
	struct nl_sock *sk;
	int family;
	int err;		/* last negative errno, 0 if none */
	char errmsg[256];	/* last extack message, "" if none */
	uint32_t miss_type;	/* last missing-attribute report */
};

typedef int (*dm_nl_reply_cb)(struct nlmsghdr *nlh, void *arg);

/* 0, -ENOENT when the family is not registered, or another -errno. */
int dm_nl_open(struct dm_nl *nl);
/* Same for any genetlink family (tests talk to "nlctrl"). */
int dm_nl_open_family(struct dm_nl *nl, const char *name);
void dm_nl_close(struct dm_nl *nl);
/* Send msg (consumed) and wait for its ack (do) or NLMSG_DONE (dump),
 * passing each reply to cb.  Returns 0 or -errno; nl->errmsg is set. */
int dm_nl_talk(struct dm_nl *nl, struct nl_msg *msg, dm_nl_reply_cb cb,
	       void *arg);
/* Human text for the last error: the extack message when there is one. */
const char *dm_nl_strerror(const struct dm_nl *nl, char *buf, size_t len);

/* Convenience: fill growable arrays.  ifindex 0 = every tunnel (dump). */
int dm_dev_get(struct dm_nl *nl, uint32_t ifindex, struct dm_dev_info **devs,
	       size_t *n);
int dm_nhrp_dump(struct dm_nl *nl, uint32_t ifindex,
		 struct dm_nhrp_entry **ents, size_t *n);

/* One entry by protocol address (and prefix length if key->has_plen). */
int dm_nhrp_get(struct dm_nl *nl, uint32_t ifindex,
		const struct dm_nhrp_entry *key, struct dm_nhrp_entry **ents,
		size_t *n);

/* Every SA (dump) of a tunnel, appended to *sas. */
int dm_sa_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_sa **sas,
	       size_t *n);
/* Every NBMA peer of a tunnel, appended to *peers. */
int dm_peer_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_peer **peers,
		 size_t *n);

/* A tunnel's NHSs / static multicast destinations, appended. */
int dm_nhs_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_nhs **nhs,
		size_t *n);
int dm_mcast_dump(struct dm_nl *nl, uint32_t ifindex, struct dm_mcast **m,
		  size_t *n);

/* Join the "events" multicast group; then read with dm_nl_recv_events. */
int dm_nl_subscribe(struct dm_nl *nl);
int dm_nl_recv_events(struct dm_nl *nl, dm_nl_reply_cb cb, void *arg);
int dm_nl_fd(const struct dm_nl *nl);

#endif
