// SPDX-License-Identifier: GPL-2.0-only
/*
 * Show commands of the NHRP protocol: show ip nhrp nhs, show ip nhrp
 * traffic, show ip nhrp multicast, and the NHRP parts of show dmvpn
 * detail and show interface.  Text in the IOS layout, JSON in iproute2's
 * style.  Pure functions of their input, like show.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "../lib/iostime.h"
#include "../lib/json.h"
#include "../lib/names.h"
#include "show.h"

static const char *ifname_of(const struct dm_show_dev *devs, size_t ndev,
			     uint32_t ifindex, char *buf, size_t len)
{
	for (size_t i = 0; i < ndev; i++)
		if (devs[i].info->ifindex == ifindex && devs[i].info->ifname[0])
			return devs[i].info->ifname;
	snprintf(buf, len, "if%" PRIu32, ifindex);
	return buf;
}

/*
 * The NBMA address an NHS is reached at: the one configured with it, else
 * the static mapping of its tunnel address ("ip nhrp map"), else none.
 */
static const struct dm_addr *nhs_nbma(const struct dm_nhs *n,
				      const struct dm_nhrp_entry *ents,
				      size_t nent)
{
	if (n->nbma.family)
		return &n->nbma;
	for (size_t i = 0; i < nent; i++) {
		const struct dm_nhrp_entry *e = &ents[i];

		if (e->ifindex == n->ifindex &&
		    e->type == DMVPN_NHRP_TYPE_STATIC && e->nbma.family &&
		    e->plen == dm_addr_max_plen(&e->proto) &&
		    dm_addr_equal(&e->proto, &n->proto))
			return &e->nbma;
	}
	return NULL;
}

static const char *nhs_letters(uint8_t state)
{
	const char *l = dm_nhs_state_letters(state);

	return l ? l : "?";
}

/* "priority = 0 cluster = 0": IOS's words.  dmvpn has no NHS clusters, so
 * every NHS is in IOS's default cluster 0. */
static void nhs_line(FILE *fp, const struct dm_nhs *n,
		     const struct dm_addr *nbma, bool detail)
{
	char a[DM_ADDR_STRLEN], t[16];

	fprintf(fp, "%s %s", dm_addr_fmt(&n->proto, a, sizeof(a)),
		nhs_letters(n->state));
	if (nbma)
		fprintf(fp, " NBMA Address: %s", dm_addr_fmt(nbma, a, sizeof(a)));
	fprintf(fp, " priority = %u cluster = 0", n->has_priority ? n->priority : 0);
	if (!detail) {
		fputc('\n', fp);
		return;
	}
	fprintf(fp, "  req-sent %" PRIu64 "  repl-recv %" PRIu64,
		n->req_sent, n->reply_recv);
	if (n->has_last_reply)
		fprintf(fp, " (%s ago)", dm_ios_time(n->last_reply, t, sizeof(t)));
	fputc('\n', fp);
	fprintf(fp, "    next registration ");
	if (n->has_next_reg)
		fprintf(fp, "in %s", dm_ios_time(n->next_reg, t, sizeof(t)));
	else
		fprintf(fp, "not scheduled");
	if (n->has_last_code) {
		const char *c = dm_nhrp_cie_name(n->last_code);

		fprintf(fp, ", last reply code %u", n->last_code);
		if (c)
			fprintf(fp, " (%s)", c);
	}
	fputc('\n', fp);
	if (n->nat_addr.family)
		fprintf(fp, "    behind NAT: the NHS sees us at %s\n",
			dm_addr_fmt(&n->nat_addr, a, sizeof(a)));
}

static void json_opt_u64(struct dm_json *j, const char *key, bool has,
			 uint64_t v)
{
	if (has)
		dm_json_kv_u64(j, key, v);
	else
		dm_json_kv_null(j, key);
}

static void json_opt_addr(struct dm_json *j, const char *key,
			  const struct dm_addr *a)
{
	char b[DM_ADDR_STRLEN];

	if (a && a->family)
		dm_json_kv_str(j, key, dm_addr_fmt(a, b, sizeof(b)));
	else
		dm_json_kv_null(j, key);
}

