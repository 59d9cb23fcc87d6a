// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmvpnctl: configure and inspect dmvpn tunnels over generic netlink,
 * with the commands and output layout of Cisco IOS DMVPN.
 */
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include <linux/dmvpn.h>

#include "../lib/debugctl.h"
#include "../lib/dmvpn_nl.h"
#include "../lib/ikestate.h"
#include "cli.h"
#include "show.h"

#define PROG "dmvpnctl"
#ifndef DMVPN_VERSION
#define DMVPN_VERSION "0.1"
#endif

static int kernel_error(struct dm_nl *nl)
{
	char buf[320];

	/* genetlink's answer to a command the family does not have */
	if (nl->err == -EOPNOTSUPP && !nl->errmsg[0]) {
		fprintf(stderr, PROG ": the loaded dmvpn module does not support "
			"this command (it is older than dmvpnctl)\n");
		return DM_EXIT_FAIL;
	}
	fprintf(stderr, PROG ": %s\n", dm_nl_strerror(nl, buf, sizeof(buf)));
	return DM_EXIT_FAIL;
}

static int resolve_dev(const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex) {
		fprintf(stderr, PROG ": cannot find device \"%s\"\n", name);
		return DM_EXIT_FAIL;
	}
	return 0;
}

/* ------------------------------------------------------------ changes */

static int cmd_map(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_nhrp_entry e = {
		.proto = c->proto, .plen = c->plen, .has_plen = c->has_plen,
		.nbma = c->nbma, .port = c->port,
	};
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, c->cmd == DM_CMD_MAP_ADD ?
			   DMVPN_CMD_NHRP_ADD : DMVPN_CMD_NHRP_DEL, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) || dm_put_nhrp(msg, &e)) {
		nlmsg_free(msg);
		fprintf(stderr, PROG ": out of memory\n");
		return DM_EXIT_FAIL;
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

/* nhrp set: NHRP_CONF_SET with the settings given */
static int cmd_nhrp_set(struct dm_nl *nl, const struct dm_cli *c)
{
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, DMVPN_CMD_NHRP_CONF_SET, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) ||
	    dm_put_nhrp_conf(msg, &c->conf)) {
		if (msg)	/* it may hold the authentication key */
			explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		fprintf(stderr, PROG ": out of memory\n");
		return DM_EXIT_FAIL;
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

/* nhrp nhs add|del */
static int cmd_nhs(struct dm_nl *nl, const struct dm_cli *c)
{
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, c->cmd == DM_CMD_NHS_ADD ?
			   DMVPN_CMD_NHS_ADD : DMVPN_CMD_NHS_DEL, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) || dm_put_nhs(msg, &c->nhs)) {
		nlmsg_free(msg);
		fprintf(stderr, PROG ": out of memory\n");
		return DM_EXIT_FAIL;
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

/* nhrp map multicast add|del */
static int cmd_mcast(struct dm_nl *nl, const struct dm_cli *c)
{
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, c->cmd == DM_CMD_MCAST_ADD ?
			   DMVPN_CMD_MCAST_ADD : DMVPN_CMD_MCAST_DEL, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) || dm_put_mcast(msg, &c->nbma)) {
		nlmsg_free(msg);
		fprintf(stderr, PROG ": out of memory\n");
		return DM_EXIT_FAIL;
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

/* Returns 0 or -errno (the message is left in nl). */
static int flush_one(struct dm_nl *nl, uint32_t ifindex, bool all)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, DMVPN_CMD_NHRP_FLUSH, 0);

	if (!msg || dm_put_ifindex(msg, ifindex) ||
	    (all && dm_put_flush_all(msg))) {
		nlmsg_free(msg);
		snprintf(nl->errmsg, sizeof(nl->errmsg), "out of memory");
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, NULL, NULL);
}

static int cmd_flush(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_dev_info *devs = NULL;
	size_t n = 0;
	uint32_t ifindex;
	int r = 0;

	if (c->dev[0]) {
		if ((r = resolve_dev(c->dev, &ifindex)))
			return r;
		return flush_one(nl, ifindex, c->flush_all) ? kernel_error(nl) : 0;
	}
	if (dm_dev_get(nl, 0, &devs, &n))
		r = kernel_error(nl);
	for (size_t i = 0; !r && i < n; i++) {
		int e = flush_one(nl, devs[i].ifindex, c->flush_all);

		if (e && e != -ENODEV)	/* ENODEV: deleted meanwhile */
			r = kernel_error(nl);
	}
	free(devs);
	return r;
}

