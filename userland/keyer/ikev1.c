// SPDX-License-Identifier: GPL-2.0-only
/* IKEv1: dispatch, IKE SA table, retransmissions, message crypt, NAT-D,
 * child SA table (ikev1.h). */
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "../lib/ikestate.h"
#include "ikev1.h"
#include "log.h"

const char *p1_state_name(enum p1_state s)
{
	switch (s) {
	case MM_NO_STATE: return "MM_NO_STATE";
	case MM_SA_SETUP: return "MM_SA_SETUP";
	case MM_KEY_EXCH: return "MM_KEY_EXCH";
	case QM_IDLE: return "QM_IDLE";
	case P1_DEAD: return "MM_NO_STATE";
	}
	return "?";
}

const char *ike_sa_state_name(const struct ike_sa *sa)
{
	/* IOS: AG_INIT_EXCH until the aggressive mode is done */
	if (sa->aggressive && sa->state != QM_IDLE)
		return "AG_INIT_EXCH";
	return p1_state_name(sa->state);
}

void ikev1_init(struct ikev1_ctx *ctx, const struct keyer_config *cfg,
		struct sa_backend *backend, ike_send_fn send, void *arg,
		const struct dm_addr *local)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	ctx->backend = backend;
	ctx->send = send;
	ctx->send_arg = arg;
	ctx->local = *local;
	ctx->next_conn_id = 1001;
	ike_random(&ctx->next_reqid, sizeof(ctx->next_reqid));
	ctx->next_reqid = (ctx->next_reqid & 0xffff) + 1;
}

struct ike_sa *ike_sa_new(struct ikev1_ctx *ctx, bool initiator,
			  const struct dm_addr *peer, uint16_t port)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->conn_id = ctx->next_conn_id++;
	sa->initiator = initiator;
	sa->state = MM_NO_STATE;
	sa->local = ctx->local;
	sa->peer = *peer;
	sa->peer_port = port;
	sa->local_port = IKE_PORT;
	sa->created_ms = ctx->now_ms;
	sa->next = ctx->sas;
	ctx->sas = sa;
	return sa;
}

void ike_xmit_free(struct ike_xmit *x)
{
	free(x->out);
	x->out = NULL;
	x->out_len = 0;
	x->armed = false;
}

void ikev1_qm_free(struct qm_exch *q)
{
	ike_dh_free(&q->dh);
	ike_xmit_free(&q->x);
	ike_wipe(q, sizeof(*q));
	free(q);
}

static struct ike_holddown *holddown_find(struct ikev1_ctx *ctx,
					  const struct dm_addr *peer)
{
	for (size_t i = 0; i < IKE_HOLDDOWN_PEERS; i++)
		if (ctx->holddown[i].streak && dm_addr_equal(&ctx->holddown[i].peer, peer))
			return &ctx->holddown[i];
	return NULL;
}

/* Our phase 1 with peer failed: wait longer before the next acquire. */
static void holddown_failed(struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	struct ike_holddown *h = holddown_find(ctx, peer);
	uint64_t wait = IKE_HOLDDOWN_FIRST_MS;

	if (!h) {
		/* a free slot, else the one whose wait ends first */
		h = &ctx->holddown[0];
		for (size_t i = 0; i < IKE_HOLDDOWN_PEERS && h->streak; i++)
			if (!ctx->holddown[i].streak ||
			    ctx->holddown[i].until_ms < h->until_ms)
				h = &ctx->holddown[i];
		memset(h, 0, sizeof(*h));
		h->peer = *peer;
	}
	if (h->streak < 16)
		h->streak++;
	for (unsigned int i = 1; i < h->streak && wait < IKE_HOLDDOWN_MAX_MS; i++)
		wait *= 2;
	if (wait > IKE_HOLDDOWN_MAX_MS)
		wait = IKE_HOLDDOWN_MAX_MS;
	h->until_ms = ctx->now_ms + wait;
	h->announced = false;
}

void ikev1_holddown_clear(struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	struct ike_holddown *h;

	if (!peer) {
		memset(ctx->holddown, 0, sizeof(ctx->holddown));
		return;
	}
	h = holddown_find(ctx, peer);
	if (h)
		memset(h, 0, sizeof(*h));
}

void ike_sa_delete(struct ikev1_ctx *ctx, struct ike_sa *sa, const char *why)
{
	char a[DM_ADDR_STRLEN];

	/* A phase 1 we started for SAs and that never completed, for
	 * whatever reason: the peer cannot be keyed with right now. */
	if (sa->initiator && !sa->established_ms && sa->want_qm)
		holddown_failed(ctx, &sa->peer);

	for (struct ike_sa **pp = &ctx->sas; *pp; pp = &(*pp)->next)
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	klog(KLOG_INFO, "ISAKMP (0:%u): deleting SA with %s, reason \"%s\", state %s",
	     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)), why,
	     ike_sa_state_name(sa));
	while (sa->qms) {
		struct qm_exch *q = sa->qms;

		/* IPsec SAs outlive their ISAKMP SA: a pair keyed a moment
		 * ago still gets its outbound half */
		ikev1_qm_install_out(ctx, q);

		sa->qms = q->next;
		ikev1_qm_free(q);
	}
	ike_dh_free(&sa->dh);
	ike_xmit_free(&sa->x);
	free(sa->sai_b);
	free(sa->idi_b);
	ike_p1_wipe(&sa->keys);
	ike_wipe(sa, sizeof(*sa));
	free(sa);
}

void ike_xmit_send(struct ikev1_ctx *ctx, struct ike_sa *sa,
		   struct ike_xmit *x, const uint8_t *pkt, size_t len, bool arm)
{
	uint8_t *copy = malloc(len);

