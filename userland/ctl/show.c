// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "../lib/debugctl.h"
#include "../lib/iostime.h"
#include "../lib/json.h"
#include "../lib/names.h"
#include "show.h"

size_t dm_show_dev_nhs_count(const struct dm_show_dev *sd)
{
	size_t n = 0;

	for (size_t i = 0; sd->have_nhs && i < sd->nnhs; i++)
		if (sd->nhs[i].ifindex == sd->info->ifindex)
			n++;
	return n;
}

enum dm_role dm_tunnel_role_of(const struct dm_show_dev *sd)
{
	if (sd->info->remote.family || dm_show_dev_nhs_count(sd))
		return DM_ROLE_SPOKE;
	return DM_ROLE_HUB;
}

const char *dm_tunnel_role(const struct dm_show_dev *sd)
{
	return dm_tunnel_role_of(sd) == DM_ROLE_SPOKE ? "Spoke" : "Hub";
}

/* JSON spelling of the role */
static const char *role_key(const struct dm_show_dev *sd)
{
	return dm_tunnel_role_of(sd) == DM_ROLE_SPOKE ? "spoke" : "hub";
}

static const char *ifname_of(const struct dm_show_dev *devs, size_t ndev,
			     uint32_t ifindex, char *buf, size_t len)
{
	for (size_t i = 0; i < ndev; i++)
		if (devs[i].info->ifindex == ifindex && devs[i].info->ifname[0])
			return devs[i].info->ifname;
	snprintf(buf, len, "if%" PRIu32, ifindex);
	return buf;
}

static int addr_cmp(const struct dm_addr *a, const struct dm_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, a->len);
}

static const char *type_name(uint8_t t, char *buf, size_t len)
{
	const char *n = dm_nhrp_type_name(t);

	if (n)
		return n;
	snprintf(buf, len, "unknown(%u)", t);
	return buf;
}

static const char *prefix_fmt(const struct dm_nhrp_entry *e, char *buf,
			      size_t len)
{
	char a[DM_ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", dm_addr_fmt(&e->proto, a, sizeof(a)),
		 e->plen);
	return buf;
}

/* --------------------------------------------------------- show ip nhrp */

static const struct dm_show_dev *sort_devs;
static size_t sort_ndev;

static size_t dev_pos(uint32_t ifindex)
{
	for (size_t i = 0; i < sort_ndev; i++)
		if (sort_devs[i].info->ifindex == ifindex)
			return i;
	return sort_ndev;
}

static int cmp_by_proto(const void *pa, const void *pb)
{
	const struct dm_nhrp_entry *a = *(const struct dm_nhrp_entry *const *)pa;
	const struct dm_nhrp_entry *b = *(const struct dm_nhrp_entry *const *)pb;
	size_t da = dev_pos(a->ifindex), db = dev_pos(b->ifindex);
	int r;

	if (da != db)
		return da < db ? -1 : 1;
	if ((r = addr_cmp(&a->proto, &b->proto)))
		return r;
	return (int)a->plen - (int)b->plen;
}

static void json_entry_fields(struct dm_json *j, const struct dm_nhrp_entry *e)
{
	char a[DM_ADDR_STRLEN], t[32];

	dm_json_kv_str(j, "proto_addr", dm_addr_fmt(&e->proto, a, sizeof(a)));
	dm_json_kv_u64(j, "prefix_len", e->plen);
	if (e->next_hop.family)
		dm_json_kv_str(j, "next_hop", dm_addr_fmt(&e->next_hop, a, sizeof(a)));
	if (e->nbma.family)
		dm_json_kv_str(j, "nbma_addr", dm_addr_fmt(&e->nbma, a, sizeof(a)));
	else
		dm_json_kv_null(j, "nbma_addr");
	dm_json_kv_u64(j, "nbma_port", e->port);
	dm_json_kv_str(j, "type", type_name(e->type, t, sizeof(t)));
	dm_json_key(j, "flags");
	dm_json_arr_start(j);
	for (unsigned int b = 0; b < 32; b++) {
		if (!(e->flags & (1U << b)))
			continue;
		if (dm_nhrp_flag_name(b)) {
			dm_json_str(j, dm_nhrp_flag_name(b));
		} else {
			snprintf(t, sizeof(t), "0x%x", 1U << b);
			dm_json_str(j, t);
		}
	}
	dm_json_arr_end(j);
	if (e->has_age)
		dm_json_kv_u64(j, "created", e->age);
	else
		dm_json_kv_null(j, "created");
	if (e->has_expires)
		dm_json_kv_u64(j, "expires", e->expires);
	else
		dm_json_kv_null(j, "expires");
}

static const struct dm_nhrp_entry **sorted(const struct dm_show_dev *devs,
					   size_t ndev,
					   const struct dm_nhrp_entry *ents,
					   size_t n, int (*cmp)(const void *,
								const void *))
{
	const struct dm_nhrp_entry **v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = &ents[i];
	sort_devs = devs;
	sort_ndev = ndev;
	qsort(v, n, sizeof(*v), cmp);
	return v;
}

void dm_show_nhrp(const struct dm_out *o, const struct dm_show_dev *devs,
		  size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		  bool detail, int type_filter)
{
	const struct dm_nhrp_entry **v = sorted(devs, ndev, ents, n, cmp_by_proto);
	struct dm_json j;
	char a[DM_ADDR_STRLEN], p[DM_ADDR_STRLEN], t1[16], t2[16], ifb[16];
	char fl[128], tn[32];

	if (!v)
		return;
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
	}
	for (size_t i = 0; i < n; i++) {
		const struct dm_nhrp_entry *e = v[i];
		const char *ifn = ifname_of(devs, ndev, e->ifindex, ifb, sizeof(ifb));

		if (type_filter && e->type != type_filter)
			continue;
		if (o->json) {
			dm_json_obj_start(&j);
			dm_json_kv_str(&j, "ifname", ifn);
			dm_json_kv_u64(&j, "ifindex", e->ifindex);
			json_entry_fields(&j, e);
			dm_json_obj_end(&j);
			continue;
		}
		/*
		 * IOS names the next hop after "via": the entry's own address
		 * for a host entry, the router that answered for a network.
		 * A network without one (a static map) claims none; the NBMA
		 * address line says where it goes.
		 */
		if (e->next_hop.family)
			fprintf(o->fp, "%s via %s\n", prefix_fmt(e, p, sizeof(p)),
				dm_addr_fmt(&e->next_hop, a, sizeof(a)));
		else if (e->plen < dm_addr_max_plen(&e->proto))
			fprintf(o->fp, "%s\n", prefix_fmt(e, p, sizeof(p)));
		else
			fprintf(o->fp, "%s via %s\n", prefix_fmt(e, p, sizeof(p)),
				dm_addr_fmt(&e->proto, a, sizeof(a)));
		fprintf(o->fp, "   %s created %s, ", ifn,
			e->has_age ? dm_ios_time(e->age, t1, sizeof(t1)) : "unknown");
		if (e->has_expires)
			fprintf(o->fp, "expire %s\n",
				dm_ios_time(e->expires, t2, sizeof(t2)));
		else
			fprintf(o->fp, "never expire\n");
		/* IOS flags an unresolved entry "negative": traffic to it is
		 * held or dropped until a resolution reply arrives */
		if (e->type == DMVPN_NHRP_TYPE_INCOMPLETE) {
			char rest[sizeof(fl) - 16];

			dm_nhrp_flags_str(e->flags, rest, sizeof(rest));
			snprintf(fl, sizeof(fl), "negative%s%s", rest[0] ? " " : "",
				 rest);
		} else {
			dm_nhrp_flags_str(e->flags, fl, sizeof(fl));
		}
		fprintf(o->fp, "   Type: %s, Flags:%s%s\n",
			type_name(e->type, tn, sizeof(tn)), fl[0] ? " " : "", fl);
		if (e->nbma.family) {
			fprintf(o->fp, "   NBMA address: %s",
				dm_addr_fmt(&e->nbma, a, sizeof(a)));
			if (e->port)
				fprintf(o->fp, ", port %u", e->port);
			fputc('\n', o->fp);
		}
		if (detail) {
			fprintf(o->fp, "   Age: %" PRIu64 " s, ", e->age);
			if (e->has_expires)
				fprintf(o->fp, "expires in: %" PRIu32 " s", e->expires);
			else
				fprintf(o->fp, "expires in: never");
			fprintf(o->fp, ", raw flags: 0x%" PRIx32 "\n", e->flags);
		}
	}
	if (o->json) {
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	}
	free(v);
}

/* ----------------------------------------------------------- show dmvpn */

static int cmp_by_nbma(const void *pa, const void *pb)
{
	const struct dm_nhrp_entry *a = *(const struct dm_nhrp_entry *const *)pa;
	const struct dm_nhrp_entry *b = *(const struct dm_nhrp_entry *const *)pb;
	int r;

	/* incomplete entries (no NBMA) last */
	if (!a->nbma.family != !b->nbma.family)
		return a->nbma.family ? -1 : 1;
	if ((r = addr_cmp(&a->nbma, &b->nbma)))
		return r;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((r = addr_cmp(&a->proto, &b->proto)))
		return r;
	return (int)a->plen - (int)b->plen;
}

