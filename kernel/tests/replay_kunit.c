// SPDX-License-Identifier: GPL-2.0
/* KUnit: ESP anti-replay window and outbound sequence numbers (replay.c). */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/kthread.h>

#include "../replay.h"

static struct dmvpn_replay *replay_new(struct kunit *test, u32 window,
				       bool esn)
{
	struct dmvpn_replay *r = dmvpn_replay_alloc(window, esn, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	return r;
}

/* check then advance, as the receive path does around decryption. */
static enum dmvpn_replay_verdict replay_rx(struct dmvpn_replay *r, u32 seq_lo)
{
	enum dmvpn_replay_verdict v;
	u64 seq;

	v = dmvpn_replay_check(r, seq_lo, &seq);
	if (v != DMVPN_REPLAY_OK)
		return v;
	return dmvpn_replay_advance(r, seq);
}

static void replay_in_order(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, false);
	u32 i;

	for (i = 1; i <= 300; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), 300ULL);
	dmvpn_replay_free(r);
}

static void replay_duplicates(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, false);
	u64 seq;
	u32 i;

	for (i = 1; i <= 10; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	for (i = 1; i <= 10; i++) {
		KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, i, &seq),
				DMVPN_REPLAY_REPLAYED);
		KUNIT_EXPECT_EQ(test, seq, (u64)i);
		/* A duplicate that got past check still loses in advance. */
		KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, i),
				DMVPN_REPLAY_REPLAYED);
	}
	/* Sequence number 0 is never sent. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0, &seq),
			DMVPN_REPLAY_REPLAYED);
	dmvpn_replay_free(r);
}

/* Two packets decrypted in parallel: check passes for both, one wins. */
static void replay_check_is_not_final(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, false);
	u64 a, b;

	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 7, &a), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 7, &b), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, a), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, b), DMVPN_REPLAY_REPLAYED);
	/* Same for one that the window left behind meanwhile. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 5, &a), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 1000), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, a), DMVPN_REPLAY_TOO_OLD);
	dmvpn_replay_free(r);
}

static void replay_out_of_order(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, false);
	u32 i;

	KUNIT_EXPECT_EQ(test, replay_rx(r, 100), DMVPN_REPLAY_OK);
	for (i = 99; i >= 37; i -= 2)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	for (i = 98; i >= 38; i -= 2)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	for (i = 37; i <= 100; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), 100ULL);
	dmvpn_replay_free(r);
}

/* The window holds exactly @window numbers: top - window + 1 .. top. */
static void replay_window_edge(struct kunit *test)
{
	static const u32 windows[] = { 1, 2, 63, 64, 65, 128, 1000, 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		u32 w = windows[i], top = 10000;
		struct dmvpn_replay *r = replay_new(test, w, false);
		u64 seq;

		KUNIT_EXPECT_EQ(test, replay_rx(r, top), DMVPN_REPLAY_OK);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_replay_check(r, top - w, &seq),
				    DMVPN_REPLAY_TOO_OLD, "window %u", w);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_replay_advance(r, top - w),
				    DMVPN_REPLAY_TOO_OLD, "window %u", w);
		if (w > 1)
			KUNIT_EXPECT_EQ_MSG(test, replay_rx(r, top - w + 1),
					    DMVPN_REPLAY_OK, "window %u", w);
		KUNIT_EXPECT_EQ_MSG(test, replay_rx(r, top),
				    DMVPN_REPLAY_REPLAYED, "window %u", w);
		KUNIT_EXPECT_EQ_MSG(test, replay_rx(r, top + 1),
				    DMVPN_REPLAY_OK, "window %u", w);
		/* The window moved by one: the old edge fell out. */
		KUNIT_EXPECT_EQ_MSG(test, replay_rx(r, top - w + 1),
				    DMVPN_REPLAY_TOO_OLD, "window %u", w);
		dmvpn_replay_free(r);
	}
}

