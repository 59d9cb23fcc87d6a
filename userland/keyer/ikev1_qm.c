// SPDX-License-Identifier: GPL-2.0-only
/*
 * IKEv1 quick mode (RFC 2409 5.5) with and without PFS, proxy identities
 * host/47/host or as configured (ikev1_proxy.c), NAT-OA (RFC 3947 5.2);
 * informational exchanges: delete, notifies, DPD (RFC 3706).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <linux/dmvpn.h>

#include "../lib/names.h"
#include "ikev1.h"
#include "log.h"

#define NONCE_LEN	32

static bool natted(const struct ike_sa *sa)
{
	return sa->nat_local || sa->nat_peer;
}

static uint16_t encap_mode(const struct ike_sa *sa, uint8_t mode)
{
	if (natted(sa))
		return mode == DMVPN_SA_MODE_TUNNEL ? ENCAP_UDP_TUNNEL : ENCAP_UDP_TRANSPORT;
	return mode == DMVPN_SA_MODE_TUNNEL ? ENCAP_TUNNEL : ENCAP_TRANSPORT;
}

static const struct profile *profile_of(const struct ikev1_ctx *ctx)
{
	return policy_profile(ctx->cfg);
}

static uint32_t life_secs(const struct ikev1_ctx *ctx)
{
	const struct profile *p = profile_of(ctx);

	return p && p->life_secs ? p->life_secs : ctx->cfg->sa_life_secs;
}

static uint64_t life_kb(const struct ikev1_ctx *ctx)
{
	const struct profile *p = profile_of(ctx);

	return p && p->life_kb ? p->life_kb : ctx->cfg->sa_life_kb;
}

static uint32_t new_spi(const struct ikev1_ctx *ctx)
{
	uint32_t spi;
	bool clash;

	do {
		ike_random(&spi, sizeof(spi));
		clash = spi < 256;
		for (size_t i = 0; i < ctx->nchildren && !clash; i++)
			clash = ctx->children[i].spi_in == spi;
	} while (clash);
	return spi;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* End of the payload chain (the padding of a decrypted message excluded). */
static const uint8_t *chain_end(const struct ike_msg *m)
{
	const struct ike_payload *l = &m->pl[m->n - 1];

	return l->raw + l->raw_len;
}

/* prf(SKEYID_a, [0 |] M-ID | [Ni_b |] data) */
static int qm_hash(const struct ike_sa *sa, bool zero, uint32_t msgid,
		   const uint8_t *ni, size_t ni_len, const uint8_t *data,
		   size_t len, const uint8_t *data2, size_t len2, uint8_t *out)
{
	uint8_t mid[4], z = 0;

	be32(mid, msgid);
	return ike_prf(sa->keys.hash, sa->keys.skeyid_a, sa->keys.prf_len, out, 5,
		       (const void *[]){ &z, mid, ni, data, data2 },
		       (size_t[]){ zero ? 1 : 0, 4, ni ? ni_len : 0, len, len2 });
}

static void hdr_of(const struct ike_sa *sa, uint8_t exch, uint32_t msgid,
		   struct isakmp_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, sa->icky, 8);
	memcpy(h->rcookie, sa->rcky, 8);
	h->exch = exch;
	h->msgid = msgid;
}

/* Opens a message whose first payload is HASH; returns its body offset. */
static size_t begin_hashed(const struct ike_sa *sa, struct ike_buf *b,
			   uint8_t exch, uint32_t msgid)
{
	struct isakmp_hdr h;
	size_t s;

	hdr_of(sa, exch, msgid, &h);
	ike_begin(b, &h);
	s = ike_pl_begin(b, ISAKMP_NP_HASH);
	ike_put(b, (uint8_t[IKE_MAX_HASH]){ 0 }, sa->keys.prf_len);
	ike_pl_end(b, s);
	return s + 4;
}

static void put_natoa(const struct ike_sa *sa, struct ike_buf *b, bool initiator,
		      uint8_t mode)
{
	const struct dm_addr *oai = initiator ? &sa->local : &sa->peer;
	const struct dm_addr *oar = initiator ? &sa->peer : &sa->local;

	/* RFC 3947 5.2: transport mode behind a NAT carries the original
	 * addresses, for the checksum fix-up of the inner protocol */
	if (!natted(sa) || mode != DMVPN_SA_MODE_TRANSPORT)
		return;
	for (int i = 0; i < 2; i++) {
		const struct dm_addr *a = i ? oar : oai;
		size_t s = ike_pl_begin(b, ISAKMP_NP_NATOA);

		ike_put8(b, a->family == AF_INET6 ? ID_IPV6_ADDR : ID_IPV4_ADDR);
		ike_put8(b, 0);
		ike_put16(b, 0);
		ike_put(b, a->bytes, a->len);
		ike_pl_end(b, s);
	}
}

static struct qm_exch *qm_new(struct ike_sa *sa, uint32_t msgid, bool initiator)
{
	struct qm_exch *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->msgid = msgid;
	q->initiator = initiator;
	if (ike_p2_iv(sa->keys.hash, sa->iv, sa->keys.block, msgid, q->iv)) {
		free(q);
		return NULL;
	}
	q->next = sa->qms;
	sa->qms = q;
	return q;
}