/* Same NBMA peer: same NBMA address and port.  Unresolved entries are
 * each their own peer, as IOS prints them ("UNKNOWN"). */
static bool same_peer(const struct dm_nhrp_entry *a,
		      const struct dm_nhrp_entry *b)
{
	return a->nbma.family && dm_addr_equal(&a->nbma, &b->nbma) &&
	       a->port == b->port;
}

static const char *entry_state(const struct dm_nhrp_entry *e)
{
	return e->type == DMVPN_NHRP_TYPE_INCOMPLETE ? "NHRP" : "UP";
}

/* The UDP port of a peer as the module keys it: NHRP's 0 is 4500. */
static uint16_t esp_port(uint16_t port)
{
	return port ? port : DMVPN_NATT_PORT;
}

/*
 * "X - No Socket": on a protected tunnel whose peers we know, an entry
 * whose NBMA peer has no outbound SA cannot send (IOS: no crypto socket).
 */
static bool no_socket(const struct dm_show_dev *sd,
		      const struct dm_nhrp_entry *e)
{
	if (!sd || !sd->have_peers || !sd->info->protect || !e->nbma.family)
		return false;
	for (size_t i = 0; i < sd->npeer; i++) {
		const struct dm_peer *p = &sd->peers[i];

		if (p->ifindex == sd->info->ifindex &&
		    dm_addr_equal(&p->addr, &e->nbma) &&
		    p->port == esp_port(e->port))
			return !p->has_spi_out;
	}
	return true;
}

static const char *entry_attrb(const struct dm_show_dev *sd,
			       const struct dm_nhrp_entry *e, char *buf,
			       size_t len)
{
	const char *t;

	switch (e->type) {
	case DMVPN_NHRP_TYPE_STATIC:	 t = "S"; break;
	case DMVPN_NHRP_TYPE_DYNAMIC:	 t = "D"; break;
	case DMVPN_NHRP_TYPE_INCOMPLETE: t = "I"; break;
	case DMVPN_NHRP_TYPE_LOCAL:	 t = "L"; break;
	case DMVPN_NHRP_TYPE_SHORTCUT:	 t = "DT1"; break;
	default:			 t = "?"; break;
	}
	snprintf(buf, len, "%s%s%s", t, e->flags & DMVPN_NHRP_F_NAT ? "N" : "",
		 no_socket(sd, e) ? "X" : "");
	return buf;
}

static const char *peer_fmt(const struct dm_nhrp_entry *e, char *buf,
			    size_t len)
{
	char a[DM_ADDR_STRLEN];

	if (!e->nbma.family)
		snprintf(buf, len, "UNKNOWN");
	else if (e->port)
		snprintf(buf, len, "%s%s%s:%u", e->nbma.family == AF_INET6 ? "[" : "",
			 dm_addr_fmt(&e->nbma, a, sizeof(a)),
			 e->nbma.family == AF_INET6 ? "]" : "", e->port);
	else
		dm_addr_fmt(&e->nbma, buf, len);
	return buf;
}

static void legend(FILE *fp)
{
	fputs(
"Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete\n"
"        N - NATed, L - Local, X - No Socket\n"
"        T1 - Route Installed\n"
"        # Ent --> Number of NHRP entries with same NBMA peer\n"
"        NHS Status: E --> Expecting Replies, R --> Responding, W --> Waiting\n"
"        UpDn Time --> Up or Down Time for a Tunnel\n"
"==========================================================================\n",
	      fp);
}

/* Peers in v (sorted by NBMA), counted as groups. */
static size_t count_peers(const struct dm_nhrp_entry **v, size_t n)
{
	size_t peers = 0;

	for (size_t i = 0; i < n; i++)
		if (i == 0 || !same_peer(v[i - 1], v[i]))
			peers++;
	return peers;
}

static void table(FILE *fp, const struct dm_show_dev *sd,
		  const struct dm_nhrp_entry **v, size_t n, bool detail)
{
	char peer[DM_ADDR_STRLEN + 8], a[DM_ADDR_STRLEN], t[16], at[8];
	char pfx[DM_ADDR_STRLEN];

	if (detail)
		fputs("# Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb    Target Network\n"
		      "----- --------------- --------------- ----- -------- ----- -----------------\n",
		      fp);
	else
		fputs(" # Ent  Peer NBMA Addr Peer Tunnel Add State  UpDn Tm Attrb\n"
		      " ----- --------------- --------------- ----- -------- -----\n",
		      fp);
	for (size_t i = 0; i < n; i++) {
		const struct dm_nhrp_entry *e = v[i];
		bool first = i == 0 || !same_peer(v[i - 1], e);
		char ent[16] = "";
		size_t k;

		if (first) {
			for (k = i + 1; k < n && same_peer(e, v[k]); k++)
				;
			snprintf(ent, sizeof(ent), "%zu", k - i);
			peer_fmt(e, peer, sizeof(peer));
		} else {
			peer[0] = '\0';
		}
		fprintf(fp, detail ? "%5s %15s %15s %5s %8s %5s" :
				     "%6s %15s %15s %5s %8s %5s",
			ent, peer, dm_addr_fmt(&e->proto, a, sizeof(a)),
			entry_state(e),
			e->type == DMVPN_NHRP_TYPE_INCOMPLETE && !e->has_age ?
				"never" : dm_ios_time(e->age, t, sizeof(t)),
			entry_attrb(sd, e, at, sizeof(at)));
		if (detail)
			fprintf(fp, " %17s", prefix_fmt(e, pfx, sizeof(pfx)));
		fputc('\n', fp);
	}
}

static const char *transport(const struct dm_dev_info *d)
{
	if (d->local.family == AF_INET6)
		return d->remote.family ? "GRE/IPv6" : "multi-GRE/IPv6";
	return d->remote.family ? "GRE/IP" : "multi-GRE/IP";
}

/* Protection of a tunnel, for show dmvpn detail's Protect "..." */
static const char *protect_str(const struct dm_dev_info *d, char *buf,
			       size_t len)
{
	if (!d->protect)
		snprintf(buf, len, "%s", "");
	else if (d->sock_port)
		snprintf(buf, len, "ESP-in-UDP, port %u", d->sock_port);
	else
		snprintf(buf, len, "ESP-in-UDP, no socket");
	return buf;
}

static void dmvpn_text_dev(FILE *fp, const struct dm_show_dev *sd,
			   const struct dm_nhrp_entry **v, size_t n, bool detail)
{
	const struct dm_dev_info *d = sd->info;
	const int fams[2] = { AF_INET, AF_INET6 };
	char l[DM_ADDR_STRLEN], r[DM_ADDR_STRLEN], pb[40];
	size_t nv[2] = { 0, 0 };
	const struct dm_nhrp_entry **fv[2];

	/* split by tunnel (protocol) family; v is sorted by NBMA */
	fv[0] = calloc(n ? n : 1, sizeof(*v));
	fv[1] = calloc(n ? n : 1, sizeof(*v));
	if (!fv[0] || !fv[1])
		goto out;
	for (size_t i = 0; i < n; i++) {
		int f = v[i]->proto.family == AF_INET6;

		fv[f][nv[f]++] = v[i];
	}

	if (detail) {
		fprintf(fp, "Interface %s is %s, Addr. is %s, VRF \"\"\n",
			d->ifname, sd->state ? sd->state : "unknown",
			sd->addr ? sd->addr : "unassigned");
		fprintf(fp, "   Tunnel Src./Dest. addr: %s/%s, Tunnel VRF \"\"\n",
			dm_addr_fmt(&d->local, l, sizeof(l)),
			d->remote.family ? dm_addr_fmt(&d->remote, r, sizeof(r)) :
					   "MGRE");
		fprintf(fp, "   Protocol/Transport: \"%s\", Protect \"%s\"\n",
			transport(d), protect_str(d, pb, sizeof(pb)));
		dm_show_nhs_block(fp, sd);
		fprintf(fp, "Type:%s, Total NBMA Peers (v4/v6): %zu\n\n",
			dm_tunnel_role(sd), count_peers(v, n));
		table(fp, sd, v, n, true);
		fputc('\n', fp);
		goto out;
	}

	for (int f = 0; f < 2; f++) {
		if (f == 1 && !nv[1])
			continue;
		fprintf(fp, "Interface: %s, %s NHRP Details\n", d->ifname,
			dm_family_name(fams[f]));
		fprintf(fp, "Type:%s, NHRP Peers:%zu,\n", dm_tunnel_role(sd),
			count_peers(fv[f], nv[f]));
		if (nv[f]) {
			fputc('\n', fp);
			table(fp, sd, fv[f], nv[f], false);
		}
		fputc('\n', fp);
	}
out:
	free(fv[0]);
	free(fv[1]);
}

