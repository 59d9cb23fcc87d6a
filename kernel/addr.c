// SPDX-License-Identifier: GPL-2.0
/* Family-neutral addresses to and from netlink attributes. */
#include <linux/inetdevice.h>
#include <net/ipv6.h>

#include "addr.h"

/* Clear the bits of @addr past its first @prefix_len: a network address. */
void dmvpn_addr_mask(struct dmvpn_addr *addr, u8 prefix_len)
{
	struct in6_addr v6;

	if (prefix_len >= dmvpn_addr_host_plen(addr))
		return;
	if (addr->family == AF_INET) {
		addr->v4 &= inet_make_mask(prefix_len);
	} else if (addr->family == AF_INET6) {
		ipv6_addr_prefix(&v6, &addr->v6, prefix_len);
		addr->v6 = v6;
	}
}

/* Whether @addr lies in @prefix/@prefix_len (@prefix: a network address). */
bool dmvpn_addr_in_prefix(const struct dmvpn_addr *addr,
			  const struct dmvpn_addr *prefix, u8 prefix_len)
{
	struct dmvpn_addr a = *addr;

	if (addr->family != prefix->family)
		return false;
	dmvpn_addr_mask(&a, prefix_len);
	return dmvpn_addr_equal(&a, prefix);
}

/* Accept exactly 4 (IPv4) or 16 (IPv6) bytes; the family follows. */
int dmvpn_addr_from_nla(struct dmvpn_addr *addr, const struct nlattr *nla)
{
	switch (nla_len(nla)) {
	case sizeof(__be32):
		dmvpn_addr_set4(addr, nla_get_in_addr(nla));
		return 0;
	case sizeof(struct in6_addr):
		dmvpn_addr_set6(addr, nla_data(nla));
		return 0;
	default:
		return -EINVAL;
	}
}

int dmvpn_addr_put(struct sk_buff *skb, int attrtype,
		   const struct dmvpn_addr *addr)
{
	if (addr->family == AF_INET6)
		return nla_put_in6_addr(skb, attrtype, &addr->v6);
	return nla_put_in_addr(skb, attrtype, addr->v4);
}

/* Policy validator for address attributes (NLA_POLICY_VALIDATE_FN). */
int dmvpn_nla_validate_addr(const struct nlattr *nla,
			    struct netlink_ext_ack *extack)
{
	if (nla_len(nla) == sizeof(__be32) ||
	    nla_len(nla) == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, nla,
			    "address must be 4 bytes (IPv4) or 16 bytes (IPv6)");
	return -EINVAL;
}

/* For log lines: @buf has DMVPN_ADDR_STRLEN bytes. */
const char *dmvpn_addr_str(const struct dmvpn_addr *addr, char *buf)
{
	switch (addr->family) {
	case AF_INET:
		snprintf(buf, DMVPN_ADDR_STRLEN, "%pI4", &addr->v4);
		break;
	case AF_INET6:
		snprintf(buf, DMVPN_ADDR_STRLEN, "%pI6c", &addr->v6);
		break;
	default:
		strscpy(buf, "(none)", DMVPN_ADDR_STRLEN);
	}
	return buf;
}