	if (copy) {
		memcpy(copy, pkt, len);
		free(x->out);
		x->out = copy;
		x->out_len = len;
		x->out_lport = sa->local_port;
	}
	x->armed = arm && copy;
	x->tries = 0;
	x->next_ms = ctx->now_ms + ctx->cfg->retrans_ms;
	ctx->send(ctx->send_arg, pkt, len, &sa->peer, sa->peer_port,
		  sa->local_port);
}

void ike_xmit_seen(struct ike_xmit *x, const uint8_t *pkt, size_t len)
{
	x->has_in = !ike_hash(OAKLEY_SHA1, x->in_hash, 1,
			      (const void *[]){ pkt }, (size_t[]){ len });
}

bool ike_xmit_duplicate(struct ikev1_ctx *ctx, struct ike_sa *sa,
			struct ike_xmit *x, const uint8_t *pkt, size_t len)
{
	uint8_t h[20];

	if (!x->has_in || ike_hash(OAKLEY_SHA1, h, 1, (const void *[]){ pkt },
				   (size_t[]){ len }) ||
	    memcmp(h, x->in_hash, 20))
		return false;
	if (x->out)
		ctx->send(ctx->send_arg, x->out, x->out_len, &sa->peer,
			  sa->peer_port, sa->local_port);
	klog(KLOG_DEBUG, "ISAKMP (0:%u): retransmission received, answer resent",
	     sa->conn_id);
	return true;
}

int ike_encrypt(const struct ike_sa *sa, struct ike_buf *buf, uint8_t *iv)
{
	size_t bs = sa->keys.block, plen;

	if (buf->err || !bs || buf->len < ISAKMP_HDR_LEN)
		return -1;
	plen = buf->len - ISAKMP_HDR_LEN;
	/* pad with zeros to the block size: receivers parse the payload
	 * chain and ignore what follows it */
	while (plen % bs || !plen) {
		ike_put8(buf, 0);
		plen++;
	}
	if (buf->err)
		return -1;
	buf->b[19] |= ISAKMP_FLAG_ENC;
	if (ike_cbc(sa->chosen.enc, sa->keys.enc_key, sa->keys.enc_len, iv,
		    buf->b + ISAKMP_HDR_LEN, plen, buf->b + ISAKMP_HDR_LEN, true))
		return -1;
	memcpy(iv, buf->b + buf->len - bs, bs);
	return ike_finish(buf) ? 0 : -1;
}

int ike_decrypt(const struct ike_sa *sa, const uint8_t *pkt, size_t len,
		uint8_t *iv, uint8_t *plain, struct ike_msg *m)
{
	size_t bs = sa->keys.block, clen;
	struct isakmp_hdr h;
	int err = ike_parse_header(pkt, len, &h);

	if (err)
		return err;
	if (!(h.flags & ISAKMP_FLAG_ENC) || !bs)
		return -100;
	len = h.length;
	clen = len - ISAKMP_HDR_LEN;
	if (!clen || clen % bs)
		return -100;
	memcpy(plain, pkt, ISAKMP_HDR_LEN);
	if (ike_cbc(sa->chosen.enc, sa->keys.enc_key, sa->keys.enc_len, iv,
		    pkt + ISAKMP_HDR_LEN, clen, plain + ISAKMP_HDR_LEN, false))
		return -100;
	m->hdr = h;
	err = ike_parse_payloads(h.np, plain + ISAKMP_HDR_LEN, clen, true, m);
	if (err)
		return err;
	memcpy(iv, pkt + len - bs, bs);
	return 0;
}

void ike_natd_hash(const struct ike_sa *sa, const struct dm_addr *a,
		   uint16_t port, uint8_t *out)
{
	uint8_t p[2] = { (uint8_t)(port >> 8), (uint8_t)port };

	/* RFC 3947 3.2: HASH(CKY-I | CKY-R | IP | Port), the negotiated hash */
	ike_hash(sa->chosen.hash, out, 4,
		 (const void *[]){ sa->icky, sa->rcky, a->bytes, p },
		 (size_t[]){ 8, 8, a->len, 2 });
}

/* HASH(1) = prf(SKEYID_a, M-ID | payloads after HASH) of an informational
 * message, patched into the HASH payload at hash_at. */
static void info_hash(const struct ike_sa *sa, struct ike_buf *b,
		      size_t hash_at, size_t after)
{
	uint8_t mid[4], h[IKE_MAX_HASH];

	memcpy(mid, b->b + 20, 4);
	if (b->err || ike_prf(sa->keys.hash, sa->keys.skeyid_a, sa->keys.prf_len,
			      h, 2, (const void *[]){ mid, b->b + after },
			      (size_t[]){ 4, b->len - after })) {
		b->err = true;
		return;
	}
	memcpy(b->b + hash_at, h, sa->keys.prf_len);
}

