/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects of the dmvpn module and how they relate:
 *
 *   struct dmvpn_tunnel   one per "ip link add ... type dmvpn" (netdev priv)
 *     ->params            RCU-published tunnel parameters (local, key, ...)
 *     ->nhrp              NHRP cache: protocol address or prefix -> entry
 *                         (rhashtable keyed by struct dmvpn_nhrp_key)
 *     ->peers             NBMA peers: underlay address+port -> peer
 *
 *   struct dmvpn_nhrp_entry   maps one tunnel address (or a prefix: a
 *                             shortcut to a network) to a peer; holds a
 *                             reference on it.  Immutable once published,
 *                             except for its atomic flag word: a change is
 *                             a new entry that replaces the old one.
 *   struct dmvpn_peer         one NBMA endpoint: route cache, its current
 *                             outbound SA and the packets held for one.
 *                             Freed after an RCU grace period once the
 *                             last entry or SA drops it.
 *   struct dmvpn_sa           one ESP security association (sa.h).
 *   struct dmvpn_sock         the UDP socket ESP-in-UDP arrives on (socket.c).
 *
 * Locking: tunnel->lock serialises every change to nhrp, peers, SAs and
 * the entry list; the packet path only reads, under RCU.  Parameters and
 * the socket change under RTNL.
 */
#ifndef _DMVPN_H
#define _DMVPN_H

#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/kref.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
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
	bool protect;			/* ESP-in-UDP only; fixed at creation */
	u16 tcp_mss;			/* clamp SYN MSS to this, 0: off */
	struct rcu_head rcu;
};

