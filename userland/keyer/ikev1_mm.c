// SPDX-License-Identifier: GPL-2.0-only
/* IKEv1 main mode with pre-shared keys (RFC 2409 5.4), NAT-T (RFC 3947). */
#include <stdlib.h>
#include <string.h>

#include "ikev1.h"
#include "log.h"

#include <openssl/crypto.h>

/* MD5("RFC 3947") and the DPD vendor ID of RFC 3706 */
static const uint8_t vid_rfc3947[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_dpd[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };

#define NONCE_LEN	32

static void put_vids(const struct ike_sa *sa, struct ike_buf *b)
{
	if (sa->initiator || sa->peer_natt)
		ike_put_raw_payload(b, ISAKMP_NP_VID, vid_rfc3947, 16);
	ike_put_raw_payload(b, ISAKMP_NP_VID, vid_dpd, 16);
}

static void read_vids(struct ike_sa *sa, const struct ike_msg *m)
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

static void hdr_of(const struct ike_sa *sa, struct isakmp_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, sa->icky, 8);
	memcpy(h->rcookie, sa->rcky, 8);
	h->exch = ISAKMP_XCHG_IDPROT;
}

static int send_buf(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    struct ike_buf *b, bool arm)
{
	size_t len = ike_finish(b);

	if (!len)
		return -1;
	ike_xmit_send(ctx, sa, &sa->x, b->b, len, arm);
	return 0;
}

int ikev1_mm_start(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	const struct psk_entry *psk = policy_psk_for(ctx->cfg, &sa->peer);
	char a[DM_ADDR_STRLEN];
	size_t s;
	int err;

	dm_addr_fmt(&sa->peer, a, sizeof(a));
	if (!b)
		return -1;
	if (!psk) {
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_NO_PRESHARED_KEY: No pre-shared key with %s!", a);
		free(b);
		return -1;
	}
	do
		ike_random(sa->icky, 8);
	while (!sa->icky[0]);
	hdr_of(sa, &h);
	ike_begin(b, &h);
	s = b->len;
	ikev1_put_p1_proposal(ctx->cfg, b);
	if (!b->err) {
		size_t plen = ((size_t)b->b[s + 2] << 8 | b->b[s + 3]) - 4;

		sa->sai_b = malloc(plen);
		if (sa->sai_b) {
			memcpy(sa->sai_b, b->b + s + 4, plen);
			sa->sai_len = plen;
		}
	}
	put_vids(sa, b);
	klog(KLOG_INFO, "ISAKMP (0:%u): beginning Main Mode exchange with %s", sa->conn_id, a);
	err = sa->sai_b ? send_buf(ctx, sa, b, true) : -1;
	free(b);
	return err;
}

/* NAT-D for the peer's address first, then our own (RFC 3947 3.2). */
static void put_natd(const struct ikev1_ctx *ctx, const struct ike_sa *sa,
		     struct ike_buf *b)
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

static void check_natd(const struct ikev1_ctx *ctx, struct ike_sa *sa,
		       const struct ike_msg *m)
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
	klog(KLOG_INFO, "ISAKMP (0:%u): NAT-D: %s%s%s%s", sa->conn_id,
	     sa->nat_local ? "we are behind a NAT" : "",
	     sa->nat_local && sa->nat_peer ? ", " : "",
	     sa->nat_peer ? "the peer is behind a NAT" : sa->nat_local ? "" : "no NAT",
	     ctx->cfg->force_encap ?
	     "; UDP encapsulation forced (the module takes ESP only inside UDP 4500)" : "");
	if (ctx->cfg->force_encap)
		sa->nat_local = true;
}

static bool natted(const struct ike_sa *sa)
{
	return sa->nat_local || sa->nat_peer;
}

static int nonce_ok(const struct ike_payload *p)
{
	return p && p->len >= 8 && p->len <= 64;	/* RFC 2409: 8..256 */
}