void ike_send_notify(struct ikev1_ctx *ctx, struct ike_sa *sa,
		     const struct dm_addr *to, uint16_t port, uint16_t lport,
		     const uint8_t *icky, const uint8_t *rcky, uint16_t type,
		     bool encrypted)
{
	struct ike_buf *b = malloc(sizeof(*b));
	struct isakmp_hdr h = { .exch = ISAKMP_XCHG_INFO };
	uint8_t spi[16];
	size_t len;

	if (!b)
		return;
	memcpy(h.icookie, icky, 8);
	memcpy(h.rcookie, rcky, 8);
	memcpy(spi, icky, 8);
	memcpy(spi + 8, rcky, 8);
	if (encrypted && sa && sa->state == QM_IDLE) {
		uint8_t iv[IKE_MAX_BLOCK];
		size_t hs, after;

		ike_random(&h.msgid, 4);
		h.msgid |= 1;
		ike_begin(b, &h);
		hs = ike_pl_begin(b, ISAKMP_NP_HASH);
		ike_put(b, (uint8_t[IKE_MAX_HASH]){ 0 }, sa->keys.prf_len);
		ike_pl_end(b, hs);
		after = b->len;
		ike_put_notify(b, PROTO_ISAKMP, type, spi, 16, NULL, 0);
		info_hash(sa, b, hs + 4, after);
		if (ike_p2_iv(sa->keys.hash, sa->iv, sa->keys.block, h.msgid, iv) ||
		    ike_encrypt(sa, b, iv)) {
			free(b);
			return;
		}
		len = b->len;
	} else {
		ike_begin(b, &h);
		ike_put_notify(b, PROTO_ISAKMP, type, spi, 16, NULL, 0);
		len = ike_finish(b);
	}
	if (len)
		ctx->send(ctx->send_arg, b->b, len, to, port, lport);
	free(b);
}

static struct ike_sa *find_sa(struct ikev1_ctx *ctx, const struct isakmp_hdr *h)
{
	static const uint8_t zero[8];

	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		if (memcmp(sa->icky, h->icookie, 8))
			continue;
		if (!memcmp(sa->rcky, h->rcookie, 8))
			return sa;
		/* MM2: the responder's cookie is new to the initiator */
		if (sa->initiator && !memcmp(sa->rcky, zero, 8))
			return sa;
		/* a retransmitted MM1 still carries a zero r-cookie */
		if (!memcmp(h->rcookie, zero, 8) && !sa->initiator)
			return sa;
	}
	return NULL;
}

/* Rate-limited: one line per second at most (a flood must not fill logs). */
void ike_drop_log(struct ikev1_ctx *ctx, const struct dm_addr *from,
		  const char *why)
{
	static uint64_t last_ms;
	char a[DM_ADDR_STRLEN];

	if (last_ms && ctx->now_ms - last_ms < 1000)
		return;
	last_ms = ctx->now_ms;
	klog(KLOG_INFO, "ISAKMP: dropped packet from %s: %s (%lu malformed so far)",
	     dm_addr_fmt(from, a, sizeof(a)), why, ctx->rx_malformed);
}

/*
 * An aggressive-mode offer while "crypto isakmp aggressive-mode" is off:
 * counted, noted for "show crypto isakmp failures", logged at most once a
 * second, and not answered (no SA, nothing to reflect).
 */
static void aggr_refused(struct ikev1_ctx *ctx, const struct dm_addr *from,
			 uint16_t port)
{
	static uint64_t last_ms;
	char a[DM_ADDR_STRLEN];

	ctx->aggr_refused++;
	ctx->rx_dropped++;
	peer_failure_note(&ctx->failures, from, port, DM_IKE_FAIL_AGGR,
			  "aggressive mode offered, refused: disabled (crypto isakmp aggressive-mode)");
	if (last_ms && ctx->now_ms - last_ms < 1000)
		return;
	last_ms = ctx->now_ms;
	klog(KLOG_WARN, "%%CRYPTO-4-IKMP_AGGR_REFUSED: aggressive mode offered by %s, refused: disabled (\"crypto isakmp aggressive-mode\" accepts it); %lu refused so far",
	     dm_addr_fmt(from, a, sizeof(a)), ctx->aggr_refused);
}

void ikev1_input(struct ikev1_ctx *ctx, const uint8_t *pkt, size_t len,
		 const struct dm_addr *from, uint16_t from_port,
		 uint16_t lport)
{
	static const uint8_t zero[8];
	struct ike_msg *m = calloc(1, sizeof(*m));
	struct ike_sa *sa;
	int err;

	if (!m)
		return;
	err = ike_parse_msg(pkt, len, m);
	if (err) {
		ctx->rx_malformed++;
		ike_drop_log(ctx, from, ike_perr_str(err));
		goto out;
	}
	len = m->hdr.length;
	sa = find_sa(ctx, &m->hdr);
	if (sa && !dm_addr_equal(&sa->peer, from)) {
		ctx->rx_dropped++;
		ike_drop_log(ctx, from, "cookies of an SA with another peer");
		goto out;
	}
	if (!sa && (m->hdr.exch == ISAKMP_XCHG_IDPROT || m->hdr.exch == ISAKMP_XCHG_AGGR) &&
	    !memcmp(m->hdr.rcookie, zero, 8) && !m->hdr.msgid &&
	    !(m->hdr.flags & ISAKMP_FLAG_ENC)) {
		size_t half_open = 0;

		if (m->hdr.exch == ISAKMP_XCHG_AGGR && !ctx->cfg->aggr_accept) {
			aggr_refused(ctx, from, from_port);
			goto out;
		}

		/* a flood of (spoofed) MM1s must not eat the memory: like
		 * IOS's call admission limit, refuse beyond a bound */
		for (struct ike_sa *o = ctx->sas; o; o = o->next)
			half_open += o->state != QM_IDLE;
		if (half_open >= IKE_MAX_HALF_OPEN) {
			ctx->rx_dropped++;
			ike_drop_log(ctx, from, "too many phase 1 negotiations in progress");
			goto out;
		}
		sa = ike_sa_new(ctx, false, from, from_port);
		if (!sa)
			goto out;
		memcpy(sa->icky, m->hdr.icookie, 8);
		sa->local_port = lport;
		sa->aggressive = m->hdr.exch == ISAKMP_XCHG_AGGR;
	}
	if (!sa) {
		ctx->rx_dropped++;
		ike_drop_log(ctx, from, "no SA for these cookies");
		goto out;
	}
	sa->rx_port = from_port;
	sa->rx_lport = lport;
	switch (m->hdr.exch) {
	case ISAKMP_XCHG_IDPROT:
	case ISAKMP_XCHG_AGGR:
		/* an SA's phase 1 is one kind of exchange to the end */
		if ((m->hdr.exch == ISAKMP_XCHG_AGGR) != sa->aggressive) {
			ctx->rx_dropped++;
			ike_drop_log(ctx, from, sa->aggressive ?
				 "main mode message on an aggressive mode SA" :
				 "aggressive mode message on a main mode SA");
		} else if (sa->aggressive) {
			ikev1_am_input(ctx, sa, pkt, len, m);
		} else {
			ikev1_mm_input(ctx, sa, pkt, len, m);
		}
		break;
	case ISAKMP_XCHG_QUICK:
		ikev1_qm_input(ctx, sa, pkt, len, m);
		break;
	case ISAKMP_XCHG_INFO:
		ikev1_info_input(ctx, sa, pkt, len, m);
		break;
	default:
		ctx->rx_dropped++;
		ike_drop_log(ctx, from, "unsupported exchange type");
	}
out:
	free(m);
}

