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
};

/*
 * Hub or spoke.  Today a tunnel with a remote (point-to-point) is a spoke
 * and a multipoint one a hub; once NHS configuration exists, a tunnel with
 * NHS servers will be a spoke.  Only dm_tunnel_role_of() decides; text and
 * JSON outputs go through it.
 */
enum dm_role { DM_ROLE_HUB, DM_ROLE_SPOKE };
enum dm_role dm_tunnel_role_of(const struct dm_dev_info *d);
const char *dm_tunnel_role(const struct dm_dev_info *d);	/* "Hub"/"Spoke" */

void dm_show_nhrp(const struct dm_out *o, const struct dm_show_dev *devs,
		  size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		  bool detail, int type_filter);
void dm_show_dmvpn(const struct dm_out *o, const struct dm_show_dev *devs,
		   size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		   bool detail);
void dm_show_interface(const struct dm_out *o, const struct dm_show_dev *d);
/* One line (text) or one JSON object per line (json). */
void dm_show_event(const struct dm_out *o, const char *ifname, uint8_t event,
		   const struct dm_nhrp_entry *e);

#endif
