// SPDX-License-Identifier: GPL-2.0-only
/* Phase 1 with pre-shared keys: what main and aggressive mode share
 * (ikev1_p1.h). */
#include <stdlib.h>
#include <string.h>

#include "ikev1_p1.h"
#include "log.h"

#include <openssl/crypto.h>

/* MD5("RFC 3947") and the DPD vendor ID of RFC 3706 */
static const uint8_t vid_rfc3947[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_dpd[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };

void p1_put_vids(const struct ike_sa *sa, struct ike_buf *b)
{
	if (sa->initiator || sa->peer_natt)
		ike_put_raw_payload(b, ISAKMP_NP_VID, vid_rfc3947, 16);
	ike_put_raw_payload(b, ISAKMP_NP_VID, vid_dpd, 16);
}

void p1_read_vids(struct ike_sa *sa, const struct ike_msg *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct ike_payload *p = &m->pl[i];

		if (p->type != ISAKMP_NP_VID || p->len < 16)
			continue;
		if (p->len == 16 && !memcmp(p->body, vid_rfc3947, 16))
			sa->peer_natt = true;
		if (!memcmp(p->body, vid_dpd, 16))
			sa->peer_dpd = true;
	}
}

void p1_hdr(const struct ike_sa *sa, struct isakmp_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, sa->icky, 8);
	memcpy(h->rcookie, sa->rcky, 8);
	h->exch = sa->aggressive ? ISAKMP_XCHG_AGGR : ISAKMP_XCHG_IDPROT;
}

int p1_send(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b, bool arm)
{
	size_t len = ike_finish(b);

	if (!len)
		return -1;
	ike_xmit_send(ctx, sa, &sa->x, b->b, len, arm);
	return 0;
}

bool p1_input_filter(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		     size_t len, const struct ike_msg *m, const char *what)
{
	if (ike_xmit_duplicate(ctx, sa, &sa->x, pkt, len))
		return true;
	if (m->hdr.msgid) {
		ctx->rx_dropped++;
		klog(KLOG_INFO, "ISAKMP (0:%u): %s message with a message ID, dropped",
		     sa->conn_id, what);
		return true;
	}
	/* after the first message (answered above when repeated) both
	 * cookies must match */
	if (!sa->initiator && sa->state != MM_NO_STATE &&
	    memcmp(m->hdr.rcookie, sa->rcky, 8)) {
		ctx->rx_dropped++;
		klog(KLOG_DEBUG, "ISAKMP (0:%u): %s message with a wrong responder cookie, dropped",
		     sa->conn_id, what);
		return true;
	}
	return false;
}

int p1_i_begin(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b,
	       uint16_t only_group)
{
	const struct psk_entry *psk = policy_psk_for(ctx->cfg, &sa->peer);
	struct isakmp_hdr h;
	char a[DM_ADDR_STRLEN];
	size_t s, plen;

	if (!psk) {
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_NO_PRESHARED_KEY: No pre-shared key with %s!",
		     dm_addr_fmt(&sa->peer, a, sizeof(a)));
		return -1;
	}
	do
		ike_random(sa->icky, 8);
	while (!sa->icky[0]);
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	s = b->len;
	ikev1_put_p1_proposal(ctx->cfg, b, only_group);
	if (b->err)
		return -1;
	plen = ((size_t)b->b[s + 2] << 8 | b->b[s + 3]) - 4;
	sa->sai_b = malloc(plen);
	if (!sa->sai_b)
		return -1;
	memcpy(sa->sai_b, b->b + s + 4, plen);
	sa->sai_len = plen;
	return 0;
}

int p1_i_take_sa(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m,
		 const char *msg_name)
{
	const struct ike_payload *p = ike_find(m, ISAKMP_NP_SA);
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	const struct ike_transform *t = NULL;
	static const uint8_t zero[8];
	int ret = -1;

	if (!v)
		return -1;
	if (!p || ike_parse_sa(p->body, p->len, v) || v->nprop != 1 ||
	    v->prop[0].ntrans != 1 || !memcmp(m->hdr.rcookie, zero, 8)) {
		const struct ike_payload *n = ike_find(m, ISAKMP_NP_N);
		struct ike_notify nv;

		if (n && !ike_parse_notify(n->body, n->len, &nv) &&
		    nv.type == N_NO_PROPOSAL_CHOSEN) {
			klog(KLOG_WARN, "ISAKMP (0:%u): the peer accepted none of our ISAKMP policies (NO_PROPOSAL_CHOSEN)",
			     sa->conn_id);
			peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
					  DM_IKE_FAIL_P1_POLICY,
					  "the peer accepted none of our ISAKMP policies (NO_PROPOSAL_CHOSEN)");
			ike_sa_delete(ctx, sa, "no offers accepted");
			ret = 1;
			goto out;
		}
		klog(KLOG_WARN, "ISAKMP (0:%u): %s without one chosen transform",
		     sa->conn_id, msg_name);
		goto out;
	}
	if (ikev1_choose_p1(ctx->cfg, sa->conn_id, v, 0, &sa->chosen, &t, NULL, 0)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): the peer chose a transform we did not offer",
		     sa->conn_id);
		goto out;
	}
	memcpy(sa->rcky, m->hdr.rcookie, 8);
	p1_read_vids(sa, m);
	ret = 0;