int ikev1_initiate(struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	struct ike_sa *sa;

	for (sa = ctx->sas; sa; sa = sa->next)
		if (dm_addr_equal(&sa->peer, peer) && sa->state != P1_DEAD) {
			if (sa->state == QM_IDLE)
				return ikev1_qm_start(ctx, sa);
			sa->want_qm = true;
			return 0;
		}
	sa = ike_sa_new(ctx, true, peer, IKE_PORT);
	if (!sa)
		return -1;
	sa->want_qm = true;
	if (ikev1_p1_start(ctx, sa)) {
		ike_sa_delete(ctx, sa, "cannot start phase 1");
		return -1;
	}
	return 0;
}

int ikev1_p1_start(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	if (policy_aggressive_to(ctx->cfg, &sa->peer))
		return ikev1_am_start(ctx, sa);
	return ikev1_mm_start(ctx, sa);
}

uint16_t ikev1_esp_port(const struct ike_sa *sa)
{
	return (sa->nat_local || sa->nat_peer) ? sa->peer_port : IKE_NATT_PORT;
}

bool ikev1_child_of(const struct ike_sa *sa, const struct child_sa *c)
{
	return dm_addr_equal(&c->peer, &sa->peer) && c->peer_port == ikev1_esp_port(sa);
}

bool ikev1_has_child(const struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	for (size_t i = 0; i < ctx->nchildren; i++)
		if (dm_addr_equal(&ctx->children[i].peer, peer))
			return true;
	return false;
}

int ikev1_child_install(struct ikev1_ctx *ctx, struct child_sa *c,
			unsigned int dirs)
{
	char a[DM_ADDR_STRLEN];
	int err;

	if (dirs & CHILD_IN)
		c->reqid = ctx->next_reqid++;
	err = ctx->backend->add(ctx->backend, c, dirs);
	dm_addr_fmt(&c->peer, a, sizeof(a));
	if (err) {
		klog(KLOG_ERR, "IPSEC(create_sa): %s backend refused the SAs with %s: %s",
		     ctx->backend->name, a, ctx->backend->err);
		child_sa_wipe(c);
		return -1;
	}
	klog(KLOG_INFO, "IPSEC(create_sa): sa created, (sa) sa_dest= %s, sa_prot= 50, sa_spi= %s0x%08X(%u) in, %s0x%08X(%u) out, reqid %u",
	     a, dirs & CHILD_IN ? "" : "(before) ", c->spi_in, c->spi_in,
	     dirs & CHILD_OUT ? "" : c->initiator ? "(after QM3) " : "(at QM3) ",
	     c->spi_out, c->spi_out, c->reqid);
	/* the keys live in the module now */
	if (dirs & CHILD_IN)
		ike_wipe(c->key_in, sizeof(c->key_in));
	if (dirs & CHILD_OUT) {
		ike_wipe(c->key_out, sizeof(c->key_out));
		ctx->p2_up++;
		/* ms 0 is the start of a test clock: never stored as 0 */
		c->out_since_ms = ctx->now_ms ? ctx->now_ms : 1;
	}
	if (!(dirs & CHILD_IN)) {
		for (size_t i = 0; i < ctx->nchildren; i++)
			if (ctx->children[i].spi_in == c->spi_in &&
			    dm_addr_equal(&ctx->children[i].peer, &c->peer))
				ctx->children[i].out_since_ms = c->out_since_ms;
		return 0;
	}
	if (ctx->nchildren == ctx->children_cap) {
		size_t cap = ctx->children_cap ? 2 * ctx->children_cap : 8;
		struct child_sa *n = realloc(ctx->children, cap * sizeof(*n));

		if (!n)
			return 0;	/* installed, just not tracked */
		ctx->children = n;
		ctx->children_cap = cap;
	}
	/* a new pair with this peer supersedes the older ones: their
	 * soft-expire must not start yet another rekey (both ends of a pair
	 * see one, at slightly different times) */
	for (size_t i = 0; i < ctx->nchildren; i++)
		if (dm_addr_equal(&ctx->children[i].peer, &c->peer) &&
		    ctx->children[i].peer_port == c->peer_port)
			ctx->children[i].rekeying = true;
	ctx->children[ctx->nchildren] = *c;
	/* the table never holds keys */
	child_sa_wipe(&ctx->children[ctx->nchildren]);
	ctx->nchildren++;
	return 0;
}