static void nhs_json(struct dm_json *j, const struct dm_nhs *n,
		     const struct dm_addr *nbma)
{
	const char *st = dm_nhs_state_name(n->state);
	char a[DM_ADDR_STRLEN];

	dm_json_kv_str(j, "proto_addr", dm_addr_fmt(&n->proto, a, sizeof(a)));
	json_opt_addr(j, "nbma_addr", nbma);
	dm_json_kv_u64(j, "priority", n->has_priority ? n->priority : 0);
	if (st)
		dm_json_kv_str(j, "state", st);
	else
		dm_json_kv_null(j, "state");
	dm_json_kv_str(j, "status", nhs_letters(n->state));
	dm_json_kv_u64(j, "req_sent", n->req_sent);
	dm_json_kv_u64(j, "reply_recv", n->reply_recv);
	json_opt_u64(j, "last_reply", n->has_last_reply, n->last_reply);
	json_opt_u64(j, "next_reg", n->has_next_reg, n->next_reg);
	json_opt_u64(j, "last_code", n->has_last_code, n->last_code);
	json_opt_addr(j, "nat_addr", &n->nat_addr);
}

/* NHSs in configuration order within a tunnel; tunnels as given. */
void dm_show_nhs(const struct dm_out *o, const struct dm_show_dev *devs,
		 size_t ndev, const struct dm_nhrp_entry *ents, size_t nent,
		 bool detail)
{
	struct dm_json j;
	char ifb[16];

	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
	} else {
		fputs("Legend: E=Expecting replies, R=Responding, W=Waiting\n",
		      o->fp);
	}
	for (size_t d = 0; d < ndev; d++) {
		const struct dm_show_dev *sd = &devs[d];
		bool head = false;

		for (size_t i = 0; sd->have_nhs && i < sd->nnhs; i++) {
			const struct dm_nhs *n = &sd->nhs[i];
			const struct dm_addr *nbma;

			if (n->ifindex != sd->info->ifindex)
				continue;
			nbma = nhs_nbma(n, ents, nent);
			if (o->json) {
				dm_json_obj_start(&j);
				dm_json_kv_str(&j, "ifname",
					       ifname_of(devs, ndev, n->ifindex,
							 ifb, sizeof(ifb)));
				dm_json_kv_u64(&j, "ifindex", n->ifindex);
				nhs_json(&j, n, nbma);
				dm_json_obj_end(&j);
				continue;
			}
			if (!head)
				fprintf(o->fp, "%s:\n", sd->info->ifname);
			head = true;
			nhs_line(o->fp, n, nbma, detail);
		}
	}
	if (o->json) {
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	}
}

/* show dmvpn detail: "IPv4 NHS:" / "IPv6 NHS:" before the Type line. */
void dm_show_nhs_block(FILE *fp, const struct dm_show_dev *sd)
{
	static const int fams[2] = { AF_INET, AF_INET6 };

	for (int f = 0; f < 2; f++) {
		bool head = false;

		for (size_t i = 0; sd->have_nhs && i < sd->nnhs; i++) {
			const struct dm_nhs *n = &sd->nhs[i];

			if (n->ifindex != sd->info->ifindex ||
			    n->proto.family != fams[f])
				continue;
			if (!head)
				fprintf(fp, "\n%s NHS:\n", dm_family_name(fams[f]));
			head = true;
			nhs_line(fp, n, n->nbma.family ? &n->nbma : NULL, false);
		}
	}
}

/* ---------------------------------------------------- show ip nhrp traffic */