static void dmvpn_json_dev(struct dm_json *j, const struct dm_show_dev *sd,
			   const struct dm_nhrp_entry **v, size_t n)
{
	const struct dm_dev_info *d = sd->info;
	char a[DM_ADDR_STRLEN], at[8];

	dm_json_obj_start(j);
	dm_json_kv_str(j, "ifname", d->ifname);
	dm_json_kv_u64(j, "ifindex", d->ifindex);
	dm_json_kv_str(j, "type", role_key(sd));
	if (d->has_protect) {
		dm_json_kv_bool(j, "protect", d->protect);
		if (d->sock_port)
			dm_json_kv_u64(j, "socket_port", d->sock_port);
		else
			dm_json_kv_null(j, "socket_port");
	}
	dm_json_kv_u64(j, "nhrp_peers", count_peers(v, n));
	dm_json_key(j, "peers");
	dm_json_arr_start(j);
	for (size_t i = 0, ent = 0; i < n; i++) {
		const struct dm_nhrp_entry *e = v[i];

		if (i == 0 || !same_peer(v[i - 1], e))
			for (ent = 1; i + ent < n && same_peer(e, v[i + ent]); ent++)
				;
		dm_json_obj_start(j);
		dm_json_kv_u64(j, "ent", ent);
		if (e->nbma.family)
			dm_json_kv_str(j, "nbma_addr",
				       dm_addr_fmt(&e->nbma, a, sizeof(a)));
		else
			dm_json_kv_null(j, "nbma_addr");
		dm_json_kv_u64(j, "nbma_port", e->port);
		dm_json_kv_str(j, "tunnel_addr", dm_addr_fmt(&e->proto, a, sizeof(a)));
		dm_json_kv_u64(j, "prefix_len", e->plen);
		dm_json_kv_str(j, "state", entry_state(e));
		dm_json_kv_u64(j, "updn_time", e->age);
		dm_json_kv_str(j, "attrb", entry_attrb(sd, e, at, sizeof(at)));
		dm_json_obj_end(j);
	}
	dm_json_arr_end(j);
	dm_json_obj_end(j);
}

void dm_show_dmvpn(const struct dm_out *o, const struct dm_show_dev *devs,
		   size_t ndev, const struct dm_nhrp_entry *ents, size_t n,
		   bool detail)
{
	const struct dm_nhrp_entry **v = sorted(devs, ndev, ents, n, cmp_by_nbma);
	const struct dm_nhrp_entry **dv = calloc(n ? n : 1, sizeof(*dv));
	struct dm_json j;

	if (!v || !dv)
		goto out;
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
	} else {
		legend(o->fp);
		fputc('\n', o->fp);
	}
	for (size_t d = 0; d < ndev; d++) {
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (v[i]->ifindex == devs[d].info->ifindex)
				dv[m++] = v[i];
		if (o->json)
			dmvpn_json_dev(&j, &devs[d], dv, m);
		else
			dmvpn_text_dev(o->fp, &devs[d], dv, m, detail);
	}
	if (o->json) {
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	}
out:
	free(v);
	free(dv);
}

/* ------------------------------------------------------- show interface */

static const char *stat_label(unsigned int s, char *buf, size_t len)
{
	const char *n = dm_stat_name(s);

	if (n)
		return n;
	snprintf(buf, len, "stat_%u", s);
	return buf;
}

void dm_show_interface(const struct dm_out *o, const struct dm_show_dev *sd)
{
	const struct dm_dev_info *d = sd->info;
	char l[DM_ADDR_STRLEN], r[DM_ADDR_STRLEN], sb[16];

	dm_addr_fmt(&d->local, l, sizeof(l));
	dm_addr_fmt(&d->remote, r, sizeof(r));
	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
		dm_json_obj_start(&j);
		dm_json_kv_str(&j, "ifname", d->ifname);
		dm_json_kv_u64(&j, "ifindex", d->ifindex);
		if (sd->state)
			dm_json_kv_str(&j, "state", sd->state);
		dm_json_kv_str(&j, "type", role_key(sd));
		dm_json_kv_str(&j, "transport", transport(d));
		if (d->local.family)
			dm_json_kv_str(&j, "local", l);
		else
			dm_json_kv_null(&j, "local");
		if (d->remote.family)
			dm_json_kv_str(&j, "remote", r);
		else
			dm_json_kv_null(&j, "remote");
		if (d->has_key)
			dm_json_kv_u64(&j, "key", d->key);
		else
			dm_json_kv_null(&j, "key");
		dm_json_kv_u64(&j, "ttl", d->ttl);
		dm_json_kv_bool(&j, "ttl_inherit", d->ttl == 0);
		dm_json_kv_u64(&j, "tos", d->tos);
		dm_json_kv_bool(&j, "tos_inherit", d->tos == DMVPN_TOS_INHERIT);
		dm_json_kv_u64(&j, "link", d->link);
		if (sd->link_name)
			dm_json_kv_str(&j, "link_ifname", sd->link_name);
		else
			dm_json_kv_null(&j, "link_ifname");
		if (d->has_nhrp_count)
			dm_json_kv_u64(&j, "nhrp_entries", d->nhrp_count);
		if (d->has_peer_count)
			dm_json_kv_u64(&j, "nbma_peers", d->peer_count);
		if (d->has_protect) {
			dm_json_kv_bool(&j, "protect", d->protect);
			if (d->sock_port)
				dm_json_kv_u64(&j, "socket_port", d->sock_port);
			else
				dm_json_kv_null(&j, "socket_port");
			if (d->has_sa_count)
				dm_json_kv_u64(&j, "sa_count", d->sa_count);
			if (d->tcp_mss)
				dm_json_kv_u64(&j, "tcp_mss", d->tcp_mss);
			else
				dm_json_kv_null(&j, "tcp_mss");
		}
		dm_json_key(&j, "stats");
		dm_json_obj_start(&j);
		for (unsigned int s = 1; s < DM_STAT_SLOTS; s++)
			if (d->stat_present[s])
				dm_json_kv_u64(&j, stat_label(s, sb, sizeof(sb)),
					       d->stats[s]);
		dm_json_obj_end(&j);
		dm_show_nhrp_conf_json(&j, sd);
		dm_json_obj_end(&j);
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
		return;
	}

	fprintf(o->fp, "%s is %s, dmvpn tunnel, ifindex %" PRIu32 "\n",
		d->ifname, sd->state ? sd->state : "unknown", d->ifindex);
	if (sd->addr)
		fprintf(o->fp, "  Internet address is %s\n", sd->addr);
	fprintf(o->fp, "  Tunnel source %s, destination %s\n", l,
		d->remote.family ? r : "multipoint");
	fprintf(o->fp, "  Tunnel protocol/transport %s, Type:%s\n",
		transport(d), dm_tunnel_role(sd));
	if (d->has_key)
		fprintf(o->fp, "  Tunnel key %" PRIu32 "\n", d->key);
	else
		fprintf(o->fp, "  Tunnel key none\n");
	if (d->ttl)
		fprintf(o->fp, "  Tunnel TTL %u", d->ttl);
	else
		fprintf(o->fp, "  Tunnel TTL inherit");
	if (d->tos == DMVPN_TOS_INHERIT)
		fprintf(o->fp, ", TOS inherit\n");
	else
		fprintf(o->fp, ", TOS 0x%02x\n", d->tos);
	if (d->link)
		fprintf(o->fp, "  Tunnel underlay device %s\n",
			sd->link_name ? sd->link_name : "(unknown)");
	else
		fprintf(o->fp, "  Tunnel underlay device any\n");
	if (d->has_nhrp_count || d->has_peer_count)
		fprintf(o->fp, "  NHRP cache entries %" PRIu32 ", NBMA peers %" PRIu32 "\n",
			d->nhrp_count, d->peer_count);
	dm_show_nhrp_conf_text(o->fp, sd);
	if (d->has_protect && d->protect) {
		fprintf(o->fp, "  Tunnel protection ESP-in-UDP, ");
		if (d->sock_port)
			fprintf(o->fp, "socket port %u", d->sock_port);
		else
			fprintf(o->fp, "no socket");
		if (d->has_sa_count)
			fprintf(o->fp, ", SAs %" PRIu32, d->sa_count);
		fputc('\n', o->fp);
	} else if (d->has_protect) {
		fprintf(o->fp, "  Tunnel protection none\n");
	}
	if (d->tcp_mss)
		fprintf(o->fp, "  TCP MSS adjust %u\n", d->tcp_mss);
	fprintf(o->fp, "  Drops and errors:\n");
	for (unsigned int s = 1; s < DM_STAT_SLOTS; s++)
		if (d->stat_present[s])
			fprintf(o->fp, "    %-20s %" PRIu64 "\n",
				stat_label(s, sb, sizeof(sb)), d->stats[s]);
}

/* -------------------------------------------------------------- monitor */

void dm_show_event(const struct dm_out *o, const char *ifname, uint8_t event,
		   const struct dm_nhrp_entry *e)
{
	const char *ev = dm_event_name(event);
	char evb[16], p[DM_ADDR_STRLEN], a[DM_ADDR_STRLEN], fl[128], tn[32], t[16];

	if (!ev) {
		snprintf(evb, sizeof(evb), "event%u", event);
		ev = evb;
	}
	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, false);
		dm_json_obj_start(&j);
		dm_json_kv_str(&j, "event", ev);
		dm_json_kv_str(&j, "ifname", ifname);
		dm_json_kv_u64(&j, "ifindex", e->ifindex);
		json_entry_fields(&j, e);
		dm_json_obj_end(&j);
		dm_json_end_doc(&j);
	} else {
		fprintf(o->fp, "%s %s %s", ev, ifname, prefix_fmt(e, p, sizeof(p)));
		if (e->nbma.family)
			fprintf(o->fp, " nbma %s", dm_addr_fmt(&e->nbma, a, sizeof(a)));
		if (e->port)
			fprintf(o->fp, " port %u", e->port);
		fprintf(o->fp, " type %s", type_name(e->type, tn, sizeof(tn)));
		dm_nhrp_flags_str(e->flags, fl, sizeof(fl));
		if (fl[0])
			fprintf(o->fp, " flags %s", fl);
		if (e->has_expires)
			fprintf(o->fp, " expire %s", dm_ios_time(e->expires, t, sizeof(t)));
		fputc('\n', o->fp);
	}
	fflush(o->fp);
}