/*
 * The module asks for SAs to @peer (a packet waits).  A pair still being
 * keyed (outbound not in yet) answers that.  A pair whose outbound SA went
 * in a while ago, though, is one the module no longer has: "clear crypto
 * sa", a flush, an unload.  Forget it (the module's halves are gone) and
 * key again, so that the network recovers by itself.  The grace covers an
 * acquire the module sent just before the outbound SA went in and that is
 * read just after (acquires come at most once a second).
 */
#define IKE_ACQUIRE_STALE_MS	3000

void ikev1_acquire(struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	char a[DM_ADDR_STRLEN];
	struct ike_holddown *h;
	bool pending = false;

	for (size_t i = ctx->nchildren; i-- > 0;) {
		struct child_sa *c = &ctx->children[i];

		if (!dm_addr_equal(&c->peer, peer))
			continue;
		if (!c->out_since_ms ||
		    ctx->now_ms - c->out_since_ms < IKE_ACQUIRE_STALE_MS) {
			pending = true;
			continue;
		}
		klog(KLOG_WARN, "IPSEC: the module has no SA to %s although 0x%08X went in %llu s ago (cleared?): keying again",
		     dm_addr_fmt(peer, a, sizeof(a)),
		     c->spi_out,
		     (unsigned long long)((ctx->now_ms - c->out_since_ms) / 1000));
		ikev1_child_remove(ctx, i, false);
	}
	/*
	 * The module repeats its acquire (once a second while packets wait):
	 * a quick mode with this peer already under way answers it too.
	 */
	for (const struct ike_sa *sa = ctx->sas; sa && !pending; sa = sa->next)
		for (const struct qm_exch *q = sa->qms; q && dm_addr_equal(&sa->peer, peer);
		     q = q->next)
			if (!q->done) {
				pending = true;
				break;
			}
	if (pending)
		return;
	h = holddown_find(ctx, peer);
	if (h && ctx->now_ms < h->until_ms) {
		if (!h->announced)
			klog(KLOG_INFO, "IPSEC: acquire for %s: phase 1 failed %u time%s in a row; next attempt in %llu s",
			     dm_addr_fmt(peer, a, sizeof(a)), h->streak,
			     h->streak == 1 ? "" : "s",
			     (unsigned long long)((h->until_ms - ctx->now_ms + 999) / 1000));
		h->announced = true;
		return;
	}
	ikev1_initiate(ctx, peer);
}

static struct ike_sa *sa_for_peer(struct ikev1_ctx *ctx, const struct dm_addr *peer)
{
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next)
		if (sa->state == QM_IDLE && dm_addr_equal(&sa->peer, peer))
			return sa;
	return NULL;
}

void ikev1_child_remove(struct ikev1_ctx *ctx, size_t idx, bool tell_peer)
{
	struct child_sa c = ctx->children[idx];
	struct ike_sa *sa = sa_for_peer(ctx, &c.peer);

	if (tell_peer && sa)
		ikev1_send_delete_child(ctx, sa, &c);
	ctx->traffic_n = SIZE_MAX;	/* the counts no longer line up */
	if (ctx->backend->del(ctx->backend, &c))
		klog(KLOG_WARN, "IPSEC: deleting SA 0x%08X: %s", c.spi_in,
		     ctx->backend->err);
	ctx->children[idx] = ctx->children[--ctx->nchildren];
}

void ikev1_rekey_child(struct ikev1_ctx *ctx, uint32_t spi)
{
	for (size_t i = 0; i < ctx->nchildren; i++) {
		struct child_sa *c = &ctx->children[i];

		if (c->spi_in == spi || c->spi_out == spi) {
			/* both halves of a pair expire: one rekey for the pair */
			if (c->rekeying)
				return;
			c->rekeying = true;
			klog(KLOG_INFO, "IPSEC: SA 0x%08X soft-expired, rekeying", spi);
			ikev1_initiate(ctx, &c->peer);
			return;
		}
	}
}

void ikev1_peer_alive(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	sa->dpd_last_rx_ms = ctx->now_ms;
	sa->dpd_missed = 0;
	/* NAT-T: once an authenticated message comes to 4500, answer there,
	 * at the port the peer's NAT gave it (RFC 3947 4) */
	if (sa->rx_lport == IKE_NATT_PORT) {
		sa->local_port = IKE_NATT_PORT;
		sa->peer_port = sa->rx_port;
	}
}

void ikev1_invalid_spi(struct ikev1_ctx *ctx, const struct dm_addr *peer,
		       uint32_t spi)
{
	static uint64_t last_ms;
	struct ike_sa *sa = sa_for_peer(ctx, peer);

	if (!sa || (last_ms && ctx->now_ms - last_ms < 1000))
		return;
	last_ms = ctx->now_ms;
	ikev1_send_invalid_spi(ctx, sa, spi);
}

/*
 * On-demand DPD (IOS's default) asks only a peer we send to and do not
 * hear from: what the ESP counters did since the last look at the pairs
 * with this peer.  The counts come from the backend once per tick.
 */
enum dpd_traffic {
	DPD_TRAFFIC_UNKNOWN,	/* the backend cannot say: probe anyway */
	DPD_TRAFFIC_IDLE,	/* nothing either way: no probe */
	DPD_TRAFFIC_HEARD,	/* the peer's ESP came in: it is alive */
	DPD_TRAFFIC_UNANSWERED,	/* we send, nothing comes back: probe */
};

