/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Family-neutral addresses.  Both NBMA (underlay) and protocol (tunnel)
 * addresses use struct dmvpn_addr so that IPv6 on either side needs no
 * second set of tables.  The struct is used directly as a hash key, so it
 * must always be built through the helpers below, which clear padding.
 */
#ifndef _DMVPN_ADDR_H
#define _DMVPN_ADDR_H

#include <linux/in6.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/netlink.h>

struct dmvpn_addr {
	union {
		__be32 v4;
		struct in6_addr v6;
	};
	sa_family_t family;	/* AF_INET, AF_INET6, or AF_UNSPEC if unset */
};

static inline void dmvpn_addr_set4(struct dmvpn_addr *addr, __be32 v4)
{
	memset(addr, 0, sizeof(*addr));
	addr->family = AF_INET;
	addr->v4 = v4;
}

static inline void dmvpn_addr_set6(struct dmvpn_addr *addr,
				   const struct in6_addr *v6)
{
	memset(addr, 0, sizeof(*addr));
	addr->family = AF_INET6;
	addr->v6 = *v6;
}

static inline bool dmvpn_addr_is_set(const struct dmvpn_addr *addr)
{
	return addr->family != AF_UNSPEC;
}

static inline bool dmvpn_addr_equal(const struct dmvpn_addr *a,
				    const struct dmvpn_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Bytes of the address on the wire and in netlink: 4, 16, or 0 if unset. */
static inline unsigned int dmvpn_addr_len(const struct dmvpn_addr *addr)
{
	switch (addr->family) {
	case AF_INET:
		return sizeof(addr->v4);
	case AF_INET6:
		return sizeof(addr->v6);
	default:
		return 0;
	}
}

/* Prefix length of a host route for this family. */
static inline u8 dmvpn_addr_host_plen(const struct dmvpn_addr *addr)
{
	return addr->family == AF_INET6 ? 128 : 32;
}

void dmvpn_addr_mask(struct dmvpn_addr *addr, u8 prefix_len);
bool dmvpn_addr_in_prefix(const struct dmvpn_addr *addr,
			  const struct dmvpn_addr *prefix, u8 prefix_len);

#define DMVPN_ADDR_STRLEN	48
const char *dmvpn_addr_str(const struct dmvpn_addr *addr, char *buf);

int dmvpn_addr_from_nla(struct dmvpn_addr *addr, const struct nlattr *nla);
int dmvpn_addr_put(struct sk_buff *skb, int attrtype,
		   const struct dmvpn_addr *addr);
int dmvpn_nla_validate_addr(const struct nlattr *nla,
			    struct netlink_ext_ack *extack);

#endif /* _DMVPN_ADDR_H */