/* ------------------------------------------------------ tunnel protection */

/*
 * An "ident" of show crypto ipsec sa: one tunnel and one NBMA peer
 * (address and UDP port) with its peer record (if PEER_GET knew it) and
 * its SAs.  IOS has one crypto ident per GRE flow (host/47/host), or
 * per pair of subnets that dmvpnd negotiated ("set proxy-identity").
 */
struct ident {
	const struct dm_show_dev *sd;
	struct dm_addr addr;
	uint16_t port;
	const struct dm_peer *peer;	/* NULL: only known from its SAs */
	const struct dm_sa **in, **out;	/* oldest first */
	size_t nin, nout;
	struct dm_proxy_id local_id, remote_id;
};

static const struct dm_show_dev *dev_of(const struct dm_crypto_view *v,
					uint32_t ifindex)
{
	for (size_t i = 0; i < v->ndev; i++)
		if (v->devs[i].info->ifindex == ifindex)
			return &v->devs[i];
	return NULL;
}

static int cmp_ident(const void *pa, const void *pb)
{
	const struct ident *a = pa, *b = pb;
	int r;

	if (a->sd != b->sd)
		return a->sd < b->sd ? -1 : 1;
	if ((r = addr_cmp(&a->addr, &b->addr)))
		return r;
	return (int)a->port - (int)b->port;
}

static int cmp_sa_age(const void *pa, const void *pb)
{
	const struct dm_sa *a = *(const struct dm_sa *const *)pa;
	const struct dm_sa *b = *(const struct dm_sa *const *)pb;

	if (a->age != b->age)
		return a->age > b->age ? -1 : 1;	/* oldest first */
	return a->spi < b->spi ? -1 : a->spi > b->spi;
}

static struct ident *find_ident(struct ident *ids, size_t n,
				const struct dm_show_dev *sd,
				const struct dm_addr *a, uint16_t port)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].sd == sd && dm_addr_equal(&ids[i].addr, a) &&
		    ids[i].port == port)
			return &ids[i];
	return NULL;
}

static void idents_free(struct ident *ids, size_t n)
{
	for (size_t i = 0; ids && i < n; i++) {
		free(ids[i].in);
		free(ids[i].out);
	}
	free(ids);
}

/* Does dmvpnd's pair c hold one of id's SAs? */
static bool child_of_ident(const struct dm_ike_child_state *c, const struct ident *id)
{
	if (!dm_addr_equal(&c->peer, &id->addr) || strcmp(c->ifname, id->sd->info->ifname))
		return false;
	for (size_t i = 0; i < id->nin; i++)
		if (id->in[i]->spi == c->spi_in)
			return true;
	for (size_t i = 0; i < id->nout; i++)
		if (id->out[i]->spi == c->spi_out)
			return true;
	return false;
}

/* The proxy identities of the newest pair dmvpnd negotiated for id, or
 * host/47/host of the endpoints (manual keys, no dmvpnd). */
static void ident_proxies(const struct dm_crypto_view *v, struct ident *id)
{
	const struct dm_ike_child_state *pick = NULL;

	for (size_t i = 0; i < v->nchildren; i++)
		if (child_of_ident(&v->children[i], id))
			pick = &v->children[i];
	if (pick) {
		id->local_id = pick->local_id;
		id->remote_id = pick->remote_id;
		return;
	}
	dm_proxy_id_prefix(&id->local_id, &id->sd->info->local, 128, DM_PROTO_GRE);
	dm_proxy_id_prefix(&id->remote_id, &id->addr, 128, DM_PROTO_GRE);
}

/* Group peers and SAs of protected tunnels; NULL on allocation failure. */
static struct ident *idents(const struct dm_crypto_view *v,
			    const struct dm_addr *filter, size_t *np)
{
	size_t cap = v->npeer + v->nsa, n = 0;
	struct ident *ids = calloc(cap ? cap : 1, sizeof(*ids));

	*np = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < v->npeer + v->nsa; i++) {
		bool is_peer = i < v->npeer;
		const struct dm_peer *p = is_peer ? &v->peers[i] : NULL;
		const struct dm_sa *sa = is_peer ? NULL : &v->sas[i - v->npeer];
		uint32_t ifindex = is_peer ? p->ifindex : sa->ifindex;
		const struct dm_addr *a = is_peer ? &p->addr : &sa->peer;
		uint16_t port = esp_port(is_peer ? p->port : sa->port);
		const struct dm_show_dev *sd = dev_of(v, ifindex);
		struct ident *id;

		if (!sd || !sd->info->protect || !a->family)
			continue;
		if (filter && filter->family && !dm_addr_equal(filter, a))
			continue;
		id = find_ident(ids, n, sd, a, port);
		if (!id) {
			id = &ids[n++];
			id->sd = sd;
			id->addr = *a;
			id->port = port;
		}
		if (p) {
			id->peer = p;
			continue;
		}
		if (sa->dir != DMVPN_SA_DIR_IN && sa->dir != DMVPN_SA_DIR_OUT)
			continue;
		{
			const struct dm_sa ***list = sa->dir == DMVPN_SA_DIR_IN ?
						     &id->in : &id->out;
			size_t *cnt = sa->dir == DMVPN_SA_DIR_IN ? &id->nin : &id->nout;
			const struct dm_sa **nl = realloc(*list, (*cnt + 1) * sizeof(*nl));

			if (!nl) {
				idents_free(ids, n);
				return NULL;
			}
			nl[(*cnt)++] = sa;
			*list = nl;
		}
	}
	qsort(ids, n, sizeof(*ids), cmp_ident);
	for (size_t i = 0; i < n; i++) {
		if (ids[i].nin)
			qsort(ids[i].in, ids[i].nin, sizeof(*ids[i].in), cmp_sa_age);
		if (ids[i].nout)
			qsort(ids[i].out, ids[i].nout, sizeof(*ids[i].out), cmp_sa_age);
		ident_proxies(v, &ids[i]);
	}
	*np = n;
	return ids;
}

static uint64_t sa_stat(const struct dm_sa *sa, unsigned int s)
{
	return s < DM_SA_STAT_SLOTS ? sa->stats[s] : 0;
}

static uint64_t sum_stat(const struct dm_sa **list, size_t n, unsigned int s)
{
	uint64_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += sa_stat(list[i], s);
	return t;
}

/* Packets of SAs whose suite encrypts (enc) or authenticates (!enc). */
static uint64_t sum_pkts_if(const struct dm_sa **list, size_t n, bool enc)
{
	uint64_t t = 0;

	for (size_t i = 0; i < n; i++) {
		const struct dm_esp_alg *a = dm_esp_alg_by_id(list[i]->alg);

		if (a && (enc ? a->enc_len : a->icv_len))
			t += sa_stat(list[i], DMVPN_SA_STAT_PACKETS);
	}
	return t;
}

/* The counters of "show crypto ipsec sa" for one ident. */
struct ident_counts {
	uint64_t encaps, encrypt, digest, decaps, decrypt, verify;
	uint64_t no_sa, invalid_sa, encaps_failed, decaps_failed;
	uint64_t verify_failed, invalid_len, replay_failed;
	uint64_t internal_send, internal_recv;
	uint64_t send_errors, recv_errors;
};

static void ident_counts(const struct ident *id, struct ident_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->encaps = sum_stat(id->out, id->nout, DMVPN_SA_STAT_PACKETS);
	c->encrypt = sum_pkts_if(id->out, id->nout, true);
	c->digest = sum_pkts_if(id->out, id->nout, false);
	c->decaps = sum_stat(id->in, id->nin, DMVPN_SA_STAT_PACKETS);
	c->decrypt = sum_pkts_if(id->in, id->nin, true);
	c->verify = sum_pkts_if(id->in, id->nin, false);
	if (id->peer) {
		c->no_sa = id->peer->no_sa;
		c->invalid_sa = id->peer->invalid_spi;
	}
	c->encaps_failed = sum_stat(id->out, id->nout, DMVPN_SA_STAT_ENCAPS_FAILED);
	c->decaps_failed = sum_stat(id->in, id->nin, DMVPN_SA_STAT_DECAPS_FAILED);
	c->verify_failed = sum_stat(id->in, id->nin, DMVPN_SA_STAT_AUTH_FAILED);
	c->invalid_len = sum_stat(id->in, id->nin, DMVPN_SA_STAT_INVALID_LEN);
	c->replay_failed = sum_stat(id->in, id->nin, DMVPN_SA_STAT_REPLAY);
	c->internal_send = sum_stat(id->out, id->nout, DMVPN_SA_STAT_INTERNAL_ERR);
	c->internal_recv = sum_stat(id->in, id->nin, DMVPN_SA_STAT_INTERNAL_ERR);
	c->send_errors = c->no_sa + c->encaps_failed + c->internal_send;
	c->recv_errors = c->invalid_sa + c->decaps_failed + c->verify_failed +
			 c->invalid_len + c->replay_failed + c->internal_recv;
}