/* ------------------------------------------------------------- crypto */

static int oom(void)
{
	fprintf(stderr, PROG ": out of memory\n");
	return DM_EXIT_FAIL;
}

/* One tunnel's DEV_GET reply. */
static int dev_info(struct dm_nl *nl, uint32_t ifindex, struct dm_dev_info *d)
{
	struct dm_dev_info *devs = NULL;
	size_t n = 0;

	if (dm_dev_get(nl, ifindex, &devs, &n)) {
		free(devs);
		return kernel_error(nl);
	}
	if (n != 1) {
		free(devs);
		fprintf(stderr, PROG ": no reply for ifindex %u\n", ifindex);
		return DM_EXIT_FAIL;
	}
	*d = devs[0];
	free(devs);
	return 0;
}

/*
 * crypto socket attach: a UDP socket bound to local:port, handed to the
 * tunnel.  The module keeps its own reference, so closing ours on exit
 * leaves the socket open in the kernel.
 */
static int cmd_sock_attach(struct dm_nl *nl, const struct dm_cli *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint16_t port = c->sa.port ? c->sa.port : DMVPN_NATT_PORT;
	char a[DM_ADDR_STRLEN];
	struct dm_addr local = c->local;
	struct nl_msg *msg;
	uint32_t ifindex;
	int fd, r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	if (!local.family) {
		struct dm_dev_info d;

		if ((r = dev_info(nl, ifindex, &d)))
			return r;
		local = d.local;
		if (local.family != AF_INET) {
			fprintf(stderr, PROG ": %s has no IPv4 local address; "
				"give \"local ADDR\" (the ESP socket is IPv4)\n",
				c->dev);
			return DM_EXIT_FAIL;
		}
	}
	memcpy(&sin.sin_addr, local.bytes, 4);
	sin.sin_port = htons(port);
	dm_addr_fmt(&local, a, sizeof(a));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		fprintf(stderr, PROG ": cannot open a UDP socket: %s\n",
			strerror(errno));
		return DM_EXIT_FAIL;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		fprintf(stderr, PROG ": cannot bind UDP %s:%u: %s\n", a, port,
			strerror(errno));
		close(fd);
		return DM_EXIT_FAIL;
	}
	msg = dm_msg_alloc(nl->family, DMVPN_CMD_SOCK_ATTACH, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) ||
	    dm_put_sock_fd(msg, (uint32_t)fd)) {
		nlmsg_free(msg);
		close(fd);
		return oom();
	}
	r = dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
	close(fd);
	return r;
}

static int cmd_sock_detach(struct dm_nl *nl, const struct dm_cli *c)
{
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, DMVPN_CMD_SOCK_DETACH, 0);
	if (!msg || dm_put_ifindex(msg, ifindex)) {
		nlmsg_free(msg);
		return oom();
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

/* crypto sa add|del */
static int cmd_sa(struct dm_nl *nl, const struct dm_cli *c)
{
	struct nl_msg *msg;
	uint32_t ifindex;
	int r;

	if ((r = resolve_dev(c->dev, &ifindex)))
		return r;
	msg = dm_msg_alloc(nl->family, c->cmd == DM_CMD_SA_ADD ?
			   DMVPN_CMD_SA_ADD : DMVPN_CMD_SA_DEL, 0);
	if (!msg || dm_put_ifindex(msg, ifindex) || dm_put_sa(msg, &c->sa)) {
		if (msg)
			explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return oom();
	}
	return dm_nl_talk(nl, msg, NULL, NULL) ? kernel_error(nl) : 0;
}

static int sa_flush_one(struct dm_nl *nl, uint32_t ifindex,
			const struct dm_cli *c)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, DMVPN_CMD_SA_FLUSH, 0);

	if (!msg || dm_put_ifindex(msg, ifindex) ||
	    dm_put_sa_peer(msg, &c->sa.peer, c->sa.port)) {
		nlmsg_free(msg);
		snprintf(nl->errmsg, sizeof(nl->errmsg), "out of memory");
		return nl->err = -ENOMEM;
	}
	return dm_nl_talk(nl, msg, NULL, NULL);
}

