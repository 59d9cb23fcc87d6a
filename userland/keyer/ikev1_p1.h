/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Phase 1 with pre-shared keys: the pieces main mode (ikev1_mm.c) and
 * aggressive mode (ikev1_am.c) share -- offers and the choice among
 * them, vendor IDs, NAT-D, the key derivation, HASH_I/HASH_R, the
 * INITIAL-CONTACT handling and the switch to QM_IDLE.  Internal to the
 * phase-1 files (ikev1_p1.c has them).
 */
#ifndef DMVPN_KEYER_IKEV1_P1_H
#define DMVPN_KEYER_IKEV1_P1_H

#include "ikev1.h"

#define P1_NONCE_LEN	32

/* The header of sa's phase-1 messages (main or aggressive mode). */
void p1_hdr(const struct ike_sa *sa, struct isakmp_hdr *h);
/* Finish b and send it to the peer (arm: retransmit until progress). */
int p1_send(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b, bool arm);
/* Common checks of a phase-1 message; true when it is handled (a
 * repeat) or must be dropped.  what: "main mode" or "aggressive mode". */
bool p1_input_filter(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *pkt,
		     size_t len, const struct ike_msg *m, const char *what);

void p1_put_vids(const struct ike_sa *sa, struct ike_buf *b);
void p1_read_vids(struct ike_sa *sa, const struct ike_msg *m);
/* NAT-D pair (RFC 3947 3.2), when the peer does NAT-T. */
void p1_put_natd(const struct ikev1_ctx *ctx, const struct ike_sa *sa, struct ike_buf *b);
void p1_check_natd(const struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m);
bool p1_natted(const struct ike_sa *sa);
/* RFC 3947 4: from the message after NAT detection on, UDP 4500. */
void p1_float(struct ike_sa *sa);

/*
 * Initiator: cookie, header and our offer (only_group: the policies with
 * that DH group only, 0: all) into b; the SA payload body is kept for
 * HASH_I/HASH_R.  0, or -1 (logged) without a key for the peer.
 */
int p1_i_begin(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b,
	       uint16_t only_group);
/*
 * Initiator: the responder's SA payload (the transform it chose) from m.
 * 0: chosen, rcookie and vendor IDs taken; 1: the peer refused (logged,
 * noted, sa deleted); -1: malformed.
 */
int p1_i_take_sa(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m,
		 const char *msg_name);
/*
 * Responder: pick a transform of the initiator's SA payload in m (ke: the
 * aggressive-mode KE payload, whose group the transform must have; NULL
 * in main mode), check there is a key, keep the SA payload, read the
 * vendor IDs and make our cookie.  0, or -1 (logged, noted; sa to go).
 */
int p1_r_select(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_msg *m,
		const struct ike_payload *ke, struct ike_sa_view *v,
		const struct ike_transform **t);
/* Responder: the SA payload with the one transform chosen. */
void p1_put_chosen(struct ike_buf *b, const struct ike_sa_view *v,
		   const struct ike_transform *t);

bool p1_nonce_ok(const struct ike_payload *p);
/* KE and nonce of m into g and n (KE of the chosen group's size). */
int p1_read_ke_nonce(struct ike_sa *sa, const struct ike_msg *m, uint8_t *g,
		     uint8_t *n, size_t *nlen);
/* SKEYID and the rest from g^xy (the DH state is freed, the IV set). */
int p1_derive(struct ikev1_ctx *ctx, struct ike_sa *sa);

/* Our ID payload (ID_IPV4_ADDR/ID_IPV6_ADDR of our address, UDP 500);
 * body and len locate its body in b. */
void p1_put_my_id(const struct ike_sa *sa, struct ike_buf *b, size_t *body, size_t *len);
/* HASH payload of our side over the ID body id/idlen. */
int p1_put_hash(struct ike_sa *sa, struct ike_buf *b, const uint8_t *id, size_t idlen);
/* Our ID payload and, over it, our HASH. */
int p1_put_auth(struct ikev1_ctx *ctx, struct ike_sa *sa, struct ike_buf *b);
/* The peer's HASH over its ID body id/idlen; 0, or -1 (logged, noted). */
int p1_check_hash(struct ikev1_ctx *ctx, struct ike_sa *sa, const uint8_t *id,
		  size_t idlen, const struct ike_payload *hash);
void p1_sanity_failed(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *detail);
int p1_check_identity(struct ikev1_ctx *ctx, struct ike_sa *sa, const struct ike_id *id);
/* INITIAL-CONTACT among the (authenticated) payloads of m. */
void p1_read_notifies(struct ike_sa *sa, const struct ike_msg *m);
/* Is there an established ISAKMP SA with sa's peer besides sa? */
bool p1_other_sa(const struct ikev1_ctx *ctx, const struct ike_sa *sa);
void p1_put_initial_contact(const struct ike_sa *sa, struct ike_buf *b);

void p1_established(struct ikev1_ctx *ctx, struct ike_sa *sa);
void p1_initial_contact(struct ikev1_ctx *ctx, struct ike_sa *sa);

#endif