static int derive(struct ikev1_ctx *ctx, struct ike_sa *sa)
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
static void put_my_id(const struct ike_sa *sa, struct ike_buf *b,
		      size_t *body, size_t *len)
{
	size_t s = b->len;

	ike_put_id(b, sa->local.family == AF_INET6 ? ID_IPV6_ADDR : ID_IPV4_ADDR,
		   17, IKE_PORT, sa->local.bytes, sa->local.len);
	*body = s + 4;
	*len = b->len - s - 4;
}

static int put_auth(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t h[IKE_MAX_HASH];
	size_t idb, idl;

	put_my_id(sa, b, &idb, &idl);
	if (b->err || ike_p1_auth_hash(&sa->keys, sa->initiator, sa->gxi, sa->g_len,
				       sa->gxr, sa->g_len, sa->icky, sa->rcky,
				       sa->sai_b, sa->sai_len, b->b + idb, idl, h))
		return -1;
	ike_put_raw_payload(b, ISAKMP_NP_HASH, h, sa->keys.prf_len);
	(void)ctx;
	return 0;
}

static void sanity_failed(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *detail)
{
	char a[DM_ADDR_STRLEN];

	ctx->rx_malformed++;
	klog(KLOG_WARN, "%%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from %s failed its sanity check or is malformed",
	     dm_addr_fmt(&sa->peer, a, sizeof(a)));
	klog(KLOG_INFO, "ISAKMP (0:%u): %s (%s); pre-shared key mismatch?",
	     sa->conn_id, detail, p1_state_name(sa->state));
	sa->failure_noted = true;
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_PSK,
			  "IKE message failed its sanity check or is malformed: %s (%s); pre-shared key mismatch?",
			  detail, p1_state_name(sa->state));
}

/* MM5 (responder) or MM6 (initiator): decrypt, check HASH_I/HASH_R. */
static int verify_auth(struct ikev1_ctx *ctx, struct ike_sa *sa,
		       const uint8_t *pkt, size_t len, struct ike_msg *pm)
{
	uint8_t *plain = malloc(len);
	uint8_t iv[IKE_MAX_BLOCK], h[IKE_MAX_HASH];
	const struct ike_payload *id, *hash;
	struct ike_id idv;
	int err;

	if (!plain)
		return -1;
	memcpy(iv, sa->iv, sizeof(iv));
	err = ike_decrypt(sa, pkt, len, iv, plain, pm);
	if (err) {
		sanity_failed(ctx, sa, err == -100 ? "decryption failed" : ike_perr_str(err));
		free(plain);
		return -1;
	}
	id = ike_find(pm, ISAKMP_NP_ID);
	hash = ike_find(pm, ISAKMP_NP_HASH);
	if (!id || !hash || ike_parse_id(id->body, id->len, &idv)) {
		sanity_failed(ctx, sa, "no valid ID and HASH payloads after decryption");
		free(plain);
		return -1;
	}
	if (ike_p1_auth_hash(&sa->keys, !sa->initiator, sa->gxi, sa->g_len,
			     sa->gxr, sa->g_len, sa->icky, sa->rcky,
			     sa->sai_b, sa->sai_len, id->body, id->len, h) ||
	    hash->len != sa->keys.prf_len || CRYPTO_memcmp(h, hash->body, hash->len)) {
		sanity_failed(ctx, sa, sa->initiator ? "HASH_R does not verify" :
			      "HASH_I does not verify");
		free(plain);
		return -1;
	}
	memcpy(sa->iv, iv, sizeof(iv));
	/* pm points into plain: read what is needed later now */
	for (size_t i = 0; i < pm->n; i++) {
		struct ike_notify n;

		if (pm->pl[i].type == ISAKMP_NP_N &&
		    !ike_parse_notify(pm->pl[i].body, pm->pl[i].len, &n) &&
		    n.type == N_INITIAL_CONTACT)
			sa->initial_contact = true;
	}
	pm->n = 0;
	free(plain);
	ikev1_peer_alive(ctx, sa);	/* authenticated: may float the ports */
	return 0;
}

