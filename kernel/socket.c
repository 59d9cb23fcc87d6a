// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP socket a protected tunnel receives ESP-in-UDP on.
 *
 * The socket belongs to user space (the keyer's port-4500 socket, which
 * also carries IKE), and is lent to the module over genetlink by file
 * descriptor, the way ovpn borrows OpenVPN's socket.  While attached, its
 * UDP encapsulation hook sorts what arrives (RFC 3948 2.2):
 *
 *   one byte 0xff      NAT-keepalive: eaten and counted;
 *   first 4 bytes 0    non-ESP marker: IKE, left for the socket's owner;
 *   anything else      ESP: consumed by the tunnel (esp.c).
 *
 * The module holds a file reference, so the socket keeps working if its
 * owner exits (dmvpnctl's manual keying relies on that); detaching, or
 * deleting the tunnel, gives it back untouched.  A socket held this way
 * also holds its network namespace: delete the tunnel (or detach) before
 * the namespace.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/udp.h>

#include "compat.h"
#include "dmvpn.h"

struct dmvpn_sock {
	struct socket *sock;		/* file reference held */
	struct dmvpn_tunnel *tunnel;
	__be16 port;			/* local port, the source we send from */
	struct rcu_head rcu;
};

/* Called by UDP for every datagram to the socket, under RCU. */
static int dmvpn_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct dmvpn_sock *ds = rcu_dereference_sk_user_data(sk);
	unsigned int len = skb->len - sizeof(struct udphdr);
	const u8 *data;

	if (!ds)
		return 1;	/* detached meanwhile: ordinary datagram */
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + min(len, 8U))) {
		dmvpn_stat_inc(ds->tunnel, DMVPN_STAT_INTERNAL_ERR);
		kfree_skb(skb);
		return 0;
	}
	data = skb->data + sizeof(struct udphdr);

	if (len == 1 && data[0] == 0xff) {
		dmvpn_stat_inc(ds->tunnel, DMVPN_STAT_RX_KEEPALIVE);
		consume_skb(skb);
		return 0;
	}
	/* Too short for an SPI, or the non-ESP marker: not ESP. */
	if (len < 4 || !get_unaligned((const u32 *)data))
		return 1;

	__skb_pull(skb, sizeof(struct udphdr));
	return dmvpn_esp_rcv(ds->tunnel, skb);
}

__be16 dmvpn_sock_port(struct dmvpn_tunnel *t)
{
	struct dmvpn_sock *ds = rcu_dereference_check(t->sock,
						      rcu_read_lock_bh_held());

	return ds ? ds->port : 0;
}

/* Attach the UDP socket behind @fd to @t.  Under RTNL. */
int dmvpn_sock_attach(struct dmvpn_tunnel *t, int fd,
		      struct netlink_ext_ack *extack)
{
	const struct dmvpn_params *p = rtnl_dereference(t->params);
	struct dmvpn_sock *ds;
	struct socket *sock;
	struct sock *sk;
	int err;

	ASSERT_RTNL();
	if (!p->protect) {
		NL_SET_ERR_MSG(extack,
			       "tunnel is not protected: create it with 'protect' to use ESP-in-UDP");
		return -EOPNOTSUPP;
	}
	if (rtnl_dereference(t->sock)) {
		NL_SET_ERR_MSG(extack,
			       "tunnel already has a socket attached; detach it first");
		return -EBUSY;
	}
	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "DMVPN_A_SOCK_FD is not an open socket");
		return err;
	}
	sk = sock->sk;
	if (sk->sk_family != AF_INET || sk->sk_type != SOCK_DGRAM ||
	    sk->sk_protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG(extack, "DMVPN_A_SOCK_FD must be an IPv4 UDP socket");
		err = -EPROTOTYPE;
		goto err_put;
	}
	if (!net_eq(sock_net(sk), t->net)) {
		NL_SET_ERR_MSG(extack,
			       "socket belongs to another network namespace than the tunnel's underlay");
		err = -EXDEV;
		goto err_put;
	}
	if (!inet_sk(sk)->inet_sport) {
		NL_SET_ERR_MSG(extack, "socket is not bound to a port (bind it, normally to 4500)");
		err = -EDESTADDRREQ;
		goto err_put;
	}
	ds = kzalloc(sizeof(*ds), GFP_KERNEL);
	if (!ds) {
		err = -ENOMEM;
		goto err_put;
	}

	lock_sock(sk);
	if (udp_sk(sk)->encap_type || sk->sk_user_data) {
		release_sock(sk);
		kfree(ds);
		NL_SET_ERR_MSG(extack,
			       "socket already has a UDP encapsulation (UDP_ENCAP or another tunnel)");
		err = -EBUSY;
		goto err_put;
	}
	ds->sock = sock;
	ds->tunnel = t;
	ds->port = inet_sk(sk)->inet_sport;
	rcu_assign_sk_user_data(sk, ds);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, dmvpn_udp_encap_recv);
	WRITE_ONCE(udp_sk(sk)->encap_type, UDP_ENCAP_ESPINUDP);
	udp_encap_enable();
	release_sock(sk);

	rcu_assign_pointer(t->sock, ds);
	return 0;

err_put:
	sockfd_put(sock);
	return err;
}

/* Give the socket back as it was.  Under RTNL. */
int dmvpn_sock_detach(struct dmvpn_tunnel *t, struct netlink_ext_ack *extack)
{
	struct dmvpn_sock *ds = rtnl_dereference(t->sock);
	struct sock *sk;

	ASSERT_RTNL();
	if (!ds) {
		NL_SET_ERR_MSG(extack, "no socket is attached to the tunnel");
		return -ENOENT;
	}
	RCU_INIT_POINTER(t->sock, NULL);
	sk = ds->sock->sk;
	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);
	/* Receivers that still see ds finish before it is freed; the socket
	 * itself is RCU-freed by UDP.
	 */
	sockfd_put(ds->sock);
	kfree_rcu(ds, rcu);
	return 0;
}