/* The packet types in the order IOS lists them, received and sent. */
static const unsigned int rx_types[] = {
	DMVPN_NHRP_STAT_RX_RES_REQ, DMVPN_NHRP_STAT_RX_RES_REPLY,
	DMVPN_NHRP_STAT_RX_REG_REQ, DMVPN_NHRP_STAT_RX_REG_REPLY,
	DMVPN_NHRP_STAT_RX_PURGE_REQ, DMVPN_NHRP_STAT_RX_PURGE_REPLY,
	DMVPN_NHRP_STAT_RX_ERROR_IND, DMVPN_NHRP_STAT_RX_TRAFFIC_IND,
};
static const unsigned int tx_types[] = {
	DMVPN_NHRP_STAT_TX_RES_REQ, DMVPN_NHRP_STAT_TX_RES_REPLY,
	DMVPN_NHRP_STAT_TX_REG_REQ, DMVPN_NHRP_STAT_TX_REG_REPLY,
	DMVPN_NHRP_STAT_TX_PURGE_REQ, DMVPN_NHRP_STAT_TX_PURGE_REPLY,
	DMVPN_NHRP_STAT_TX_ERROR_IND, DMVPN_NHRP_STAT_TX_TRAFFIC_IND,
};
/* received and not acted on: our counters, not IOS's */
static const unsigned int drop_types[] = {
	DMVPN_NHRP_STAT_RX_MALFORMED, DMVPN_NHRP_STAT_RX_AUTH_FAILED,
	DMVPN_NHRP_STAT_RX_LOOP, DMVPN_NHRP_STAT_RX_DROPPED,
};

#define N_OF(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t sum(const struct dm_dev_info *d, const unsigned int *ids,
		    size_t n)
{
	uint64_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += d->nhrp_stats[ids[i]];
	return t;
}

static bool known_stat(unsigned int s)
{
	return s != DMVPN_NHRP_STAT_PAD && dm_nhrp_stat_name(s);
}

/* "   Sent: Total 79" and the counts, three to a line as IOS prints them */
static void traffic_group(FILE *fp, const char *label,
			  const struct dm_dev_info *d, const unsigned int *ids,
			  size_t n)
{
	fprintf(fp, "   %s: Total %" PRIu64 "\n", label, sum(d, ids, n));
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%" PRIu64 " %s%s", i % 3 ? "  " : "         ",
			d->nhrp_stats[ids[i]], dm_nhrp_stat_ios(ids[i]),
			i % 3 == 2 || i + 1 == n ? "\n" : "");
}

static void traffic_text(FILE *fp, const struct dm_dev_info *d)
{
	size_t other = 0;

	if (!d->has_nhrp_stats) {
		fprintf(fp, "%s: no NHRP counters (the dmvpn module does not report them)\n",
			d->ifname);
		return;
	}
	fprintf(fp, "%s:\n", d->ifname);
	traffic_group(fp, "Sent", d, tx_types, N_OF(tx_types));
	traffic_group(fp, "Rcvd", d, rx_types, N_OF(rx_types));
	traffic_group(fp, "Dropped", d, drop_types, N_OF(drop_types));
	/* counters of a newer module than this dmvpnctl */
	for (unsigned int s = 1; s < DM_NHRP_STAT_SLOTS; s++) {
		if (!d->nhrp_stat_present[s] || known_stat(s) ||
		    s == DMVPN_NHRP_STAT_PAD)
			continue;
		fprintf(fp, "%s%" PRIu64 " stat_%u%s", other % 3 ? "  " :
			other ? "         " : "   Other: ", d->nhrp_stats[s], s,
			other % 3 == 2 ? "\n" : "");
		other++;
	}
	if (other % 3)
		fputc('\n', fp);
}

static void nhrp_stats_json(struct dm_json *j, const struct dm_dev_info *d)
{
	char b[16];

	dm_json_obj_start(j);
	for (unsigned int s = 1; s < DM_NHRP_STAT_SLOTS; s++) {
		const char *n = dm_nhrp_stat_name(s);

		if (!d->nhrp_stat_present[s])
			continue;
		if (!n) {
			snprintf(b, sizeof(b), "stat_%u", s);
			n = b;
		}
		dm_json_kv_u64(j, n, d->nhrp_stats[s]);
	}
	dm_json_obj_end(j);
}

void dm_show_nhrp_traffic(const struct dm_out *o,
			  const struct dm_show_dev *devs, size_t ndev)
{
	struct dm_json j;

	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
	}
	for (size_t i = 0; i < ndev; i++) {
		const struct dm_dev_info *d = devs[i].info;

		if (!o->json) {
			traffic_text(o->fp, d);
			continue;
		}
		if (!d->has_nhrp_stats)
			continue;
		dm_json_obj_start(&j);
		dm_json_kv_str(&j, "ifname", d->ifname);
		dm_json_kv_u64(&j, "ifindex", d->ifindex);
		dm_json_kv_u64(&j, "sent", sum(d, tx_types, N_OF(tx_types)));
		dm_json_kv_u64(&j, "rcvd", sum(d, rx_types, N_OF(rx_types)));
		dm_json_kv_u64(&j, "dropped", sum(d, drop_types, N_OF(drop_types)));
		dm_json_key(&j, "stats");
		nhrp_stats_json(&j, d);
		dm_json_obj_end(&j);
	}
	if (o->json) {
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	}
}

