/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for (Debian 6.1 and 6.12)
 * is handled here, so the rest of kernel/ reads as if written for one.
 */
#ifndef _DMVPN_COMPAT_H
#define _DMVPN_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/route.h>

/* 6.5 split the GSO helpers out of skbuff.h. */
#if DMVPN_KERNEL >= 6005
#include <net/gso.h>
#endif

/* 6.12 moved the unaligned accessors from asm/ to linux/. */
#if DMVPN_KERNEL >= 6012
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.12 replaced the NETIF_F_LLTX / NETIF_F_NETNS_LOCAL feature bits with
 * dedicated struct net_device bits.
 */
static inline void dmvpn_dev_set_lltx(struct net_device *dev)
{
#if DMVPN_KERNEL >= 6012
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* The tunnel's underlay sockets and routes live in the netns the device was
 * created in; moving the device would silently split the two.
 */
static inline void dmvpn_dev_set_netns_immutable(struct net_device *dev)
{
#if DMVPN_KERNEL >= 6012
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* Typed dst casts arrived in 6.10 (dst_rt6_info was backported to 6.1.y). */
#ifndef dst_rtable
#define dst_rtable(_ptr) container_of(_ptr, struct rtable, dst)
#endif

/*
 * NL_SET_ERR_MSG_ATTR() only takes string literals; table-driven
 * validation needs to pass a message chosen at run time (still a string
 * with static storage, as extack requires).
 */
static inline void dmvpn_extack_set(struct netlink_ext_ack *extack,
				    const struct nlattr *nla, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = nla;
	}
}

/* 6.2 moved the parsed request of a genetlink dump into a struct genl_info. */
static inline struct nlattr **dmvpn_genl_dump_attrs(struct netlink_callback *cb)
{
#if DMVPN_KERNEL >= 6002
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * 6.3 changed crypto completion callbacks to take the request's data
 * pointer instead of the request.  Declare callbacks as
 *   static void fn(DMVPN_CRYPTO_DONE_PARAM(arg), int err)
 * and get the data with dmvpn_crypto_done_data(arg).
 */
#if DMVPN_KERNEL >= 6003
#define DMVPN_CRYPTO_DONE_PARAM(name)	void *(name)
#define dmvpn_crypto_done_data(arg)	(arg)
#else
#include <linux/crypto.h>
#define DMVPN_CRYPTO_DONE_PARAM(name)	struct crypto_async_request *(name)
#define dmvpn_crypto_done_data(arg)	((arg)->data)
#endif

#endif /* _DMVPN_COMPAT_H */
