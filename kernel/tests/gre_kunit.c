// SPDX-License-Identifier: GPL-2.0
/* KUnit: GRE header build and parse (gre.c). */
#include <kunit/test.h>
#include <linux/if_ether.h>

#include "../gre.h"

static void gre_roundtrip_plain(struct kunit *test)
{
	struct dmvpn_gre_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];

	KUNIT_ASSERT_EQ(test, dmvpn_gre_hlen(false, false), 4U);
	dmvpn_gre_build(buf, htons(ETH_P_IP), false, false, 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	KUNIT_EXPECT_EQ(test, buf[1], 0);
	KUNIT_EXPECT_EQ(test, buf[2], 0x08);
	KUNIT_EXPECT_EQ(test, buf[3], 0x00);
	KUNIT_ASSERT_EQ(test, dmvpn_gre_parse(buf, 4, &info), DMVPN_GRE_OK);
	KUNIT_EXPECT_EQ(test, info.hlen, 4U);
	KUNIT_EXPECT_FALSE(test, info.key_present);
	KUNIT_EXPECT_FALSE(test, info.csum_present);
	KUNIT_EXPECT_EQ(test, ntohs(info.protocol), ETH_P_IP);
}

static void gre_roundtrip_key_edges(struct kunit *test)
{
	static const u32 keys[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };
	struct dmvpn_gre_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];
	int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		dmvpn_gre_build(buf, htons(ETH_P_IPV6), false, true, keys[i]);
		KUNIT_EXPECT_EQ(test, buf[0], 0x20);	/* K bit only */
		KUNIT_ASSERT_EQ(test, dmvpn_gre_parse(buf, 8, &info), DMVPN_GRE_OK);
		KUNIT_EXPECT_TRUE(test, info.key_present);
		KUNIT_EXPECT_EQ(test, info.key, keys[i]);
		KUNIT_EXPECT_EQ(test, info.hlen, 8U);
		KUNIT_EXPECT_EQ(test, ntohs(info.protocol), ETH_P_IPV6);
	}
}

/* Checksum, key and sequence together: the largest header, 16 bytes. */
static void gre_parse_all_options(struct kunit *test)
{
	static const u8 pkt[] = { 0xb0, 0x00, 0x08, 0x00,	/* C K S */
				  0x12, 0x34, 0x00, 0x00,	/* csum */
				  0xde, 0xad, 0xbe, 0xef,	/* key */
				  0x00, 0x00, 0x00, 0x2a };	/* seq */
	struct dmvpn_gre_info info;

	KUNIT_ASSERT_EQ(test, dmvpn_gre_parse(pkt, sizeof(pkt), &info),
			DMVPN_GRE_OK);
	KUNIT_EXPECT_EQ(test, info.hlen, (unsigned int)DMVPN_GRE_MAX_HLEN);
	KUNIT_EXPECT_TRUE(test, info.csum_present);
	KUNIT_EXPECT_TRUE(test, info.seq_present);
	KUNIT_EXPECT_EQ(test, info.key, 0xdeadbeefU);
	KUNIT_EXPECT_EQ(test, info.seq, 42U);
	/* One byte short of what the flags announce. */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, sizeof(pkt) - 1, &info),
			DMVPN_GRE_ERR_TRUNCATED);
}

static void gre_parse_truncated(struct kunit *test)
{
	static const u8 keyed[] = { 0x20, 0x00, 0x08, 0x00, 0, 0, 0, 1 };
	struct dmvpn_gre_info info;
	unsigned int len;

	for (len = 0; len < 4; len++)
		KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(keyed, len, &info),
				DMVPN_GRE_ERR_TRUNCATED);
	for (len = 4; len < sizeof(keyed); len++)
		KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(keyed, len, &info),
				DMVPN_GRE_ERR_TRUNCATED);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(keyed, sizeof(keyed), &info),
			DMVPN_GRE_OK);
}

static void gre_parse_rejects_flags(struct kunit *test)
{
	struct dmvpn_gre_info info;
	u8 pkt[8] = { 0, 0, 0x08, 0x00 };

	pkt[1] = 0x01;			/* version 1 (PPTP) */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 4, &info), DMVPN_GRE_ERR_VERSION);
	pkt[1] = 0x07;			/* version 7 */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 4, &info), DMVPN_GRE_ERR_VERSION);
	pkt[1] = 0;
	pkt[0] = 0x40;			/* routing present */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 8, &info), DMVPN_GRE_ERR_FLAGS);
	pkt[0] = 0x08;			/* strict source route */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 8, &info), DMVPN_GRE_ERR_FLAGS);
	pkt[0] = 0x01;			/* recursion control */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 8, &info), DMVPN_GRE_ERR_FLAGS);
	/* Reserved bits 6-12 must be ignored on receipt (RFC 2784). */
	pkt[0] = 0x00;
	pkt[1] = 0xf8;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(pkt, 4, &info), DMVPN_GRE_OK);
}

static void gre_build_csum_leaves_room(struct kunit *test)
{
	struct dmvpn_gre_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];

	memset(buf, 0xaa, sizeof(buf));
	KUNIT_ASSERT_EQ(test, dmvpn_gre_hlen(true, true), 12U);
	dmvpn_gre_build(buf, htons(ETH_P_IP), true, true, 7);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa0);
	KUNIT_EXPECT_EQ(test, buf[4], 0);	/* checksum zeroed */
	KUNIT_EXPECT_EQ(test, buf[7], 0);	/* reserved1 zeroed */
	KUNIT_ASSERT_EQ(test, dmvpn_gre_parse(buf, 12, &info), DMVPN_GRE_OK);
	KUNIT_EXPECT_EQ(test, info.key, 7U);
	KUNIT_EXPECT_EQ(test, buf[12], 0xaa);	/* nothing written past it */
}

static struct kunit_case dmvpn_gre_cases[] = {
	KUNIT_CASE(gre_roundtrip_plain),
	KUNIT_CASE(gre_roundtrip_key_edges),
	KUNIT_CASE(gre_parse_all_options),
	KUNIT_CASE(gre_parse_truncated),
	KUNIT_CASE(gre_parse_rejects_flags),
	KUNIT_CASE(gre_build_csum_leaves_room),
	{}
};

static struct kunit_suite dmvpn_gre_suite = {
	.name = "dmvpn-gre",
	.test_cases = dmvpn_gre_cases,
};

kunit_test_suite(dmvpn_gre_suite);