/* The outbound SA carrying the peer's traffic, if any. */
static const struct dm_sa *current_out(const struct ident *id)
{
	for (size_t i = 0; i < id->nout; i++)
		if (id->out[i]->state & DMVPN_SA_S_CURRENT)
			return id->out[i];
	if (id->peer && id->peer->has_spi_out)
		for (size_t i = 0; i < id->nout; i++)
			if (id->out[i]->spi == id->peer->spi_out)
				return id->out[i];
	return NULL;
}

static bool has_spi_out(const struct ident *id, uint32_t *spi)
{
	const struct dm_sa *sa = current_out(id);

	if (id->peer && id->peer->has_spi_out) {
		*spi = id->peer->spi_out;
		return true;
	}
	if (sa) {
		*spi = sa->spi;
		return true;
	}
	return false;
}

static const char *lifetime_fmt(bool has_kb, uint64_t kb, bool has_s,
				uint64_t secs, char *buf, size_t len)
{
	char k[24], t[24];

	if (has_kb)
		snprintf(k, sizeof(k), "%" PRIu64, kb);
	else
		snprintf(k, sizeof(k), "unlimited");
	if (has_s)
		snprintf(t, sizeof(t), "%" PRIu64, secs);
	else
		snprintf(t, sizeof(t), "unlimited");
	snprintf(buf, len, "%s/%s", k, t);
	return buf;
}

static const char *sa_status(const struct dm_sa *sa)
{
	if (sa->dir == DMVPN_SA_DIR_OUT && sa->has_state &&
	    !(sa->state & DMVPN_SA_S_CURRENT))
		return "STANDBY";
	return "ACTIVE";
}

static const char *alg_text(const struct dm_sa *sa, bool cisco, char *buf,
			    size_t len)
{
	const struct dm_esp_alg *a = dm_esp_alg_by_id(sa->alg);

	if (a)
		return cisco ? a->cisco : a->name;
	snprintf(buf, len, "alg%u", sa->alg);
	return buf;
}

static const char *mode_text(uint8_t mode, char *buf, size_t len)
{
	const char *m = dm_sa_mode_name(mode);

	if (m)
		return m;
	snprintf(buf, len, "mode%u", mode);
	return buf;
}

static void sa_text(FILE *fp, const struct dm_sa *sa, bool detail)
{
	char ab[16], lb[64], t[16];

	fprintf(fp, "      spi: 0x%" PRIX32 "(%" PRIu32 ")\n", sa->spi, sa->spi);
	fprintf(fp, "        transform: %s ,\n", alg_text(sa, true, ab, sizeof(ab)));
	fprintf(fp, "        in use settings ={%s, }\n",
		sa->mode == DMVPN_SA_MODE_TUNNEL ? "Tunnel" :
		sa->mode == DMVPN_SA_MODE_TRANSPORT ? "Transport" :
		mode_text(sa->mode, ab, sizeof(ab)));
	fprintf(fp, "        sa timing: remaining key lifetime (k/sec): (%s)\n",
		lifetime_fmt(sa->has_left_kb, sa->left_kb, sa->has_left_secs,
			     sa->left_secs, lb, sizeof(lb)));
	if (detail && (sa->has_soft_kb || sa->has_soft_secs))
		fprintf(fp, "        soft lifetime (k/sec): (%s)%s\n",
			lifetime_fmt(sa->has_soft_kb, sa->soft_kb,
				     sa->has_soft_secs, sa->soft_secs, lb,
				     sizeof(lb)),
			sa->state & DMVPN_SA_S_SOFT_EXPIRED ? ", expired: rekey due" : "");
	if (detail) {
		const struct dm_esp_alg *a = dm_esp_alg_by_id(sa->alg);

		if (a)
			fprintf(fp, "        IV size: %u bytes\n", a->iv_len);
	}
	if (sa->dir == DMVPN_SA_DIR_IN && sa->has_replay_window) {
		fprintf(fp, "        replay detection support: %s\n",
			sa->replay_window ? "Y" : "N");
		if (detail && sa->replay_window)
			fprintf(fp, "        replay window size: %" PRIu32 "\n",
				sa->replay_window);
	}
	if (detail) {
		fprintf(fp, "        #pkts: %" PRIu64 ", bytes: %" PRIu64,
			sa_stat(sa, DMVPN_SA_STAT_PACKETS),
			sa_stat(sa, DMVPN_SA_STAT_BYTES));
		if (sa->has_seq)
			fprintf(fp, ", %s sequence number: %" PRIu64,
				sa->dir == DMVPN_SA_DIR_IN ? "highest" : "last",
				sa->seq);
		fputc('\n', fp);
		fprintf(fp, "        age: %s", sa->has_age ?
			dm_ios_time(sa->age, t, sizeof(t)) : "unknown");
		if (sa->has_reqid)
			fprintf(fp, ", reqid: %" PRIu32, sa->reqid);
		if (sa->flags & DMVPN_SA_F_ESN)
			fprintf(fp, ", ESN");
		if (sa->flags & DMVPN_SA_F_ALLOW_INSECURE)
			fprintf(fp, ", insecure allowed");
		fputc('\n', fp);
	}
	fprintf(fp, "        Status: %s\n\n", sa_status(sa));
}

static void ident_text(FILE *fp, const struct ident *id, bool detail)
{
	const struct dm_dev_info *d = id->sd->info;
	char l[DM_ADDR_STRLEN], a[DM_ADDR_STRLEN], li[DM_PROXY_STRLEN],
	     ri[DM_PROXY_STRLEN];
	const char *mask = d->local.family == AF_INET6 ? "prefixlen" : "mask";
	struct ident_counts c;
	uint32_t spi = 0;

	ident_counts(id, &c);
	dm_addr_fmt(&d->local, l, sizeof(l));
	dm_addr_fmt(&id->addr, a, sizeof(a));
	fprintf(fp, "   local  ident (addr/%s/prot/port): (%s)\n", mask,
		dm_proxy_id_fmt_ios(&id->local_id, false, li, sizeof(li)));
	fprintf(fp, "   remote ident (addr/%s/prot/port): (%s)\n", mask,
		dm_proxy_id_fmt_ios(&id->remote_id, false, ri, sizeof(ri)));
	fprintf(fp, "   current_peer %s port %u\n", a, id->port);
	fprintf(fp, "    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64
		", #pkts digest: %" PRIu64 "\n", c.encaps, c.encrypt, c.digest);
	fprintf(fp, "    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64
		", #pkts verify: %" PRIu64 "\n", c.decaps, c.decrypt, c.verify);
	if (detail) {
		fprintf(fp, "    #pkts no sa (send) %" PRIu64
			", #pkts invalid sa (rcv) %" PRIu64 "\n",
			c.no_sa, c.invalid_sa);
		fprintf(fp, "    #pkts encaps failed (send) %" PRIu64
			", #pkts decaps failed (rcv) %" PRIu64 "\n",
			c.encaps_failed, c.decaps_failed);
		fprintf(fp, "    #pkts verify failed: %" PRIu64
			", #pkts invalid len (rcv) %" PRIu64 "\n",
			c.verify_failed, c.invalid_len);
		fprintf(fp, "    #pkts replay failed (rcv): %" PRIu64 "\n",
			c.replay_failed);
		fprintf(fp, "    #pkts internal err (send): %" PRIu64
			", #pkts internal err (rcv) %" PRIu64 "\n",
			c.internal_send, c.internal_recv);
		if (id->peer)
			fprintf(fp, "    #pkts held (waiting for sa): %" PRIu32 "\n",
				id->peer->held);
	} else {
		fprintf(fp, "    #send errors %" PRIu64 ", #recv errors %" PRIu64 "\n",
			c.send_errors, c.recv_errors);
	}
	fprintf(fp, "\n     local crypto endpt.: %s, remote crypto endpt.: %s\n",
		l, a);
	if (id->peer && id->peer->has_pmtu)
		fprintf(fp, "     path mtu %" PRIu32 "\n", id->peer->pmtu);
	else
		fprintf(fp, "     path mtu (not learnt)\n");
	has_spi_out(id, &spi);
	fprintf(fp, "     current outbound spi: 0x%" PRIX32 "(%" PRIu32 ")\n\n",
		spi, spi);
	fprintf(fp, "     inbound esp sas:\n");
	for (size_t i = 0; i < id->nin; i++)
		sa_text(fp, id->in[i], detail);
	fprintf(fp, "%s     outbound esp sas:\n", id->nin ? "" : "\n");
	for (size_t i = 0; i < id->nout; i++)
		sa_text(fp, id->out[i], detail);
	if (!id->nout)
		fputc('\n', fp);
}

static void json_flags(struct dm_json *j, const char *key, uint32_t bits,
		       const char *(*name)(unsigned int))
{
	char t[16];

	dm_json_key(j, key);
	dm_json_arr_start(j);
	for (unsigned int b = 0; b < 32; b++) {
		if (!(bits & (1U << b)))
			continue;
		if (name(b)) {
			dm_json_str(j, name(b));
		} else {
			snprintf(t, sizeof(t), "0x%x", 1U << b);
			dm_json_str(j, t);
		}
	}
	dm_json_arr_end(j);
}