/* clear crypto sa [dev TUN] [peer ADDR [port N]] */
static int cmd_sa_flush(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_dev_info *devs = NULL;
	uint32_t ifindex;
	size_t n = 0;
	int r = 0;

	if (c->dev[0]) {
		if ((r = resolve_dev(c->dev, &ifindex)))
			return r;
		return sa_flush_one(nl, ifindex, c) ? kernel_error(nl) : 0;
	}
	if (dm_dev_get(nl, 0, &devs, &n))
		r = kernel_error(nl);
	for (size_t i = 0; !r && i < n; i++) {
		int e;

		if (!devs[i].protect)
			continue;
		e = sa_flush_one(nl, devs[i].ifindex, c);
		if (e && e != -ENODEV)
			r = kernel_error(nl);
	}
	free(devs);
	return r;
}

/* -------------------------------------------------------------- shows */

struct gathered {
	struct dm_dev_info *devs;
	size_t ndev;
	struct dm_nhrp_entry *ents;
	size_t nent;
	struct dm_peer *peers;
	size_t npeer;
	struct dm_sa *sas;
	size_t nsa;
	struct dm_nhs *nhs;
	size_t nnhs;
	bool have_nhs;
	struct dm_mcast *mcast;
	size_t nmcast;
	struct dm_show_dev *sdevs;
	char (*state)[40];
	char (*addr)[DM_ADDR_STRLEN];
	char (*link)[IF_NAMESIZE];
};

static void if_state(const char *name, char *buf, size_t len)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	buf[0] = '\0';
	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		if (!(ifr.ifr_flags & IFF_UP))
			snprintf(buf, len, "administratively down/down");
		else
			snprintf(buf, len, "up/%s",
				 ifr.ifr_flags & IFF_RUNNING ? "up" : "down");
	}
	close(fd);
}

/* First IPv4 address of the interface, else its first IPv6 one. */
static void if_addr(struct ifaddrs *ifa, const char *name, char *buf,
		    size_t len)
{
	struct dm_addr a6 = { 0 };

	buf[0] = '\0';
	for (; ifa; ifa = ifa->ifa_next) {
		struct dm_addr a;

		if (!ifa->ifa_addr || strcmp(ifa->ifa_name, name))
			continue;
		if (ifa->ifa_addr->sa_family == AF_INET) {
			dm_addr_from_bin(&a, &((struct sockaddr_in *)
					       (void *)ifa->ifa_addr)->sin_addr, 4);
			dm_addr_fmt(&a, buf, len);
			return;
		}
		if (ifa->ifa_addr->sa_family == AF_INET6 && !a6.family)
			dm_addr_from_bin(&a6, &((struct sockaddr_in6 *)
						(void *)ifa->ifa_addr)->sin6_addr, 16);
	}
	if (a6.family)
		dm_addr_fmt(&a6, buf, len);
}

static void gathered_free(struct gathered *g)
{
	free(g->devs);
	free(g->ents);
	free(g->peers);
	free(g->sas);
	free(g->nhs);
	free(g->mcast);
	free(g->sdevs);
	free(g->state);
	free(g->addr);
	free(g->link);
}

/* What gather() collects besides the tunnels. */
#define G_NHRP	(1U << 0)	/* NHRP caches */
#define G_PEERS	(1U << 1)	/* NBMA peers of protected tunnels */
#define G_SAS	(1U << 2)	/* SAs of protected tunnels */
#define G_MUST	(1U << 3)	/* peers/SAs/NHSs: errors count (else: best effort) */
#define G_NHS	(1U << 4)	/* next-hop servers */
#define G_MCAST	(1U << 5)	/* static multicast destinations (errors count) */

/* Peers and SAs of one tunnel; returns 0 or -errno (message in nl). */
static int gather_crypto(struct dm_nl *nl, struct gathered *g,
			 uint32_t ifindex, unsigned int what)
{
	int r = 0;

	if (what & G_PEERS)
		r = dm_peer_dump(nl, ifindex, &g->peers, &g->npeer);
	if (!r && (what & G_SAS))
		r = dm_sa_dump(nl, ifindex, &g->sas, &g->nsa);
	return r;
}

static int gather(struct dm_nl *nl, const char *dev, unsigned int what,
		  struct gathered *g)
{
	bool nhrp = what & G_NHRP;

	struct ifaddrs *ifa = NULL;
	uint32_t ifindex = 0;
	int r;