out:
	free(v);
	return ret;
}

/* Aggressive mode: the group of the initiator's KE, the one offered
 * group whose public value has the KE's size (the KE went before any
 * choice).  0 (why says) when none or more than one fits. */
static uint16_t ke_group(const struct ike_sa_view *v, const struct ike_payload *ke,
			 char *why, size_t whylen)
{
	uint16_t g = 0;

	for (size_t i = 0; v->nprop == 1 && i < v->prop[0].ntrans; i++) {
		const struct ike_attr *a = ike_attr_find(&v->prop[0].trans[i], OAKLEY_GROUP);
		uint16_t tg = a && a->has_num && a->num < 65536 ? (uint16_t)a->num : 0;

		if (!tg || ike_dh_pub_len(tg) != ke->len || tg == g)
			continue;
		if (g) {
			snprintf(why, whylen, "aggressive mode KE payload (%zu bytes) fits offered groups %u and %u",
				 ke->len, g, tg);
			return 0;
		}
		g = tg;
	}
	if (!g)
		snprintf(why, whylen, "aggressive mode KE payload (%zu bytes) fits no offered Diffie-Hellman group",
			 ke->len);
	return g;
}

int p1_r_select(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m,
		const struct ike_payload *ke, struct ike_sa_view *v,
		const struct ike_transform **t)
{
	const struct ike_payload *p = ike_find(m, ISAKMP_NP_SA);
	char a[DM_ADDR_STRLEN], why[160];
	uint16_t group = 0;
	int err;

	dm_addr_fmt(&sa->peer, a, sizeof(a));
	if (!p)
		return -1;
	err = ike_parse_sa(p->body, p->len, v);
	if (err) {
		klog(KLOG_WARN, "ISAKMP (0:%u): malformed SA payload from %s: %s",
		     sa->conn_id, a, ike_perr_str(err));
		return -1;
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): processing SA payload. message ID = 0", sa->conn_id);
	if (!policy_psk_for(ctx->cfg, &sa->peer)) {
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_NO_PRESHARED_KEY: No pre-shared key with %s!", a);
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_NO_KEY,
				  "no pre-shared key for this peer (crypto isakmp key ... address)");
		return -1;
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): found peer pre-shared key matching %s", sa->conn_id, a);
	if (ke) {
		group = ke_group(v, ke, why, sizeof(why));
		if (!group)
			klog(KLOG_INFO, "ISAKMP (0:%u): %s", sa->conn_id, why);
	}
	if ((ke && !group) ||
	    ikev1_choose_p1(ctx->cfg, sa->conn_id, v, group, &sa->chosen, t, why, sizeof(why))) {
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_P1_POLICY,
				  "no offers accepted: %s", why);
		ike_send_notify(ctx, NULL, &sa->peer, sa->peer_port, sa->local_port,
				sa->icky, (uint8_t[8]){ 0 }, N_NO_PROPOSAL_CHOSEN, false);
		return -1;
	}
	sa->sai_b = malloc(p->len);
	if (!sa->sai_b)
		return -1;
	memcpy(sa->sai_b, p->body, p->len);
	sa->sai_len = p->len;
	p1_read_vids(sa, m);
	do
		ike_random(sa->rcky, 8);
	while (!sa->rcky[0]);
	return 0;
}

void p1_put_chosen(struct ike_buf *b, const struct ike_sa_view *v,
		   const struct ike_transform *t)
{
	size_t s = ike_sa_begin(b);
	size_t pr = ike_prop_begin(b, v->prop[0].num, PROTO_ISAKMP, NULL, 0, 1, true);
	size_t tr = ike_trans_begin(b, t->num, KEY_IKE, true);

	ikev1_put_attrs(b, t);
	ike_sub_end(b, tr);
	ike_sub_end(b, pr);
	ike_pl_end(b, s);
}