/* -------------------------------------------------- show ip nhrp multicast */

struct mc_row {
	uint32_t ifindex;
	struct dm_addr nbma;
	bool dynamic;
};

static bool mc_seen(const struct mc_row *rows, size_t n, const struct mc_row *r)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].ifindex == r->ifindex &&
		    rows[i].dynamic == r->dynamic &&
		    dm_addr_equal(&rows[i].nbma, &r->nbma))
			return true;
	return false;
}

/*
 * Static destinations (MCAST_GET), then, on tunnels with "map multicast
 * dynamic", the NBMA address of every spoke that registered: the module
 * replicates to those.
 */
void dm_show_nhrp_mcast(const struct dm_out *o, const struct dm_show_dev *devs,
			size_t ndev, const struct dm_mcast *mc, size_t nmc,
			const struct dm_nhrp_entry *ents, size_t nent)
{
	struct mc_row *rows = calloc(nmc + nent + 1, sizeof(*rows));
	char a[DM_ADDR_STRLEN], ifb[16];
	size_t n = 0;
	struct dm_json j;

	if (!rows)
		return;
	for (size_t d = 0; d < ndev; d++) {
		const struct dm_dev_info *di = devs[d].info;

		for (size_t i = 0; i < nmc; i++) {
			struct mc_row r = { mc[i].ifindex, mc[i].nbma, false };

			if (r.ifindex == di->ifindex && !mc_seen(rows, n, &r))
				rows[n++] = r;
		}
		if (!di->nhrp.has_mcast_dynamic || !di->nhrp.mcast_dynamic)
			continue;
		for (size_t i = 0; i < nent; i++) {
			struct mc_row r = { ents[i].ifindex, ents[i].nbma, true };

			if (r.ifindex == di->ifindex &&
			    ents[i].type == DMVPN_NHRP_TYPE_DYNAMIC &&
			    r.nbma.family && !mc_seen(rows, n, &r))
				rows[n++] = r;
		}
	}
	if (o->json) {
		dm_json_init(&j, o->fp, o->pretty);
		dm_json_arr_start(&j);
		for (size_t i = 0; i < n; i++) {
			dm_json_obj_start(&j);
			dm_json_kv_str(&j, "ifname", ifname_of(devs, ndev,
				       rows[i].ifindex, ifb, sizeof(ifb)));
			dm_json_kv_u64(&j, "ifindex", rows[i].ifindex);
			dm_json_kv_str(&j, "nbma_addr",
				       dm_addr_fmt(&rows[i].nbma, a, sizeof(a)));
			dm_json_kv_str(&j, "type",
				       rows[i].dynamic ? "dynamic" : "static");
			dm_json_obj_end(&j);
		}
		dm_json_arr_end(&j);
		dm_json_end_doc(&j);
	} else {
		fputs("  I/F     NBMA address\n", o->fp);
		for (size_t i = 0; i < n; i++)
			fprintf(o->fp, "%-10s %-16s Flags: %s\n",
				ifname_of(devs, ndev, rows[i].ifindex, ifb,
					  sizeof(ifb)),
				dm_addr_fmt(&rows[i].nbma, a, sizeof(a)),
				rows[i].dynamic ? "dynamic" : "static");
	}
	free(rows);
}

/* ------------------------------------------------------ show interface */

static const char *on_off(bool v)
{
	return v ? "on" : "off";
}