	memset(g, 0, sizeof(*g));
	if (dev && dev[0] && (r = resolve_dev(dev, &ifindex)))
		return r;
	if (dm_dev_get(nl, ifindex, &g->devs, &g->ndev))
		return kernel_error(nl);
	for (size_t i = 0; nhrp && i < g->ndev; i++) {
		r = dm_nhrp_dump(nl, g->devs[i].ifindex, &g->ents, &g->nent);
		/* a tunnel deleted since the device dump: skip it */
		if (r == -ENODEV && !ifindex)
			continue;
		if (r)
			return kernel_error(nl);
	}
	for (size_t i = 0; (what & (G_PEERS | G_SAS)) && i < g->ndev; i++) {
		/* unprotected tunnels have no SAs; say so when asked by name */
		if (!g->devs[i].protect) {
			if (!ifindex || !(what & G_MUST))
				continue;
			fprintf(stderr, PROG ": %s is not protected (created without "
				"\"protect\"): it has no SAs\n", dev);
			return DM_EXIT_FAIL;
		}
		r = gather_crypto(nl, g, g->devs[i].ifindex, what);
		if (r == -ENODEV && !ifindex)
			continue;
		if (r && (what & G_MUST))
			return kernel_error(nl);
	}

	/*
	 * NHSs: a module without NHRP protocol support refuses NHS_GET; then
	 * show dmvpn and show interface go on without them (best effort)
	 * while show ip nhrp nhs (G_MUST) reports it.
	 */
	g->have_nhs = what & G_NHS;
	for (size_t i = 0; (what & G_NHS) && i < g->ndev; i++) {
		r = dm_nhs_dump(nl, g->devs[i].ifindex, &g->nhs, &g->nnhs);
		if (r == -ENODEV && !ifindex)
			continue;
		if (r && (what & G_MUST))
			return kernel_error(nl);
		if (r) {
			g->have_nhs = false;
			break;
		}
	}
	for (size_t i = 0; (what & G_MCAST) && i < g->ndev; i++) {
		r = dm_mcast_dump(nl, g->devs[i].ifindex, &g->mcast, &g->nmcast);
		if (r == -ENODEV && !ifindex)
			continue;
		if (r)
			return kernel_error(nl);
	}

	g->sdevs = calloc(g->ndev + 1, sizeof(*g->sdevs));
	g->state = calloc(g->ndev + 1, sizeof(*g->state));
	g->addr = calloc(g->ndev + 1, sizeof(*g->addr));
	g->link = calloc(g->ndev + 1, sizeof(*g->link));
	if (!g->sdevs || !g->state || !g->addr || !g->link) {
		fprintf(stderr, PROG ": out of memory\n");
		return DM_EXIT_FAIL;
	}
	if (getifaddrs(&ifa))
		ifa = NULL;
	for (size_t i = 0; i < g->ndev; i++) {
		struct dm_dev_info *d = &g->devs[i];
		struct dm_show_dev *s = &g->sdevs[i];

		if (!d->ifname[0] && !if_indextoname(d->ifindex, d->ifname))
			snprintf(d->ifname, sizeof(d->ifname), "if%u", d->ifindex);
		s->info = d;
		if_state(d->ifname, g->state[i], sizeof(g->state[i]));
		s->state = g->state[i][0] ? g->state[i] : NULL;
		if_addr(ifa, d->ifname, g->addr[i], sizeof(g->addr[i]));
		s->addr = g->addr[i][0] ? g->addr[i] : NULL;
		if (d->link && if_indextoname(d->link, g->link[i]))
			s->link_name = g->link[i];
		s->peers = g->peers;
		s->npeer = g->npeer;
		s->have_peers = (what & G_PEERS) && d->protect;
		s->nhs = g->nhs;
		s->nnhs = g->nnhs;
		s->have_nhs = g->have_nhs;
	}
	if (ifa)
		freeifaddrs(ifa);
	return 0;
}

/* show ip nhrp ADDR: one NHRP_GET per tunnel given, else dump + filter */
static int lookup(struct dm_nl *nl, const struct dm_cli *c, struct gathered *g)
{
	struct dm_nhrp_entry key = {
		.proto = c->proto, .plen = c->plen, .has_plen = c->has_plen,
	};
	size_t m = 0;

	if (c->dev[0]) {
		if (dm_nhrp_get(nl, g->devs[0].ifindex, &key, &g->ents, &g->nent))
			return kernel_error(nl);
		return 0;
	}
	for (size_t i = 0; i < g->nent; i++) {
		const struct dm_nhrp_entry *e = &g->ents[i];

		if (dm_addr_equal(&e->proto, &key.proto) &&
		    (!key.has_plen || e->plen == key.plen))
			g->ents[m++] = *e;
	}
	g->nent = m;
	return 0;
}

