/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP sequence numbers (RFC 4303 sections 2.2, 3.3.3 and 3.4.3, with the
 * extended sequence numbers of Appendix A).
 *
 * Receive side: the anti-replay window.  It is used in two steps, as
 * net/ipv4/esp4.c does with xfrm: dmvpn_replay_check() before decryption
 * is a lockless early reject of duplicates and stale packets (and with ESN
 * infers the high half of the sequence number, which the AAD needs), and
 * dmvpn_replay_advance() after the ICV verified takes the lock, checks
 * again (another CPU may have accepted the same number while we were
 * decrypting) and records the packet.  Only authenticated packets may
 * move the window, otherwise a forged high sequence number would stall
 * the SA.
 *
 * Send side: dmvpn_seq_out_next() hands out numbers from 1, and refuses to
 * wrap: without ESN the 32-bit counter must never cycle (the SA has to be
 * rekeyed first), with ESN neither may the 64-bit one.
 */
#ifndef _DMVPN_REPLAY_H
#define _DMVPN_REPLAY_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Largest window we accept, in packets (xfrm allows the same). */
#define DMVPN_REPLAY_WINDOW_MAX	4096

enum dmvpn_replay_verdict {
	DMVPN_REPLAY_OK = 0,
	DMVPN_REPLAY_REPLAYED,	/* inside the window and already received */
	DMVPN_REPLAY_TOO_OLD,	/* left of the window: cannot tell, drop */
};

/*
 * The window covers the @window sequence numbers top - window + 1 .. top.
 * Received numbers are bits in a ring of 64-bit words, indexed by
 * seq / 64 modulo the ring size, so sliding the window clears whole words
 * and never shifts.  The ring holds one word more than the window needs,
 * rounded up to a power of two: the word being cleared for a new top
 * never holds a bit still inside the window, and the index is a mask.
 */
struct dmvpn_replay {
	spinlock_t lock;	/* serialises dmvpn_replay_advance() */
	u64 top;		/* highest number accepted; 0 before any */
	u32 window;		/* packets; 0: anti-replay off */
	u32 ring_mask;		/* ring words - 1; unused when window is 0 */
	bool esn;		/* 64-bit numbers, 32 of them on the wire */
	u64 ring[];		/* READ_ONCE outside the lock */
};

struct dmvpn_replay *dmvpn_replay_alloc(u32 window, bool esn, gfp_t gfp);
void dmvpn_replay_free(struct dmvpn_replay *r);
u64 dmvpn_replay_infer(u64 top, u32 window, u32 seq_lo);
enum dmvpn_replay_verdict dmvpn_replay_check(const struct dmvpn_replay *r,
					     u32 seq_lo, u64 *seq);
enum dmvpn_replay_verdict dmvpn_replay_advance(struct dmvpn_replay *r,
					       u64 seq);

static inline u64 dmvpn_replay_top(const struct dmvpn_replay *r)
{
	return READ_ONCE(r->top);
}

/* Outbound sequence numbers of one SA. */
struct dmvpn_seq_out {
	atomic64_t last;	/* last number handed out, 0: none yet */
	u64 limit;		/* last number that may be used */
};

void dmvpn_seq_out_init(struct dmvpn_seq_out *s, bool esn);
int dmvpn_seq_out_next(struct dmvpn_seq_out *s, u64 *seq);

/*
 * Numbers left before dmvpn_seq_out_next() fails: the packet path can ask
 * IKE for a rekey (a soft expiry) well before the hard stop.
 */
static inline u64 dmvpn_seq_out_left(const struct dmvpn_seq_out *s)
{
	return s->limit - (u64)atomic64_read(&s->last);
}

#endif /* _DMVPN_REPLAY_H */