static void established(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	char a[DM_ADDR_STRLEN], bits[8] = "";

	sa->state = QM_IDLE;
	sa->established_ms = ctx->now_ms ? ctx->now_ms : 1;
	sa->expire_ms = ctx->now_ms + (uint64_t)sa->chosen.life_secs * 1000;
	ikev1_peer_alive(ctx, sa);
	ctx->p1_up++;
	klog(KLOG_INFO, "ISAKMP (0:%u): SA authentication status: authenticated", sa->conn_id);
	if (sa->chosen.enc == OAKLEY_AES)
		snprintf(bits, sizeof(bits), "-%u", sa->chosen.key_bits);
	klog(KLOG_INFO, "ISAKMP (0:%u): phase 1 complete with %s: %s%s %s pre-share group %u lifetime %u%s",
	     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)),
	     policy_enc_name(sa->chosen.enc), bits,
	     policy_hash_name(sa->chosen.hash), sa->chosen.group,
	     sa->chosen.life_secs, natted(sa) ? " NAT-T" : "");
}

/* responder: MM1 -> MM2 */
static void r_mm1(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p = ike_find(m, ISAKMP_NP_SA);
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	const struct ike_transform *t = NULL;
	struct ike_buf *b = malloc(sizeof(*b));
	char a[DM_ADDR_STRLEN], why[160];
	struct isakmp_hdr h;
	size_t s, pr, tr;
	int err;

	dm_addr_fmt(&sa->peer, a, sizeof(a));
	if (!v || !b || !p)
		goto drop;
	err = ike_parse_sa(p->body, p->len, v);
	if (err) {
		klog(KLOG_WARN, "ISAKMP (0:%u): malformed SA payload from %s: %s",
		     sa->conn_id, a, ike_perr_str(err));
		goto drop;
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): processing SA payload. message ID = 0", sa->conn_id);
	if (!policy_psk_for(ctx->cfg, &sa->peer)) {
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_NO_PRESHARED_KEY: No pre-shared key with %s!", a);
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_NO_KEY,
				  "no pre-shared key for this peer (crypto isakmp key ... address)");
		goto drop;
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): found peer pre-shared key matching %s", sa->conn_id, a);
	if (ikev1_choose_p1(ctx->cfg, sa->conn_id, v, &sa->chosen, &t, why, sizeof(why))) {
		peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_P1_POLICY,
				  "no offers accepted: %s", why);
		ike_send_notify(ctx, NULL, &sa->peer, sa->peer_port, sa->local_port,
				sa->icky, (uint8_t[8]){ 0 }, N_NO_PROPOSAL_CHOSEN, false);
		goto drop;
	}
	sa->sai_b = malloc(p->len);
	if (!sa->sai_b)
		goto drop;
	memcpy(sa->sai_b, p->body, p->len);
	sa->sai_len = p->len;
	read_vids(sa, m);
	do
		ike_random(sa->rcky, 8);
	while (!sa->rcky[0]);
	hdr_of(sa, &h);
	ike_begin(b, &h);
	s = ike_sa_begin(b);
	pr = ike_prop_begin(b, v->prop[0].num, PROTO_ISAKMP, NULL, 0, 1, true);
	tr = ike_trans_begin(b, t->num, KEY_IKE, true);
	ikev1_put_attrs(b, t);
	ike_sub_end(b, tr);
	ike_sub_end(b, pr);
	ike_pl_end(b, s);
	put_vids(sa, b);
	sa->state = MM_SA_SETUP;
	if (send_buf(ctx, sa, b, true))
		goto drop;
	free(v);
	free(b);
	return;
drop:
	free(v);
	free(b);
	ike_sa_delete(ctx, sa, "phase 1 SA not acceptable");
}