struct dmvpn_stats {
	u64_stats_t counter[__DMVPN_STAT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * Underlay endpoint: address plus UDP port.  The port is 0 for plain GRE
 * and for the standard NAT-T port 4500, so that "172.16.1.1" in a static
 * map and "172.16.1.1 port 4500" in an SA name the same peer; a spoke
 * behind PAT has a port of its own.  Build the port with dmvpn_port_key().
 */
struct dmvpn_endpoint {
	struct dmvpn_addr addr;
	__be16 port;
	u16 pad;		/* keeps the hash key free of holes */
};

static inline __be16 dmvpn_port_key(u16 port)
{
	return port == DMVPN_NATT_PORT ? 0 : htons(port);
}

/* The UDP port ESP-in-UDP is sent to. */
static inline __be16 dmvpn_endpoint_udp_port(const struct dmvpn_endpoint *ep)
{
	return ep->port ?: htons(DMVPN_NATT_PORT);
}

/*
 * Protocol tracing ("dmvpnctl debug nhrp|crypto|dmvpn"): dynamic debug,
 * off until enabled per source file, so that a disabled line costs one
 * static branch.  Lines are rate limited like other network messages and
 * start with the tunnel's name; callers name the peer.
 */
#define dmvpn_dbg(dev, fmt, ...)					\
	net_dbg_ratelimited("%s: " fmt, netdev_name(dev), ##__VA_ARGS__)

/* Packets a peer may hold while it waits for an outbound SA. */
#define DMVPN_HOLD_QUEUE_LEN	32

struct dmvpn_sa;
struct dmvpn_sock;
struct dmvpn_nhrp_conf;

/*
 * The NHRP protocol engine of a tunnel (nhrp.c).  NHRP packets, timers
 * and configuration changes are all handled in process context, one at
 * a time under @lock; the packet path only queues work for it.
 */
struct dmvpn_nhrp_engine {
	struct dmvpn_nhrp_conf __rcu *conf;	/* changes under @lock */
	struct mutex lock;
	struct list_head nhs;		/* struct dmvpn_nhs, under @lock */
	unsigned int nhs_count;
	struct list_head pending;	/* resolutions we wait for */
	unsigned int pending_count;
	u32 next_request_id;
	struct sk_buff_head rxq;	/* NHRP packets from the wire */
	struct sk_buff_head evq;	/* misses and redirects to act on */
	struct work_struct rx_work;
	struct delayed_work tick;	/* once a second: timers */
	bool stopping;
	/* The preferred responding NHS, for packets whose next hop is being
	 * resolved; read by the packet path.
	 */
	spinlock_t via_lock;
	struct dmvpn_addr via_nhs;
	struct ratelimit_state log_rs;
	struct ratelimit_state errind_rs;
	struct ratelimit_state redirect_rs;
	atomic64_t stats[__DMVPN_NHRP_STAT_MAX];
};

/* A static multicast destination ("ip nhrp map multicast NBMA"). */
struct dmvpn_mcast_dst {
	struct list_head node;		/* tunnel->mcast_static, RCU */
	struct dmvpn_peer *peer;	/* reference held */
	struct rcu_head rcu;
};

struct dmvpn_peer {
	struct rhash_head node;		/* in tunnel->peers */
	struct dmvpn_endpoint nbma;	/* hash key */
	struct dmvpn_tunnel *tunnel;
	struct dst_cache dst_cache;	/* underlay route to nbma */
	struct kref refcount;		/* one per entry or SA using the peer */
	struct rcu_head rcu;

	/* Tunnel protection */
	struct dmvpn_sa __rcu *sa_out;	/* newest outbound SA, if any */
	struct sk_buff_head hold;	/* waiting for sa_out; bounded */
	unsigned long acquire_next;	/* jiffies: next acquire event */
	atomic64_t no_sa;		/* "no sa (send)": held-queue overflow */
	atomic64_t invalid_spi;		/* "invalid sa (rcv)" from this peer */

	/* NHRP: registered entries using this peer; while there are any,
	 * the peer is on tunnel->registered_peers ("map multicast
	 * dynamic" replicates to that list) and holds a reference for it.
	 */
	unsigned int reg_count;
	struct list_head reg_node;
};

/*
 * What the NHRP cache is keyed by: a host address (/32, /128) or a prefix
 * (a phase-3 shortcut to a network, a static map of one).  The hash
 * covers the raw bytes, so a key is always zeroed before it is filled
 * (dmvpn_nhrp_key_set) and the address's bits beyond the prefix are zero.
 */
struct dmvpn_nhrp_key {
	struct dmvpn_addr proto;
	u8 prefix_len;
	u8 reserved[3];			/* zero: hashed */
};

struct dmvpn_nhrp_entry {
	struct rhash_head node;		/* in tunnel->nhrp */
	struct dmvpn_nhrp_key key;	/* tunnel address or prefix */
	struct list_head list;		/* tunnel->entries, for flush/teardown */
	struct dmvpn_peer *peer;	/* reference held; NULL: incomplete */
	unsigned long flags;		/* DMVPN_NHRP_F_* bit numbers, atomic */
	u64 created;			/* boottime seconds */
	u64 expires;			/* boottime seconds, 0: never */
	u32 holdtime;			/* seconds it was given, 0: never expires */
	u8 type;			/* enum dmvpn_nhrp_type */
	/* A prefix learnt by resolution: the tunnel address of the router
	 * that answered for it ("via" in "show ip nhrp"); unset otherwise.
	 */
	struct dmvpn_addr next_hop;
	struct rcu_head rcu;
};

/*
 * The prefix lengths that entries shorter than a host route use, per
 * family: the transmit path probes only those, longest first, so a
 * lookup costs one hash probe per length in use, not per entry.
 */
struct dmvpn_nhrp_plens {
	DECLARE_BITMAP(in_use, 129);	/* read locklessly */
	u32 refs[129];			/* entries per length; under lock */
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
	unsigned int shortcut_count;	/* SHORTCUT entries; read locklessly */
	unsigned int prefix_count;	/* non-host entries; read locklessly */
	struct dmvpn_nhrp_plens plens4, plens6;

	/* Tunnel protection (protected tunnels only) */
	struct dmvpn_sock __rcu *sock;	/* attached UDP socket */
	struct rhashtable sa_in;	/* inbound SAs by SPI */
	struct list_head sas;		/* every SA, oldest first */
	unsigned int sa_count;
	struct delayed_work sa_expire_work;	/* lifetimes, once a second */
	struct ratelimit_state invalid_spi_rs;	/* events and log lines */

	/* NHRP protocol (nhrp.c) and multicast replication */
	struct list_head registered_peers;	/* RCU; under lock */
	struct list_head mcast_static;	/* struct dmvpn_mcast_dst, RCU */
	struct dmvpn_nhrp_engine nhrp_engine;

	bool holds_gre_rcv;		/* took a GRE receive reference */
	struct gro_cells gro_cells;
	struct dmvpn_stats __percpu *stats;
};

/* Per network namespace state. */
struct dmvpn_net {
	struct list_head tunnels;	/* RCU readers, RTNL writers */
};

extern unsigned int dmvpn_net_id;
extern struct workqueue_struct *dmvpn_wq;
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
netdev_tx_t dmvpn_xmit(struct sk_buff *skb, struct net_device *dev);
bool dmvpn_xmit_too_big(struct sk_buff *skb, unsigned int mtu, __be16 *df);
u8 dmvpn_inner_dsfield(const struct sk_buff *skb);
u8 dmvpn_inner_ttl(const struct sk_buff *skb, const struct dst_entry *dst);
void dmvpn_xmit_to_peer(struct dmvpn_tunnel *t, struct dmvpn_peer *peer,
			struct sk_buff *skb);

/* receive.c */
int dmvpn_gre_rcv_get(struct netlink_ext_ack *extack);
void dmvpn_gre_rcv_put(void);
void dmvpn_gre_input(struct dmvpn_tunnel *t, struct sk_buff *skb,
		     u8 outer_tos, const struct dmvpn_endpoint *from);

/* esp.c */
enum dmvpn_stat dmvpn_esp_xmit(struct dmvpn_tunnel *t,
			       const struct dmvpn_params *p,
			       struct dmvpn_peer *peer, struct sk_buff *skb);
int dmvpn_esp_rcv(struct dmvpn_tunnel *t, struct sk_buff *skb);
void dmvpn_peer_release_held(struct dmvpn_tunnel *t, struct dmvpn_peer *peer);
bool dmvpn_esp_peer_keyed(const struct dmvpn_peer *peer);
void dmvpn_esp_acquire(struct dmvpn_tunnel *t, struct dmvpn_peer *peer);
unsigned int dmvpn_esp_overhead_max(void);

/* socket.c */
int dmvpn_sock_attach(struct dmvpn_tunnel *t, int fd,
		      struct netlink_ext_ack *extack);
int dmvpn_sock_detach(struct dmvpn_tunnel *t, struct netlink_ext_ack *extack);
__be16 dmvpn_sock_port(struct dmvpn_tunnel *t);

/* mss.c */
void dmvpn_clamp_mss(struct sk_buff *skb, u16 mss);

/* peer.c */
struct dmvpn_peer *dmvpn_peer_alloc(struct dmvpn_tunnel *t,
				    const struct dmvpn_endpoint *nbma);
void dmvpn_peer_free(struct dmvpn_peer *peer);
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_tunnel *t,
				  const struct dmvpn_endpoint *nbma,
				  struct dmvpn_peer **spare);
struct dmvpn_peer *dmvpn_peer_lookup(struct dmvpn_tunnel *t,
				     const struct dmvpn_endpoint *nbma);
void dmvpn_peer_put(struct dmvpn_peer *peer);
void dmvpn_peer_reg_get(struct dmvpn_tunnel *t, struct dmvpn_peer *peer);
void dmvpn_peer_reg_put(struct dmvpn_tunnel *t, struct dmvpn_peer *peer);
int dmvpn_peers_init(struct dmvpn_tunnel *t);
void dmvpn_peers_destroy(struct dmvpn_tunnel *t);

/* nhrp_cache.c */
struct dmvpn_nhrp_spec {
	struct dmvpn_addr proto;
	u8 prefix_len;			/* bits of @proto beyond it are ignored */
	struct dmvpn_addr next_hop;	/* prefixes only; may be unset */
	struct dmvpn_endpoint nbma;
	u8 type;
	u32 flags;
	u32 holdtime;			/* seconds, 0: never expires */
};

int dmvpn_nhrp_init(struct dmvpn_tunnel *t);
void dmvpn_nhrp_destroy(struct dmvpn_tunnel *t);
void dmvpn_nhrp_key_set(struct dmvpn_nhrp_key *key,
			const struct dmvpn_addr *proto, u8 prefix_len);
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup(struct dmvpn_tunnel *t,
					   const struct dmvpn_addr *proto);
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup_key(struct dmvpn_tunnel *t,
					       const struct dmvpn_nhrp_key *key);
struct dmvpn_nhrp_entry *dmvpn_nhrp_lookup_dest(struct dmvpn_tunnel *t,
						const struct dmvpn_addr *daddr);
int dmvpn_nhrp_add(struct dmvpn_tunnel *t, const struct dmvpn_nhrp_spec *spec,
		   bool exclusive, struct netlink_ext_ack *extack);
int dmvpn_nhrp_del(struct dmvpn_tunnel *t, const struct dmvpn_addr *proto,
		   u8 prefix_len, struct netlink_ext_ack *extack);
unsigned int dmvpn_nhrp_flush(struct dmvpn_tunnel *t, bool include_static);
unsigned int dmvpn_nhrp_expire(struct dmvpn_tunnel *t, u64 now);
unsigned int dmvpn_nhrp_flush_peer(struct dmvpn_tunnel *t,
				   const struct dmvpn_endpoint *nbma, u8 type);
u32 dmvpn_nhrp_entry_flags(const struct dmvpn_nhrp_entry *e);

/* netlink.c */
int dmvpn_genl_register(void);
void dmvpn_genl_unregister(void);
void dmvpn_genl_notify_nhrp(struct dmvpn_tunnel *t,
			    const struct dmvpn_nhrp_entry *e,
			    enum dmvpn_event event);
void dmvpn_genl_notify_acquire(struct dmvpn_tunnel *t,
			       const struct dmvpn_peer *peer);
void dmvpn_genl_notify_sa(struct dmvpn_tunnel *t, const struct dmvpn_sa *sa,
			  enum dmvpn_event event);
void dmvpn_genl_notify_invalid_spi(struct dmvpn_tunnel *t, __be32 spi,
				   __be32 saddr, __be16 sport);

/* link_netlink.c */
int dmvpn_link_register(void);
int dmvpn_link_check_raw(const struct nlattr *linkinfo,
			 struct netlink_ext_ack *extack);
void dmvpn_link_unregister(void);

#endif /* _DMVPN_H */