static void json_opt_u64(struct dm_json *j, const char *key, bool has,
			 uint64_t v)
{
	if (has)
		dm_json_kv_u64(j, key, v);
	else
		dm_json_kv_null(j, key);
}

static void json_addr(struct dm_json *j, const char *key,
		      const struct dm_addr *a)
{
	char s[DM_ADDR_STRLEN];

	if (a->family)
		dm_json_kv_str(j, key, dm_addr_fmt(a, s, sizeof(s)));
	else
		dm_json_kv_null(j, key);
}

static void sa_json(struct dm_json *j, const struct dm_sa *sa)
{
	char b[24];

	dm_json_obj_start(j);
	dm_json_kv_u64(j, "spi", sa->spi);
	snprintf(b, sizeof(b), "0x%" PRIx32, sa->spi);
	dm_json_kv_str(j, "spi_hex", b);
	dm_json_kv_str(j, "alg", alg_text(sa, false, b, sizeof(b)));
	dm_json_kv_str(j, "transform", alg_text(sa, true, b, sizeof(b)));
	dm_json_kv_str(j, "mode", mode_text(sa->mode, b, sizeof(b)));
	if (sa->dir == DMVPN_SA_DIR_IN)
		json_opt_u64(j, "replay_window", sa->has_replay_window,
			     sa->replay_window);
	json_flags(j, "flags", sa->flags, dm_sa_flag_name);
	json_flags(j, "state", sa->state, dm_sa_state_name);
	dm_json_kv_str(j, "status", sa_status(sa));
	json_opt_u64(j, "reqid", sa->has_reqid, sa->reqid);
	json_opt_u64(j, "age", sa->has_age, sa->age);
	json_opt_u64(j, "seq", sa->has_seq, sa->seq);
	json_opt_u64(j, "soft_secs", sa->has_soft_secs, sa->soft_secs);
	json_opt_u64(j, "hard_secs", sa->has_hard_secs, sa->hard_secs);
	json_opt_u64(j, "soft_kb", sa->has_soft_kb, sa->soft_kb);
	json_opt_u64(j, "hard_kb", sa->has_hard_kb, sa->hard_kb);
	json_opt_u64(j, "left_secs", sa->has_left_secs, sa->left_secs);
	json_opt_u64(j, "left_kb", sa->has_left_kb, sa->left_kb);
	dm_json_key(j, "stats");
	dm_json_obj_start(j);
	for (unsigned int s = 1; s < DM_SA_STAT_SLOTS; s++) {
		const char *n = dm_sa_stat_name(s);

		if (!sa->stat_present[s])
			continue;
		if (!n) {
			snprintf(b, sizeof(b), "stat_%u", s);
			n = b;
		}
		dm_json_kv_u64(j, n, sa->stats[s]);
	}
	dm_json_obj_end(j);
	dm_json_obj_end(j);
}

static void ident_json_head(struct dm_json *j, const struct ident *id)
{
	const struct dm_dev_info *d = id->sd->info;

	dm_json_kv_str(j, "ifname", d->ifname);
	dm_json_kv_u64(j, "ifindex", d->ifindex);
	json_addr(j, "local_addr", &d->local);
	json_addr(j, "peer_addr", &id->addr);
	dm_json_kv_u64(j, "peer_port", id->port);
}

static void ident_json(struct dm_json *j, const struct ident *id)
{
	char b[DM_PROXY_STRLEN];
	struct ident_counts c;
	uint32_t spi;
	bool has;

	ident_counts(id, &c);
	dm_json_obj_start(j);
	ident_json_head(j, id);
	/* IOS's "addr/mask/prot/port" */
	dm_json_kv_str(j, "local_ident", dm_proxy_id_fmt_ios(&id->local_id, false, b, sizeof(b)));
	dm_json_kv_str(j, "remote_ident", dm_proxy_id_fmt_ios(&id->remote_id, false, b, sizeof(b)));
	json_opt_u64(j, "socket_port", id->sd->info->sock_port != 0,
		     id->sd->info->sock_port);
	dm_json_kv_u64(j, "pkts_encaps", c.encaps);
	dm_json_kv_u64(j, "pkts_encrypt", c.encrypt);
	dm_json_kv_u64(j, "pkts_digest", c.digest);
	dm_json_kv_u64(j, "pkts_decaps", c.decaps);
	dm_json_kv_u64(j, "pkts_decrypt", c.decrypt);
	dm_json_kv_u64(j, "pkts_verify", c.verify);
	dm_json_kv_u64(j, "send_errors", c.send_errors);
	dm_json_kv_u64(j, "recv_errors", c.recv_errors);
	dm_json_kv_u64(j, "no_sa_send", c.no_sa);
	dm_json_kv_u64(j, "invalid_sa_rcv", c.invalid_sa);
	dm_json_kv_u64(j, "encaps_failed_send", c.encaps_failed);
	dm_json_kv_u64(j, "decaps_failed_rcv", c.decaps_failed);
	dm_json_kv_u64(j, "verify_failed", c.verify_failed);
	dm_json_kv_u64(j, "invalid_len_rcv", c.invalid_len);
	dm_json_kv_u64(j, "replay_failed_rcv", c.replay_failed);
	dm_json_kv_u64(j, "internal_err_send", c.internal_send);
	dm_json_kv_u64(j, "internal_err_rcv", c.internal_recv);
	json_opt_u64(j, "held", id->peer != NULL, id->peer ? id->peer->held : 0);
	json_opt_u64(j, "path_mtu", id->peer && id->peer->has_pmtu,
		     id->peer ? id->peer->pmtu : 0);
	has = has_spi_out(id, &spi);
	json_opt_u64(j, "current_outbound_spi", has, spi);
	dm_json_key(j, "inbound_esp_sas");
	dm_json_arr_start(j);
	for (size_t i = 0; i < id->nin; i++)
		sa_json(j, id->in[i]);
	dm_json_arr_end(j);
	dm_json_key(j, "outbound_esp_sas");
	dm_json_arr_start(j);
	for (size_t i = 0; i < id->nout; i++)
		sa_json(j, id->out[i]);
	dm_json_arr_end(j);
	dm_json_obj_end(j);
}

void dm_show_ipsec_sa(const struct dm_out *o, const struct dm_crypto_view *v,
		      const struct dm_addr *peer_filter, bool detail)
{
	size_t n;
	struct ident *ids = idents(v, peer_filter, &n);
	const struct dm_show_dev *last = NULL;
	struct dm_json j;

	if (!ids)
		return;
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
		for (size_t i = 0; i < n; i++)
			ident_json(&j, &ids[i]);
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
		idents_free(ids, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct dm_dev_info *d = ids[i].sd->info;
		char l[DM_ADDR_STRLEN];

		if (ids[i].sd != last) {
			fprintf(o->fp, "interface: %s\n", d->ifname);
			fprintf(o->fp, "    local addr %s, ",
				dm_addr_fmt(&d->local, l, sizeof(l)));
			if (d->sock_port)
				fprintf(o->fp, "UDP port %u\n\n", d->sock_port);
			else
				fprintf(o->fp, "no socket attached\n\n");
			last = ids[i].sd;
		}
		ident_text(o->fp, &ids[i], detail);
	}
	idents_free(ids, n);
}

/* ---------------------------------------------------- show crypto sockets */

static const char *socket_state(const struct ident *id)
{
	uint32_t spi;

	return has_spi_out(id, &spi) ? "Open" : "Closed";
}

