// SPDX-License-Identifier: GPL-2.0
/*
 * TCP MSS clamping on the tunnel, IOS's "ip tcp adjust-mss": SYN and
 * SYN-ACK segments crossing the tunnel in either direction get their MSS
 * option lowered to the configured value, so TCP never sends segments
 * that would need fragmenting once GRE and ESP are added (seed 002's
 * recommended fix for fragmentation trouble).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "compat.h"
#include "dmvpn.h"

/* Lower the MSS option of the SYN at @th (in a writable skb) to @mss. */
static void dmvpn_clamp_mss_tcp(struct sk_buff *skb, struct tcphdr *th,
				unsigned int tcplen, u16 mss)
{
	u8 *opt = (u8 *)(th + 1);
	unsigned int optlen = th->doff * 4 - sizeof(*th), i;

	if (th->doff * 4 > tcplen)
		return;
	for (i = 0; i < optlen;) {
		u8 kind = opt[i], len;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return;
		len = opt[i + 1];
		if (len < 2 || i + len > optlen)
			return;
		if (kind == TCPOPT_MSS && len == TCPOLEN_MSS) {
			u16 old = get_unaligned_be16(opt + i + 2);

			if (old <= mss)
				return;
			put_unaligned_be16(mss, opt + i + 2);
			inet_proto_csum_replace2(&th->check, skb, htons(old),
						 htons(mss), false);
			return;
		}
		i += len;
	}
}

void dmvpn_clamp_mss(struct sk_buff *skb, u16 mss)
{
	unsigned int nhoff = skb_network_offset(skb), thoff, tcplen;
	struct tcphdr *th;

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
			return;
		thoff = nhoff + iph->ihl * 4;
		tcplen = ntohs(iph->tot_len) - iph->ihl * 4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		/* Only a TCP header right after the fixed header. */
		if (ip6h->nexthdr != IPPROTO_TCP)
			return;
		thoff = nhoff + sizeof(*ip6h);
		tcplen = ntohs(ip6h->payload_len);
	} else {
		return;
	}
	if (!pskb_may_pull(skb, thoff + sizeof(*th)))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	if (!th->syn)
		return;
	if (!pskb_may_pull(skb, thoff + th->doff * 4) ||
	    skb_ensure_writable(skb, thoff + th->doff * 4))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	dmvpn_clamp_mss_tcp(skb, th, tcplen, mss);
}