/* NAT-D for the peer's address first, then our own (RFC 3947 3.2). */
void p1_put_natd(const struct ikev1_ctx *ctx, const struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t h[IKE_MAX_HASH];
	size_t hl = ike_hash_len(sa->chosen.hash);

	if (!sa->peer_natt)
		return;
	ike_natd_hash(sa, &sa->peer, sa->peer_port, h);
	ike_put_raw_payload(b, ISAKMP_NP_NATD, h, hl);
	if (ctx->cfg->force_encap)
		ike_random(h, hl);	/* pretend to be behind a NAT */
	else
		ike_natd_hash(sa, &sa->local, sa->local_port, h);
	ike_put_raw_payload(b, ISAKMP_NP_NATD, h, hl);
}

void p1_check_natd(const struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t me[IKE_MAX_HASH], peer[IKE_MAX_HASH];
	size_t hl = ike_hash_len(sa->chosen.hash), n = 0;
	bool peer_seen = false;

	if (!sa->peer_natt)
		return;
	ike_natd_hash(sa, &sa->local, sa->local_port, me);
	ike_natd_hash(sa, &sa->peer, sa->peer_port, peer);
	sa->nat_local = false;
	for (size_t i = 0; i < m->n; i++) {
		const struct ike_payload *p = &m->pl[i];

		if (p->type != ISAKMP_NP_NATD)
			continue;
		if (n++ == 0)
			sa->nat_local = p->len != hl || memcmp(p->body, me, hl);
		else if (p->len == hl && !memcmp(p->body, peer, hl))
			peer_seen = true;
	}
	if (!n)
		return;
	sa->nat_peer = !peer_seen;
	sa->natd_local = sa->nat_local;
	klog(KLOG_INFO, "ISAKMP (0:%u): NAT-D: %s%s%s%s", sa->conn_id,
	     sa->nat_local ? "we are behind a NAT" : "",
	     sa->nat_local && sa->nat_peer ? ", " : "",
	     sa->nat_peer ? "the peer is behind a NAT" : sa->nat_local ? "" : "no NAT",
	     ctx->cfg->force_encap ?
	     "; UDP encapsulation forced (the module takes ESP only inside UDP 4500)" : "");
	if (ctx->cfg->force_encap)
		sa->nat_local = true;
}

bool p1_natted(const struct ike_sa *sa)
{
	return sa->nat_local || sa->nat_peer;
}

void p1_float(struct ike_sa *sa)
{
	if (p1_natted(sa)) {
		sa->local_port = IKE_NATT_PORT;
		sa->peer_port = IKE_NATT_PORT;
	}
}

bool p1_nonce_ok(const struct ike_payload *p)
{
	return p && p->len >= 8 && p->len <= 64;	/* RFC 2409: 8..256 */
}

int p1_read_ke_nonce(struct ike_sa *sa, const struct ike_msg *m, uint8_t *g,
		     uint8_t *n, size_t *nlen)
{
	const struct ike_payload *ke = ike_find(m, ISAKMP_NP_KE);
	const struct ike_payload *no = ike_find(m, ISAKMP_NP_NONCE);

	if (!ke || ke->len != ike_dh_pub_len(sa->chosen.group) || !p1_nonce_ok(no)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): KE or nonce payload missing or of the wrong size",
		     sa->conn_id);
		return -1;
	}
	sa->g_len = ke->len;
	memcpy(g, ke->body, ke->len);
	memcpy(n, no->body, no->len);
	*nlen = no->len;
	return 0;
}

int p1_derive(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	const struct psk_entry *psk = policy_psk_for(ctx->cfg, &sa->peer);
	uint8_t gxy[IKE_MAX_DH_PUB];
	size_t gxy_len;
	const uint8_t *peer_pub = sa->initiator ? sa->gxr : sa->gxi;
	struct ike_p1_input in;
	int err;

	if (!psk)
		return -1;
	if (ike_dh_derive(&sa->dh, peer_pub, sa->g_len, gxy, &gxy_len)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): invalid KE payload (DH group %u)",
		     sa->conn_id, sa->chosen.group);
		return -1;
	}
	in = (struct ike_p1_input){
		.hash = sa->chosen.hash, .enc = sa->chosen.enc,
		.key_bits = sa->chosen.key_bits,
		.psk = psk->key, .psk_len = psk->key_len,
		.ni = sa->ni, .ni_len = sa->ni_len,
		.nr = sa->nr, .nr_len = sa->nr_len,
		.gxy = gxy, .gxy_len = gxy_len,
		.gxi = sa->gxi, .gxi_len = sa->g_len,
		.gxr = sa->gxr, .gxr_len = sa->g_len,
		.icky = sa->icky, .rcky = sa->rcky,
	};
	err = ike_p1_derive_psk(&in, &sa->keys);
	ike_wipe(gxy, sizeof(gxy));
	ike_dh_free(&sa->dh);
	memcpy(sa->iv, sa->keys.iv, sizeof(sa->iv));
	return err;
}