static int cmd_show(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	bool one = c->cmd == DM_CMD_SHOW_NHRP && c->proto.family;
	struct gathered g;
	int r;

	r = gather(nl, c->dev,
		   (c->cmd != DM_CMD_SHOW_IF && !(one && c->dev[0]) ? G_NHRP : 0) |
		   (c->cmd == DM_CMD_SHOW_DMVPN ? G_PEERS : 0) |
		   (c->cmd != DM_CMD_SHOW_NHRP ? G_NHS : 0), &g);
	if (!r && one)
		r = lookup(nl, c, &g);
	if (!r) {
		switch (c->cmd) {
		case DM_CMD_SHOW_NHRP:
			dm_show_nhrp(&o, g.sdevs, g.ndev, g.ents, g.nent,
				     c->detail, c->type_filter);
			break;
		case DM_CMD_SHOW_DMVPN:
			dm_show_dmvpn(&o, g.sdevs, g.ndev, g.ents, g.nent,
				      c->detail);
			break;
		default:
			if (g.ndev)
				dm_show_interface(&o, &g.sdevs[0]);
			break;
		}
	}
	gathered_free(&g);
	return r;
}

/* show ip nhrp nhs | traffic | multicast */
static int cmd_show_nhrp_proto(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	unsigned int what;
	struct gathered g;
	int r;

	switch (c->cmd) {
	case DM_CMD_SHOW_NHS:
		/* the cache gives the NBMA address of NHSs mapped statically */
		what = G_NHS | G_MUST | G_NHRP;
		break;
	case DM_CMD_SHOW_MCAST:
		what = G_MCAST | G_NHRP;
		break;
	default:
		what = 0;	/* the counters come with DEV_GET */
		break;
	}
	r = gather(nl, c->dev, what, &g);
	if (!r) {
		switch (c->cmd) {
		case DM_CMD_SHOW_NHS:
			dm_show_nhs(&o, g.sdevs, g.ndev, g.ents, g.nent, c->detail);
			break;
		case DM_CMD_SHOW_MCAST:
			dm_show_nhrp_mcast(&o, g.sdevs, g.ndev, g.mcast, g.nmcast,
					   g.ents, g.nent);
			break;
		default:
			dm_show_nhrp_traffic(&o, g.sdevs, g.ndev);
			break;
		}
	}
	gathered_free(&g);
	return r;
}

static size_t read_ike_state(const char *dev, struct dm_ike_sa_state **sas, size_t *nsas,
			     struct dm_ike_failure **fails, size_t *nfails,
			     struct dm_ike_child_state **children, size_t *nchildren,
			     bool quiet);

/* show crypto ipsec sa | sockets | session */
static int cmd_show_crypto(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	unsigned int what = G_PEERS | G_MUST;
	struct dm_crypto_view v;
	struct gathered g;
	int r;

	if (c->cmd != DM_CMD_SHOW_SOCKETS)
		what |= G_SAS;
	r = gather(nl, c->dev, what, &g);
	if (!r) {
		struct dm_ike_sa_state *ike = NULL;
		struct dm_ike_child_state *ch = NULL;
		size_t nike = 0, nch = 0;

		/* manual keys need no dmvpnd: no complaint without it */
		read_ike_state(c->dev, &ike, &nike, NULL, NULL, &ch, &nch, true);
		v = (struct dm_crypto_view){
			.devs = g.sdevs, .ndev = g.ndev,
			.peers = g.peers, .npeer = g.npeer,
			.sas = g.sas, .nsa = g.nsa,
			.ike = ike, .nike = nike,
			.children = ch, .nchildren = nch,
		};
		switch (c->cmd) {
		case DM_CMD_SHOW_IPSEC_SA:
			dm_show_ipsec_sa(&o, &v, &c->sa.peer, c->detail);
			break;
		case DM_CMD_SHOW_SOCKETS:
			dm_show_crypto_sockets(&o, &v);
			break;
		default:
			dm_show_crypto_session(&o, &v, c->detail);
			break;
		}
		free(ike);
		free(ch);
	}
	gathered_free(&g);
	return r;
}

