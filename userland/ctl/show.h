/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rendering of dmvpnctl's show commands, text (IOS layout) and JSON
 * (iproute2 style).  Pure functions of their input: no netlink here.
 */
#ifndef DMVPNCTL_SHOW_H
#define DMVPNCTL_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "../lib/dmvpn_nl.h"
#include "../lib/ikestate.h"

struct dm_out {
	FILE *fp;
	bool json;
	bool pretty;
};

/* A tunnel plus what the show commands learn outside genetlink. */
struct dm_show_dev {
	const struct dm_dev_info *info;
	const char *state;	/* "up/up", "up/down", "administratively down/down"; NULL = unknown */
	const char *addr;	/* first tunnel IPv4/IPv6 address; NULL = none */
	const char *link_name;	/* underlay device name; NULL = any/unknown */
	/* NBMA peers of the tunnel (PEER_GET), for the "X - No Socket"
	 * attribute of show dmvpn; have_peers false = not asked */
	const struct dm_peer *peers;
	size_t npeer;
	bool have_peers;
	/* next-hop servers (NHS_GET dumps, any tunnel: matched by ifindex);
	 * have_nhs false = not asked, or the module does not know NHSs */
	const struct dm_nhs *nhs;
	size_t nnhs;
	bool have_nhs;
};

/*
 * Hub or spoke, as IOS decides it: a tunnel with next-hop servers ("ip
 * nhrp nhs") registers with them and is a spoke; so is a point-to-point
 * tunnel.  A multipoint tunnel without NHSs is a hub.  Only
 * dm_tunnel_role_of() decides; text and JSON outputs go through it.
 */
enum dm_role { DM_ROLE_HUB, DM_ROLE_SPOKE };
enum dm_role dm_tunnel_role_of(const struct dm_show_dev *sd);
const char *dm_tunnel_role(const struct dm_show_dev *sd);	/* "Hub"/"Spoke" */
/* NHSs of sd's tunnel in sd->nhs */
size_t dm_show_dev_nhs_count(const struct dm_show_dev *sd);

void dm_show_nhrp(const struct dm_out *o, const struct dm_show_dev *devs,
		  size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		  bool detail, int type_filter);
void dm_show_dmvpn(const struct dm_out *o, const struct dm_show_dev *devs,
		   size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		   bool detail);
void dm_show_interface(const struct dm_out *o, const struct dm_show_dev *d);
/*
 * Tunnel protection.  devs are the tunnels to show (unprotected ones are
 * skipped); peers and sas are PEER_GET and SA_GET dumps of those tunnels,
 * matched to each other by ifindex and peer address and port.
 */
struct dm_crypto_view {
	const struct dm_show_dev *devs;
	size_t ndev;
	const struct dm_peer *peers;
	size_t npeer;
	const struct dm_sa *sas;
	size_t nsa;
	/* dmvpnd's ISAKMP SAs (optional): a session with one in QM_IDLE is
	 * UP-ACTIVE, one with SAs but none is UP-NO-IKE (manual keys) */
	const struct dm_ike_sa_state *ike;
	size_t nike;
	/* dmvpnd's IPsec SA pairs (optional): their proxy identities are
	 * the idents shown; without them, host/47/host of the endpoints */
	const struct dm_ike_child_state *children;
	size_t nchildren;
};

/* "show crypto ipsec sa": one block per tunnel and peer (seed 003);
 * peer_filter (NULL or unset = all) keeps one peer address. */
void dm_show_ipsec_sa(const struct dm_out *o, const struct dm_crypto_view *v,
		      const struct dm_addr *peer_filter, bool detail);
void dm_show_crypto_sockets(const struct dm_out *o,
			    const struct dm_crypto_view *v);
void dm_show_crypto_session(const struct dm_out *o,
			    const struct dm_crypto_view *v, bool detail);

/*
 * NHRP protocol (show_nhrp.c).  ents is the NHRP cache of the tunnels
 * when the caller has it (for NBMA addresses of NHSs given by a static
 * map, and for dynamic multicast destinations), else NULL/0.
 */
void dm_show_nhs(const struct dm_out *o, const struct dm_show_dev *devs,
		 size_t ndev, const struct dm_nhrp_entry *ents, size_t nent,
		 bool detail);
void dm_show_nhrp_traffic(const struct dm_out *o,
			  const struct dm_show_dev *devs, size_t ndev);
void dm_show_nhrp_mcast(const struct dm_out *o, const struct dm_show_dev *devs,
			size_t ndev, const struct dm_mcast *mc, size_t nmc,
			const struct dm_nhrp_entry *ents, size_t nent);
/* Building blocks for show dmvpn detail and show interface. */
void dm_show_nhs_block(FILE *fp, const struct dm_show_dev *sd);
void dm_show_nhrp_conf_text(FILE *fp, const struct dm_show_dev *sd);
struct dm_json;
void dm_show_nhrp_conf_json(struct dm_json *j, const struct dm_show_dev *sd);

/* One line (text) or one JSON object per line (json). */
void dm_show_sa_event(const struct dm_out *o, const char *ifname,
		      uint8_t event, const struct dm_sa *sa);
void dm_show_peer_event(const struct dm_out *o, const char *ifname,
			uint8_t event, const struct dm_peer *p);
void dm_show_event(const struct dm_out *o, const char *ifname, uint8_t event,
		   const struct dm_nhrp_entry *e);

/*
 * show debugging: what "debug ..." switched on, IOS layout (nothing at
 * all when nothing is on).  keyer: DM_DEBUG_ISAKMP/IPSEC of dmvpnd's
 * debug file; module: DM_DEBUG_NHRP/IPSEC/DMVPN fully on in the module,
 * or module_err when it could not be read (shown, not fatal).
 */
void dm_show_debugging(const struct dm_out *o, unsigned int keyer,
		       unsigned int module, const char *module_err);

/* show crypto isakmp sa [detail]: dmvpnd's published state (IOS layout). */
/* "show crypto isakmp failures": the last negotiation failure per peer,
 * newest first; now is the Unix time to count "ago" from. */
void dm_show_isakmp_failures(const struct dm_out *o, const struct dm_ike_failure *f,
			     size_t n, uint64_t now);
void dm_show_isakmp_sa(const struct dm_out *o, const struct dm_ike_sa_state *s,
		       size_t n, bool detail);

#endif
