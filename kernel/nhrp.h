/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP protocol engine (nhrp.c) and its netlink commands
 * (nhrp_netlink.c).  See nhrp.c for the protocol flows.
 */
#ifndef _DMVPN_NHRP_H
#define _DMVPN_NHRP_H

#include "dmvpn.h"

/* A tunnel's NHRP configuration; replaced as a whole, read under RCU. */
struct dmvpn_nhrp_conf {
	u32 network_id;			/* 0: NHRP off */
	u32 holdtime;			/* seconds we ask others to keep us */
	u32 reg_interval;		/* seconds; 0: holdtime / 3 */
	u8 auth_len;			/* 0: no authentication */
	u8 auth[DMVPN_NHRP_AUTH_MAX];
	bool redirect;
	bool shortcut;
	bool mcast_dynamic;
	bool reg_no_unique;
	struct rcu_head rcu;
};

/* One next-hop server this tunnel registers with ("ip nhrp nhs"). */
struct dmvpn_nhs {
	struct list_head node;		/* engine->nhs, under engine->lock */
	struct dmvpn_addr proto;
	struct dmvpn_addr nbma;		/* configured; else the static map's */
	u8 priority;
	u8 state;			/* enum dmvpn_nhs_state */
	u8 last_code;
	bool awaiting;			/* a request is unanswered */
	u32 request_id;			/* of the last request */
	u64 req_sent;
	u64 reply_recv;
	unsigned long last_reply;	/* jiffies; valid if reply_recv */
	unsigned long next_send;	/* jiffies */
	unsigned int backoff;		/* seconds before the next retry */
	struct dmvpn_addr nat_addr;	/* our NBMA as the NHS saw it */
};

void dmvpn_nhrp_engine_init(struct dmvpn_tunnel *t);
void dmvpn_nhrp_engine_stop(struct dmvpn_tunnel *t);
void dmvpn_nhrp_engine_free(struct dmvpn_tunnel *t);

/* Packet path (softirq or BH-disabled). */
void dmvpn_nhrp_rcv(struct dmvpn_tunnel *t, struct sk_buff *skb,
		    const struct dmvpn_endpoint *from);
struct dmvpn_peer *dmvpn_nhrp_miss(struct dmvpn_tunnel *t,
				   const struct dmvpn_addr *nexthop,
				   bool resolve);
struct dmvpn_peer *dmvpn_nhrp_nhs_peer(struct dmvpn_tunnel *t,
				       sa_family_t family);
void dmvpn_nhrp_hairpin(struct dmvpn_tunnel *t, struct sk_buff *skb);
bool dmvpn_nhrp_is_reg_request(const struct sk_buff *skb);

/* Configuration (nhrp_netlink.c calls these under engine->lock). */
struct dmvpn_nhs *dmvpn_nhs_find(struct dmvpn_tunnel *t,
				 const struct dmvpn_addr *proto);
void dmvpn_nhs_reset(struct dmvpn_nhs *nhs);
void dmvpn_nhrp_kick(struct dmvpn_tunnel *t);
void dmvpn_nhrp_stat_inc(struct dmvpn_tunnel *t, enum dmvpn_nhrp_stat s);
unsigned int dmvpn_nhrp_purge_peers(struct dmvpn_tunnel *t);

int dmvpn_mcast_add(struct dmvpn_tunnel *t, const struct dmvpn_addr *nbma,
		    struct netlink_ext_ack *extack);
int dmvpn_mcast_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *nbma,
		    struct netlink_ext_ack *extack);
void dmvpn_mcast_flush(struct dmvpn_tunnel *t);

#endif /* _DMVPN_NHRP_H */