/* ------------------------------------------------ show crypto isakmp sa */

/* dmvpnd publishes its ISAKMP SAs in files (lib/ikestate.h): no netlink. */
/*
 * debug / no debug / undebug: dmvpnd's categories through its debug file,
 * the module's trace lines through dynamic debug.  Each half is switched
 * even when the other cannot be; what was done is printed as IOS does,
 * what failed goes to stderr and the exit status.
 */
static int cmd_debug(const struct dm_cli *c)
{
	static const struct {
		unsigned int cat;
		const char *text;
	} keyer_lines[] = {
		{ DM_DEBUG_ISAKMP, "Crypto ISAKMP debugging is" },
		{ DM_DEBUG_IPSEC, "Crypto IPSEC debugging is" },
	};
	unsigned int want_keyer = c->debug_cats & DM_DEBUG_DMVPN ?
				  DM_DEBUG_KEYER : c->debug_cats & DM_DEBUG_KEYER;
	unsigned int want_module = c->debug_cats & (DM_DEBUG_IPSEC | DM_DEBUG_NHRP |
						    DM_DEBUG_DMVPN);
	const char *state = c->debug_on ? "on" : "off";
	unsigned int cur;
	char err[512];
	int rc = DM_EXIT_OK;

	if (want_keyer) {
		if (dm_debug_keyer_get(&cur, err, sizeof(err)) ||
		    dm_debug_keyer_set(c->debug_on ? cur | want_keyer :
				       cur & ~want_keyer, err, sizeof(err))) {
			fprintf(stderr, PROG ": dmvpnd debugging not switched: %s\n", err);
			rc = DM_EXIT_FAIL;
		} else {
			for (size_t i = 0; i < sizeof(keyer_lines) / sizeof(keyer_lines[0]); i++)
				if (want_keyer & keyer_lines[i].cat)
					printf("%s %s (dmvpnd)\n", keyer_lines[i].text, state);
		}
	}
	if (want_module) {
		if (dm_debug_module_set(want_module, c->debug_on, err, sizeof(err))) {
			fprintf(stderr, PROG ": module debugging not switched: %s\n", err);
			rc = DM_EXIT_FAIL;
		} else if (want_module & DM_DEBUG_DMVPN) {
			printf("DMVPN all level debugging is %s (module)\n", state);
		} else {
			if (want_module & DM_DEBUG_IPSEC)
				printf("Crypto IPSEC debugging is %s (module)\n", state);
			if (want_module & DM_DEBUG_NHRP)
				printf("NHRP protocol debugging is %s (module)\n", state);
		}
	}
	return rc;
}

/* clear crypto isakmp: a request every running dmvpnd acts on. */
static int cmd_clear_isakmp(const struct dm_cli *c)
{
	char err[512];

	if (dm_ikestate_clear_request(c->conn_id, err, sizeof(err))) {
		fprintf(stderr, PROG ": clear crypto isakmp: %s\n", err);
		return DM_EXIT_FAIL;
	}
	return DM_EXIT_OK;
}

static int cmd_show_debug(const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	unsigned int keyer = 0, module = 0;
	char kerr[512], merr[512];
	bool module_ok = !dm_debug_module_get(&module, merr, sizeof(merr));

	if (dm_debug_keyer_get(&keyer, kerr, sizeof(kerr))) {
		fprintf(stderr, PROG ": %s\n", kerr);
		return DM_EXIT_FAIL;
	}
	dm_show_debugging(&o, keyer, module, module_ok ? NULL : merr);
	return DM_EXIT_OK;
}

/* Room for element n of *arr (capacity *cap, doubling): 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t nc = *cap ? 2 * *cap : 16;
	void *na;

	if (n < *cap)
		return 0;
	na = realloc(*arr, nc * elem);
	if (!na)
		return -1;
	*arr = na;
	*cap = nc;
	return 0;
}

/*
 * Read every isakmp-IFNAME file of dmvpnd (or only dev's): the "sa" lines
 * into sas, the "fail" lines into fails, the "ipsec" lines into children
 * (any may be NULL).  The number of files read, 0 when none (dmvpnd not
 * running).
 */
