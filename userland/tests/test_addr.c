// SPDX-License-Identifier: GPL-2.0-only
/* Address/prefix parsing, IOS time formatting, enum names. */
#include <stdint.h>

#include <linux/dmvpn.h>

#include "../lib/addr.h"
#include "../lib/iostime.h"
#include "../lib/names.h"
#include "unit.h"

static void ipv4_ok(void)
{
	struct dm_addr a;
	char b[DM_ADDR_STRLEN];

	CHECK_INT(dm_addr_parse("10.1.1.254", &a), 0);
	CHECK_INT(a.family, AF_INET);
	CHECK_INT(a.len, 4);
	CHECK(a.bytes[0] == 10 && a.bytes[3] == 254);
	CHECK_STR(dm_addr_fmt(&a, b, sizeof(b)), "10.1.1.254");
	CHECK_INT(dm_addr_parse("0.0.0.0", &a), 0);
	CHECK_INT(dm_addr_parse("255.255.255.255", &a), 0);
}

static void ipv4_bad_octets(void)
{
	static const char *const bad[] = {
		"256.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1..2.3",
		"1.2.3.-4", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d",
		"", "1.2.3.4/", "0x1.2.3.4", "1.2.3.4\n", "999999999999",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dm_addr a;

		if (dm_addr_parse(bad[i], &a) != -1)
			dm_t_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
		CHECK_INT(a.family, 0);
	}
	CHECK_INT(dm_addr_parse(NULL, &(struct dm_addr){ 0 }), -1);
}

static void ipv6_ok(void)
{
	struct dm_addr a;
	char b[DM_ADDR_STRLEN];

	CHECK_INT(dm_addr_parse("2001:db8:0:0:0:0:0:1", &a), 0);
	CHECK_INT(a.family, AF_INET6);
	CHECK_INT(a.len, 16);
	CHECK_STR(dm_addr_fmt(&a, b, sizeof(b)), "2001:db8::1");
	CHECK_INT(dm_addr_parse("::", &a), 0);
	CHECK_INT(dm_addr_parse("::ffff:10.1.1.1", &a), 0);
	CHECK_INT(a.family, AF_INET6);
	CHECK_INT(dm_addr_parse("fe80::1%eth0", &a), -1);	/* no scopes */
	CHECK_INT(dm_addr_parse("2001:db8::1::2", &a), -1);
	CHECK_INT(dm_addr_parse("2001:db8:::1", &a), -1);
	CHECK_INT(dm_addr_parse("12345::1", &a), -1);
	CHECK_INT(dm_addr_parse("[2001:db8::1]", &a), -1);
}

static void prefix_edges(void)
{
	struct dm_addr a;
	uint8_t plen;
	bool has;

	CHECK_INT(dm_prefix_parse("10.1.1.1", &a, &plen, &has), 0);
	CHECK(!has);
	CHECK_INT(plen, 32);
	CHECK_INT(dm_prefix_parse("10.1.1.0/24", &a, &plen, &has), 0);
	CHECK(has);
	CHECK_INT(plen, 24);
	CHECK_INT(dm_prefix_parse("10.1.1.1/32", &a, &plen, &has), 0);
	CHECK_INT(plen, 32);
	CHECK_INT(dm_prefix_parse("0.0.0.0/0", &a, &plen, &has), 0);
	CHECK_INT(plen, 0);
	CHECK_INT(dm_prefix_parse("10.1.1.1/33", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/-1", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/+8", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/ 8", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/8x", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/0x8", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/0032", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/4294967328", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.1/24/8", &a, &plen, &has), -2);
	CHECK_INT(dm_prefix_parse("10.1.1.256/24", &a, &plen, &has), -1);
	CHECK_INT(dm_prefix_parse("/24", &a, &plen, &has), -1);
	CHECK_INT(dm_prefix_parse("2001:db8::/128", &a, &plen, &has), 0);
	CHECK_INT(plen, 128);
	CHECK_INT(dm_prefix_parse("2001:db8::1", &a, &plen, &has), 0);
	CHECK(!has);
	CHECK_INT(plen, 128);
	CHECK_INT(dm_prefix_parse("2001:db8::/64", &a, &plen, &has), 0);
	CHECK_INT(plen, 64);
	CHECK_INT(dm_prefix_parse("2001:db8::/129", &a, &plen, &has), -2);
	/* a v6 length on a v4 address is out of range, not "mixed" */
	CHECK_INT(dm_prefix_parse("10.0.0.0/64", &a, &plen, &has), -2);
}

