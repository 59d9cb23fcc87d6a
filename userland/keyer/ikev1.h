/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IKEv1 (RFC 2409): main mode and (off by default) aggressive mode with
 * pre-shared keys, quick mode with and
 * without PFS, informational exchanges (delete, DPD, notifies), NAT-T
 * (RFC 3947).  Pure state machine: packets in through ikev1_input, out
 * through ctx->send, time through ikev1_tick; SAs go to ctx->backend.
 * Split in files by exchange: ikev1_sa.c (proposals), ikev1_p1.c (what
 * the phase-1 exchanges share), ikev1_mm.c, ikev1_am.c, ikev1_qm.c (with
 * informational), ikev1.c (dispatch, timers, crypt).
 */
#ifndef DMVPN_KEYER_IKEV1_H
#define DMVPN_KEYER_IKEV1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "../lib/addr.h"
#include "ikecrypto.h"
#include "isakmp.h"
#include "failures.h"
#include "policy.h"
#include "sa.h"

#define IKE_PORT	500
#define IKE_MAX_HALF_OPEN	256	/* phase 1 negotiations at once */
#define IKE_NATT_PORT	4500
/*
 * Quick-mode initiator: the outbound SA goes in this long after QM3 left.
 * A responder may install its SAs only once it has QM3 (strongSwan's
 * charon does: both at once, after checking HASH(3)); what we sent on the
 * new SA before that -- the packets the module held for an acquire, the
 * first packets after a rekey -- would reach a peer without the SA and be
 * dropped.  Until then the module keeps holding, or sends on the old SA.
 */
#define IKE_QM3_GRACE_MS	500

/* IOS state names, for logs and dmvpnctl.  Aggressive mode goes through
 * MM_NO_STATE and MM_KEY_EXCH (keys derived) and shows as AG_INIT_EXCH. */
enum p1_state {
	MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH, QM_IDLE, P1_DEAD,
};
const char *p1_state_name(enum p1_state s);
struct ike_sa;
const char *ike_sa_state_name(const struct ike_sa *sa);

/* A message we may have to send again, and the one we last answered. */
struct ike_xmit {
	uint8_t *out;
	size_t out_len;
	uint16_t out_lport;		/* 500 or 4500 */
	bool armed;			/* retransmit until progress */
	unsigned int tries;
	uint64_t next_ms;
	uint8_t in_hash[20];		/* last message handled */
	bool has_in;
};

struct qm_exch {
	struct qm_exch *next;
	uint32_t msgid;
	bool initiator;
	bool done;
	bool installed;			/* responder: SAs in since QM2 */
	bool out_pending;		/* initiator: outbound at out_at_ms */
	uint64_t out_at_ms;
	uint8_t iv[IKE_MAX_BLOCK];
	uint8_t ni[64], nr[64];
	size_t ni_len, nr_len;
	struct ike_dh dh;		/* PFS */
	uint16_t pfs_group;
	uint8_t gxy[IKE_MAX_DH_PUB];
	size_t gxy_len;
	uint32_t spi_in;		/* ours: the peer sends with it */
	uint32_t spi_out;
	uint32_t esp_alg;
	uint8_t mode;
	uint32_t life_secs;
	uint64_t life_kb;
	/* proxy identities, ours and the peer's: the initiator's as
	 * proposed (the echo must match), the responder's as accepted */
	struct dm_proxy_id local_id, remote_id;
	uint32_t offered_secs;		/* responder: the initiator's, 0 = none */
	uint64_t offered_kb;
	struct ike_xmit x;
	uint64_t expire_ms;		/* give up on an unfinished exchange */
	struct child_sa child;		/* keys of the outbound SA until it
					 * goes in: the responder's at QM3,
					 * the initiator's IKE_QM3_GRACE_MS
					 * after QM3 */
};