static void traffic_refresh(struct ikev1_ctx *ctx)
{
	struct child_traffic *t;
	int err;

	/* once a tick, unless children[] changed since (its order too) */
	if (ctx->traffic_ms == ctx->now_ms && ctx->traffic &&
	    ctx->traffic_n == ctx->nchildren)
		return;
	free(ctx->traffic);
	ctx->traffic = NULL;
	ctx->traffic_ms = ctx->now_ms;
	if (!ctx->backend->traffic || !ctx->nchildren)
		return;
	t = calloc(ctx->nchildren, sizeof(*t));
	if (!t)
		return;
	err = ctx->backend->traffic(ctx->backend, ctx->children, ctx->nchildren, t);
	if (err) {
		if (!ctx->traffic_warned)
			klog(KLOG_WARN, "ISAKMP: on-demand DPD cannot read the ESP counters (%s); probing idle peers too",
			     ctx->backend->err);
		ctx->traffic_warned = true;
		free(t);
		return;
	}
	ctx->traffic = t;
	ctx->traffic_n = ctx->nchildren;
}

static enum dpd_traffic dpd_traffic(struct ikev1_ctx *ctx, const struct ike_sa *sa)
{
	bool any = false, in = false, out = false;

	traffic_refresh(ctx);
	if (!ctx->traffic || ctx->traffic_n != ctx->nchildren)
		return DPD_TRAFFIC_UNKNOWN;
	for (size_t i = 0; i < ctx->nchildren; i++) {
		struct child_sa *c = &ctx->children[i];
		const struct child_traffic *t = &ctx->traffic[i];

		if (!ikev1_child_of(sa, c))
			continue;
		any = true;
		in |= t->in_pkts != c->seen_in_pkts;
		out |= t->out_pkts != c->seen_out_pkts;
		c->seen_in_pkts = t->in_pkts;
		c->seen_out_pkts = t->out_pkts;
	}
	if (!any)
		return DPD_TRAFFIC_UNKNOWN;	/* no pair to watch: as periodic */
	if (in)
		return DPD_TRAFFIC_HEARD;
	return out ? DPD_TRAFFIC_UNANSWERED : DPD_TRAFFIC_IDLE;
}

/* 0 or 1 as DPD (RFC 3706) finds the peer; true when it is dead. */
static bool dpd(struct ikev1_ctx *ctx, struct ike_sa *sa, uint64_t *next)
{
	const struct keyer_config *c = ctx->cfg;
	uint64_t now = ctx->now_ms, interval = (uint64_t)c->dpd_interval * 1000;
	uint64_t retry = (uint64_t)c->dpd_retry * 1000, t;

	if (!c->dpd_interval || !sa->peer_dpd || sa->state != QM_IDLE)
		return false;
	if (!sa->dpd_missed) {
		if (now - sa->dpd_last_rx_ms < interval) {
			t = sa->dpd_last_rx_ms + interval - now;
			if (t < *next)
				*next = t;
			return false;
		}
		if (!c->dpd_periodic) {
			switch (dpd_traffic(ctx, sa)) {
			case DPD_TRAFFIC_HEARD:
			case DPD_TRAFFIC_IDLE:
				/* alive, or nothing to worry about: look
				 * again after another interval */
				sa->dpd_last_rx_ms = now;
				if (interval < *next)
					*next = interval;
				return false;
			case DPD_TRAFFIC_UNANSWERED:
			case DPD_TRAFFIC_UNKNOWN:
				break;
			}
		}
	} else if (now < sa->dpd_next_ms) {
		if (sa->dpd_next_ms - now < *next)
			*next = sa->dpd_next_ms - now;
		return false;
	}
	/* IOS gives up after five unanswered R-U-THEREs */
	if (sa->dpd_missed >= 5)
		return true;
	sa->dpd_missed++;
	ikev1_send_dpd(ctx, sa, N_DPD_R_U_THERE, ++sa->dpd_seq);
	sa->dpd_next_ms = now + retry;
	if (retry < *next)
		*next = retry;
	return false;
}

static void dead_peer(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	char a[DM_ADDR_STRLEN];

	klog(KLOG_WARN, "ISAKMP (0:%u): peer %s not responding! (DPD, %u R-U-THERE unanswered); deleting its SAs",
	     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)), sa->dpd_missed);
	peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port, DM_IKE_FAIL_DPD,
			  "peer not responding (DPD, %u R-U-THERE unanswered); its SAs were deleted",
			  sa->dpd_missed);
	/* only this peer's: another behind the same PAT address stays */
	for (size_t i = ctx->nchildren; i-- > 0;)
		if (ikev1_child_of(sa, &ctx->children[i]))
			ikev1_child_remove(ctx, i, false);
	/* the NHRP layer hears of it: what it learnt from the peer goes */
	if (ctx->backend->peer_dead)
		ctx->backend->peer_dead(ctx->backend, &sa->peer, ikev1_esp_port(sa));
	ike_sa_delete(ctx, sa, "DPD: peer dead");
}

/* Phase 1 ends before its children: at 90 % of its life, a successor. */
static void p1_rekey(struct ikev1_ctx *ctx, struct ike_sa *sa)
{
	struct ike_sa *n;

	if (sa->rekey_started || sa->state != QM_IDLE || !sa->expire_ms ||
	    !ikev1_has_child(ctx, &sa->peer))
		return;
	if (ctx->now_ms < sa->expire_ms - (uint64_t)sa->chosen.life_secs * 100)
		return;
	sa->rekey_started = true;
	n = ike_sa_new(ctx, true, &sa->peer, IKE_PORT);
	if (n && ikev1_p1_start(ctx, n))
		ike_sa_delete(ctx, n, "cannot start phase 1");
	else if (n)
		klog(KLOG_INFO, "ISAKMP (0:%u): phase 1 rekey (successor of %u)",
		     n->conn_id, sa->conn_id);
}