static void qm_drop(struct ike_sa *sa, struct qm_exch *q)
{
	for (struct qm_exch **pp = &sa->qms; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	ikev1_qm_free(q);
}

int ikev1_qm_start(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	const struct profile *p = profile_of(ctx);
	struct ike_buf *b;
	struct qm_exch *q;
	uint32_t msgid;
	uint8_t spi[4], h[IKE_MAX_HASH];
	size_t hash_at, after, s;
	char a[DM_ADDR_STRLEN];

	dm_addr_fmt(&sa->peer, a, sizeof(a));
	if (!p) {
		klog(KLOG_ERR, "IPSEC: no ipsec profile for %s (\"tunnel protection ipsec profile\")", a);
		return -1;
	}
	do
		ike_random(&msgid, sizeof(msgid));
	while (!msgid);
	b = malloc(sizeof(*b));
	q = b ? qm_new(sa, msgid, true) : NULL;
	if (!q) {
		free(b);
		return -1;
	}
	q->spi_in = new_spi(ctx);
	q->pfs_group = p->pfs_group;
	q->life_secs = life_secs(ctx);
	q->life_kb = life_kb(ctx);
	q->ni_len = NONCE_LEN;
	ike_random(q->ni, q->ni_len);
	be32(spi, q->spi_in);
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_QUICK, msgid);
	after = b->len;
	s = ike_sa_begin(b);
	for (size_t i = 0; i < p->ntsets; i++) {
		const struct tset *ts = policy_tset(ctx->cfg, p->tset_names[i]);
		uint8_t id;
		uint16_t bits, auth;
		size_t pr, t;

		if (!ts || !ikev1_esp_transform(ts->esp_alg, &id, &bits, &auth))
			continue;
		pr = ike_prop_begin(b, (uint8_t)(i + 1), PROTO_IPSEC_ESP, spi, 4, 1,
				    i + 1 == p->ntsets);
		t = ike_trans_begin(b, 1, id, true);
		ike_attr(b, IPSEC_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_attr(b, IPSEC_ATTR_LIFE_DURATION, q->life_secs);
		ike_attr(b, IPSEC_ATTR_LIFE_TYPE, LIFE_KILOBYTES);
		ike_attr(b, IPSEC_ATTR_LIFE_DURATION, q->life_kb);
		ike_attr(b, IPSEC_ATTR_ENCAP, encap_mode(sa, ts->mode));
		if (auth)
			ike_attr(b, IPSEC_ATTR_AUTH, auth);
		if (bits)
			ike_attr(b, IPSEC_ATTR_KEY_LEN, bits);
		if (q->pfs_group)
			ike_attr(b, IPSEC_ATTR_GROUP, q->pfs_group);
		ike_sub_end(b, t);
		ike_sub_end(b, pr);
		q->mode = ts->mode;	/* every set of a profile shares it in practice */
	}
	ike_pl_end(b, s);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, q->ni, q->ni_len);
	if (q->pfs_group) {
		if (ike_dh_new(&q->dh, q->pfs_group))
			goto fail;
		ike_put_raw_payload(b, ISAKMP_NP_KE, q->dh.pub, q->dh.pub_len);
	}
	ikev1_proxy_propose(p, sa, &q->local_id, &q->remote_id);
	ikev1_put_proxy_id(b, &q->local_id);
	ikev1_put_proxy_id(b, &q->remote_id);
	put_natoa(sa, b, true, q->mode);
	if (b->err || qm_hash(sa, false, msgid, NULL, 0, b->b + after,
			      b->len - after, NULL, 0, h))
		goto fail;
	memcpy(b->b + hash_at, h, sa->keys.prf_len);
	if (ike_encrypt(sa, b, q->iv))
		goto fail;
	klog(KLOG_INFO, "ISAKMP (0:%u): beginning Quick Mode exchange, M-ID of %u (0x%08x) with %s",
	     sa->conn_id, msgid, msgid, a);
	if (p->nproxy) {
		char l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];

		klog(KLOG_INFO, "ISAKMP (0:%u): proposing proxy identities local %s remote %s%s",
		     sa->conn_id, dm_proxy_id_fmt_ios(&q->local_id, false, l, sizeof(l)),
		     dm_proxy_id_fmt_ios(&q->remote_id, false, r, sizeof(r)),
		     dm_proxy_id_has(&q->remote_id, &sa->peer) ? "" :
		     " (no \"set proxy-identity\" contains the peer's address: the first)");
	}
	ike_xmit_send(ctx, sa, &q->x, b->b, b->len, true);
	free(b);
	return 0;
fail:
	free(b);
	qm_drop(sa, q);
	return -1;
}

/* Decrypt a phase-2/informational message into pm and check HASH(1|2|3). */
static int open_msg(struct ikev1_ctx *ctx, struct ike_sa *sa, uint8_t *iv,
		    const uint8_t *pkt, size_t len, uint8_t *plain,
		    struct ike_msg *pm, int which, const struct qm_exch *q)
{
	uint8_t tmp_iv[IKE_MAX_BLOCK], h[IKE_MAX_HASH];
	const struct ike_payload *hp;
	const uint8_t *after;
	int err;

	memcpy(tmp_iv, iv, sizeof(tmp_iv));
	err = ike_decrypt(sa, pkt, len, tmp_iv, plain, pm);
	if (err || !pm->n || pm->pl[0].type != ISAKMP_NP_HASH ||
	    pm->pl[0].len != sa->keys.prf_len) {
		char a[DM_ADDR_STRLEN];

		ctx->rx_malformed++;
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from %s failed its sanity check or is malformed",
		     dm_addr_fmt(&sa->peer, a, sizeof(a)));
		return -1;
	}
	hp = &pm->pl[0];
	after = hp->raw + hp->raw_len;
	if (which == 3)
		err = qm_hash(sa, true, pm->hdr.msgid, q->ni, q->ni_len, q->nr,
			      q->nr_len, NULL, 0, h);
	else
		err = qm_hash(sa, false, pm->hdr.msgid, which == 2 ? q->ni : NULL,
			      which == 2 ? q->ni_len : 0, after,
			      (size_t)(chain_end(pm) - after), NULL, 0, h);
	if (err || CRYPTO_memcmp(h, hp->body, hp->len)) {
		ctx->rx_malformed++;
		klog(KLOG_WARN, "ISAKMP (0:%u): HASH(%d) of message %08x does not verify, dropped",
		     sa->conn_id, which, pm->hdr.msgid);
		return -1;
	}
	memcpy(iv, tmp_iv, sizeof(tmp_iv));
	ikev1_peer_alive(ctx, sa);
	return 0;
}

struct p2_offer {
	uint32_t alg;
	uint16_t encap, group, auth, bits;
	uint32_t secs;
	uint64_t kb;
	bool unknown;
};

static void read_p2(const struct ike_transform *t, struct p2_offer *o)
{
	uint16_t lt = 0;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < t->nattrs; i++) {
		const struct ike_attr *a = &t->attrs[i];
		uint64_t v = a->has_num ? a->num : 0;

		switch (a->type) {
		case IPSEC_ATTR_LIFE_TYPE: lt = (uint16_t)v; break;
		case IPSEC_ATTR_LIFE_DURATION:
			if (lt == LIFE_SECONDS)
				o->secs = v > 0xffffffffu ? 0xffffffffu : (uint32_t)v;
			else if (lt == LIFE_KILOBYTES)
				o->kb = v;
			break;
		case IPSEC_ATTR_GROUP: o->group = (uint16_t)v; break;
		case IPSEC_ATTR_ENCAP: o->encap = (uint16_t)v; break;
		case IPSEC_ATTR_AUTH: o->auth = (uint16_t)v; break;
		case IPSEC_ATTR_KEY_LEN: o->bits = (uint16_t)v; break;
		default: o->unknown = true;
		}
	}
	o->alg = ikev1_esp_alg(t->id, o->bits, o->auth);
}

