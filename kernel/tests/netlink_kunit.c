// SPDX-License-Identifier: GPL-2.0
/* KUnit: validation of netlink input (addr.c, link_netlink.c). */
#include <kunit/test.h>
#include <linux/if_link.h>
#include <net/netlink.h>

#include "../dmvpn.h"

/* Build IFLA_LINKINFO { KIND "dmvpn", DATA { @type: @len bytes } }. */
static struct nlattr *linkinfo_with(struct kunit *test, struct sk_buff **skbp,
				    int type, int len)
{
	struct nlattr *linkinfo, *data;
	struct sk_buff *skb;
	u8 payload[32] = { 10, 0, 0, 1 };

	skb = alloc_skb(512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	linkinfo = nla_nest_start(skb, IFLA_LINKINFO);
	KUNIT_ASSERT_NOT_NULL(test, linkinfo);
	KUNIT_ASSERT_EQ(test, nla_put_string(skb, IFLA_INFO_KIND, "dmvpn"), 0);
	data = nla_nest_start(skb, IFLA_INFO_DATA);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, nla_put(skb, IFLA_DMVPN_LOCAL, 4, payload), 0);
	if (type)
		KUNIT_ASSERT_EQ(test, nla_put(skb, type, len, payload), 0);
	nla_nest_end(skb, data);
	nla_nest_end(skb, linkinfo);
	*skbp = skb;
	return linkinfo;
}

static int check(struct kunit *test, int type, int len, const char **msg)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *linkinfo;
	struct sk_buff *skb;
	int err;

	linkinfo = linkinfo_with(test, &skb, type, len);
	err = dmvpn_link_check_raw(linkinfo, &extack);
	*msg = extack._msg;
	kfree_skb(skb);
	return err;
}

static void link_attrs_accepted(struct kunit *test)
{
	const char *msg;

	KUNIT_EXPECT_EQ(test, check(test, 0, 0, &msg), 0);
	KUNIT_EXPECT_EQ(test, check(test, IFLA_DMVPN_KEY, 4, &msg), 0);
	KUNIT_EXPECT_EQ(test, check(test, IFLA_DMVPN_REMOTE, 16, &msg), 0);
	KUNIT_EXPECT_EQ(test, check(test, IFLA_DMVPN_TTL, 1, &msg), 0);
	KUNIT_EXPECT_EQ(test, check(test, IFLA_DMVPN_NOKEY, 0, &msg), 0);
}

static void link_attr_wrong_sizes(struct kunit *test)
{
	static const struct { int type, len; const char *names; } bad[] = {
		{ IFLA_DMVPN_KEY, 2, "KEY" },
		{ IFLA_DMVPN_KEY, 8, "KEY" },
		{ IFLA_DMVPN_KEY, 0, "KEY" },
		{ IFLA_DMVPN_REMOTE, 5, "REMOTE" },
		{ IFLA_DMVPN_REMOTE, 15, "REMOTE" },
		{ IFLA_DMVPN_TTL, 4, "TTL" },
		{ IFLA_DMVPN_TOS, 0, "TOS" },
		{ IFLA_DMVPN_LINK, 2, "LINK" },
		{ IFLA_DMVPN_NOKEY, 1, "NOKEY" },
	};
	const char *msg;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, check(test, bad[i].type, bad[i].len, &msg),
				-EINVAL);
		KUNIT_ASSERT_NOT_NULL(test, msg);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(msg, bad[i].names),
					  "message '%s' does not name %s", msg,
					  bad[i].names);
	}
}

static void link_attr_unknown(struct kunit *test)
{
	const char *msg;

	KUNIT_EXPECT_EQ(test, check(test, IFLA_DMVPN_MAX + 1, 4, &msg), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(msg, "unknown"));
	KUNIT_EXPECT_EQ(test, check(test, 0x7fff, 0, &msg), -EINVAL);
}

static void addr_attr_sizes(struct kunit *test)
{
	static const int lens[] = { 0, 1, 3, 4, 5, 15, 16, 17, 32 };
	struct netlink_ext_ack extack = {};
	struct dmvpn_addr addr;
	struct sk_buff *skb;
	int i;

	skb = alloc_skb(1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		u8 buf[32] = { 192, 0, 2, 1 };
		struct nlattr *nla = (struct nlattr *)skb_tail_pointer(skb);
		bool good = lens[i] == 4 || lens[i] == 16;

		KUNIT_ASSERT_EQ(test, nla_put(skb, 1, lens[i], buf), 0);
		KUNIT_EXPECT_EQ(test, dmvpn_nla_validate_addr(nla, &extack),
				good ? 0 : -EINVAL);
		KUNIT_EXPECT_EQ(test, dmvpn_addr_from_nla(&addr, nla),
				good ? 0 : -EINVAL);
		if (good)
			KUNIT_EXPECT_EQ(test, addr.family,
					(sa_family_t)(lens[i] == 4 ? AF_INET : AF_INET6));
	}
	kfree_skb(skb);
}

static struct kunit_case dmvpn_netlink_cases[] = {
	KUNIT_CASE(link_attrs_accepted),
	KUNIT_CASE(link_attr_wrong_sizes),
	KUNIT_CASE(link_attr_unknown),
	KUNIT_CASE(addr_attr_sizes),
	{}
};

static struct kunit_suite dmvpn_netlink_suite = {
	.name = "dmvpn-netlink",
	.test_cases = dmvpn_netlink_cases,
};

kunit_test_suite(dmvpn_netlink_suite);