static size_t read_ike_state(const char *dev, struct dm_ike_sa_state **sas, size_t *nsas,
			     struct dm_ike_failure **fails, size_t *nfails,
			     struct dm_ike_child_state **children, size_t *nchildren,
			     bool quiet)
{
	size_t cap_sa = 0, cap_fail = 0, cap_child = 0, files = 0;
	const char *dir = dm_ikestate_dir();
	struct dirent *e;
	DIR *dh = opendir(dir);

	while (dh && (e = readdir(dh))) {
		char path[4096], line[1024];
		FILE *f;

		if (strncmp(e->d_name, "isakmp-", 7) || strstr(e->d_name, ".tmp") ||
		    (dev[0] && strcmp(e->d_name + 7, dev)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		files++;
		while (fgets(line, sizeof(line), f)) {
			if (sas && !strncmp(line, "sa ", 3)) {
				if (grow((void **)sas, &cap_sa, *nsas, sizeof(**sas)))
					break;
				if (!dm_ikestate_parse(line, &(*sas)[*nsas]))
					(*nsas)++;
			} else if (fails && !strncmp(line, "fail ", 5)) {
				if (grow((void **)fails, &cap_fail, *nfails, sizeof(**fails)))
					break;
				if (!dm_ikestate_parse_failure(line, &(*fails)[*nfails]))
					(*nfails)++;
			} else if (children && !strncmp(line, "ipsec ", 6)) {
				if (grow((void **)children, &cap_child, *nchildren,
					 sizeof(**children)))
					break;
				if (!dm_ikestate_parse_child(line, &(*children)[*nchildren]))
					(*nchildren)++;
			}
		}
		fclose(f);
	}
	if (dh)
		closedir(dh);
	if (!files && !quiet)
		fprintf(stderr, PROG ": no IKE state in %s (is dmvpnd running?)\n", dir);
	return files;
}

static int cmd_show_isakmp(const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	struct dm_ike_sa_state *st = NULL;
	size_t n = 0;

	read_ike_state(c->dev, &st, &n, NULL, NULL, NULL, NULL, false);
	dm_show_isakmp_sa(&o, st, n, c->detail);
	free(st);
	return 0;
}

static int cmd_show_isakmp_failures(const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, c->pretty };
	struct dm_ike_failure *f = NULL;
	size_t n = 0;

	read_ike_state(c->dev, NULL, NULL, &f, &n, NULL, NULL, false);
	/* oldest first within a file; several tunnels: by time */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && f[k - 1].when > f[k].when; k--) {
			struct dm_ike_failure t = f[k];

			f[k] = f[k - 1];
			f[k - 1] = t;
		}
	dm_show_isakmp_failures(&o, f, n, (uint64_t)time(NULL));
	free(f);
	return 0;
}

/* ------------------------------------------------------------ monitor */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void event_ifname(uint32_t ifindex, const char *given, char *buf)
{
	if (given[0])
		snprintf(buf, IF_NAMESIZE, "%s", given);
	else if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
}

/* SA_NOTIFY: acquire carries a peer, the other events an SA. */
static int sa_event(struct nlmsghdr *nlh, const struct dm_out *o)
{
	char ifname[IF_NAMESIZE];
	struct dm_peer p;
	struct dm_sa sa;
	uint8_t ev;

	if (!dm_parse_peer_msg(nlh, &p, &ev)) {
		event_ifname(p.ifindex, p.ifname, ifname);
		dm_show_peer_event(o, ifname, ev, &p);
	} else if (!dm_parse_sa_msg(nlh, &sa, &ev)) {
		event_ifname(sa.ifindex, sa.ifname, ifname);
		dm_show_sa_event(o, ifname, ev, &sa);
	} else {
		fprintf(stderr, PROG ": malformed SA notification ignored\n");
	}
	return 0;
}