struct ike_sa {
	struct ike_sa *next;
	unsigned int conn_id;		/* IOS-style C-id for logs */
	bool initiator;
	bool aggressive;		/* aggressive mode (RFC 2409 5.4) */
	enum p1_state state;
	uint8_t icky[8], rcky[8];
	struct dm_addr local, peer;
	uint16_t peer_port, local_port;	/* local_port 500 or 4500 */
	bool peer_natt;			/* RFC 3947 vendor ID seen */
	bool peer_dpd;
	bool nat_local, nat_peer;	/* NAT-D results */
	/* NAT-D found our address translated (nat_local is also set when
	 * "crypto isakmp nat force-encap" only pretends) */
	bool natd_local;
	/* a failure was noted for the peer (failures.h): its retransmissions
	 * running out later is the consequence, not the news */
	bool failure_noted;
	/* the address the peer authenticated as (its ID payload), unset
	 * for other ID types: what ISAKMP profiles match, also at reload */
	struct dm_addr ident;
	struct p1_policy chosen;
	uint32_t life_secs;
	uint8_t *sai_b;			/* initiator's SA payload body */
	size_t sai_len;
	uint8_t *idi_b;			/* aggressive mode: IDii body, for HASH_I */
	size_t idi_len;
	struct ike_dh dh;
	uint8_t gxi[IKE_MAX_DH_PUB], gxr[IKE_MAX_DH_PUB];
	size_t g_len;
	uint8_t ni[64], nr[64];
	size_t ni_len, nr_len;
	struct ike_p1_keys keys;
	uint8_t iv[IKE_MAX_BLOCK];	/* last CBC block of phase 1 */
	struct ike_xmit x;
	struct qm_exch *qms;
	uint64_t created_ms, expire_ms;
	uint64_t established_ms;	/* QM_IDLE since; 0: not yet */
	bool want_qm;			/* start quick mode once up */
	uint64_t dpd_last_rx_ms;	/* last authenticated message */
	uint64_t dpd_next_ms;		/* next R-U-THERE retry */
	uint32_t dpd_seq;
	unsigned int dpd_missed;
	uint64_t natka_next_ms;		/* next NAT keepalive */
	bool rekey_started;		/* a successor main mode is running */
	bool initial_contact;		/* the peer sent INITIAL-CONTACT */
	uint16_t rx_port, rx_lport;	/* where the message being handled came
					 * from: the float to 4500 (or a NAT's
					 * new mapping) counts once it is
					 * authenticated */
};

/* pkt of one byte 0xff is a NAT keepalive (RFC 3948 2.3), sent from 4500
 * without the non-ESP marker. */
typedef void (*ike_send_fn)(void *arg, const uint8_t *pkt, size_t len,
			    const struct dm_addr *to, uint16_t to_port,
			    uint16_t from_port);

/*
 * A peer our phase 1 failed with (no answer, refused, bad key): the
 * module's acquires for it are not acted on until until_ms.  Between
 * spokes that cannot key (a firewall, a key mismatch) the module asks
 * again every second while traffic flows through the hub; each failure
 * in a row doubles the wait, from IKE_HOLDDOWN_FIRST_MS up to
 * IKE_HOLDDOWN_MAX_MS.  A phase 1 that completes, a reload and "clear
 * crypto isakmp" end it.
 */
#define IKE_HOLDDOWN_PEERS	32
#define IKE_HOLDDOWN_FIRST_MS	2000
#define IKE_HOLDDOWN_MAX_MS	30000

struct ike_holddown {
	struct dm_addr peer;
	uint64_t until_ms;
	unsigned int streak;		/* 0: slot free */
	bool announced;			/* the log said so for this wait */
};

struct ikev1_ctx {
	const struct keyer_config *cfg;
	struct sa_backend *backend;
	ike_send_fn send;
	void *send_arg;
	struct dm_addr local;		/* our NBMA address */
	struct ike_sa *sas;
	struct child_sa *children;	/* installed pairs */
	size_t nchildren, children_cap;
	unsigned int next_conn_id;
	uint32_t next_reqid;
	uint64_t now_ms;
	/* ESP packet counts of children[] at traffic_ms (on-demand DPD) */
	struct child_traffic *traffic;
	size_t traffic_n;
	uint64_t traffic_ms;
	bool traffic_warned;
	/* the last failure per peer, published with the SAs */
	struct peer_failures failures;
	struct ike_holddown holddown[IKE_HOLDDOWN_PEERS];
	/* counters a test or "show" can read */
	unsigned long rx_malformed, rx_dropped, p1_up, p2_up, p2_fail;
	/* aggressive-mode offers refused ("crypto isakmp aggressive-mode"
	 * not set); also counted in rx_dropped */
	unsigned long aggr_refused;
	/* quick modes we initiated and finished (QM3 sent): the handshake
	 * benchmark counts these, not p2_up, which waits IKE_QM3_GRACE_MS */
	unsigned long p2_keyed;
};

void ikev1_init(struct ikev1_ctx *ctx, const struct keyer_config *cfg,
		struct sa_backend *backend, ike_send_fn send, void *arg,
		const struct dm_addr *local);
/* A datagram (non-ESP marker already removed) from peer:port to our lport. */
void ikev1_input(struct ikev1_ctx *ctx, const uint8_t *pkt, size_t len,
		 const struct dm_addr *from, uint16_t from_port,
		 uint16_t lport);
/* Start main mode (then quick mode) with a peer; 0 or -1. */
int ikev1_initiate(struct ikev1_ctx *ctx, const struct dm_addr *peer);
/* The UDP port the peer of sa receives ESP on (NAT: the post-NAT one). */
uint16_t ikev1_esp_port(const struct ike_sa *sa);
/* c was negotiated with the peer of sa: the same address and ESP port
 * (two spokes behind one PAT address differ in the port only). */