/* ID payload of our address: ID_IPV4_ADDR/ID_IPV6_ADDR, proto 17, port 500
 * as IOS sends it. */
void p1_put_my_id(const struct ike_sa *sa, struct ike_buf *b, size_t *body, size_t *len)
{
	size_t s = b->len;

	ike_put_id(b, sa->local.family == AF_INET6 ? ID_IPV6_ADDR : ID_IPV4_ADDR,
		   17, IKE_PORT, sa->local.bytes, sa->local.len);
	*body = s + 4;
	*len = b->len - s - 4;
}

int p1_put_hash(struct ike_sa *sa, struct ike_buf *b, const uint8_t *id, size_t idlen)
{
	uint8_t h[IKE_MAX_HASH];

	if (b->err || ike_p1_auth_hash(&sa->keys, sa->initiator, sa->gxi, sa->g_len,
				       sa->gxr, sa->g_len, sa->icky, sa->rcky,
				       sa->sai_b, sa->sai_len, id, idlen, h))
		return -1;
	ike_put_raw_payload(b, ISAKMP_NP_HASH, h, sa->keys.prf_len);
	return 0;
}

int p1_put_auth(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b)
{
	size_t idb, idl;

	(void)ctx;
	p1_put_my_id(sa, b, &idb, &idl);
	/* the hash is computed before its payload moves b on */
	return p1_put_hash(sa, b, b->b + idb, idl);
}

/*
 * "crypto isakmp profile" (seed 004): once the file has any, the identity
 * the peer authenticates with must match one (the initiator's: the one
 * its ipsec profile names, if it names one), and the key we chose by the
 * peer's address must be one that profile may use.  0, or -1 after
 * logging and noting the failure.
 */
int p1_check_identity(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_id *id)
{
	const struct keyer_config *cfg = ctx->cfg;
	const struct psk_entry *psk = policy_psk_for(cfg, &sa->peer);
	const struct isakmp_profile *ip, *want = NULL;
	struct dm_addr ident = { 0 };
	char a[DM_ADDR_STRLEN], i[DM_ADDR_STRLEN] = "?";

	if ((id->type == ID_IPV4_ADDR && id->len == 4) ||
	    (id->type == ID_IPV6_ADDR && id->len == 16)) {
		dm_addr_from_bin(&ident, id->data, id->len);
		dm_addr_fmt(&ident, i, sizeof(i));
	}
	sa->ident = ident;
	if (!cfg->niprof)
		return 0;
	dm_addr_fmt(&sa->peer, a, sizeof(a));
	ip = ident.family ? policy_isakmp_profile_for(cfg, &ident) : NULL;
	if (sa->initiator)
		want = policy_initiator_isakmp_profile(cfg);
	if (!ip || (want && ip != want)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): peer %s (identity %s, type %u) does not match %s%s",
		     sa->conn_id, a, i, id->type, want ? "isakmp profile " : "any isakmp profile",
		     want ? want->name : "");
		sa->failure_noted = true;
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PROFILE,
				  "identity %s (type %u) matches %s%s (crypto isakmp profile ... match identity address)",
				  i, id->type, want ? "not isakmp profile " : "no isakmp profile",
				  want ? want->name : "");
		return -1;
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): peer matches %s profile", sa->conn_id, ip->name);
	if (psk && !policy_isakmp_profile_uses(ip, psk)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): the key for %s is in keyring %s, which isakmp profile %s does not use",
		     sa->conn_id, a, policy_keyring_name(cfg, psk), ip->name);
		sa->failure_noted = true;
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PROFILE,
				  "its key is in keyring %s, which isakmp profile %s (matched by identity %s) does not use",
				  policy_keyring_name(cfg, psk), ip->name, i);
		return -1;
	}
	if (psk)
		klog(KLOG_INFO, "ISAKMP (0:%u): Found ADDRESS key in keyring %s", sa->conn_id,
		     policy_keyring_name(cfg, psk));
	return 0;
}

void p1_sanity_failed(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *detail)
{
	char a[DM_ADDR_STRLEN];

	ctx->rx_malformed++;
	klog(KLOG_WARN, "%%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from %s failed its sanity check or is malformed",
	     dm_addr_fmt(&sa->peer, a, sizeof(a)));
	klog(KLOG_INFO, "ISAKMP (0:%u): %s (%s); pre-shared key mismatch?",
	     sa->conn_id, detail, ike_sa_state_name(sa));
	sa->failure_noted = true;
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PSK,
			  "IKE message failed its sanity check or is malformed: %s (%s); pre-shared key mismatch?",
			  detail, ike_sa_state_name(sa));
}