static int event_cb(struct nlmsghdr *nlh, void *arg)
{
	const struct dm_out *o = arg;
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct dm_nhrp_entry e;
	char ifname[IF_NAMESIZE];
	uint8_t ev;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	if (gh->cmd == DMVPN_CMD_SA_NOTIFY)
		return sa_event(nlh, o);
	if (gh->cmd != DMVPN_CMD_NHRP_NOTIFY)
		return 0;
	if (dm_parse_nhrp_msg(nlh, &e, &ev)) {
		fprintf(stderr, PROG ": malformed notification ignored\n");
		return 0;
	}
	if (!if_indextoname(e.ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", e.ifindex);
	dm_show_event(o, ifname, ev, &e);
	return 0;
}

static int cmd_monitor(struct dm_nl *nl, const struct dm_cli *c)
{
	struct dm_out o = { stdout, c->json, false };
	struct sigaction sa;

	if (dm_nl_subscribe(nl))
		return kernel_error(nl);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		struct pollfd pfd = { .fd = dm_nl_fd(nl), .events = POLLIN };
		int r = poll(&pfd, 1, -1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": poll");
			return DM_EXIT_FAIL;
		}
		r = dm_nl_recv_events(nl, event_cb, &o);
		if (r == -ENOBUFS)
			fprintf(stderr, PROG ": warning: events were lost (socket buffer overrun)\n");
		else if (r)
			return kernel_error(nl);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dm_cli c;
	struct dm_nl nl;
	char err[256];
	int r;

	r = dm_cli_parse(argc, argv, &c, err, sizeof(err));
	if (r) {
		dm_cli_wipe(&c);
		fprintf(stderr, PROG ": %s\n", err);
		return r;
	}
	if (c.cmd == DM_CMD_HELP) {
		dm_cli_usage(stdout);
		return 0;
	}
	if (c.cmd == DM_CMD_VERSION) {
		printf(PROG " " DMVPN_VERSION "\n");
		return 0;
	}

	if (c.cmd == DM_CMD_SHOW_ISAKMP_SA)
		return cmd_show_isakmp(&c);
	if (c.cmd == DM_CMD_SHOW_ISAKMP_FAILURES)
		return cmd_show_isakmp_failures(&c);
	if (c.cmd == DM_CMD_DEBUG)
		return cmd_debug(&c);
	if (c.cmd == DM_CMD_SHOW_DEBUG)
		return cmd_show_debug(&c);
	if (c.cmd == DM_CMD_CLEAR_ISAKMP)
		return cmd_clear_isakmp(&c);

	r = dm_nl_open(&nl);
	if (r == -ENOENT) {
		fprintf(stderr, PROG ": the dmvpn module is not loaded "
			"(genetlink family \"" DMVPN_GENL_NAME "\" not found)\n");
		return DM_EXIT_FAIL;
	}
	if (r) {
		char buf[320];

		fprintf(stderr, PROG ": cannot open netlink: %s\n",
			dm_nl_strerror(&nl, buf, sizeof(buf)));
		return DM_EXIT_FAIL;
	}

	switch (c.cmd) {
	case DM_CMD_MAP_ADD:
	case DM_CMD_MAP_DEL:
		r = cmd_map(&nl, &c);
		break;
	case DM_CMD_FLUSH:
		r = cmd_flush(&nl, &c);
		break;
	case DM_CMD_MONITOR:
		r = cmd_monitor(&nl, &c);
		break;
	case DM_CMD_SOCK_ATTACH:
		r = cmd_sock_attach(&nl, &c);
		break;
	case DM_CMD_SOCK_DETACH:
		r = cmd_sock_detach(&nl, &c);
		break;
	case DM_CMD_SA_ADD:
	case DM_CMD_SA_DEL:
		r = cmd_sa(&nl, &c);
		break;
	case DM_CMD_SA_FLUSH:
		r = cmd_sa_flush(&nl, &c);
		break;
	case DM_CMD_NHRP_SET:
		r = cmd_nhrp_set(&nl, &c);
		break;
	case DM_CMD_NHS_ADD:
	case DM_CMD_NHS_DEL:
		r = cmd_nhs(&nl, &c);
		break;
	case DM_CMD_MCAST_ADD:
	case DM_CMD_MCAST_DEL:
		r = cmd_mcast(&nl, &c);
		break;
	case DM_CMD_SHOW_NHS:
	case DM_CMD_SHOW_TRAFFIC:
	case DM_CMD_SHOW_MCAST:
		r = cmd_show_nhrp_proto(&nl, &c);
		break;
	case DM_CMD_SHOW_IPSEC_SA:
	case DM_CMD_SHOW_SOCKETS:
	case DM_CMD_SHOW_SESSION:
		r = cmd_show_crypto(&nl, &c);
		break;
	default:
		r = cmd_show(&nl, &c);
		break;
	}
	dm_nl_close(&nl);
	dm_cli_wipe(&c);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		r = DM_EXIT_FAIL;
	}
	return r;
}
