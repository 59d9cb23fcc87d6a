/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects of the dmvpn module and how they relate:
 *
 *   struct dmvpn_tunnel   one per "ip link add ... type dmvpn" (netdev priv)
 *     ->params            RCU-published tunnel parameters (local, key, ...)
 *     ->nhrp              NHRP cache: protocol address -> entry (rhashtable)
 *     ->peers             NBMA peers: underlay address+port -> peer
 *
 *   struct dmvpn_nhrp_entry   maps one tunnel address to a peer; holds a
 *                             reference on it.  Immutable once published,
 *                             except for its atomic flag word: a change is
 *                             a new entry that replaces the old one.
 *   struct dmvpn_peer         one NBMA endpoint: route cache, and later the
 *                             security associations.  Freed after an RCU
 *                             grace period once the last entry drops it.
 *
 * Locking: tunnel->lock serialises every change to nhrp, peers and the
 * entry list; the packet path only reads, under RCU.  Parameters change
 * under RTNL.
 */
#ifndef _DMVPN_H
#define _DMVPN_H

#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/kref.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <uapi/linux/dmvpn.h>

#include "addr.h"

/* Tunnel parameters: replaced as a whole on "ip link set", read under RCU. */
struct dmvpn_params {
	struct dmvpn_addr local;
	struct dmvpn_addr remote;	/* set: point-to-point */
	bool key_present;
	u32 key;
	u8 ttl;				/* 0: inherit */
	u8 tos;				/* DMVPN_TOS_INHERIT: inherit */
	int link;			/* underlay ifindex, 0: any */
	struct rcu_head rcu;
};

struct dmvpn_stats {
	u64_stats_t counter[__DMVPN_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* Underlay endpoint: address plus UDP port (0 for plain GRE). */
struct dmvpn_endpoint {
	struct dmvpn_addr addr;
	__be16 port;
	u16 pad;		/* keeps the hash key free of holes */
};

struct dmvpn_peer {
	struct rhash_head node;		/* in tunnel->peers */
	struct dmvpn_endpoint nbma;	/* hash key */
	struct dmvpn_tunnel *tunnel;
	struct dst_cache dst_cache;	/* underlay route to nbma */
	struct kref refcount;		/* one per entry using the peer */
	struct rcu_head rcu;
};

struct dmvpn_nhrp_entry {
	struct rhash_head node;		/* in tunnel->nhrp */
	struct dmvpn_addr proto;	/* hash key: tunnel address */
	struct list_head list;		/* tunnel->entries, for flush/teardown */
	struct dmvpn_peer *peer;	/* reference held */
	unsigned long flags;		/* DMVPN_NHRP_F_* bit numbers, atomic */
	u8 prefix_len;
	u8 type;			/* enum dmvpn_nhrp_type */
	u64 created;			/* boottime seconds */
	u64 expires;			/* boottime seconds, 0: never */
	struct rcu_head rcu;
};

struct dmvpn_tunnel {
	struct net_device *dev;
	struct net *net;		/* underlay netns */
	struct list_head list;		/* dmvpn_net->tunnels, RCU */
	struct dmvpn_params __rcu *params;
	struct dmvpn_peer __rcu *p2p_peer;	/* point-to-point only */

	spinlock_t lock;		/* protects nhrp, peers, entries */
	struct rhashtable nhrp;
	struct rhashtable peers;
	struct list_head entries;
	unsigned int nhrp_count;
	unsigned int peer_count;

	bool holds_gre_rcv;		/* took a GRE receive reference */
	struct gro_cells gro_cells;
	struct dmvpn_stats __percpu *stats;
};

/* Per network namespace state. */
struct dmvpn_net {
	struct list_head tunnels;	/* RCU readers, RTNL writers */
};

extern unsigned int dmvpn_net_id;
extern struct rtnl_link_ops dmvpn_link_ops;
extern const struct ethtool_ops dmvpn_ethtool_ops;

static inline void dmvpn_stat_inc(struct dmvpn_tunnel *t, enum dmvpn_stat s)
{
	struct dmvpn_stats *st = get_cpu_ptr(t->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->counter[s]);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(t->stats);
}

void dmvpn_stats_read(struct dmvpn_tunnel *t, u64 *out);

/* device.c */
void dmvpn_setup(struct net_device *dev);
int dmvpn_tunnel_configure(struct dmvpn_tunnel *t, struct dmvpn_params *p,
			   struct netlink_ext_ack *extack);
bool dmvpn_is_tunnel(const struct net_device *dev);
unsigned int dmvpn_encap_overhead(const struct dmvpn_params *p);

/* receive.c */
int dmvpn_gre_rcv_get(struct netlink_ext_ack *extack);
void dmvpn_gre_rcv_put(void);

/* peer.c */
struct dmvpn_peer *dmvpn_peer_alloc(struct dmvpn_tunnel *t,
				    const struct dmvpn_endpoint *nbma);
void dmvpn_peer_free(struct dmvpn_peer *peer);
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_tunnel *t,
				  const struct dmvpn_endpoint *nbma,
				  struct dmvpn_peer **spare);
void dmvpn_peer_put(struct dmvpn_peer *peer);
int dmvpn_peers_init(struct dmvpn_tunnel *t);
void dmvpn_peers_destroy(struct dmvpn_tunnel *t);

/* nhrp_cache.c */
struct dmvpn_nhrp_spec {
	struct dmvpn_addr proto;
	u8 prefix_len;
	struct dmvpn_endpoint nbma;
	u8 type;
	u32 flags;
	u32 holdtime;			/* seconds, 0: never expires */
};

int dmvpn_nhrp_init(struct dmvpn_tunnel *t);
void dmvpn_nhrp_destroy(struct dmvpn_tunnel *t);
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup(struct dmvpn_tunnel *t,
					   const struct dmvpn_addr *proto);
int dmvpn_nhrp_add(struct dmvpn_tunnel *t, const struct dmvpn_nhrp_spec *spec,
		   bool exclusive, struct netlink_ext_ack *extack);
int dmvpn_nhrp_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *proto,
		   struct netlink_ext_ack *extack);
unsigned int dmvpn_nhrp_flush(struct dmvpn_tunnel *t, bool include_static);
u32 dmvpn_nhrp_entry_flags(const struct dmvpn_nhrp_entry *e);

/* netlink.c */
int dmvpn_genl_register(void);
void dmvpn_genl_unregister(void);
void dmvpn_genl_notify_nhrp(struct dmvpn_tunnel *t,
			    const struct dmvpn_nhrp_entry *e,
			    enum dmvpn_event event);

/* link_netlink.c */
int dmvpn_link_register(void);
int dmvpn_link_check_raw(const struct nlattr *linkinfo,
			 struct netlink_ext_ack *extack);
void dmvpn_link_unregister(void);

#endif /* _DMVPN_H */