int p1_check_hash(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *id,
		  size_t idlen, const struct ike_payload *hash)
{
	uint8_t h[IKE_MAX_HASH];

	if (!hash || ike_p1_auth_hash(&sa->keys, !sa->initiator, sa->gxi, sa->g_len,
				      sa->gxr, sa->g_len, sa->icky, sa->rcky,
				      sa->sai_b, sa->sai_len, id, idlen, h) ||
	    hash->len != sa->keys.prf_len || CRYPTO_memcmp(h, hash->body, hash->len)) {
		p1_sanity_failed(ctx, sa, sa->initiator ? "HASH_R does not verify" :
				 "HASH_I does not verify");
		return -1;
	}
	return 0;
}

void p1_read_notifies(struct ike_sa *sa, const struct ike_msg *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct ike_notify n;

		if (m->pl[i].type == ISAKMP_NP_N &&
		    !ike_parse_notify(m->pl[i].body, m->pl[i].len, &n) &&
		    n.type == N_INITIAL_CONTACT)
			sa->initial_contact = true;
	}
}

bool p1_other_sa(const struct ikev1_ctx *ctx, const struct ike_sa *sa)
{
	for (const struct ike_sa *o = ctx->sas; o; o = o->next)
		if (o != sa && dm_addr_equal(&o->peer, &sa->peer) && o->state == QM_IDLE)
			return true;
	return false;
}

void p1_put_initial_contact(const struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t spi[16];

	memcpy(spi, sa->icky, 8);
	memcpy(spi + 8, sa->rcky, 8);
	ike_put_notify(b, PROTO_ISAKMP, N_INITIAL_CONTACT, spi, 16, NULL, 0);
}

void p1_established(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	char a[DM_ADDR_STRLEN], bits[8] = "";

	sa->state = QM_IDLE;
	sa->established_ms = ctx->now_ms ? ctx->now_ms : 1;
	ikev1_holddown_clear(ctx, &sa->peer);
	sa->expire_ms = ctx->now_ms + (uint64_t)sa->chosen.life_secs * 1000;
	ikev1_peer_alive(ctx, sa);
	ctx->p1_up++;
	klog(KLOG_INFO, "ISAKMP (0:%u): SA authentication status: authenticated", sa->conn_id);
	if (sa->chosen.enc == OAKLEY_AES)
		snprintf(bits, sizeof(bits), "-%u", sa->chosen.key_bits);
	klog(KLOG_INFO, "ISAKMP (0:%u): phase 1 complete with %s%s: %s%s %s pre-share group %u lifetime %u%s",
	     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)),
	     sa->aggressive ? " (aggressive mode)" : "",
	     policy_enc_name(sa->chosen.enc), bits,
	     policy_hash_name(sa->chosen.hash), sa->chosen.group,
	     sa->chosen.life_secs, p1_natted(sa) ? " NAT-T" : "");
}

/*
 * INITIAL-CONTACT (RFC 2407 4.6.3.3): the peer has just started and kept
 * nothing; whatever we still hold with it (the same address and port)
 * from before this negotiation is stale: its SAs would only blackhole
 * traffic.  What began meanwhile is not: two spokes that want each other
 * at the same moment run a main mode each way, both with INITIAL-CONTACT,
 * and deleting our own unfinished one would leave each side with the
 * half of a pair whose other half the peer has just deleted.
 */
void p1_initial_contact(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	if (!sa->initial_contact)
		return;
	for (size_t i = ctx->nchildren; i-- > 0;) {
		const struct child_sa *c = &ctx->children[i];

		if (ikev1_child_of(sa, c) && c->out_since_ms &&
		    c->out_since_ms < sa->created_ms) {
			klog(KLOG_INFO, "ISAKMP (0:%u): INITIAL-CONTACT: deleting stale SA 0x%08X",
			     sa->conn_id, c->spi_in);
			ikev1_child_remove(ctx, i, false);
		}
	}
	for (struct ike_sa *o = ctx->sas, *next; o; o = next) {
		next = o->next;
		if (o != sa && dm_addr_equal(&o->peer, &sa->peer) &&
		    o->peer_port == sa->peer_port && o->established_ms &&
		    o->established_ms < sa->created_ms)
			ike_sa_delete(ctx, o, "INITIAL-CONTACT");
	}
}