bool ikev1_child_of(const struct ike_sa *sa, const struct child_sa *c);
/* Retransmissions, expiries, DPD; returns ms until the next deadline. */
uint64_t ikev1_tick(struct ikev1_ctx *ctx, uint64_t now_ms);
/* Send deletes for everything and remove the SAs (shutdown). */
void ikev1_shutdown(struct ikev1_ctx *ctx);
/* "clear crypto isakmp": delete the ISAKMP SA conn_id (0: every one),
 * telling the peer when it is established; the IPsec SAs stay.  Returns
 * how many went. */
unsigned int ikev1_clear_isakmp(struct ikev1_ctx *ctx, unsigned int conn_id);
/*
 * SIGHUP: switch to new (old is still valid during the call) and delete
 * the SAs new no longer covers -- pairs whose transform no profile offers
 * or whose peer has no key, ISAKMP SAs whose key changed or whose
 * proposal no policy has -- telling the peer.  The rest stay; lifetimes
 * and PFS changes apply at the next rekey.  Returns how many went.
 */
unsigned int ikev1_reload(struct ikev1_ctx *ctx, const struct keyer_config *old,
			  const struct keyer_config *new);
/* Rekey: a new quick mode for the child SA with this inbound or
 * outbound SPI (module soft-expire). */
void ikev1_rekey_child(struct ikev1_ctx *ctx, uint32_t spi);
bool ikev1_has_child(const struct ikev1_ctx *ctx, const struct dm_addr *peer);
/* The module's acquire for @peer: key it unless a pair is on its way;
 * pairs the module has lost are forgotten first. */
void ikev1_acquire(struct ikev1_ctx *ctx, const struct dm_addr *peer);
/* End the acquire hold-down for peer (NULL: for every peer). */
void ikev1_holddown_clear(struct ikev1_ctx *ctx, const struct dm_addr *peer);
/* The module saw ESP with an SPI it has no SA for: tell the peer
 * (INVALID-SPI notify over its IKE SA), at most once a second. */
void ikev1_invalid_spi(struct ikev1_ctx *ctx, const struct dm_addr *peer,
		       uint32_t spi);
/* A valid encrypted message arrived on sa: the peer is alive (DPD). */
void ikev1_peer_alive(struct ikev1_ctx *ctx, struct ike_sa *sa);

/* The "sa ..." lines of lib/ikestate.h for every ISAKMP SA, into f. */
void ikev1_state_write(const struct ikev1_ctx *ctx, const char *ifname, FILE *f);

/* ---- internal, shared by the ikev1_*.c files ---- */
struct ike_sa *ike_sa_new(struct ikev1_ctx *ctx, bool initiator,
			  const struct dm_addr *peer, uint16_t port);
void ike_sa_delete(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *why);
/* "dropped packet from ...": rate-limited (one line a second at most). */
void ike_drop_log(struct ikev1_ctx *ctx, const struct dm_addr *from, const char *why);
void ike_xmit_send(struct ikev1_ctx *ctx, struct ike_sa *sa,
		   struct ike_xmit *x, const uint8_t *pkt, size_t len, bool arm);
/* True (after resending our answer) when this message was handled before. */
bool ike_xmit_duplicate(struct ikev1_ctx *ctx, struct ike_sa *sa,
			struct ike_xmit *x, const uint8_t *pkt, size_t len);
void ike_xmit_seen(struct ike_xmit *x, const uint8_t *pkt, size_t len);
void ike_xmit_free(struct ike_xmit *x);
/* Encrypt buf's payloads in place (pads, sets the E flag and length);
 * iv is updated to the last ciphertext block. */
int ike_encrypt(const struct ike_sa *sa, struct ike_buf *buf, uint8_t *iv);
/* Decrypt pkt into plain (header copied), parse payloads into m; iv is
 * updated only on success.  Returns 0 or an ike_perr / -100 (crypto). */
int ike_decrypt(const struct ike_sa *sa, const uint8_t *pkt, size_t len,
		uint8_t *iv, uint8_t *plain, struct ike_msg *m);
void ike_natd_hash(const struct ike_sa *sa, const struct dm_addr *a,
		   uint16_t port, uint8_t *out);
void ike_send_notify(struct ikev1_ctx *ctx, struct ike_sa *sa,
		     const struct dm_addr *to, uint16_t port, uint16_t lport,
		     const uint8_t *icky, const uint8_t *rcky, uint16_t type,
		     bool encrypted);

/* ikev1_sa.c: proposals */
/* Our phase-1 offer: every policy, or those with DH group only_group. */
void ikev1_put_p1_proposal(const struct keyer_config *cfg, struct ike_buf *b,
			   uint16_t only_group);
