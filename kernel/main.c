// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpn: DMVPN for Linux routers.
 *
 * Module entry.  Read on in device.c (the netdevice and its transmit
 * path), receive.c (GRE receive), nhrp_cache.c and peer.c (forwarding
 * state); for protected tunnels esp.c (ESP-in-UDP), socket.c (the UDP
 * socket it arrives on) and sa.c (security associations); then
 * netlink.c, crypto_netlink.c and link_netlink.c (the user-space
 * interface).
 */
#include <linux/module.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <net/genetlink.h>

#include "dmvpn.h"

unsigned int dmvpn_net_id __read_mostly;
/* SA lifetimes and frees: process context, flushed on tunnel teardown. */
struct workqueue_struct *dmvpn_wq;

static int __net_init dmvpn_net_init(struct net *net)
{
	struct dmvpn_net *dn = net_generic(net, dmvpn_net_id);

	INIT_LIST_HEAD(&dn->tunnels);
	return 0;
}

static struct pernet_operations dmvpn_net_ops = {
	/* No .exit: tunnels cannot leave their netns, and the core deletes
	 * a dying netns' devices before its per-net data is freed.
	 */
	.init	= dmvpn_net_init,
	.id	= &dmvpn_net_id,
	.size	= sizeof(struct dmvpn_net),
};

static int __init dmvpn_init(void)
{
	int err;

	dmvpn_wq = alloc_workqueue("dmvpn", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!dmvpn_wq)
		return -ENOMEM;
	err = register_pernet_device(&dmvpn_net_ops);
	if (err)
		goto err_wq;
	err = dmvpn_link_register();
	if (err)
		goto err_pernet;
	err = dmvpn_genl_register();
	if (err)
		goto err_link;
	pr_info("DMVPN multipoint GRE tunnels with NHRP, version " DMVPN_VERSION "\n");
	return 0;

err_link:
	dmvpn_link_unregister();
err_pernet:
	unregister_pernet_device(&dmvpn_net_ops);
err_wq:
	destroy_workqueue(dmvpn_wq);
	return err;
}

static void __exit dmvpn_exit(void)
{
	dmvpn_genl_unregister();
	/* Deletes every tunnel, which releases the GRE receive slot. */
	dmvpn_link_unregister();
	unregister_pernet_device(&dmvpn_net_ops);
	/* Peers are freed from RCU callbacks that run module code. */
	rcu_barrier();
	destroy_workqueue(dmvpn_wq);
}

module_init(dmvpn_init);
module_exit(dmvpn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DMVPN: multipoint GRE tunnels with an in-kernel NHRP cache");
MODULE_VERSION(DMVPN_VERSION);
MODULE_ALIAS_RTNL_LINK(DMVPN_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(DMVPN_GENL_NAME);