static void nat_keepalive(struct ikev1_ctx *ctx, struct ike_sa *sa, uint64_t *next)
{
	static const uint8_t ka = 0xff;
	uint64_t every = (uint64_t)ctx->cfg->nat_keepalive * 1000;

	/* only from behind a NAT (or with force-encap, which pretends) */
	if (sa->state != QM_IDLE || !sa->nat_local || !every ||
	    sa->local_port != IKE_NATT_PORT)
		return;
	if (!sa->natka_next_ms)
		sa->natka_next_ms = ctx->now_ms + every;
	if (ctx->now_ms >= sa->natka_next_ms) {
		ctx->send(ctx->send_arg, &ka, 1, &sa->peer, sa->peer_port,
			  IKE_NATT_PORT);
		sa->natka_next_ms = ctx->now_ms + every;
	}
	if (sa->natka_next_ms - ctx->now_ms < *next)
		*next = sa->natka_next_ms - ctx->now_ms;
}

static uint64_t retrans(struct ikev1_ctx *ctx, struct ike_sa *sa,
			struct ike_xmit *x, const char *phase, bool *dead)
{
	uint64_t now = ctx->now_ms;

	*dead = false;
	if (!x->armed || !x->out)
		return UINT64_MAX;
	if (now < x->next_ms)
		return x->next_ms - now;
	if (x->tries >= ctx->cfg->retrans_count) {
		*dead = true;
		return UINT64_MAX;
	}
	x->tries++;
	klog(KLOG_INFO, "ISAKMP (0:%u): retransmitting %s %s... (%u of %u)",
	     sa->conn_id, phase, ike_sa_state_name(sa), x->tries,
	     ctx->cfg->retrans_count);
	ctx->send(ctx->send_arg, x->out, x->out_len, &sa->peer, sa->peer_port,
		  x->out_lport);
	/* back off: the interval doubles each time */
	x->next_ms = now + ((uint64_t)ctx->cfg->retrans_ms << x->tries);
	return x->next_ms - now;
}

uint64_t ikev1_tick(struct ikev1_ctx *ctx, uint64_t now_ms)
{
	uint64_t next = 60000;
	struct ike_sa *sa, *sa_next;
	char a[DM_ADDR_STRLEN];

	ctx->now_ms = now_ms;
	for (sa = ctx->sas; sa; sa = sa_next) {
		bool dead;
		uint64_t t;

		sa_next = sa->next;
		t = retrans(ctx, sa, &sa->x, "phase 1", &dead);
		if (dead) {
			klog(KLOG_WARN, "ISAKMP (0:%u): peer %s not responding! (phase 1, %s)",
			     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)),
			     ike_sa_state_name(sa));
			/* the initiator of a PSK mismatch sees only this:
			 * the responder drops MM5 and never sends MM6 */
			if (!sa->failure_noted)
				peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
						  DM_IKE_FAIL_NO_RESPONSE,
						  "peer not responding (phase 1, %s): retransmissions exhausted%s",
						  ike_sa_state_name(sa),
						  sa->state == MM_KEY_EXCH && sa->initiator ?
						  "; no MM6: a pre-shared key mismatch looks like this" :
						  sa->state == MM_KEY_EXCH && sa->aggressive ?
						  "; no AM3: a pre-shared key mismatch looks like this" : "");
			ike_sa_delete(ctx, sa, "Death by retransmission P1");
			continue;
		}
		if (t < next)
			next = t;
		for (struct qm_exch **qp = &sa->qms; *qp;) {
			struct qm_exch *q = *qp;

			if (q->out_pending && now_ms >= q->out_at_ms)
				ikev1_qm_install_out(ctx, q);
			else if (q->out_pending && q->out_at_ms - now_ms < next)
				next = q->out_at_ms - now_ms;
			t = retrans(ctx, sa, &q->x, "phase 2", &dead);
			if (dead || (q->done && now_ms >= q->expire_ms)) {
				if (dead) {
					ctx->p2_fail++;
					klog(KLOG_WARN, "ISAKMP (0:%u): peer %s not responding! (phase 2, msgid %08x)",
					     sa->conn_id, dm_addr_fmt(&sa->peer, a, sizeof(a)),
					     q->msgid);
					peer_failure_note(&ctx->failures, &sa->peer, sa->peer_port,
							  DM_IKE_FAIL_NO_RESPONSE,
							  "peer not responding (phase 2, msgid %08x): retransmissions exhausted",
							  q->msgid);
					/* no QM3: the SAs we put in at QM2 go */
					for (size_t i = 0; q->installed && i < ctx->nchildren; i++)
						if (ctx->children[i].spi_in == q->spi_in) {
							ikev1_child_remove(ctx, i, false);
							break;
						}
				}
				*qp = q->next;
				ikev1_qm_free(q);
				continue;
			}
			if (t < next)
				next = t;
			qp = &q->next;
		}
		if (sa->expire_ms && now_ms >= sa->expire_ms) {
			if (sa->state == QM_IDLE)
				ikev1_send_delete_p1(ctx, sa);
			ike_sa_delete(ctx, sa, "phase 1 lifetime expired");
			continue;
		}
		if (dpd(ctx, sa, &next)) {
			dead_peer(ctx, sa);
			continue;
		}
		p1_rekey(ctx, sa);
		nat_keepalive(ctx, sa, &next);
		if (sa->expire_ms && sa->expire_ms - now_ms < next)
			next = sa->expire_ms - now_ms;
	}
	return next;
}

void ikev1_shutdown(struct ikev1_ctx *ctx)
{
	while (ctx->nchildren)
		ikev1_child_remove(ctx, ctx->nchildren - 1, true);
	while (ctx->sas) {
		if (ctx->sas->state == QM_IDLE)
			ikev1_send_delete_p1(ctx, ctx->sas);
		ike_sa_delete(ctx, ctx->sas, "shutdown");
	}
	free(ctx->children);
	ctx->children = NULL;
	ctx->children_cap = 0;
	free(ctx->traffic);
	ctx->traffic = NULL;
}