/* The DH group of our first (best) policy: aggressive mode offers that. */
uint16_t ikev1_p1_first_group(const struct keyer_config *cfg);
/* Choose a phase-1 transform as IOS does (logs each check); 0 or -1.
 * only_group: accept transforms of that DH group only (aggressive mode:
 * the initiator's KE), 0: any. */
/* why (optional): on failure, what the last transform checked lacked */
int ikev1_choose_p1(const struct keyer_config *cfg, unsigned int conn_id,
		    const struct ike_sa_view *sa, uint16_t only_group,
		    struct p1_policy *out, const struct ike_transform **chosen,
		    char *why, size_t why_len);
void ikev1_put_attrs(struct ike_buf *b, const struct ike_transform *t);
/* The ESP transforms of a suite (RFC 2407 ids); false if IKEv1 cannot
 * carry it. */
bool ikev1_esp_transform(uint32_t esp_alg, uint8_t *id, uint16_t *key_bits,
			 uint16_t *auth);
uint32_t ikev1_esp_alg(uint8_t id, uint16_t key_bits, uint16_t auth);

/* Start phase 1 with sa's peer: aggressive mode when the config says so
 * for that peer ("crypto isakmp peer address" + "set aggressive-mode"),
 * else main mode. */
int ikev1_p1_start(struct ikev1_ctx *ctx, struct ike_sa *sa);

/* ikev1_mm.c */
void ikev1_mm_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m);
int ikev1_mm_start(struct ikev1_ctx *ctx, struct ike_sa *sa);

/* ikev1_am.c */
void ikev1_am_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m);
int ikev1_am_start(struct ikev1_ctx *ctx, struct ike_sa *sa);

/* ikev1_proxy.c: quick mode's proxy identities */
/* What we propose to sa's peer, ours and the peer's: the first "set
 * proxy-identity" of prof whose remote holds the peer (else its first),
 * host/47/host of the endpoints without any. */
void ikev1_proxy_propose(const struct profile *prof, const struct ike_sa *sa,
			 struct dm_proxy_id *local, struct dm_proxy_id *remote);
void ikev1_put_proxy_id(struct ike_buf *b, const struct dm_proxy_id *p);
/* IDci and IDcr of a quick-mode message: 1, 0 when it has none (the
 * endpoints, implicitly), -1 with why when they are not two address,
 * subnet or range identities for GRE or any protocol, port 0. */
int ikev1_proxy_read(const struct ike_msg *m, struct dm_proxy_id *ci,
		     struct dm_proxy_id *cr, char *why, size_t len);
/* Responder: NULL when the offer local/remote (IDcr/IDci of QM1 m) is
 * host/47/host of the endpoints or within a "set proxy-identity" of prof
 * and holds the endpoints (NAT: NAT-OA), else why not, in why. */
const char *ikev1_proxy_accept(const struct profile *prof, const struct ike_sa *sa,
			       const struct ike_msg *m, const struct dm_proxy_id *local,
			       const struct dm_proxy_id *remote, char *why, size_t len);
/* What prof accepts, for logs: "host/47/host, local A remote B gre". */
void ikev1_proxy_configured(const struct profile *prof, char *buf, size_t len);

/* ikev1_qm.c */
int ikev1_qm_start(struct ikev1_ctx *ctx, struct ike_sa *sa);
void ikev1_qm_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		    const uint8_t *pkt, size_t len, const struct ike_msg *m);
void ikev1_info_input(struct ikev1_ctx *ctx, struct ike_sa *sa,
		      const uint8_t *pkt, size_t len, const struct ike_msg *m);
void ikev1_send_delete_child(struct ikev1_ctx *ctx, struct ike_sa *sa,
			     const struct child_sa *c);
void ikev1_send_delete_p1(struct ikev1_ctx *ctx, struct ike_sa *sa);
void ikev1_send_dpd(struct ikev1_ctx *ctx, struct ike_sa *sa, uint16_t type,
		    uint32_t seq);
void ikev1_send_invalid_spi(struct ikev1_ctx *ctx, struct ike_sa *sa,
			    uint32_t spi);
void ikev1_qm_free(struct qm_exch *q);
/* The initiator's outbound SA of q, if its pair is still tracked. */
void ikev1_qm_install_out(struct ikev1_ctx *ctx, struct qm_exch *q);
/*
 * Hand directions of a pair to the backend.  CHILD_IN (or both) starts
 * tracking the pair; CHILD_OUT completes it.  The keys of the directions
 * installed are wiped from c.
 */
int ikev1_child_install(struct ikev1_ctx *ctx, struct child_sa *c,
			unsigned int dirs);
void ikev1_child_remove(struct ikev1_ctx *ctx, size_t idx, bool tell_peer);

#endif