/* Jumps of a word, a ring and far more must not leave stale bits. */
static void replay_big_jumps(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, false);
	u32 i, top;

	for (i = 1; i <= 128; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	/* 64 + 128 * k aliases the words of 1..128 in a two-word ring. */
	top = 128 + 128 * 3;
	KUNIT_EXPECT_EQ(test, replay_rx(r, top), DMVPN_REPLAY_OK);
	for (i = top - 63; i < top; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 128), DMVPN_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 3000000000U), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 2999999937U), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 2999999936U), DMVPN_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 2999999999U), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, top), DMVPN_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, replay_rx(r, U32_MAX), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), (u64)U32_MAX);
	dmvpn_replay_free(r);
}

/*
 * Against a reference model (a plain bitmap of everything received):
 * pseudo-random forward jumps and late arrivals, for several sizes.
 */
#define MODEL_MAX	BIT(21)

static void replay_model_one(struct kunit *test, u32 w, unsigned long *seen)
{
	struct dmvpn_replay *r = replay_new(test, w, false);
	u32 state = 0x12345678 ^ w, top = 0, i, seq, step;
	enum dmvpn_replay_verdict want, got;

	bitmap_zero(seen, MODEL_MAX);
	for (i = 0; i < 3000; i++) {
		state = state * 1103515245 + 12345;
		step = state >> 8;
		if ((state >> 28) % 3 == 0 && top)	/* late, to 1.5 windows */
			seq = top - min(top, step % (w * 3 / 2 + 3));
		else if ((state >> 24) % 8 == 0)	/* jump, to 3 windows */
			seq = top + 1 + step % (w * 3 + 1);
		else					/* next few */
			seq = top + 1 + step % 4;
		if (seq >= MODEL_MAX)
			break;
		if (!seq)
			want = DMVPN_REPLAY_REPLAYED;
		else if (seq > top)
			want = DMVPN_REPLAY_OK;
		else if (top - seq >= w)
			want = DMVPN_REPLAY_TOO_OLD;
		else if (test_bit(seq, seen))
			want = DMVPN_REPLAY_REPLAYED;
		else
			want = DMVPN_REPLAY_OK;
		got = replay_rx(r, seq);
		KUNIT_ASSERT_EQ_MSG(test, got, want, "window %u seq %u top %u",
				    w, seq, top);
		if (got == DMVPN_REPLAY_OK) {
			__set_bit(seq, seen);
			top = max(top, seq);
		}
	}
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), (u64)top);
	dmvpn_replay_free(r);
}

static void replay_against_model(struct kunit *test)
{
	static const u32 windows[] = { 1, 2, 3, 31, 64, 65, 127, 200, 4096 };
	unsigned long *seen;
	unsigned int i;

	seen = kunit_kcalloc(test, BITS_TO_LONGS(MODEL_MAX), sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < ARRAY_SIZE(windows); i++)
		replay_model_one(test, windows[i], seen);
}

static void replay_window_sizes(struct kunit *test)
{
	struct dmvpn_replay *r;
	u32 i;

	KUNIT_EXPECT_EQ(test, PTR_ERR(dmvpn_replay_alloc(DMVPN_REPLAY_WINDOW_MAX + 1,
							 false, GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dmvpn_replay_alloc(U32_MAX, true,
							 GFP_KERNEL)),
			-EINVAL);

	/* 1: only numbers above the top. */
	r = replay_new(test, 1, false);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 5), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 5), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 4), DMVPN_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 6), DMVPN_REPLAY_OK);
	dmvpn_replay_free(r);

	/* 4096: the largest, every number of a full window once. */
	r = replay_new(test, 4096, false);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 5000), DMVPN_REPLAY_OK);
	for (i = 905; i < 5000; i++)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_OK);
	for (i = 905; i <= 5000; i += 97)
		KUNIT_EXPECT_EQ(test, replay_rx(r, i), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 904), DMVPN_REPLAY_TOO_OLD);
	dmvpn_replay_free(r);
}