static const char *esp_name(uint8_t id)
{
	switch (id) {
	case ESP_3DES: return "ESP_3DES";
	case ESP_AES_CBC: return "ESP_AES";
	case ESP_AES_GCM_16: return "ESP_GCM";
	case ESP_NULL: return "ESP_NULL";
	case 2: return "ESP_DES";
	}
	return "ESP_?";
}

/* The ID type IOS's debug shows after a proxy: "(type=4)" for a subnet. */
static unsigned int proxy_id_type(const struct dm_proxy_id *p)
{
	bool v6 = p->first.family == AF_INET6;

	switch (p->kind) {
	case DM_PROXY_SUBNET: return v6 ? ID_IPV6_ADDR_SUBNET : ID_IPV4_ADDR_SUBNET;
	case DM_PROXY_RANGE: return v6 ? ID_IPV6_ADDR_RANGE : ID_IPV4_ADDR_RANGE;
	}
	return v6 ? ID_IPV6_ADDR : ID_IPV4_ADDR;
}

static uint16_t want_encap(const struct ike_sa *sa, uint8_t mode)
{
	return encap_mode(sa, mode);
}

static bool encap_ok(const struct ike_sa *sa, uint16_t e, uint8_t mode)
{
	if (e == want_encap(sa, mode))
		return true;
	/* draft NAT-T values, and a peer that did not detect our fake NAT */
	if (mode == DMVPN_SA_MODE_TRANSPORT)
		return e == ENCAP_UDP_TRANSPORT_DRAFT ||
		       (natted(sa) && e == ENCAP_TRANSPORT);
	return e == ENCAP_UDP_TUNNEL_DRAFT || (natted(sa) && e == ENCAP_TUNNEL);
}

/* Responder: the first offered proposal that one of our sets accepts. */
static int choose_p2(struct ikev1_ctx *ctx, struct ike_sa *sa,
		     const struct ike_sa_view *v, bool have_ke,
		     struct qm_exch *q, size_t *pi, size_t *ti)
{
	const struct profile *p = profile_of(ctx);

	for (size_t i = 0; p && i < v->nprop; i++) {
		const struct ike_proposal *pr = &v->prop[i];

		klog(KLOG_INFO, "ISAKMP (0:%u): Checking IPSec proposal %u", sa->conn_id, pr->num);
		if (pr->proto != PROTO_IPSEC_ESP || pr->spi_size != 4) {
			klog(KLOG_INFO, "ISAKMP (0:%u): proposal protocol %u is not ESP", sa->conn_id, pr->proto);
			continue;
		}
		for (size_t j = 0; j < pr->ntrans; j++) {
			const struct ike_transform *t = &pr->trans[j];
			const struct dm_esp_alg *ea;
			struct p2_offer o;
			const char *why = NULL;
			const struct tset *match = NULL;

			read_p2(t, &o);
			klog(KLOG_INFO, "ISAKMP: transform %u, %s", t->num, esp_name(t->id));
			klog(KLOG_DEBUG, "ISAKMP:   attributes in transform: encaps is %u, life %u s / %llu kB, auth %u, key length %u, group %u",
			     o.encap, o.secs, (unsigned long long)o.kb, o.auth, o.bits, o.group);
			for (size_t k = 0; k < p->ntsets && !match; k++) {
				const struct tset *ts = policy_tset(ctx->cfg, p->tset_names[k]);

				if (ts && ts->esp_alg == o.alg && encap_ok(sa, o.encap, ts->mode))
					match = ts;
			}
			if (o.unknown)
				why = "unknown attribute";
			else if (!o.alg)
				why = "transform not supported by the dmvpn module";
			else if (!match)
				why = "no transform set of the profile matches";
			else if (p->pfs_group && o.group != p->pfs_group)
				why = "PFS group does not match \"set pfs\"";
			else if (o.group && (!ike_dh_supported(o.group) || !have_ke ||
					     (ike_dh_legacy(o.group) && !ctx->cfg->legacy_groups)))
				why = "PFS group not acceptable";
			if (why) {
				klog(KLOG_INFO, "ISAKMP (0:%u): atts not acceptable (%s)", sa->conn_id, why);
				continue;
			}
			klog(KLOG_INFO, "ISAKMP (0:%u): atts are acceptable.", sa->conn_id);
			ea = dm_esp_alg_by_id(o.alg);
			{
				char l[DM_ADDR_STRLEN], r[DM_ADDR_STRLEN];
				char lp[DM_PROXY_STRLEN], rp[DM_PROXY_STRLEN];

				klog(KLOG_DEBUG, "IPSEC(validate_proposal_request): proposal part #%u, (key eng. msg.) INBOUND local= %s, remote= %s, local_proxy= %s (type=%u), remote_proxy= %s (type=%u), protocol= ESP, transform= %s (%s), lifedur= %us and %llukb",
				     pr->num, dm_addr_fmt(&sa->local, l, sizeof(l)),
				     dm_addr_fmt(&sa->peer, r, sizeof(r)),
				     dm_proxy_id_fmt_ios(&q->local_id, false, lp, sizeof(lp)),
				     proxy_id_type(&q->local_id),
				     dm_proxy_id_fmt_ios(&q->remote_id, false, rp, sizeof(rp)),
				     proxy_id_type(&q->remote_id),
				     ea ? ea->cisco : "?",
				     match->mode == DMVPN_SA_MODE_TUNNEL ? "Tunnel" : "Transport",
				     o.secs, (unsigned long long)o.kb);
			}
			q->esp_alg = o.alg;
			q->mode = match->mode;
			q->pfs_group = o.group;
			q->spi_out = ike_get32(pr->spi);
			q->life_secs = life_secs(ctx);
			if (o.secs && o.secs < q->life_secs)
				q->life_secs = o.secs;
			q->life_kb = life_kb(ctx);
			if (o.kb && o.kb < q->life_kb)
				q->life_kb = o.kb;
			q->offered_secs = o.secs;
			q->offered_kb = o.kb;
			*pi = i;
			*ti = j;
			return 0;
		}
	}
	return -1;
}

/*
 * Responder: the proxy identities of QM1, into q when acceptable;
 * otherwise say what was offered and what the profile takes -- in the
 * log and where "show crypto isakmp failures" finds it -- and return -1.
 */
