// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "../lib/iostime.h"
#include "../lib/json.h"
#include "../lib/names.h"
#include "show.h"

enum dm_role dm_tunnel_role_of(const struct dm_dev_info *d)
{
	return d->remote.family ? DM_ROLE_SPOKE : DM_ROLE_HUB;
}

const char *dm_tunnel_role(const struct dm_dev_info *d)
{
	return dm_tunnel_role_of(d) == DM_ROLE_SPOKE ? "Spoke" : "Hub";
}

/* JSON spelling of the role */
static const char *role_key(const struct dm_dev_info *d)
{
	return dm_tunnel_role_of(d) == DM_ROLE_SPOKE ? "spoke" : "hub";
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
		fprintf(o->fp, "%s via %s\n", prefix_fmt(e, p, sizeof(p)),
			dm_addr_fmt(&e->proto, a, sizeof(a)));
		fprintf(o->fp, "   %s created %s, ", ifn,
			e->has_age ? dm_ios_time(e->age, t1, sizeof(t1)) : "unknown");
		if (e->has_expires)
			fprintf(o->fp, "expire %s\n",
				dm_ios_time(e->expires, t2, sizeof(t2)));
		else
			fprintf(o->fp, "never expire\n");
		dm_nhrp_flags_str(e->flags, fl, sizeof(fl));
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

static const char *entry_attrb(const struct dm_nhrp_entry *e, char *buf,
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
	snprintf(buf, len, "%s%s", t, e->flags & DMVPN_NHRP_F_NAT ? "N" : "");
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

static void table(FILE *fp, const struct dm_nhrp_entry **v, size_t n,
		  bool detail)
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
			entry_attrb(e, at, sizeof(at)));
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

static void dmvpn_text_dev(FILE *fp, const struct dm_show_dev *sd,
			   const struct dm_nhrp_entry **v, size_t n, bool detail)
{
	const struct dm_dev_info *d = sd->info;
	const int fams[2] = { AF_INET, AF_INET6 };
	char l[DM_ADDR_STRLEN], r[DM_ADDR_STRLEN];
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
		fprintf(fp, "   Protocol/Transport: \"%s\", Protect \"\"\n",
			transport(d));
		fprintf(fp, "Type:%s, Total NBMA Peers (v4/v6): %zu\n\n",
			dm_tunnel_role(d), count_peers(v, n));
		table(fp, v, n, true);
		fputc('\n', fp);
		goto out;
	}

	for (int f = 0; f < 2; f++) {
		if (f == 1 && !nv[1])
			continue;
		fprintf(fp, "Interface: %s, %s NHRP Details\n", d->ifname,
			dm_family_name(fams[f]));
		fprintf(fp, "Type:%s, NHRP Peers:%zu,\n", dm_tunnel_role(d),
			count_peers(fv[f], nv[f]));
		if (nv[f]) {
			fputc('\n', fp);
			table(fp, fv[f], nv[f], false);
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
	dm_json_kv_str(j, "type", role_key(d));
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
		dm_json_kv_str(j, "attrb", entry_attrb(e, at, sizeof(at)));
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
		dm_json_kv_str(&j, "type", role_key(d));
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
		dm_json_key(&j, "stats");
		dm_json_obj_start(&j);
		for (unsigned int s = 1; s < DM_STAT_SLOTS; s++)
			if (d->stat_present[s])
				dm_json_kv_u64(&j, stat_label(s, sb, sizeof(sb)),
					       d->stats[s]);
		dm_json_obj_end(&j);
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
		transport(d), dm_tunnel_role(d));
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
