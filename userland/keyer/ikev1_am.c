// SPDX-License-Identifier: GPL-2.0-only
/*
 * IKEv1 aggressive mode with pre-shared keys (RFC 2409 5.4), NAT-T
 * (RFC 3947 3.2, 4):
 *
 *   AM1  I -> R  HDR, SA, KE, Ni, IDii, VID...
 *   AM2  R -> I  HDR, SA, KE, Nr, IDir, HASH_R, VID..., NAT-D, NAT-D
 *   AM3  I -> R  HDR*, HASH_I, NAT-D, NAT-D [, N(INITIAL-CONTACT)]
 *
 * Off by default, on both sides.  HASH_R leaves in the clear, computed
 * over values an eavesdropper sees (or an attacker chose, in his own AM1):
 * whoever gets one AM2 can try pre-shared keys offline at leisure.  Main
 * mode does not give that away.
 *
 * The KE goes in AM1, before the responder chooses: the initiator offers
 * only the policies with the DH group of its best one, and the responder
 * takes a transform of that group or none.  Once NAT-D in AM2 shows a NAT
 * (or force-encap pretends one), AM3 and everything after go to UDP 4500
 * (the NAT-D of AM3 is computed on those ports, as strongSwan does).  We
 * send AM3 encrypted, as IOS and strongSwan do, and take it either way:
 * RFC 2409 draws it in the clear.  The ISAKMP SA that results is the same
 * as main mode's: quick mode, DPD and rekeying do not tell them apart.
 */
#include <stdlib.h>
#include <string.h>

#include "ikev1_p1.h"
#include "log.h"

int ikev1_am_start(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	struct ike_buf *b = malloc(sizeof(*b));
	uint16_t group = ikev1_p1_first_group(ctx->cfg);
	char a[DM_ADDR_STRLEN];
	size_t idb, idl, left_out = 0;
	int err = -1;

	sa->aggressive = true;
	if (!b)
		return -1;
	dm_addr_fmt(&sa->peer, a, sizeof(a));
	if (!group || p1_i_begin(ctx, sa, b, group) || ike_dh_new(&sa->dh, group))
		goto out;
	sa->g_len = sa->dh.pub_len;
	memcpy(sa->gxi, sa->dh.pub, sa->g_len);
	sa->ni_len = P1_NONCE_LEN;
	ike_random(sa->ni, sa->ni_len);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxi, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->ni, sa->ni_len);
	p1_put_my_id(sa, b, &idb, &idl);
	if (b->err)
		goto out;
	sa->idi_b = malloc(idl);
	if (!sa->idi_b)
		goto out;
	memcpy(sa->idi_b, b->b + idb, idl);
	sa->idi_len = idl;
	p1_put_vids(sa, b);
	for (size_t i = 0; i < ctx->cfg->npol; i++)
		left_out += !ctx->cfg->pol[i].builtin && ctx->cfg->pol[i].group != group;
	klog(KLOG_INFO, "ISAKMP (0:%u): beginning Aggressive Mode exchange with %s (DH group %u)",
	     sa->conn_id, a, group);
	if (left_out)
		klog(KLOG_INFO, "ISAKMP (0:%u): aggressive mode offers one DH group: %zu polic%s with another left out",
		     sa->conn_id, left_out, left_out == 1 ? "y" : "ies");
	err = p1_send(ctx, sa, b, true);
out:
	free(b);
	return err;
}

/* A message missing what aggressive mode needs: counted, logged at most
 * once a second (ike_drop_log), the SA goes. */
static void malformed(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *why)
{
	char buf[160];

	ctx->rx_malformed++;
	snprintf(buf, sizeof(buf), "%s (C-id %u)", why, sa->conn_id);
	ike_drop_log(ctx, &sa->peer, buf);
}