static int accept_ids(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *pm,
		      struct qm_exch *q)
{
	const struct profile *p = profile_of(ctx);
	char why[160], conf[400], l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];
	struct dm_proxy_id ci, cr;
	int got = ikev1_proxy_read(pm, &ci, &cr, why, sizeof(why));

	if (got == 0) {
		/* none: the IKE endpoints, every protocol */
		dm_proxy_id_prefix(&q->local_id, &sa->local, 128, 0);
		dm_proxy_id_prefix(&q->remote_id, &sa->peer, 128, 0);
		return 0;
	}
	if (got > 0 && !ikev1_proxy_accept(p, sa, pm, &cr, &ci, why, sizeof(why))) {
		q->local_id = cr;
		q->remote_id = ci;
		return 0;
	}
	ikev1_proxy_configured(p, conf, sizeof(conf));
	if (got > 0) {
		dm_proxy_id_fmt_ios(&cr, false, l, sizeof(l));
		dm_proxy_id_fmt_ios(&ci, false, r, sizeof(r));
	} else {
		snprintf(l, sizeof(l), "?");
		snprintf(r, sizeof(r), "?");
	}
	klog(KLOG_WARN, "IPSEC(validate_transform_proposal): proxy identities not supported");
	klog(KLOG_WARN, "ISAKMP (0:%u): proxy identities local %s remote %s refused: %s; profile %s accepts %s",
	     sa->conn_id, l, r, why, p ? p->name : "(none)", conf);
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PROXY_ID,
			  "proxy identities local %s remote %s refused: %s; profile %s accepts %s",
			  l, r, why, p ? p->name : "(none)", conf);
	return -1;
}

/*
 * Initiator: QM2 echoes what QM1 proposed (RFC 2409 5.5).  Host/47/host
 * may come back with other hosts or none: behind a NAT a responder may
 * put the addresses it sees (strongSwan does), and none means the
 * endpoints.  What a "set proxy-identity" proposed must come back as is,
 * or narrowed to single hosts within it: strongSwan answers a transport-
 * mode offer with the endpoints, which is what the SA carries anyway;
 * the pair then records those.
 */
static int check_echo(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *pm,
		      struct qm_exch *q)
{
	char why[2 * DM_PROXY_STRLEN + 16], l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN],
	     el[DM_PROXY_STRLEN], er[DM_PROXY_STRLEN];
	struct dm_proxy_id ci, cr;
	int got = ikev1_proxy_read(pm, &ci, &cr, why, sizeof(why));
	bool hosts = dm_proxy_id_is_single(&q->local_id) && dm_proxy_id_is_single(&q->remote_id);

	if (hosts && (got == 0 || (got > 0 && dm_proxy_id_is_single(&ci) &&
				   dm_proxy_id_is_single(&cr))))
		return 0;
	if (got > 0 && dm_proxy_id_equal(&ci, &q->local_id) &&
	    dm_proxy_id_equal(&cr, &q->remote_id))
		return 0;
	if (got > 0 && dm_proxy_id_is_single(&ci) && dm_proxy_id_is_single(&cr) &&
	    dm_proxy_id_within(&ci, &q->local_id) && dm_proxy_id_within(&cr, &q->remote_id)) {
		dm_proxy_id_fmt_ios(&ci, false, el, sizeof(el));
		dm_proxy_id_fmt_ios(&cr, false, er, sizeof(er));
		klog(KLOG_INFO, "ISAKMP (0:%u): the peer narrowed the proxy identities to local %s remote %s",
		     sa->conn_id, el, er);
		q->local_id = ci;
		q->remote_id = cr;
		return 0;
	}
	dm_proxy_id_fmt_ios(&q->local_id, false, l, sizeof(l));
	dm_proxy_id_fmt_ios(&q->remote_id, false, r, sizeof(r));
	if (got > 0) {
		dm_proxy_id_fmt_ios(&ci, false, el, sizeof(el));
		dm_proxy_id_fmt_ios(&cr, false, er, sizeof(er));
		snprintf(why, sizeof(why), "local %s remote %s", el, er);
	} else if (got == 0) {
		snprintf(why, sizeof(why), "none");
	}
	klog(KLOG_WARN, "ISAKMP (0:%u): the peer answered proxy identities local %s remote %s with %s: refused",
	     sa->conn_id, l, r, why);
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PROXY_ID,
			  "we proposed proxy identities local %s remote %s, the peer answered %s",
			  l, r, why);
	return -1;
}

static void send_info_notify(struct ikev1_ctx *ctx, struct ike_sa *sa,
			     uint16_t type, uint8_t proto, const uint8_t *spi,
			     uint8_t spi_size);

static int keymat(const struct ike_sa *sa, struct qm_exch *q, struct child_sa *c,
		  bool initiator)
{
	uint8_t spi[4];
	size_t need = child_keymat_len(q->esp_alg);
	int err;

	if (!need)
		return -1;
	c->key_len = need;
	be32(spi, q->spi_in);
	err = ike_keymat(&sa->keys, q->gxy_len ? q->gxy : NULL, q->gxy_len,
			 PROTO_IPSEC_ESP, spi, q->ni, q->ni_len, q->nr, q->nr_len,
			 c->key_in, need);
	be32(spi, q->spi_out);
	err |= ike_keymat(&sa->keys, q->gxy_len ? q->gxy : NULL, q->gxy_len,
			  PROTO_IPSEC_ESP, spi, q->ni, q->ni_len, q->nr, q->nr_len,
			  c->key_out, need);
	(void)initiator;
	return err ? -1 : 0;
}

/* The pair of q, with its keys, into c. */
static int make_child(struct ikev1_ctx *ctx, struct ike_sa *sa,
		      struct qm_exch *q, struct child_sa *c)
{
	memset(c, 0, sizeof(*c));
	c->local = sa->local;
	c->peer = sa->peer;
	c->encap = natted(sa) || ctx->cfg->force_encap;
	c->peer_port = ikev1_esp_port(sa);
	c->spi_in = q->spi_in;
	c->spi_out = q->spi_out;
	c->esp_alg = q->esp_alg;
	c->mode = q->mode;
	c->local_id = q->local_id;
	c->remote_id = q->remote_id;
	c->life_secs = q->life_secs;
	c->life_kb = q->life_kb;
	c->initiator = q->initiator;
	if (keymat(sa, q, c, q->initiator)) {
		child_sa_wipe(c);
		return -1;
	}
	ike_wipe(q->gxy, sizeof(q->gxy));
	return 0;
}