void dm_show_nhrp_conf_text(FILE *fp, const struct dm_show_dev *sd)
{
	const struct dm_dev_info *d = sd->info;
	const struct dm_nhrp_conf *c = &d->nhrp;
	char a[DM_ADDR_STRLEN];

	if (!d->has_nhrp_conf)
		return;
	if (c->has_network_id && !c->network_id)
		fprintf(fp, "  NHRP off (no network-id)");
	else if (c->has_network_id)
		fprintf(fp, "  NHRP network-id %" PRIu32, c->network_id);
	else
		fprintf(fp, "  NHRP");
	if (c->has_holdtime)
		fprintf(fp, ", holdtime %" PRIu32 " s", c->holdtime);
	if (c->has_reg_interval && c->reg_interval)
		fprintf(fp, ", registration timeout %" PRIu32 " s",
			c->reg_interval);
	else if (c->has_reg_interval && c->has_holdtime)
		fprintf(fp, ", registration timeout %" PRIu32 " s (holdtime/3)",
			c->holdtime / 3);
	fputc('\n', fp);
	fprintf(fp, "  NHRP authentication %s",
		c->has_auth_set ? (c->auth_set ? "set" : "none") : "unknown");
	if (c->has_redirect)
		fprintf(fp, ", redirect %s", on_off(c->redirect));
	if (c->has_shortcut)
		fprintf(fp, ", shortcut %s", on_off(c->shortcut));
	if (c->has_mcast_dynamic)
		fprintf(fp, ", map multicast dynamic %s", on_off(c->mcast_dynamic));
	if (c->has_reg_no_unique)
		fprintf(fp, ", registration %s",
			c->reg_no_unique ? "no-unique" : "unique");
	fputc('\n', fp);
	for (size_t i = 0; sd->have_nhs && i < sd->nnhs; i++) {
		const struct dm_nhs *n = &sd->nhs[i];

		if (n->ifindex != d->ifindex)
			continue;
		fprintf(fp, "  NHRP NHS %s %s", dm_addr_fmt(&n->proto, a, sizeof(a)),
			nhs_letters(n->state));
		if (n->nbma.family)
			fprintf(fp, ", NBMA %s", dm_addr_fmt(&n->nbma, a, sizeof(a)));
		fprintf(fp, ", priority %u\n", n->has_priority ? n->priority : 0);
	}
}

static void json_opt_bool(struct dm_json *j, const char *key, bool has, bool v)
{
	if (has)
		dm_json_kv_bool(j, key, v);
}

/* "nhrp": {...}, "nhs": [...], "nhrp_stats": {...}, each when known */
void dm_show_nhrp_conf_json(struct dm_json *j, const struct dm_show_dev *sd)
{
	const struct dm_dev_info *d = sd->info;
	const struct dm_nhrp_conf *c = &d->nhrp;

	if (d->has_nhrp_conf) {
		dm_json_key(j, "nhrp");
		dm_json_obj_start(j);
		if (c->has_network_id)
			dm_json_kv_u64(j, "network_id", c->network_id);
		if (c->has_holdtime)
			dm_json_kv_u64(j, "holdtime", c->holdtime);
		if (c->has_reg_interval)
			dm_json_kv_u64(j, "registration_timeout", c->reg_interval);
		json_opt_bool(j, "authentication", c->has_auth_set, c->auth_set);
		json_opt_bool(j, "redirect", c->has_redirect, c->redirect);
		json_opt_bool(j, "shortcut", c->has_shortcut, c->shortcut);
		json_opt_bool(j, "map_multicast_dynamic", c->has_mcast_dynamic,
			      c->mcast_dynamic);
		json_opt_bool(j, "registration_no_unique", c->has_reg_no_unique,
			      c->reg_no_unique);
		dm_json_obj_end(j);
	}
	if (sd->have_nhs) {
		dm_json_key(j, "nhs");
		dm_json_arr_start(j);
		for (size_t i = 0; i < sd->nnhs; i++) {
			if (sd->nhs[i].ifindex != d->ifindex)
				continue;
			dm_json_obj_start(j);
			nhs_json(j, &sd->nhs[i], sd->nhs[i].nbma.family ?
				 &sd->nhs[i].nbma : NULL);
			dm_json_obj_end(j);
		}
		dm_json_arr_end(j);
	}
	if (d->has_nhrp_stats) {
		dm_json_key(j, "nhrp_stats");
		nhrp_stats_json(j, d);
	}
}
