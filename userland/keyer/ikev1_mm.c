// SPDX-License-Identifier: GPL-2.0-only
/* IKEv1 main mode with pre-shared keys (RFC 2409 5.4), NAT-T (RFC 3947).
 * The parts aggressive mode shares are in ikev1_p1.c. */
#include <stdlib.h>
#include <string.h>

#include "ikev1_p1.h"
#include "log.h"

int ikev1_mm_start(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	struct ike_buf *b = malloc(sizeof(*b));
	char a[DM_ADDR_STRLEN];
	int err = -1;

	if (!b)
		return -1;
	sa->aggressive = false;
	if (!p1_i_begin(ctx, sa, b, 0)) {
		p1_put_vids(sa, b);
		klog(KLOG_INFO, "ISAKMP (0:%u): beginning Main Mode exchange with %s",
		     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)));
		err = p1_send(ctx, sa, b, true);
	}
	free(b);
	return err;
}

/* MM5 (responder) or MM6 (initiator): decrypt, check HASH_I/HASH_R, then
 * the authenticated identity against the isakmp profiles.  0; -1: the
 * message is dropped; VERIFY_NO_PROFILE: the peer is authentic but not
 * one we accept, the SA goes. */
#define VERIFY_NO_PROFILE	(-2)

static int verify_auth(struct ikev1_ctx *ctx, struct ike_sa *sa,
		       const uint8_t *pkt, size_t len, struct ike_msg *pm)
{
	uint8_t *plain = malloc(len);
	uint8_t iv[IKE_MAX_BLOCK];
	const struct ike_payload *id, *hash;
	struct ike_id idv;
	int err;

	if (!plain)
		return -1;
	memcpy(iv, sa->iv, sizeof(iv));
	err = ike_decrypt(sa, pkt, len, iv, plain, pm);
	if (err) {
		p1_sanity_failed(ctx, sa, err == -100 ? "decryption failed" : ike_perr_str(err));
		free(plain);
		return -1;
	}
	id = ike_find(pm, ISAKMP_NP_ID);
	hash = ike_find(pm, ISAKMP_NP_HASH);
	if (!id || !hash || ike_parse_id(id->body, id->len, &idv)) {
		p1_sanity_failed(ctx, sa, "no valid ID and HASH payloads after decryption");
		free(plain);
		return -1;
	}
	if (p1_check_hash(ctx, sa, id->body, id->len, hash)) {
		free(plain);
		return -1;
	}
	memcpy(sa->iv, iv, sizeof(iv));
	if (p1_check_identity(ctx, sa, &idv)) {
		free(plain);
		return VERIFY_NO_PROFILE;
	}
	/* pm points into plain: read what is needed later now */
	p1_read_notifies(sa, pm);
	pm->n = 0;
	free(plain);
	ikev1_peer_alive(ctx, sa);	/* authenticated: may float the ports */
	return 0;
}

/* responder: MM1 -> MM2 */
static void r_mm1(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	const struct ike_transform *t = NULL;
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;

	if (!v || !b || p1_r_select(ctx, sa, m, NULL, v, &t))
		goto drop;
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	p1_put_chosen(b, v, t);
	p1_put_vids(sa, b);
	sa->state = MM_SA_SETUP;
	if (p1_send(ctx, sa, b, true))
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
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	int r;

	if (!b)
		goto fail;
	r = p1_i_take_sa(ctx, sa, m, "MM2");
	if (r > 0) {
		free(b);
		return;		/* refused; sa is gone */
	}
	if (r || ike_dh_new(&sa->dh, sa->chosen.group))
		goto fail;
	sa->g_len = sa->dh.pub_len;
	memcpy(sa->gxi, sa->dh.pub, sa->g_len);
	sa->ni_len = P1_NONCE_LEN;
	ike_random(sa->ni, sa->ni_len);
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxi, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->ni, sa->ni_len);
	p1_put_natd(ctx, sa, b);
	sa->state = MM_SA_SETUP;
	if (p1_send(ctx, sa, b, true))
		goto fail;
	free(b);
	return;
fail:
	free(b);
	ike_sa_delete(ctx, sa, "bad MM2");
}

/* responder: MM3 -> MM4 */
static void r_mm3(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;

	if (!b || p1_read_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len))
		goto fail;
	if (ike_dh_new(&sa->dh, sa->chosen.group) || sa->dh.pub_len != sa->g_len)
		goto fail;
	memcpy(sa->gxr, sa->dh.pub, sa->g_len);
	sa->nr_len = P1_NONCE_LEN;
	ike_random(sa->nr, sa->nr_len);
	p1_check_natd(ctx, sa, m);
	if (p1_derive(ctx, sa))
		goto fail;
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxr, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->nr, sa->nr_len);
	p1_put_natd(ctx, sa, b);
	sa->state = MM_KEY_EXCH;
	if (p1_send(ctx, sa, b, true))
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

	if (!b || p1_read_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len))
		goto fail;
	p1_check_natd(ctx, sa, m);
	if (p1_derive(ctx, sa))
		goto fail;
	p1_float(sa);		/* RFC 3947 4: to 4500 from MM5 on */
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	if (p1_put_auth(ctx, sa, b))
		goto fail;
	if (!p1_other_sa(ctx, sa))
		p1_put_initial_contact(sa, b);
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

/* responder: MM5 -> MM6 */
static void r_mm5(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		  size_t len)
{
	struct ike_msg *pm = calloc(1, sizeof(*pm));
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	int err;

	if (!pm || !b)
		goto out;
	err = verify_auth(ctx, sa, pkt, len, pm);
	if (err == VERIFY_NO_PROFILE)
		ike_sa_delete(ctx, sa, "no isakmp profile for the peer");
	if (err)
		goto out;	/* dropped; the initiator retransmits, then gives up */
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	if (p1_put_auth(ctx, sa, b) || ike_encrypt(sa, b, sa->iv))
		goto out;
	ike_xmit_seen(&sa->x, pkt, len);
	ike_xmit_send(ctx, sa, &sa->x, b->b, b->len, false);
	p1_established(ctx, sa);
	p1_initial_contact(ctx, sa);
out:
	free(pm);
	free(b);
}

/* initiator: MM6 */
static void i_mm6(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		  size_t len)
{
	struct ike_msg *pm = calloc(1, sizeof(*pm));
	int err;

	if (!pm)
		return;
	err = verify_auth(ctx, sa, pkt, len, pm);
	if (err == VERIFY_NO_PROFILE) {
		/* the responder thinks it done: tell it */
		ikev1_send_delete_p1(ctx, sa);
		ike_sa_delete(ctx, sa, "the peer matches no isakmp profile of ours");
	} else if (!err) {
		/* MM6 is final: nothing to resend when it comes again */
		ike_xmit_free(&sa->x);
		ike_xmit_seen(&sa->x, pkt, len);
		p1_established(ctx, sa);
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

	if (p1_input_filter(ctx, sa, pkt, len, m, "main mode"))
		return;
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