void ikev1_qm_install_out(struct ikev1_ctx *ctx, struct qm_exch *q)
{
	bool tracked = false;

	if (!q->out_pending)
		return;
	q->out_pending = false;
	/* a delete, DPD or shutdown may have removed the pair meanwhile */
	for (size_t i = 0; i < ctx->nchildren; i++)
		if (ctx->children[i].spi_in == q->spi_in &&
		    dm_addr_equal(&ctx->children[i].peer, &q->child.peer))
			tracked = true;
	if (tracked && ikev1_child_install(ctx, &q->child, CHILD_OUT))
		ctx->p2_fail++;
	child_sa_wipe(&q->child);
}

static int pfs_derive(struct ike_sa *sa, struct qm_exch *q, const struct ike_msg *pm)
{
	const struct ike_payload *ke = ike_find(pm, ISAKMP_NP_KE);

	if (!q->pfs_group)
		return ke ? -1 : 0;
	if (!ke || ike_dh_derive(&q->dh, ke->body, ke->len, q->gxy, &q->gxy_len)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): PFS: KE payload missing or invalid", sa->conn_id);
		return -1;
	}
	ike_dh_free(&q->dh);
	return 0;
}

/*
 * RESPONDER-LIFETIME (RFC 2407 4.6.3.1): we keep the offered proposal's
 * attributes in QM2 but use our shorter lifetime; say so, or the
 * initiator would expect the pair to live longer than ours and rekey
 * late.  An offer without a lifetime means RFC 2407's 28800 s, no
 * kilobyte limit.  The SPI is the initiator's, as charon and IOS send.
 */
#define P2_DEFAULT_LIFE_SECS	28800

static void put_responder_lifetime(const struct ike_sa *sa, struct ike_buf *b,
				   const struct qm_exch *q, const uint8_t *spi_i)
{
	uint32_t offered_secs = q->offered_secs ? q->offered_secs : P2_DEFAULT_LIFE_SECS;
	bool secs = q->life_secs < offered_secs;
	bool kb = q->life_kb && (!q->offered_kb || q->life_kb < q->offered_kb);
	struct ike_buf *attrs;

	if (!secs && !kb)
		return;
	attrs = calloc(1, sizeof(*attrs));
	if (!attrs) {
		b->err = true;
		return;
	}
	if (secs) {
		ike_attr(attrs, IPSEC_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_attr(attrs, IPSEC_ATTR_LIFE_DURATION, q->life_secs);
	}
	if (kb) {
		ike_attr(attrs, IPSEC_ATTR_LIFE_TYPE, LIFE_KILOBYTES);
		ike_attr(attrs, IPSEC_ATTR_LIFE_DURATION, q->life_kb);
	}
	if (!attrs->err)
		ike_put_notify(b, PROTO_IPSEC_ESP, N_RESPONDER_LIFETIME, spi_i, 4,
			       attrs->b, attrs->len);
	b->err |= attrs->err;
	klog(KLOG_DEBUG, "ISAKMP (0:%u): sending RESPONDER_LIFETIME: %u s, %llu kB",
	     sa->conn_id, q->life_secs, (unsigned long long)q->life_kb);
	free(attrs);
}

/* responder: QM1 -> QM2 */
static void r_qm1(struct ikev1_ctx *ctx, struct ike_sa *sa, struct qm_exch *q,
		  const uint8_t *pkt, size_t len)
{
	uint8_t *plain = malloc(len);
	struct ike_msg *pm = calloc(1, sizeof(*pm));
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	struct ike_buf *b = malloc(sizeof(*b));
	const struct ike_payload *sp, *np;
	size_t pi = 0, ti = 0, hash_at, after, s, pr, tr;
	uint8_t spi[4], h[IKE_MAX_HASH];
	char la[DM_ADDR_STRLEN], ra[DM_ADDR_STRLEN];

	if (!plain || !pm || !v || !b)
		goto drop;
	if (open_msg(ctx, sa, q->iv, pkt, len, plain, pm, 1, q))
		goto drop;
	ike_xmit_seen(&q->x, pkt, len);
	sp = ike_find(pm, ISAKMP_NP_SA);
	np = ike_find(pm, ISAKMP_NP_NONCE);
	if (!sp || !np || np->len < 8 || np->len > sizeof(q->ni) ||
	    ike_parse_sa(sp->body, sp->len, v)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): quick mode without a valid SA or nonce", sa->conn_id);
		goto drop;
	}
	memcpy(q->ni, np->body, np->len);
	q->ni_len = np->len;
	if (accept_ids(ctx, sa, pm, q)) {
		send_info_notify(ctx, sa, N_INVALID_ID_INFORMATION, PROTO_IPSEC_ESP, NULL, 0);
		goto fail;
	}
	if (choose_p2(ctx, sa, v, ike_find(pm, ISAKMP_NP_KE) != NULL, q, &pi, &ti)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): all IPsec SA proposals found unacceptable!", sa->conn_id);
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_P2_PROPOSAL,
				  "all IPsec SA proposals found unacceptable (no transform set of the profile matches)");
		klog(KLOG_WARN, "ISAKMP (0:%u): phase 2 SA policy not acceptable! (local %s remote %s)",
		     sa->conn_id, dm_addr_fmt(&sa->local, la, sizeof(la)),
		     dm_addr_fmt(&sa->peer, ra, sizeof(ra)));
		send_info_notify(ctx, sa, N_NO_PROPOSAL_CHOSEN, PROTO_IPSEC_ESP,
				 v->nprop ? v->prop[0].spi : NULL, v->nprop ? 4 : 0);
		goto fail;
	}
	if (q->pfs_group) {
		if (ike_dh_new(&q->dh, q->pfs_group) || pfs_derive(sa, q, pm))
			goto fail;
		/* pfs_derive freed the key; keep the public value for QM2 */
	}
	q->spi_in = new_spi(ctx);
	q->nr_len = NONCE_LEN;
	ike_random(q->nr, q->nr_len);
	be32(spi, q->spi_in);

	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_QUICK, q->msgid);
	after = b->len;
	s = ike_sa_begin(b);
	pr = ike_prop_begin(b, v->prop[pi].num, PROTO_IPSEC_ESP, spi, 4, 1, true);
	tr = ike_trans_begin(b, v->prop[pi].trans[ti].num, v->prop[pi].trans[ti].id, true);
	ikev1_put_attrs(b, &v->prop[pi].trans[ti]);
	ike_sub_end(b, tr);
	ike_sub_end(b, pr);
	ike_pl_end(b, s);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, q->nr, q->nr_len);
	if (q->pfs_group)
		ike_put_raw_payload(b, ISAKMP_NP_KE, q->dh.pub, q->dh.pub_len);
	/* echo the identities we were given */
	for (size_t i = 0; i < pm->n; i++)
		if (pm->pl[i].type == ISAKMP_NP_ID)
			ike_put_raw_payload(b, ISAKMP_NP_ID, pm->pl[i].body, pm->pl[i].len);
	put_natoa(sa, b, false, q->mode);
	put_responder_lifetime(sa, b, q, v->prop[pi].spi);
	if (b->err || qm_hash(sa, false, q->msgid, q->ni, q->ni_len, b->b + after,
			      b->len - after, NULL, 0, h))
		goto fail;
	memcpy(b->b + hash_at, h, sa->keys.prf_len);
	if (ike_encrypt(sa, b, q->iv))
		goto fail;
	/* Inbound in before QM2 leaves: the initiator installs on QM2 and
	 * sends at once (held packets, or a rekey's new SA); they must find
	 * it (the race the commit bit of RFC 2408 was for).  Outbound waits
	 * for QM3, when the initiator surely has its inbound: a rekey then
	 * switches over without loss. */
	if (make_child(ctx, sa, q, &q->child) ||
	    ikev1_child_install(ctx, &q->child, CHILD_IN))
		goto fail;
	q->installed = true;
	ike_xmit_send(ctx, sa, &q->x, b->b, b->len, true);
	goto out;
