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
};

/* ---- builders ---- */
struct nl_msg *dm_msg_alloc(int family, uint8_t cmd, int nlflags);
int dm_put_ifindex(struct nl_msg *msg, uint32_t ifindex);
/* NHRP nest: PROTO_ADDR, PREFIX_LEN if has_plen, NBMA_ADDR if set,
 * NBMA_PORT if non-zero. */
int dm_put_nhrp(struct nl_msg *msg, const struct dm_nhrp_entry *e);
int dm_put_flush_all(struct nl_msg *msg);

/* ---- parsers; return 0 or -EINVAL for a malformed reply ---- */
int dm_parse_nhrp_msg(struct nlmsghdr *nlh, struct dm_nhrp_entry *e,
		      uint8_t *event);
int dm_parse_dev_msg(struct nlmsghdr *nlh, struct dm_dev_info *d);

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

/* Join the "events" multicast group; then read with dm_nl_recv_events. */
int dm_nl_subscribe(struct dm_nl *nl);
int dm_nl_recv_events(struct dm_nl *nl, dm_nl_reply_cb cb, void *arg);
int dm_nl_fd(const struct dm_nl *nl);

#endif