unsigned int ikev1_clear_isakmp(struct ikev1_ctx *ctx, unsigned int conn_id)
{
	unsigned int n = 0;
	struct ike_sa *sa = ctx->sas;

	while (sa) {
		struct ike_sa *next = sa->next;

		if (!conn_id || sa->conn_id == conn_id) {
			if (sa->state == QM_IDLE)
				ikev1_send_delete_p1(ctx, sa);
			ike_sa_delete(ctx, sa, "clear crypto isakmp");
			n++;
		}
		sa = next;
	}
	/* the operator wants a fresh start: no acquire waits any more */
	ikev1_holddown_clear(ctx, NULL);
	return n;
}

unsigned int ikev1_reload(struct ikev1_ctx *ctx, const struct keyer_config *old,
			  const struct keyer_config *new)
{
	char why[320], peer[DM_ADDR_STRLEN];
	unsigned int n = 0;
	struct ike_sa *sa;

	ctx->cfg = new;
	/* children first: their delete notifications need the ISAKMP SA
	 * that may go next */
	for (size_t i = 0; i < ctx->nchildren;) {
		const struct child_sa *c = &ctx->children[i];

		if (!policy_reload_child_change(new, &c->peer, c->esp_alg, c->mode,
						&c->local_id, &c->remote_id,
						why, sizeof(why))) {
			i++;
			continue;
		}
		klog(KLOG_INFO, "IPSEC: deleting SA 0x%08X/0x%08X with %s after reload: %s",
		     c->spi_in, c->spi_out, dm_addr_fmt(&c->peer, peer, sizeof(peer)), why);
		ikev1_child_remove(ctx, i, true);
		n++;
	}
	sa = ctx->sas;
	while (sa) {
		struct ike_sa *next = sa->next;
		const struct p1_policy *chosen = sa->state >= MM_SA_SETUP ? &sa->chosen : NULL;

		if (policy_reload_p1_change(old, new, &sa->peer, chosen, why, sizeof(why)) ||
		    (sa->state == QM_IDLE &&
		     policy_reload_identity_change(new, &sa->peer, &sa->ident, why, sizeof(why)))) {
			klog(KLOG_INFO, "ISAKMP: deleting SA C-id %u with %s after reload: %s",
			     sa->conn_id, dm_addr_fmt(&sa->peer, peer, sizeof(peer)), why);
			if (sa->state == QM_IDLE)
				ikev1_send_delete_p1(ctx, sa);
			ike_sa_delete(ctx, sa, "config reload");
			n++;
		}
		sa = next;
	}
	/* a key or policy that failed may be fixed now */
	ikev1_holddown_clear(ctx, NULL);
	return n;
}

void ikev1_state_write(const struct ikev1_ctx *ctx, const char *ifname, FILE *f)
{
	for (const struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		struct dm_ike_sa_state st;
		char line[512];

		memset(&st, 0, sizeof(st));
		snprintf(st.ifname, sizeof(st.ifname), "%s", ifname);
		st.conn_id = sa->conn_id;
		st.local = sa->local;
		st.remote = sa->peer;
		st.lport = sa->local_port;
		st.rport = sa->peer_port;
		snprintf(st.state, sizeof(st.state), "%s", ike_sa_state_name(sa));
		st.initiator = sa->initiator;
		if (sa->state >= MM_SA_SETUP) {
			if (sa->chosen.enc == OAKLEY_AES)
				snprintf(st.encr, sizeof(st.encr), "aes:%u", sa->chosen.key_bits);
			else
				snprintf(st.encr, sizeof(st.encr), "3des");
			switch (sa->chosen.hash) {
			case OAKLEY_MD5: snprintf(st.hash, sizeof(st.hash), "md5"); break;
			case OAKLEY_SHA1: snprintf(st.hash, sizeof(st.hash), "sha"); break;
			case OAKLEY_SHA256: snprintf(st.hash, sizeof(st.hash), "sha256"); break;
			case OAKLEY_SHA384: snprintf(st.hash, sizeof(st.hash), "sha384"); break;
			default: snprintf(st.hash, sizeof(st.hash), "sha512"); break;
			}
			st.dh = sa->chosen.group;
		}
		if (sa->state == QM_IDLE && sa->expire_ms > ctx->now_ms)
			st.life_left = (uint32_t)((sa->expire_ms - ctx->now_ms) / 1000);
		st.nat = sa->nat_local || sa->nat_peer;
		st.dpd = sa->peer_dpd && ctx->cfg->dpd_interval;
		for (size_t i = 0; i < ctx->nchildren; i++)
			st.children += ikev1_child_of(sa, &ctx->children[i]);
		if (!dm_ikestate_format(&st, line, sizeof(line)))
			fprintf(f, "%s\n", line);
	}
	for (size_t i = 0; i < ctx->nchildren; i++) {
		const struct child_sa *c = &ctx->children[i];
		struct dm_ike_child_state st = { .peer = c->peer, .spi_in = c->spi_in,
						 .spi_out = c->spi_out,
						 .local_id = c->local_id,
						 .remote_id = c->remote_id };
		char line[512];

		snprintf(st.ifname, sizeof(st.ifname), "%s", ifname);
		if (c->local_id.kind && !dm_ikestate_format_child(&st, line, sizeof(line)))
			fprintf(f, "%s\n", line);
	}
	peer_failures_write(&ctx->failures, ifname, f);
}