static void addr_binary(void)
{
	static const uint8_t b16[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct dm_addr a, b;
	char s[DM_ADDR_STRLEN];

	CHECK_INT(dm_addr_from_bin(&a, "\x0a\x00\x00\x01", 4), 0);
	CHECK_STR(dm_addr_fmt(&a, s, sizeof(s)), "10.0.0.1");
	CHECK_INT(dm_addr_from_bin(&b, b16, 16), 0);
	CHECK_STR(dm_addr_fmt(&b, s, sizeof(s)), "2001:db8::1");
	CHECK(!dm_addr_equal(&a, &b));
	CHECK(dm_addr_equal(&a, &a));
	CHECK_INT(dm_addr_from_bin(&a, b16, 0), -1);
	CHECK_INT(dm_addr_from_bin(&a, b16, 5), -1);
	CHECK_INT(dm_addr_from_bin(&a, b16, 15), -1);
	CHECK_INT(a.family, 0);
	CHECK_STR(dm_addr_fmt(&a, s, sizeof(s)), "-");
	CHECK_STR(dm_addr_fmt(&b, s, 4), "-");	/* buffer too small */
}

static void ios_time(void)
{
	char b[16];

	CHECK_STR(dm_ios_time(0, b, sizeof(b)), "00:00:00");
	CHECK_STR(dm_ios_time(59, b, sizeof(b)), "00:00:59");
	CHECK_STR(dm_ios_time(60, b, sizeof(b)), "00:01:00");
	CHECK_STR(dm_ios_time(3600, b, sizeof(b)), "01:00:00");
	CHECK_STR(dm_ios_time(7113, b, sizeof(b)), "01:58:33");
	CHECK_STR(dm_ios_time(86399, b, sizeof(b)), "23:59:59");
	CHECK_STR(dm_ios_time(86400, b, sizeof(b)), "1d00h");
	CHECK_STR(dm_ios_time(86400 + 2 * 3600 + 59, b, sizeof(b)), "1d02h");
	CHECK_STR(dm_ios_time(7 * 86400 - 1, b, sizeof(b)), "6d23h");
	CHECK_STR(dm_ios_time(7 * 86400, b, sizeof(b)), "1w0d");
	CHECK_STR(dm_ios_time(17 * 86400, b, sizeof(b)), "2w3d");
	CHECK_STR(dm_ios_time(365 * 86400 - 1, b, sizeof(b)), "52w0d");
	CHECK_STR(dm_ios_time(365 * 86400, b, sizeof(b)), "1y0w");
	CHECK_STR(dm_ios_time(2 * 365 * 86400 + 3 * 7 * 86400, b, sizeof(b)), "2y3w");
	CHECK(dm_ios_time(UINT64_MAX, b, sizeof(b)) == b);	/* no overflow */
	CHECK(strlen(b) < sizeof(b));
	CHECK_STR(dm_ios_time(UINT32_MAX, b, sizeof(b)), "136y10w");
}

static void enum_names(void)
{
	char b[64];

	CHECK_STR(dm_nhrp_type_name(DMVPN_NHRP_TYPE_STATIC), "static");
	CHECK_STR(dm_nhrp_type_name(DMVPN_NHRP_TYPE_SHORTCUT), "shortcut");
	CHECK(dm_nhrp_type_name(DMVPN_NHRP_TYPE_UNSPEC) == NULL);
	CHECK(dm_nhrp_type_name(200) == NULL);
	CHECK_STR(dm_stat_name(DMVPN_STAT_RX_KEY_MISMATCH), "rx_key_mismatch");
	CHECK_STR(dm_stat_name(DMVPN_STAT_TX_UNSUPPORTED), "tx_unsupported");
	CHECK(dm_stat_name(DMVPN_STAT_PAD) == NULL);
	for (unsigned int s = 1; s < DMVPN_STAT_PAD; s++)
		CHECK(dm_stat_name(s) != NULL);
	CHECK_STR(dm_nhrp_flags_str(0, b, sizeof(b)), "");
	CHECK_STR(dm_nhrp_flags_str(DMVPN_NHRP_F_ALL, b, sizeof(b)),
		  "unique registered used nat implicit");
	CHECK_STR(dm_nhrp_flag_name(4), "implicit");
	CHECK_STR(dm_nhs_state_letters(DMVPN_NHS_STATE_WAITING), "W");
	CHECK_STR(dm_nhs_state_letters(DMVPN_NHS_STATE_EXPECTING), "E");
	CHECK_STR(dm_nhs_state_letters(DMVPN_NHS_STATE_RESPONDING), "RE");
	CHECK_STR(dm_nhs_state_name(DMVPN_NHS_STATE_RESPONDING), "responding");
	CHECK(dm_nhs_state_name(DMVPN_NHS_STATE_UNSPEC) == NULL);
	CHECK(dm_nhs_state_letters(__DMVPN_NHS_STATE_MAX) == NULL);
	for (unsigned int s = 1; s < DMVPN_NHRP_STAT_PAD; s++)
		CHECK(dm_nhrp_stat_name(s) != NULL && dm_nhrp_stat_ios(s) != NULL);
	CHECK(dm_nhrp_stat_name(DMVPN_NHRP_STAT_PAD) == NULL);
	CHECK_STR(dm_nhrp_stat_name(DMVPN_NHRP_STAT_TX_REG_REQ), "tx_reg_req");
	CHECK_STR(dm_nhrp_stat_ios(DMVPN_NHRP_STAT_RX_TRAFFIC_IND), "Traffic Indication");
	CHECK_STR(dm_nhrp_flags_str(DMVPN_NHRP_F_UNIQUE | DMVPN_NHRP_F_REGISTERED,
				    b, sizeof(b)), "unique registered");
	CHECK_STR(dm_nhrp_flags_str(DMVPN_NHRP_F_NAT | 0x300, b, sizeof(b)),
		  "nat 0x300");
	CHECK_STR(dm_nhrp_flags_str(0x80000000, b, sizeof(b)), "0x80000000");
	CHECK_STR(dm_nhrp_flags_str(DMVPN_NHRP_F_ALL, b, 8), "unique ");
}

const struct dm_test addr_tests[] = {
	{ "addr_ipv4_ok", ipv4_ok },
	{ "addr_ipv4_bad_octets", ipv4_bad_octets },
	{ "addr_ipv6", ipv6_ok },
	{ "addr_prefix_edges", prefix_edges },
	{ "addr_binary_roundtrip", addr_binary },
	{ "ios_time_format", ios_time },
	{ "enum_names", enum_names },
	{ NULL, NULL },
};