fail:
	qm_drop(sa, q);
	goto out;
drop:
	/* undecryptable: forget the exchange, the peer retransmits */
	qm_drop(sa, q);
out:
	free(plain);
	free(pm);
	free(v);
	free(b);
}

/* RESPONDER-LIFETIME (RFC 2407 4.5.4): the responder's shorter lifetimes */
static void responder_lifetime(const struct ike_sa *sa, struct qm_exch *q,
			       const struct ike_msg *pm)
{
	for (size_t i = 0; i < pm->n; i++) {
		struct ike_attr attrs[IKE_MAX_ATTRS];
		struct ike_notify n;
		uint16_t lt = 0;
		size_t na;

		if (pm->pl[i].type != ISAKMP_NP_N ||
		    ike_parse_notify(pm->pl[i].body, pm->pl[i].len, &n) ||
		    n.type != N_RESPONDER_LIFETIME ||
		    ike_parse_attrs(n.data, n.data_len, attrs, IKE_MAX_ATTRS, &na))
			continue;
		for (size_t k = 0; k < na; k++) {
			uint64_t v = attrs[k].has_num ? attrs[k].num : 0;

			if (attrs[k].type == IPSEC_ATTR_LIFE_TYPE)
				lt = (uint16_t)v;
			else if (attrs[k].type == IPSEC_ATTR_LIFE_DURATION && v) {
				if (lt == LIFE_SECONDS && v < q->life_secs)
					q->life_secs = (uint32_t)v;
				else if (lt == LIFE_KILOBYTES && v < q->life_kb)
					q->life_kb = v;
			}
		}
		klog(KLOG_INFO, "ISAKMP (0:%u): responder lifetime: %u s, %llu kB",
		     sa->conn_id, q->life_secs, (unsigned long long)q->life_kb);
	}
}

/* initiator: QM2 -> QM3 */
static void i_qm2(struct ikev1_ctx *ctx, struct ike_sa *sa, struct qm_exch *q,
		  const uint8_t *pkt, size_t len)
{
	uint8_t *plain = malloc(len);
	struct ike_msg *pm = calloc(1, sizeof(*pm));
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	struct ike_buf *b = malloc(sizeof(*b));
	const struct ike_payload *sp, *np;
	const struct profile *p = profile_of(ctx);
	struct p2_offer o;
	uint8_t h[IKE_MAX_HASH];
	size_t hash_at;
	bool ours = false;

	if (!plain || !pm || !v || !b)
		goto out;
	if (open_msg(ctx, sa, q->iv, pkt, len, plain, pm, 2, q))
		goto out;
	sp = ike_find(pm, ISAKMP_NP_SA);
	np = ike_find(pm, ISAKMP_NP_NONCE);
	if (!sp || !np || np->len < 8 || np->len > sizeof(q->nr) ||
	    ike_parse_sa(sp->body, sp->len, v) || v->nprop != 1 ||
	    v->prop[0].ntrans != 1 || v->prop[0].proto != PROTO_IPSEC_ESP ||
	    v->prop[0].spi_size != 4) {
		klog(KLOG_WARN, "ISAKMP (0:%u): QM2 without one chosen ESP proposal", sa->conn_id);
		goto fail;
	}
	read_p2(&v->prop[0].trans[0], &o);
	for (size_t k = 0; p && k < p->ntsets; k++) {
		const struct tset *ts = policy_tset(ctx->cfg, p->tset_names[k]);

		if (ts && ts->esp_alg == o.alg && encap_ok(sa, o.encap, ts->mode)) {
			ours = true;
			q->mode = ts->mode;
		}
	}
	if (!ours || o.group != q->pfs_group) {
		klog(KLOG_WARN, "ISAKMP (0:%u): the peer chose an IPsec transform we did not offer",
		     sa->conn_id);
		goto fail;
	}
	if (check_echo(ctx, sa, pm, q)) {
		send_info_notify(ctx, sa, N_INVALID_ID_INFORMATION, PROTO_IPSEC_ESP,
				 v->prop[0].spi, 4);
		goto fail;
	}
	q->esp_alg = o.alg;
	q->spi_out = ike_get32(v->prop[0].spi);
	if (o.secs && o.secs < q->life_secs)
		q->life_secs = o.secs;
	if (o.kb && o.kb < q->life_kb)
		q->life_kb = o.kb;
	memcpy(q->nr, np->body, np->len);
	q->nr_len = np->len;
	responder_lifetime(sa, q, pm);
	if (pfs_derive(sa, q, pm))
		goto fail;
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_QUICK, q->msgid);
	if (qm_hash(sa, true, q->msgid, q->ni, q->ni_len, q->nr, q->nr_len,
		    NULL, 0, h))
		goto fail;
	memcpy(b->b + hash_at, h, sa->keys.prf_len);
	if (ike_encrypt(sa, b, q->iv))
		goto fail;
	/* Inbound now: the responder may send as soon as it has QM3.
	 * Outbound IKE_QM3_GRACE_MS after QM3 (ikev1_tick), once a
	 * responder that installs on QM3 has had the time to. */
	if (make_child(ctx, sa, q, &q->child) ||
	    ikev1_child_install(ctx, &q->child, CHILD_IN))
		goto fail;
	q->out_pending = true;
	q->out_at_ms = ctx->now_ms + IKE_QM3_GRACE_MS;
	ike_xmit_seen(&q->x, pkt, len);
	ike_xmit_send(ctx, sa, &q->x, b->b, b->len, false);
	q->done = true;
	ctx->p2_keyed++;
	/* keep it a while to answer a retransmitted QM2 */
	q->expire_ms = ctx->now_ms + 30000;
	goto out;