/* initiator: MM2 -> MM3 */
static void i_mm2(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p = ike_find(m, ISAKMP_NP_SA);
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	const struct ike_transform *t = NULL;
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	static const uint8_t zero[8];

	if (!v || !b)
		goto fail;
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
			goto out;
		}
		klog(KLOG_WARN, "ISAKMP (0:%u): MM2 without one chosen transform", sa->conn_id);
		goto fail;
	}
	if (ikev1_choose_p1(ctx->cfg, sa->conn_id, v, &sa->chosen, &t, NULL, 0)) {
		klog(KLOG_WARN, "ISAKMP (0:%u): the peer chose a transform we did not offer",
		     sa->conn_id);
		goto fail;
	}
	memcpy(sa->rcky, m->hdr.rcookie, 8);
	read_vids(sa, m);
	if (ike_dh_new(&sa->dh, sa->chosen.group))
		goto fail;
	sa->g_len = sa->dh.pub_len;
	memcpy(sa->gxi, sa->dh.pub, sa->g_len);
	sa->ni_len = NONCE_LEN;
	ike_random(sa->ni, sa->ni_len);
	hdr_of(sa, &h);
	ike_begin(b, &h);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxi, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->ni, sa->ni_len);
	put_natd(ctx, sa, b);
	sa->state = MM_SA_SETUP;
	if (send_buf(ctx, sa, b, true))
		goto fail;
out:
	free(v);
	free(b);
	return;
fail:
	free(v);
	free(b);
	ike_sa_delete(ctx, sa, "bad MM2");
}

static int read_ke_nonce(struct ike_sa *sa, const struct ike_msg *m,
			 uint8_t *g, uint8_t *n, size_t *nlen)
{
	const struct ike_payload *ke = ike_find(m, ISAKMP_NP_KE);
	const struct ike_payload *no = ike_find(m, ISAKMP_NP_NONCE);

	if (!ke || ke->len != ike_dh_pub_len(sa->chosen.group) || !nonce_ok(no)) {
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

/* responder: MM3 -> MM4 */
static void r_mm3(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;

	if (!b || read_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len))
		goto fail;
	if (ike_dh_new(&sa->dh, sa->chosen.group) || sa->dh.pub_len != sa->g_len)
		goto fail;
	memcpy(sa->gxr, sa->dh.pub, sa->g_len);
	sa->nr_len = NONCE_LEN;
	ike_random(sa->nr, sa->nr_len);
	check_natd(ctx, sa, m);
	if (derive(ctx, sa))
		goto fail;
	hdr_of(sa, &h);
	ike_begin(b, &h);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxr, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->nr, sa->nr_len);
	put_natd(ctx, sa, b);
	sa->state = MM_KEY_EXCH;
	if (send_buf(ctx, sa, b, true))
		goto fail;
	free(b);
	return;
fail:
	free(b);
	ike_sa_delete(ctx, sa, "bad MM3");
}

/* initiator: MM4 -> MM5 */
static void i_mm4(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	bool other = false;

	if (!b || read_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len))
		goto fail;
	check_natd(ctx, sa, m);
	if (derive(ctx, sa))
		goto fail;
	if (natted(sa)) {
		/* RFC 3947 4: float to 4500 from MM5 on */
		sa->local_port = IKE_NATT_PORT;
		sa->peer_port = IKE_NATT_PORT;
	}
	for (struct ike_sa *o = ctx->sas; o; o = o->next)
		other |= o != sa && dm_addr_equal(&o->peer, &sa->peer) &&
			 o->state == QM_IDLE;
	hdr_of(sa, &h);
	ike_begin(b, &h);
	if (put_auth(ctx, sa, b))
		goto fail;
	if (!other) {
		uint8_t spi[16];

		memcpy(spi, sa->icky, 8);
		memcpy(spi + 8, sa->rcky, 8);
		ike_put_notify(b, PROTO_ISAKMP, N_INITIAL_CONTACT, spi, 16, NULL, 0);
	}
	if (ike_encrypt(sa, b, sa->iv))
		goto fail;
	sa->state = MM_KEY_EXCH;
	ike_xmit_send(ctx, sa, &sa->x, b->b, b->len, true);
	free(b);
	return;