/* Window 0: no anti-replay, but the top is still tracked. */
static void replay_disabled(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 0, false);
	u64 seq;

	KUNIT_EXPECT_EQ(test, replay_rx(r, 10), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 10), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 1), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 1000000), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 2), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), 1000000ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0, &seq),
			DMVPN_REPLAY_REPLAYED);
	dmvpn_replay_free(r);

	/* With ESN it infers the nearest candidate to the top. */
	r = replay_new(test, 0, true);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0xfffffff0), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 5, &seq), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0x100000005ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, seq), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0xffffff00, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0xffffff00ULL);	/* late, not next */
	/* Half a subspace back from the top 0x100000005 and no further. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0x80000006, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0x80000006ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0x80000005, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0x180000005ULL);
	dmvpn_replay_free(r);
}

/* RFC 4303 Appendix A2.2, both cases, and the first subspace. */
static void replay_esn_infer(struct kunit *test)
{
	static const struct {
		u64 top;
		u32 window, lo;
		u64 want;
	} v[] = {
		/* Case A: window within one subspace (Tl >= W - 1). */
		{ 0x500000100ULL, 64, 0x100, 0x500000100ULL },
		{ 0x500000100ULL, 64, 0xc1, 0x5000000c1ULL },	/* edge */
		{ 0x500000100ULL, 64, 0xc0, 0x6000000c0ULL },	/* below */
		{ 0x500000100ULL, 64, 0x101, 0x500000101ULL },
		{ 0x500000100ULL, 64, 0xffffffff, 0x5ffffffffULL },
		{ 0x50000003fULL, 64, 0, 0x500000000ULL },	/* Tl = W - 1 */
		/* Case B: window straddles two subspaces (Tl < W - 1). */
		{ 0x500000010ULL, 64, 0xffffffd1, 0x4ffffffd1ULL },
		{ 0x500000010ULL, 64, 0xffffffd0, 0x5ffffffd0ULL },
		{ 0x500000010ULL, 64, 0x5, 0x500000005ULL },
		{ 0x500000010ULL, 64, 0x11, 0x500000011ULL },
		/* Before the first window filled: no subspace below. */
		{ 0x10, 64, 0xfffffff0, 0xfffffff0ULL },
		{ 0, 64, 0, 0 },
		{ 0, 4096, 1, 1 },
		/* Window 1: everything not above the top is the future. */
		{ 0x200000005ULL, 1, 5, 0x200000005ULL },
		{ 0x200000005ULL, 1, 4, 0x300000004ULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_replay_infer(v[i].top, v[i].window,
							     v[i].lo),
				    v[i].want, "vector %u", i);
}

/* seq_lo wraps from 0xffffffff to 0; late packets from before the wrap. */
static void replay_esn_wrap(struct kunit *test)
{
	struct dmvpn_replay *r = replay_new(test, 64, true);
	u64 seq;
	u32 i;

	for (i = 0xfffffff0; i != 0x10; i++) {
		if (i == 0xfffffff8 || i == 0xfffffffe || i == 2)
			continue;	/* delivered late below */
		KUNIT_ASSERT_EQ(test, dmvpn_replay_check(r, i, &seq),
				DMVPN_REPLAY_OK);
		KUNIT_EXPECT_EQ(test, seq >> 32, i >= 0xfffffff0 ? 0ULL : 1ULL);
		KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, seq),
				DMVPN_REPLAY_OK);
	}
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), 0x10000000fULL);

	/* Late, from before the wrap: same subspace as the window's left. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0xfffffff8, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0xfffffff8ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_advance(r, seq), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0xfffffffe), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 2), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0xfffffff8), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0xffffffff), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0, &seq),
			DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, seq, 0x100000000ULL);

	/* Below the window: inferred to be 2^32 ahead, where the ICV fails. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0xffffff00, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0x1ffffff00ULL);
	/* And the window's own left edge in the old subspace. */
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0xffffffd0, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0xffffffd0ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_check(r, 0xffffffcf, &seq),
			DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0x1ffffffcfULL);
	dmvpn_replay_free(r);

	/* Without ESN there is nothing after 0xffffffff. */
	r = replay_new(test, 64, false);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0xffffffff), DMVPN_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 0), DMVPN_REPLAY_REPLAYED);
	KUNIT_EXPECT_EQ(test, replay_rx(r, 1), DMVPN_REPLAY_TOO_OLD);
	dmvpn_replay_free(r);
}