fail:
	ctx->p2_fail++;
	qm_drop(sa, q);
out:
	free(plain);
	free(pm);
	free(v);
	free(b);
}

/* responder: QM3 */
static void r_qm3(struct ikev1_ctx *ctx, struct ike_sa *sa, struct qm_exch *q,
		  const uint8_t *pkt, size_t len)
{
	uint8_t *plain = malloc(len);
	struct ike_msg *pm = calloc(1, sizeof(*pm));

	if (plain && pm && !open_msg(ctx, sa, q->iv, pkt, len, plain, pm, 3, q)) {
		ike_xmit_seen(&q->x, pkt, len);
		/* QM3 is final: a repeated QM3 needs no answer (resending QM2
		 * would make the initiator resend QM3, forever) */
		ike_xmit_free(&q->x);
		q->done = true;
		q->expire_ms = ctx->now_ms + 30000;
		if (ikev1_child_install(ctx, &q->child, CHILD_OUT))
			ctx->p2_fail++;
		child_sa_wipe(&q->child);
	}
	free(plain);
	free(pm);
}

void ikev1_qm_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m)
{
	struct qm_exch *q;

	if (sa->state != QM_IDLE || !m->hdr.msgid ||
	    !(m->hdr.flags & ISAKMP_FLAG_ENC)) {
		klog(KLOG_INFO, "ISAKMP (0:%u): quick mode message before phase 1 completed, dropped",
		     sa->conn_id);
		return;
	}
	for (q = sa->qms; q; q = q->next)
		if (q->msgid == m->hdr.msgid)
			break;
	if (q && ike_xmit_duplicate(ctx, sa, &q->x, pkt, len))
		return;
	if (!q) {
		q = qm_new(sa, m->hdr.msgid, false);
		if (q)
			r_qm1(ctx, sa, q, pkt, len);
		return;
	}
	if (q->done)
		return;
	if (q->initiator)
		i_qm2(ctx, sa, q, pkt, len);
	else
		r_qm3(ctx, sa, q, pkt, len);
}

/* ---- informational ---- */

static void send_info(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b,
		      size_t hash_at, size_t after, uint32_t msgid)
{
	uint8_t h[IKE_MAX_HASH], iv[IKE_MAX_BLOCK];

	if (b->err || qm_hash(sa, false, msgid, NULL, 0, b->b + after,
			      b->len - after, NULL, 0, h))
		return;
	memcpy(b->b + hash_at, h, sa->keys.prf_len);
	if (ike_p2_iv(sa->keys.hash, sa->iv, sa->keys.block, msgid, iv) ||
	    ike_encrypt(sa, b, iv))
		return;
	ctx->send(ctx->send_arg, b->b, b->len, &sa->peer, sa->peer_port,
		  sa->local_port);
}

static uint32_t info_msgid(void)
{
	uint32_t id;

	do
		ike_random(&id, sizeof(id));
	while (!id);
	return id;
}

static void send_info_notify(struct ikev1_ctx *ctx, struct ike_sa *sa,
			     uint16_t type, uint8_t proto, const uint8_t *spi,
			     uint8_t spi_size)
{
	struct ike_buf *b = malloc(sizeof(*b));
	uint32_t id = info_msgid();
	size_t hash_at, after;

	if (!b)
		return;
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_INFO, id);
	after = b->len;
	ike_put_notify(b, proto, type, spi, spi_size, NULL, 0);
	send_info(ctx, sa, b, hash_at, after, id);
	free(b);
}

void ikev1_send_dpd(struct ikev1_ctx *ctx, struct ike_sa *sa, uint16_t type,
		    uint32_t seq)
{
	struct ike_buf *b = malloc(sizeof(*b));
	uint32_t id = info_msgid();
	uint8_t spi[16], s[4];
	size_t hash_at, after;
	char a[DM_ADDR_STRLEN];

	if (!b)
		return;
	memcpy(spi, sa->icky, 8);
	memcpy(spi + 8, sa->rcky, 8);
	be32(s, seq);
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_INFO, id);
	after = b->len;
	ike_put_notify(b, PROTO_ISAKMP, type, spi, 16, s, 4);
	send_info(ctx, sa, b, hash_at, after, id);
	free(b);
	/* IOS's "debug crypto isakmp" line */
	klog(KLOG_DEBUG, "ISAKMP: (%u):DPD/%s sent to %s seq = 0x%08X",
	     sa->conn_id, type == N_DPD_R_U_THERE ? "R_U_THERE" : "R_U_THERE_ACK",
	     dm_addr_fmt(&sa->peer, a, sizeof(a)), seq);
}

void ikev1_send_invalid_spi(struct ikev1_ctx *ctx, struct ike_sa *sa,
			    uint32_t spi)
{
	uint8_t b[4];

	be32(b, spi);
	send_info_notify(ctx, sa, N_INVALID_SPI, PROTO_IPSEC_ESP, b, 4);
}

void ikev1_send_delete_child(struct ikev1_ctx *ctx, struct ike_sa *sa,
			     const struct child_sa *c)
{
	struct ike_buf *b = malloc(sizeof(*b));
	uint32_t id = info_msgid();
	uint8_t spi[4];
	size_t hash_at, after;

	if (!b)
		return;
	be32(spi, c->spi_in);
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_INFO, id);
	after = b->len;
	ike_put_delete(b, PROTO_IPSEC_ESP, spi, 4, 1);
	send_info(ctx, sa, b, hash_at, after, id);
	free(b);
}

void ikev1_send_delete_p1(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	struct ike_buf *b = malloc(sizeof(*b));
	uint32_t id = info_msgid();
	uint8_t spi[16];
	size_t hash_at, after;

	if (!b)
		return;
	memcpy(spi, sa->icky, 8);
	memcpy(spi + 8, sa->rcky, 8);
	hash_at = begin_hashed(sa, b, ISAKMP_XCHG_INFO, id);
	after = b->len;
	ike_put_delete(b, PROTO_ISAKMP, spi, 16, 1);
	send_info(ctx, sa, b, hash_at, after, id);
	free(b);
}