void dm_show_crypto_sockets(const struct dm_out *o,
			    const struct dm_crypto_view *v)
{
	size_t n;
	struct ident *ids = idents(v, NULL, &n);
	char l[DM_ADDR_STRLEN], a[DM_ADDR_STRLEN], li[DM_PROXY_STRLEN],
	     ri[DM_PROXY_STRLEN];
	struct dm_json j;

	if (!ids)
		return;
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_obj_start(&j);
		dm_json_key(&j, "connections");
		dm_json_arr_start(&j);
		for (size_t i = 0; i < n; i++) {
			dm_json_obj_start(&j);
			ident_json_head(&j, &ids[i]);
			dm_json_kv_str(&j, "state", socket_state(&ids[i]));
			dm_json_obj_end(&j);
		}
		dm_json_arr_end(&j);
		dm_json_key(&j, "listen");
		dm_json_arr_start(&j);
		for (size_t i = 0; i < v->ndev; i++) {
			const struct dm_dev_info *d = v->devs[i].info;

			if (!d->protect)
				continue;
			dm_json_obj_start(&j);
			dm_json_kv_str(&j, "ifname", d->ifname);
			dm_json_kv_u64(&j, "ifindex", d->ifindex);
			json_addr(&j, "local_addr", &d->local);
			json_opt_u64(&j, "socket_port", d->sock_port != 0,
				     d->sock_port);
			dm_json_obj_end(&j);
		}
		dm_json_arr_end(&j);
		dm_json_obj_end(&j);
		dm_json_end_doc(&j);
		idents_free(ids, n);
		return;
	}
	fprintf(o->fp, "\nNumber of Crypto Socket connections %zu\n\n", n);
	for (size_t i = 0; i < n; i++) {
		const struct dm_dev_info *d = ids[i].sd->info;
		const char *mask = d->local.family == AF_INET6 ? "prefixlen" : "mask";

		fprintf(o->fp, "   %s Peers (local/remote): %s/%s\n", d->ifname,
			dm_addr_fmt(&d->local, l, sizeof(l)),
			dm_addr_fmt(&ids[i].addr, a, sizeof(a)));
		fprintf(o->fp, "       Local Ident  (addr/%s/port/prot): (%s)\n",
			mask, dm_proxy_id_fmt_ios(&ids[i].local_id, true, li, sizeof(li)));
		fprintf(o->fp, "       Remote Ident (addr/%s/port/prot): (%s)\n",
			mask, dm_proxy_id_fmt_ios(&ids[i].remote_id, true, ri, sizeof(ri)));
		fprintf(o->fp, "       UDP port (local/remote): ");
		if (d->sock_port)
			fprintf(o->fp, "%u", d->sock_port);
		else
			fprintf(o->fp, "none");
		fprintf(o->fp, "/%u\n", ids[i].port);
		fprintf(o->fp, "       Socket State: %s\n", socket_state(&ids[i]));
	}
	fprintf(o->fp, "\nCrypto Sockets in Listen state:\n");
	for (size_t i = 0; i < v->ndev; i++) {
		const struct dm_dev_info *d = v->devs[i].info;

		if (!d->protect)
			continue;
		fprintf(o->fp, "   %s: local %s, ", d->ifname,
			dm_addr_fmt(&d->local, l, sizeof(l)));
		if (d->sock_port)
			fprintf(o->fp, "UDP port %u\n", d->sock_port);
		else
			fprintf(o->fp, "no socket attached\n");
	}
	fputc('\n', o->fp);
	idents_free(ids, n);
}

/* ---------------------------------------------------- show crypto session */

static const char *session_status(const struct dm_crypto_view *v, const struct ident *id)
{
	if (!(id->nin + id->nout))
		return "DOWN";
	/* the keyer's phase 1 with this endpoint is up: IOS's UP-ACTIVE */
	for (size_t i = 0; i < v->nike; i++)
		if (!strcmp(v->ike[i].state, "QM_IDLE") &&
		    dm_addr_equal(&v->ike[i].remote, &id->addr) &&
		    (!id->port || v->ike[i].rport == id->port))
			return "UP-ACTIVE";
	/* SAs but no IKE: manual keys (IOS "UP-NO-IKE") */
	return "UP-NO-IKE";
}

static bool session_uptime(const struct ident *id, uint64_t *age)
{
	bool has = false;

	*age = 0;
	for (size_t i = 0; i < id->nin + id->nout; i++) {
		const struct dm_sa *sa = i < id->nin ? id->in[i] : id->out[i - id->nin];

		if (sa->has_age && sa->age >= *age) {
			*age = sa->age;
			has = true;
		}
	}
	return has;
}

/* The SA whose lifetime a direction shows: the current outbound one, or
 * the newest inbound one. */
static const struct dm_sa *life_sa(const struct ident *id, bool in)
{
	if (!in)
		return current_out(id) ? current_out(id) :
		       id->nout ? id->out[id->nout - 1] : NULL;
	return id->nin ? id->in[id->nin - 1] : NULL;
}

static void session_json_dir(struct dm_json *j, const char *key,
			     uint64_t pkts, uint64_t drop,
			     const struct dm_sa *sa)
{
	dm_json_key(j, key);
	dm_json_obj_start(j);
	dm_json_kv_u64(j, "pkts", pkts);
	dm_json_kv_u64(j, "drop", drop);
	json_opt_u64(j, "left_kb", sa && sa->has_left_kb, sa ? sa->left_kb : 0);
	json_opt_u64(j, "left_secs", sa && sa->has_left_secs,
		     sa ? sa->left_secs : 0);
	dm_json_obj_end(j);
}

void dm_show_crypto_session(const struct dm_out *o,
			    const struct dm_crypto_view *v, bool detail)
{
	size_t n;
	struct ident *ids = idents(v, NULL, &n);
	char l[DM_ADDR_STRLEN], a[DM_ADDR_STRLEN], t[16], lb[64];
	struct dm_json j;

	if (!ids)
		return;
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
	} else {
		fprintf(o->fp, "Crypto session current status\n\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct ident *id = &ids[i];
		const struct dm_dev_info *d = id->sd->info;
		const struct dm_sa *lin = life_sa(id, true), *lout = life_sa(id, false);
		struct ident_counts c;
		uint64_t up;
		bool has_up = session_uptime(id, &up);

		ident_counts(id, &c);
		if (o->json) {
			dm_json_obj_start(&j);
			ident_json_head(&j, id);
			dm_json_kv_str(&j, "status", session_status(v, id));
			json_opt_u64(&j, "uptime", has_up, up);
			dm_json_kv_u64(&j, "active_sas", id->nin + id->nout);
			session_json_dir(&j, "inbound", c.decaps, c.recv_errors, lin);
			session_json_dir(&j, "outbound", c.encaps, c.send_errors, lout);
			dm_json_obj_end(&j);
			continue;
		}
		fprintf(o->fp, "Interface: %s\n", d->ifname);
		if (detail && has_up)
			fprintf(o->fp, "Uptime: %s\n", dm_ios_time(up, t, sizeof(t)));
		fprintf(o->fp, "Session status: %s\n", session_status(v, id));
		fprintf(o->fp, "Peer: %s port %u\n",
			dm_addr_fmt(&id->addr, a, sizeof(a)), id->port);
		fprintf(o->fp, "  IPSEC FLOW: permit 47 host %s host %s\n",
			dm_addr_fmt(&d->local, l, sizeof(l)), a);
		fprintf(o->fp, "        Active SAs: %zu\n", id->nin + id->nout);
		if (detail) {
			fprintf(o->fp, "        Inbound:  #pkts dec'ed %" PRIu64
				" drop %" PRIu64 " life (KB/Sec) %s\n",
				c.decaps, c.recv_errors,
				lin ? lifetime_fmt(lin->has_left_kb, lin->left_kb,
						   lin->has_left_secs,
						   lin->left_secs, lb, sizeof(lb)) :
				      "none");
			fprintf(o->fp, "        Outbound: #pkts enc'ed %" PRIu64
				" drop %" PRIu64 " life (KB/Sec) %s\n",
				c.encaps, c.send_errors,
				lout ? lifetime_fmt(lout->has_left_kb, lout->left_kb,
						    lout->has_left_secs,
						    lout->left_secs, lb, sizeof(lb)) :
				       "none");
		}
		fputc('\n', o->fp);
	}
	if (o->json) {
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	}
	idents_free(ids, n);
}

/* -------------------------------------------------------- SA events */

static const char *event_label(uint8_t event, char *buf, size_t len)
{
	const char *ev = dm_event_name(event);

	if (ev)
		return ev;
	snprintf(buf, len, "event%u", event);
	return buf;
}

void dm_show_sa_event(const struct dm_out *o, const char *ifname,
		      uint8_t event, const struct dm_sa *sa)
{
	char evb[16], a[DM_ADDR_STRLEN];
	const char *ev = event_label(event, evb, sizeof(evb));
	const char *dir = dm_sa_dir_name(sa->dir);

	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, false);
		dm_json_obj_start(&j);
		dm_json_kv_str(&j, "event", ev);
		dm_json_kv_str(&j, "ifname", ifname);
		dm_json_kv_u64(&j, "ifindex", sa->ifindex);
		if (dir)
			dm_json_kv_str(&j, "dir", dir);
		else
			dm_json_kv_null(&j, "dir");
		dm_json_kv_u64(&j, "spi", sa->spi);
		json_addr(&j, "peer_addr", &sa->peer);
		dm_json_kv_u64(&j, "peer_port", sa->port);
		json_opt_u64(&j, "reqid", sa->has_reqid, sa->reqid);
		dm_json_obj_end(&j);
		dm_json_end_doc(&j);
	} else {
		fprintf(o->fp, "%s %s", ev, ifname);
		if (dir)
			fprintf(o->fp, " %s", dir);
		fprintf(o->fp, " spi 0x%" PRIx32, sa->spi);
		if (sa->peer.family)
			fprintf(o->fp, " peer %s", dm_addr_fmt(&sa->peer, a, sizeof(a)));
		if (sa->port)
			fprintf(o->fp, " port %u", sa->port);
		if (sa->has_reqid)
			fprintf(o->fp, " reqid %" PRIu32, sa->reqid);
		fputc('\n', o->fp);
	}
	fflush(o->fp);
}

void dm_show_peer_event(const struct dm_out *o, const char *ifname,
			uint8_t event, const struct dm_peer *p)
{
	char evb[16], a[DM_ADDR_STRLEN];
	const char *ev = event_label(event, evb, sizeof(evb));

	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, false);
		dm_json_obj_start(&j);
		dm_json_kv_str(&j, "event", ev);
		dm_json_kv_str(&j, "ifname", ifname);
		dm_json_kv_u64(&j, "ifindex", p->ifindex);
		json_addr(&j, "peer_addr", &p->addr);
		dm_json_kv_u64(&j, "peer_port", p->port);
		dm_json_obj_end(&j);
		dm_json_end_doc(&j);
	} else {
		fprintf(o->fp, "%s %s peer %s port %u\n", ev, ifname,
			dm_addr_fmt(&p->addr, a, sizeof(a)), p->port);
	}
	fflush(o->fp);
}