static void replay_seq_out(struct kunit *test)
{
	struct dmvpn_seq_out s;
	u64 seq = 0;

	dmvpn_seq_out_init(&s, false);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_left(&s), (u64)U32_MAX);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), 0);
	KUNIT_EXPECT_EQ(test, seq, 1ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), 0);
	KUNIT_EXPECT_EQ(test, seq, 2ULL);

	/* Without ESN: 2^32 - 1 is the last number, then refuse. */
	atomic64_set(&s.last, U32_MAX - 1);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), 0);
	KUNIT_EXPECT_EQ(test, seq, (u64)U32_MAX);
	seq = 0;
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_left(&s), 0ULL);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, seq, 0ULL);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&s.last), (u64)U32_MAX);

	/* With ESN the count goes on past 2^32 ... */
	dmvpn_seq_out_init(&s, true);
	atomic64_set(&s.last, U32_MAX);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), 0);
	KUNIT_EXPECT_EQ(test, seq, 1ULL << 32);
	/* ... and stops before 2^64 would wrap to 0. */
	atomic64_set(&s.last, (s64)(U64_MAX - 1));
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), 0);
	KUNIT_EXPECT_EQ(test, seq, U64_MAX);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, dmvpn_seq_out_next(&s, &seq), -EOVERFLOW);
}

/*
 * Two threads deliver the same packets 1..N, as two CPUs decrypting
 * duplicates would: every number must be accepted exactly once.
 */
#define RACE_N	20000

struct replay_race {
	struct dmvpn_replay *r;
	struct completion done;
	atomic_t accepted;
};

static int replay_race_fn(void *arg)
{
	struct replay_race *race = arg;
	u32 i;

	for (i = 1; i <= RACE_N; i++) {
		u64 seq;

		if (dmvpn_replay_check(race->r, i, &seq) == DMVPN_REPLAY_OK &&
		    dmvpn_replay_advance(race->r, seq) == DMVPN_REPLAY_OK)
			atomic_inc(&race->accepted);
		if (!(i & 255))
			cond_resched();
	}
	complete(&race->done);
	return 0;
}

static void replay_concurrent(struct kunit *test)
{
	struct replay_race race[2];
	struct task_struct *t[2];
	/* Without ESN: a lagging thread's numbers would otherwise be
	 * inferred into the next subspace, which only the ICV can refuse.
	 */
	struct dmvpn_replay *r = replay_new(test, 128, false);
	int i, total = 0;

	for (i = 0; i < 2; i++) {
		race[i].r = r;
		init_completion(&race[i].done);
		atomic_set(&race[i].accepted, 0);
	}
	for (i = 0; i < 2; i++) {
		t[i] = kthread_run(replay_race_fn, &race[i], "dmvpn-replay%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&race[i].done);
		total += atomic_read(&race[i].accepted);
	}
	/* Whichever thread records a number first finds it above the top
	 * (both go in order), so each is accepted exactly once.
	 */
	KUNIT_EXPECT_EQ(test, total, RACE_N);
	KUNIT_EXPECT_EQ(test, dmvpn_replay_top(r), (u64)RACE_N);
	dmvpn_replay_free(r);
}

static struct kunit_case dmvpn_replay_cases[] = {
	KUNIT_CASE(replay_in_order),
	KUNIT_CASE(replay_duplicates),
	KUNIT_CASE(replay_check_is_not_final),
	KUNIT_CASE(replay_out_of_order),
	KUNIT_CASE(replay_window_edge),
	KUNIT_CASE(replay_big_jumps),
	KUNIT_CASE(replay_against_model),
	KUNIT_CASE(replay_window_sizes),
	KUNIT_CASE(replay_disabled),
	KUNIT_CASE(replay_esn_infer),
	KUNIT_CASE(replay_esn_wrap),
	KUNIT_CASE(replay_seq_out),
	KUNIT_CASE(replay_concurrent),
	{}
};

static struct kunit_suite dmvpn_replay_suite = {
	.name = "dmvpn-replay",
	.test_cases = dmvpn_replay_cases,
};

kunit_test_suite(dmvpn_replay_suite);