static const char *notify_name(uint16_t t)
{
	switch (t) {
	case N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case N_INVALID_ID_INFORMATION: return "INVALID_ID_INFORMATION";
	case N_INVALID_SPI: return "INVALID_SPI";
	case N_PAYLOAD_MALFORMED: return "PAYLOAD_MALFORMED";
	case N_INVALID_HASH_INFORMATION: return "INVALID_HASH_INFORMATION";
	case N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case N_INITIAL_CONTACT: return "INITIAL_CONTACT";
	case N_RESPONDER_LIFETIME: return "RESPONDER_LIFETIME";
	case N_DPD_R_U_THERE: return "R_U_THERE";
	case N_DPD_R_U_THERE_ACK: return "R_U_THERE_ACK";
	}
	return "notify";
}

/* INVALID-ID-INFORMATION: the peer refused the proxy identities we
 * propose to it (what ikev1_proxy_propose gives, each time the same). */
static void peer_refused_ids(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	const struct profile *p = profile_of(ctx);
	struct dm_proxy_id local, remote;
	char l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];

	ikev1_proxy_propose(p, sa, &local, &remote);
	dm_proxy_id_fmt_ios(&local, false, l, sizeof(l));
	dm_proxy_id_fmt_ios(&remote, false, r, sizeof(r));
	klog(KLOG_WARN, "ISAKMP (0:%u): the peer refused proxy identities local %s remote %s (INVALID-ID-INFORMATION): its policy wants others",
	     sa->conn_id, l, r);
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PROXY_ID,
			  "the peer refused proxy identities local %s remote %s (INVALID-ID-INFORMATION): compare its proxy identities with profile %s's",
			  l, r, p ? p->name : "(none)");
}

void ikev1_info_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		      const uint8_t *pkt, size_t len, const struct ike_msg *m)
{
	uint8_t *plain = NULL;
	struct ike_msg *pm = NULL;
	const struct ike_msg *use = m;
	bool delete_p1 = false;

	if (m->hdr.flags & ISAKMP_FLAG_ENC) {
		uint8_t iv[IKE_MAX_BLOCK];

		if (sa->state != QM_IDLE)
			return;
		plain = malloc(len);
		pm = calloc(1, sizeof(*pm));
		if (!plain || !pm ||
		    ike_p2_iv(sa->keys.hash, sa->iv, sa->keys.block, m->hdr.msgid, iv) ||
		    open_msg(ctx, sa, iv, pkt, len, plain, pm, 1, NULL))
			goto out;
		use = pm;
	} else if (sa->state == QM_IDLE) {
		/* unauthenticated notifies cannot touch an established SA */
		goto out;
	}
	for (size_t i = 0; i < use->n; i++) {
		const struct ike_payload *p = &use->pl[i];
		struct ike_notify n;
		struct ike_delete d;

		if (p->type == ISAKMP_NP_N && !ike_parse_notify(p->body, p->len, &n)) {
			if (n.type == N_DPD_R_U_THERE && n.data_len == 4) {
				ikev1_send_dpd(ctx, sa, N_DPD_R_U_THERE_ACK, ike_get32(n.data));
			} else if (n.type == N_DPD_R_U_THERE_ACK) {
				char a[DM_ADDR_STRLEN];

				klog(KLOG_DEBUG, "ISAKMP: (%u):DPD/R_U_THERE_ACK received from %s seq = 0x%08X",
				     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)),
				     n.data_len == 4 ? ike_get32(n.data) : 0);
				ikev1_peer_alive(ctx, sa);
			} else if (n.type == N_INVALID_SPI && use == pm && n.spi_size == 4) {
				uint32_t spi = ike_get32(n.spi);

				peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
						  DM_IKE_FAIL_INVALID_SPI,
						  "the peer has no SA for our SPI 0x%08X (INVALID-SPI notify): that pair is deleted and keyed again",
						  spi);

				for (size_t c = 0; c < ctx->nchildren; c++)
					if (ctx->children[c].spi_out == spi &&
					    dm_addr_equal(&ctx->children[c].peer, &sa->peer)) {
						klog(KLOG_WARN, "ISAKMP (0:%u): peer reports invalid SPI 0x%08X: deleting the pair, keying again",
						     sa->conn_id, spi);
						ikev1_child_remove(ctx, c, false);
						ikev1_qm_start(ctx, sa);
						break;
					}
			} else {
				klog(KLOG_INFO, "ISAKMP (0:%u): received %s notify from the peer",
				     sa->conn_id, notify_name(n.type));
				if (n.type == N_INVALID_ID_INFORMATION && sa->state == QM_IDLE)
					peer_refused_ids(ctx, sa);
				if (n.type == N_NO_PROPOSAL_CHOSEN && sa->state == QM_IDLE) {
					klog(KLOG_WARN, "ISAKMP (0:%u): the peer found all IPsec SA proposals unacceptable",
					     sa->conn_id);
					peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
							  DM_IKE_FAIL_P2_PROPOSAL,
							  "the peer found all IPsec SA proposals unacceptable (transform set mismatch?)");
				}
				if (n.type == N_NO_PROPOSAL_CHOSEN && sa->state != QM_IDLE) {
					klog(KLOG_WARN, "ISAKMP (0:%u): the peer accepted none of our ISAKMP policies (no offers accepted)",
					     sa->conn_id);
					peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
							  DM_IKE_FAIL_P1_POLICY,
							  "the peer accepted none of our ISAKMP policies (no offers accepted)");
					delete_p1 = true;
				}
			}
		} else if (p->type == ISAKMP_NP_D && !ike_parse_delete(p->body, p->len, &d) &&
			   use == pm) {
			if (d.proto == PROTO_ISAKMP) {
				delete_p1 = true;
				continue;
			}
			for (size_t k = 0; d.proto == PROTO_IPSEC_ESP && d.spi_size == 4 && k < d.nspi; k++) {
				uint32_t spi = ike_get32(d.spis + 4 * k);

				for (size_t c = 0; c < ctx->nchildren; c++)
					if (ctx->children[c].spi_out == spi &&
					    dm_addr_equal(&ctx->children[c].peer, &sa->peer)) {
						klog(KLOG_INFO, "ISAKMP (0:%u): peer deleted SA 0x%08X",
						     sa->conn_id, spi);
						ikev1_child_remove(ctx, c, false);
						break;
					}
			}
		}
	}
	if (delete_p1)
		ike_sa_delete(ctx, sa, use == pm ? "peer sent delete" : "no offers accepted");
out:
	free(plain);
	free(pm);
}