fail:
	free(b);
	ike_sa_delete(ctx, sa, "bad MM4");
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
static void initial_contact(struct ikev1_ctx *ctx, struct ike_sa *sa)
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

/* responder: MM5 -> MM6 */
static void r_mm5(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		  size_t len)
{
	struct ike_msg *pm = calloc(1, sizeof(*pm));
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;

	if (!pm || !b)
		goto out;
	if (verify_auth(ctx, sa, pkt, len, pm))
		goto out;	/* dropped; the initiator retransmits, then gives up */
	hdr_of(sa, &h);
	ike_begin(b, &h);
	if (put_auth(ctx, sa, b) || ike_encrypt(sa, b, sa->iv))
		goto out;
	ike_xmit_seen(&sa->x, pkt, len);
	ike_xmit_send(ctx, sa, &sa->x, b->b, b->len, false);
	established(ctx, sa);
	initial_contact(ctx, sa);
out:
	free(pm);
	free(b);
}

/* initiator: MM6 */
static void i_mm6(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		  size_t len)
{
	struct ike_msg *pm = calloc(1, sizeof(*pm));

	if (!pm)
		return;
	if (!verify_auth(ctx, sa, pkt, len, pm)) {
		/* MM6 is final: nothing to resend when it comes again */
		ike_xmit_free(&sa->x);
		ike_xmit_seen(&sa->x, pkt, len);
		established(ctx, sa);
		if (sa->want_qm) {
			sa->want_qm = false;
			ikev1_qm_start(ctx, sa);
		}
	}
	free(pm);
}

void ikev1_mm_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m)
{
	bool enc = m->hdr.flags & ISAKMP_FLAG_ENC;

	if (ike_xmit_duplicate(ctx, sa, &sa->x, pkt, len))
		return;
	if (m->hdr.msgid) {
		klog(KLOG_INFO, "ISAKMP (0:%u): main mode message with a message ID, dropped",
		     sa->conn_id);
		return;
	}
	/* after MM1 (answered above when repeated) both cookies must match */
	if (!sa->initiator && sa->state != MM_NO_STATE &&
	    memcmp(m->hdr.rcookie, sa->rcky, 8)) {
		ctx->rx_dropped++;
		klog(KLOG_DEBUG, "ISAKMP (0:%u): main mode message with a wrong responder cookie, dropped",
		     sa->conn_id);
		return;
	}
	if (sa->initiator) {
		if (sa->state == MM_NO_STATE && !enc) {
			ike_xmit_seen(&sa->x, pkt, len);
			i_mm2(ctx, sa, m);
		} else if (sa->state == MM_SA_SETUP && !enc) {
			ike_xmit_seen(&sa->x, pkt, len);
			i_mm4(ctx, sa, m);
		} else if (sa->state == MM_KEY_EXCH && enc) {
			i_mm6(ctx, sa, pkt, len);
		} else {
			klog(KLOG_DEBUG, "ISAKMP (0:%u): unexpected main mode message in %s",
			     sa->conn_id, p1_state_name(sa->state));
		}
		return;
	}
	if (sa->state == MM_NO_STATE && !enc) {
		ike_xmit_seen(&sa->x, pkt, len);
		r_mm1(ctx, sa, m);
	} else if (sa->state == MM_SA_SETUP && !enc) {
		ike_xmit_seen(&sa->x, pkt, len);
		r_mm3(ctx, sa, m);
	} else if (sa->state == MM_KEY_EXCH && enc) {
		r_mm5(ctx, sa, pkt, len);
	} else {
		klog(KLOG_DEBUG, "ISAKMP (0:%u): unexpected main mode message in %s",
		     sa->conn_id, p1_state_name(sa->state));
	}
}