static void life_hms(uint32_t secs, char *buf, size_t len)
{
	snprintf(buf, len, "%02u:%02u:%02u", secs / 3600, secs / 60 % 60, secs % 60);
}

void dm_show_isakmp_failures(const struct dm_out *o, const struct dm_ike_failure *f,
			     size_t n, uint64_t now)
{
	char a[DM_ADDR_STRLEN], ago[16];

	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
		for (size_t i = n; i-- > 0;) {
			dm_json_obj_start(&j);
			dm_json_kv_str(&j, "ifname", f[i].ifname);
			dm_json_kv_str(&j, "peer_addr", dm_addr_fmt(&f[i].peer, a, sizeof(a)));
			if (f[i].port)
				dm_json_kv_u64(&j, "peer_port", f[i].port);
			else
				dm_json_kv_null(&j, "peer_port");
			dm_json_kv_u64(&j, "time", f[i].when);
			dm_json_kv_u64(&j, "ago", now > f[i].when ? now - f[i].when : 0);
			dm_json_kv_u64(&j, "count", f[i].count);
			dm_json_kv_str(&j, "code", f[i].code);
			dm_json_kv_str(&j, "reason", f[i].reason);
			dm_json_obj_end(&j);
		}
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
		return;
	}
	fprintf(o->fp, "Last ISAKMP/IPsec negotiation failure per peer, newest first\n\n"
		"Interface  Peer                   Ago       Count Code\n");
	for (size_t i = n; i-- > 0;) {
		char peer[DM_ADDR_STRLEN + 8];

		dm_addr_fmt(&f[i].peer, a, sizeof(a));
		if (f[i].port)
			snprintf(peer, sizeof(peer), "%s:%u", a, f[i].port);
		else
			snprintf(peer, sizeof(peer), "%s", a);
		dm_ios_time(now > f[i].when ? now - f[i].when : 0, ago, sizeof(ago));
		fprintf(o->fp, "%-10s %-22s %-9s %5u %s\n    %s\n", f[i].ifname, peer, ago,
			f[i].count, f[i].code, f[i].reason);
	}
}

/* IOS: ACTIVE once phase 1 is up, else the negotiation is in progress */
static const char *isakmp_status(const struct dm_ike_sa_state *s)
{
	return !strcmp(s->state, "QM_IDLE") ? "ACTIVE" : "NEGOTIATING";
}

void dm_show_isakmp_sa(const struct dm_out *o, const struct dm_ike_sa_state *s,
		       size_t n, bool detail)
{
	char a[DM_ADDR_STRLEN], b[DM_ADDR_STRLEN], life[16];

	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
		for (size_t i = 0; i < n; i++) {
			dm_json_obj_start(&j);
			dm_json_kv_str(&j, "ifname", s[i].ifname);
			dm_json_kv_u64(&j, "conn_id", s[i].conn_id);
			dm_json_kv_str(&j, "local_addr", dm_addr_fmt(&s[i].local, a, sizeof(a)));
			dm_json_kv_u64(&j, "local_port", s[i].lport);
			dm_json_kv_str(&j, "peer_addr", dm_addr_fmt(&s[i].remote, b, sizeof(b)));
			dm_json_kv_u64(&j, "peer_port", s[i].rport);
			dm_json_kv_str(&j, "state", s[i].state);
			dm_json_kv_str(&j, "status", isakmp_status(&s[i]));
			dm_json_kv_str(&j, "role", s[i].initiator ? "initiator" : "responder");
			if (s[i].encr[0]) {
				dm_json_kv_str(&j, "encr", s[i].encr);
				dm_json_kv_str(&j, "hash", s[i].hash);
				dm_json_kv_str(&j, "auth", "psk");
				dm_json_kv_u64(&j, "dh_group", s[i].dh);
			}
			if (s[i].life_left)
				dm_json_kv_u64(&j, "lifetime", s[i].life_left);
			else
				dm_json_kv_null(&j, "lifetime");
			dm_json_kv_bool(&j, "nat_t", s[i].nat);
			dm_json_kv_bool(&j, "dpd", s[i].dpd);
			dm_json_kv_u64(&j, "ipsec_sa_pairs", s[i].children);
			dm_json_obj_end(&j);
		}
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
		return;
	}
	if (!detail) {
		fprintf(o->fp, "IPv4 Crypto ISAKMP SA\n");
		fprintf(o->fp, "dst             src             state          conn-id status\n");
		for (size_t i = 0; i < n; i++) {
			if (s[i].remote.family != AF_INET)
				continue;
			/* dst is the responder, as on IOS */
			fprintf(o->fp, "%-15s %-15s %-14s %7u %s\n",
				dm_addr_fmt(s[i].initiator ? &s[i].remote : &s[i].local, a, sizeof(a)),
				dm_addr_fmt(s[i].initiator ? &s[i].local : &s[i].remote, b, sizeof(b)),
				s[i].state, s[i].conn_id, isakmp_status(&s[i]));
		}
		fprintf(o->fp, "\nIPv6 Crypto ISAKMP SA\n\n");
		return;
	}
	fprintf(o->fp, "Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
		"       K - Keepalives, N - NAT-traversal\n"
		"       T - cTCP encapsulation, X - IKE Extended Authentication\n"
		"       psk - Preshared key, rsig - RSA signature\n"
		"       renc - RSA encryption\n"
		"IPv4 Crypto ISAKMP SA\n\n"
		"C-id  Local           Remote          I-VRF  Status Encr     Hash   Auth DH Lifetime Cap.\n\n");
	for (size_t i = 0; i < n; i++) {
		char cap[4] = "";

		if (s[i].remote.family != AF_INET)
			continue;
		if (s[i].dpd)
			strcat(cap, "D");
		if (s[i].nat)
			strcat(cap, "N");
		if (s[i].life_left)
			life_hms(s[i].life_left, life, sizeof(life));
		else
			snprintf(life, sizeof(life), "-");
		fprintf(o->fp, "%-5u %-15s %-15s %-6s %-6s %-8s %-6s %-4s %-2u %-8s %s\n",
			s[i].conn_id, dm_addr_fmt(&s[i].local, a, sizeof(a)),
			dm_addr_fmt(&s[i].remote, b, sizeof(b)), "",
			isakmp_status(&s[i]), s[i].encr[0] ? s[i].encr : "-",
			s[i].hash[0] ? s[i].hash : "-", "psk", s[i].dh, life, cap);
		fprintf(o->fp, "      State %s, %s, %u IPsec SA pair%s, ports %u/%u\n",
			s[i].state, s[i].initiator ? "initiator" : "responder",
			s[i].children, s[i].children == 1 ? "" : "s", s[i].lport, s[i].rport);
	}
	fprintf(o->fp, "\nIPv6 Crypto ISAKMP SA\n\n");
}

void dm_show_debugging(const struct dm_out *o, unsigned int keyer,
		       unsigned int module, const char *module_err)
{
	bool dmvpn = module & DM_DEBUG_DMVPN;
	bool ipsec_mod = dmvpn || (module & DM_DEBUG_IPSEC);
	bool nhrp = dmvpn || (module & DM_DEBUG_NHRP);

	if (o->json) {
		struct dm_json j;

		dm_json_init(&j, o->fp, o->pretty);
		dm_json_obj_start(&j);
		dm_json_kv_bool(&j, "crypto_isakmp", keyer & DM_DEBUG_ISAKMP);
		dm_json_kv_bool(&j, "crypto_ipsec", keyer & DM_DEBUG_IPSEC);
		if (module_err) {
			dm_json_kv_null(&j, "module_ipsec");
			dm_json_kv_null(&j, "nhrp");
			dm_json_kv_null(&j, "dmvpn");
			dm_json_kv_str(&j, "module_error", module_err);
		} else {
			dm_json_kv_bool(&j, "module_ipsec", ipsec_mod);
			dm_json_kv_bool(&j, "nhrp", nhrp);
			dm_json_kv_bool(&j, "dmvpn", dmvpn);
		}
		dm_json_obj_end(&j);
		dm_json_end_doc(&j);
		return;
	}
	if (keyer & DM_DEBUG_KEYER || (!module_err && ipsec_mod)) {
		fprintf(o->fp, "Cryptographic Subsystem:\n");
		if (keyer & DM_DEBUG_ISAKMP)
			fprintf(o->fp, "  Crypto ISAKMP debugging is on\n");
		if (keyer & DM_DEBUG_IPSEC)
			fprintf(o->fp, "  Crypto IPSEC debugging is on\n");
		if (!module_err && ipsec_mod)
			fprintf(o->fp, "  Crypto IPSEC (module) debugging is on\n");
	}
	if (!module_err && nhrp)
		fprintf(o->fp, "NHRP:\n  NHRP protocol debugging is on\n");
	if (!module_err && dmvpn)
		fprintf(o->fp, "DMVPN:\n  DMVPN all level debugging is on\n");
	if (module_err)
		fprintf(o->fp, "(module debugging unknown: %s)\n", module_err);
}