/* responder: AM1 -> AM2 */
static void r_am1(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *ke = ike_find(m, ISAKMP_NP_KE);
	const struct ike_payload *no = ike_find(m, ISAKMP_NP_NONCE);
	const struct ike_payload *id = ike_find(m, ISAKMP_NP_ID);
	struct ike_sa_view *v = calloc(1, sizeof(*v));
	const struct ike_transform *t = NULL;
	struct ike_buf *b = malloc(sizeof(*b));
	char a[DM_ADDR_STRLEN];
	struct isakmp_hdr h;
	struct ike_id idv;
	bool sent = false;

	if (!v || !b)
		goto drop;
	if (!ike_find(m, ISAKMP_NP_SA) || !ke || !p1_nonce_ok(no) || !id ||
	    ike_parse_id(id->body, id->len, &idv)) {
		malformed(ctx, sa, "AM1 without valid SA, KE, nonce and ID payloads");
		goto drop;
	}
	dm_addr_fmt(&sa->peer, a, sizeof(a));
	klog(KLOG_INFO, "ISAKMP (0:%u): aggressive mode offered by %s (ID type %u, %zu bytes)",
	     sa->conn_id, a, idv.type, idv.len);
	/* IDii is covered by HASH_I in AM3: refusing it now is as safe */
	if (p1_check_identity(ctx, sa, &idv))
		goto drop;
	/* the key is the peer address's, as in main mode: IDii names the
	 * peer (its address before a NAT), it does not pick keys here */
	if (p1_r_select(ctx, sa, m, ke, v, &t) ||
	    p1_read_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->ni_len))
		goto drop;
	sa->idi_b = malloc(id->len);
	if (!sa->idi_b)
		goto drop;
	memcpy(sa->idi_b, id->body, id->len);
	sa->idi_len = id->len;
	if (ike_dh_new(&sa->dh, sa->chosen.group) || sa->dh.pub_len != sa->g_len)
		goto drop;
	memcpy(sa->gxr, sa->dh.pub, sa->g_len);
	sa->nr_len = P1_NONCE_LEN;
	ike_random(sa->nr, sa->nr_len);
	if (p1_derive(ctx, sa))
		goto drop;
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	p1_put_chosen(b, v, t);
	ike_put_raw_payload(b, ISAKMP_NP_KE, sa->gxr, sa->g_len);
	ike_put_raw_payload(b, ISAKMP_NP_NONCE, sa->nr, sa->nr_len);
	if (p1_put_auth(ctx, sa, b))
		goto drop;
	p1_put_vids(sa, b);
	p1_put_natd(ctx, sa, b);
	sa->state = MM_KEY_EXCH;
	sent = !p1_send(ctx, sa, b, true);
drop:
	free(v);
	free(b);
	if (!sent)
		ike_sa_delete(ctx, sa, "phase 1 SA not acceptable");
}

/* initiator: AM2 -> AM3, established */
static void i_am2(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *id = ike_find(m, ISAKMP_NP_ID);
	const struct ike_payload *hash = ike_find(m, ISAKMP_NP_HASH);
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h;
	struct ike_id idv;
	int r;

	if (!b)
		goto fail;
	r = p1_i_take_sa(ctx, sa, m, "AM2");
	if (r > 0) {
		free(b);
		return;		/* refused; sa is gone */
	}
	if (r)
		goto fail;
	if (sa->chosen.group != sa->dh.group) {
		klog(KLOG_WARN, "ISAKMP (0:%u): the peer chose DH group %u, our KE is of group %u",
		     sa->conn_id, sa->chosen.group, sa->dh.group);
		goto fail;
	}
	if (!id || !hash || ike_parse_id(id->body, id->len, &idv)) {
		malformed(ctx, sa, "AM2 without valid ID and HASH payloads");
		goto fail;
	}
	if (p1_read_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nr_len))
		goto fail;
	p1_check_natd(ctx, sa, m);
	if (p1_derive(ctx, sa))
		goto fail;
	if (p1_check_hash(ctx, sa, id->body, id->len, hash)) {
		/* definite (noted as a key mismatch); the DH secret is gone,
		 * a repeated AM2 could not be checked again */
		free(b);
		ike_sa_delete(ctx, sa, "HASH_R does not verify");
		return;
	}
	if (p1_check_identity(ctx, sa, &idv)) {
		free(b);
		ike_sa_delete(ctx, sa, "the peer matches no isakmp profile of ours");
		return;
	}
	p1_float(sa);		/* RFC 3947 4: AM3 goes to 4500 with a NAT */
	p1_hdr(sa, &h);
	ike_begin(b, &h);
	if (p1_put_hash(sa, b, sa->idi_b, sa->idi_len))
		goto fail;
	p1_put_natd(ctx, sa, b);
	if (!p1_other_sa(ctx, sa))
		p1_put_initial_contact(sa, b);
	if (ike_encrypt(sa, b, sa->iv))
		goto fail;
	/* AM3 is final: sent again only when AM2 comes again */
	ike_xmit_send(ctx, sa, &sa->x, b->b, b->len, false);
	free(b);
	p1_established(ctx, sa);
	if (sa->want_qm) {
		sa->want_qm = false;
		ikev1_qm_start(ctx, sa);
	}
	return;
