// SPDX-License-Identifier: GPL-2.0
/*
 * ESP anti-replay window and outbound sequence numbers; see replay.h.
 * No sk_buffs here, so KUnit drives every path (tests/replay_kunit.c).
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "replay.h"

#define DMVPN_REPLAY_WORD_SHIFT	6	/* 64 bits per ring word */

static u32 dmvpn_replay_ring_words(u32 window)
{
	if (!window)
		return 0;
	/* +1: the word a new top moves into may share nothing with the
	 * words still inside the window.
	 */
	return roundup_pow_of_two(DIV_ROUND_UP(window, 64) + 1);
}

/*
 * Returns the window, or an ERR_PTR: -EINVAL if @window is larger than
 * DMVPN_REPLAY_WINDOW_MAX, -ENOMEM.
 */
struct dmvpn_replay *dmvpn_replay_alloc(u32 window, bool esn, gfp_t gfp)
{
	struct dmvpn_replay *r;
	u32 words;

	if (window > DMVPN_REPLAY_WINDOW_MAX)
		return ERR_PTR(-EINVAL);
	words = dmvpn_replay_ring_words(window);
	r = kzalloc(struct_size(r, ring, words), gfp);
	if (!r)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&r->lock);
	r->window = window;
	r->ring_mask = words ? words - 1 : 0;
	r->esn = esn;
	return r;
}

void dmvpn_replay_free(struct dmvpn_replay *r)
{
	kfree(r);
}

/*
 * RFC 4303 Appendix A2.2: the 64-bit number whose low half is @seq_lo,
 * given the highest number accepted so far (@top) and the window size.
 * The appendix spells it out as two cases (window inside one 2^32
 * subspace, or straddling two); both say the same thing: the answer is the
 * one candidate in [bottom, bottom + 2^32), where bottom = top - window + 1
 * is the left edge of the window.  Numbers below the window are taken to
 * be from the next subspace, numbers in it from the current one.  Before
 * the window has filled (top < window - 1) the left edge is 0: there is no
 * subspace below the first.
 *
 * With anti-replay off (@window 0) no window exists; we then use half the
 * subspace, which picks whichever candidate is nearest to top and so
 * tolerates reordering by up to 2^31 packets either way.
 */
u64 dmvpn_replay_infer(u64 top, u32 window, u32 seq_lo)
{
	u64 w = window ? window : 1ULL << 31;
	u64 bottom = top >= w - 1 ? top - w + 1 : 0;
	u64 seq = (bottom & ~(u64)U32_MAX) | seq_lo;

	if (seq < bottom)
		seq += 1ULL << 32;	/* wraps only past 2^64: ICV fails */
	return seq;
}

static u64 *dmvpn_replay_word(const struct dmvpn_replay *r, u64 seq)
{
	return (u64 *)&r->ring[(seq >> DMVPN_REPLAY_WORD_SHIFT) & r->ring_mask];
}

static enum dmvpn_replay_verdict
dmvpn_replay_test(const struct dmvpn_replay *r, u64 top, u64 seq)
{
	/* Number 0 is never sent (RFC 4303 3.3.3): the first packet is 1. */
	if (unlikely(!seq))
		return DMVPN_REPLAY_REPLAYED;
	if (likely(seq > top) || !r->window)
		return DMVPN_REPLAY_OK;
	if (top - seq >= r->window)
		return DMVPN_REPLAY_TOO_OLD;
	if (READ_ONCE(*dmvpn_replay_word(r, seq)) & BIT_ULL(seq & 63))
		return DMVPN_REPLAY_REPLAYED;
	return DMVPN_REPLAY_OK;
}

/*
 * Before decryption: may a packet carrying @seq_lo be accepted?  Sets
 * *@seq to the full sequence number (inferred with ESN, else @seq_lo),
 * which the caller needs for the AAD and passes to dmvpn_replay_advance().
 * Lockless: the answer may be stale by the time the ICV is checked, which
 * is why dmvpn_replay_advance() decides again.
 */
enum dmvpn_replay_verdict dmvpn_replay_check(const struct dmvpn_replay *r,
					     u32 seq_lo, u64 *seq)
{
	u64 top = READ_ONCE(r->top);

	*seq = r->esn ? dmvpn_replay_infer(top, r->window, seq_lo) : seq_lo;
	return dmvpn_replay_test(r, top, *seq);
}

/* Clear the words between the old top's and @new_top's, both excluded. */
static void dmvpn_replay_slide(struct dmvpn_replay *r, u64 new_top)
{
	u64 word = r->top >> DMVPN_REPLAY_WORD_SHIFT;
	u64 n = (new_top >> DMVPN_REPLAY_WORD_SHIFT) - word;

	/* A jump of a whole ring or more clears every word once. */
	if (n > (u64)r->ring_mask + 1)
		n = (u64)r->ring_mask + 1;
	while (n--) {
		word++;
		WRITE_ONCE(r->ring[word & r->ring_mask], 0);
	}
}

/*
 * After the ICV of packet @seq verified: record it.  Returns what
 * dmvpn_replay_check() would say now; only on DMVPN_REPLAY_OK was the
 * packet recorded and may it be delivered.  Process or softirq context.
 */
enum dmvpn_replay_verdict dmvpn_replay_advance(struct dmvpn_replay *r,
					       u64 seq)
{
	enum dmvpn_replay_verdict v;
	u64 *word;

	spin_lock_bh(&r->lock);
	v = dmvpn_replay_test(r, r->top, seq);
	if (v != DMVPN_REPLAY_OK)
		goto out;
	if (r->window) {
		if (seq > r->top)
			dmvpn_replay_slide(r, seq);
		word = dmvpn_replay_word(r, seq);
		WRITE_ONCE(*word, *word | BIT_ULL(seq & 63));
	}
	if (seq > r->top)
		WRITE_ONCE(r->top, seq);
out:
	spin_unlock_bh(&r->lock);
	return v;
}

void dmvpn_seq_out_init(struct dmvpn_seq_out *s, bool esn)
{
	atomic64_set(&s->last, 0);
	s->limit = esn ? U64_MAX : U32_MAX;
}

/*
 * Take the next outbound sequence number.  Returns -EOVERFLOW once the
 * SA's numbers are used up (2^32 - 1 packets without ESN, 2^64 - 1 with):
 * the packet must be dropped and the SA rekeyed, as RFC 4303 3.3.3
 * requires.  The counter stays at the limit, so every later call fails
 * too.  Never blocks; any context.
 */
int dmvpn_seq_out_next(struct dmvpn_seq_out *s, u64 *seq)
{
	s64 last = atomic64_read(&s->last);

	do {
		if (unlikely((u64)last >= s->limit))
			return -EOVERFLOW;
	} while (!atomic64_try_cmpxchg(&s->last, &last,
				       (s64)((u64)last + 1)));
	*seq = (u64)last + 1;
	return 0;
}