fail:
	free(b);
	ike_sa_delete(ctx, sa, "bad AM2");
}

/* responder: AM3 (encrypted or not), established */
static void r_am3(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		  size_t len, const struct ike_msg *m)
{
	struct ike_msg *pm = NULL;
	uint8_t *plain = NULL;
	uint8_t iv[IKE_MAX_BLOCK];
	const struct ike_msg *am3 = m;
	int err;

	klog(KLOG_INFO, "ISAKMP (0:%u): AM3 from port %u, %s", sa->conn_id, sa->rx_port,
	     m->hdr.flags & ISAKMP_FLAG_ENC ? "encrypted" : "in the clear");
	if (m->hdr.flags & ISAKMP_FLAG_ENC) {
		pm = calloc(1, sizeof(*pm));
		plain = malloc(len);
		if (!pm || !plain)
			goto out;
		memcpy(iv, sa->iv, sizeof(iv));
		err = ike_decrypt(sa, pkt, len, iv, plain, pm);
		if (err) {
			p1_sanity_failed(ctx, sa, err == -100 ? "AM3 decryption failed" :
					 ike_perr_str(err));
			goto out;
		}
		am3 = pm;
	}
	if (!ike_find(am3, ISAKMP_NP_HASH)) {
		malformed(ctx, sa, "AM3 without a HASH payload");
		goto out;
	}
	if (p1_check_hash(ctx, sa, sa->idi_b, sa->idi_len, ike_find(am3, ISAKMP_NP_HASH)))
		goto out;	/* dropped; AM2 goes again, then we give up */
	if (am3 == pm)
		memcpy(sa->iv, iv, sizeof(iv));
	p1_read_notifies(sa, am3);
	/* authenticated: take the ports it came from (4500 after a NAT),
	 * then its NAT-D, computed on those */
	ikev1_peer_alive(ctx, sa);
	p1_check_natd(ctx, sa, am3);
	ike_xmit_free(&sa->x);		/* no more AM2 */
	ike_xmit_seen(&sa->x, pkt, len);
	p1_established(ctx, sa);
	p1_initial_contact(ctx, sa);
out:
	if (plain)
		ike_wipe(plain, len);
	free(plain);
	free(pm);
}

void ikev1_am_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m)
{
	bool enc = m->hdr.flags & ISAKMP_FLAG_ENC;

	if (p1_input_filter(ctx, sa, pkt, len, m, "aggressive mode"))
		return;
	if (sa->initiator && sa->state == MM_NO_STATE && !enc) {
		ike_xmit_seen(&sa->x, pkt, len);
		i_am2(ctx, sa, m);
	} else if (!sa->initiator && sa->state == MM_NO_STATE && !enc) {
		ike_xmit_seen(&sa->x, pkt, len);
		r_am1(ctx, sa, m);
	} else if (!sa->initiator && sa->state == MM_KEY_EXCH) {
		r_am3(ctx, sa, pkt, len, m);
	} else {
		ctx->rx_dropped++;
		klog(KLOG_DEBUG, "ISAKMP (0:%u): unexpected aggressive mode message in %s",
		     sa->conn_id, ike_sa_state_name(sa));
	}
}
