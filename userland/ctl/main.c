// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmvpnctl: configure and inspect dmvpn tunnels over generic netlink,
 * with the commands and output layout of Cisco IOS DMVPN.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include <linux/dmvpn.h>

#include "../lib/dmvpn_nl.h"
#include "cli.h"
#include "show.h"

#define PROG "dmvpnctl"
#ifndef DMVPN_VERSION
#define DMVPN_VERSION "0.1"
#endif

static int kernel_error(struct dm_nl *nl)
{
	char buf[320];

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

/* -------------------------------------------------------------- shows */

struct gathered {
	struct dm_dev_info *devs;
	size_t ndev;
	struct dm_nhrp_entry *ents;
	size_t nent;
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
	free(g->sdevs);
	free(g->state);
	free(g->addr);
	free(g->link);
}

static int gather(struct dm_nl *nl, const char *dev, bool nhrp,
		  struct gathered *g)
{
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

	r = gather(nl, c->dev, c->cmd != DM_CMD_SHOW_IF && !(one && c->dev[0]),
		   &g);
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

/* ------------------------------------------------------------ monitor */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int event_cb(struct nlmsghdr *nlh, void *arg)
{
	const struct dm_out *o = arg;
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct dm_nhrp_entry e;
	char ifname[IF_NAMESIZE];
	uint8_t ev;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    gh->cmd != DMVPN_CMD_NHRP_NOTIFY)
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
	default:
		r = cmd_show(&nl, &c);
		break;
	}
	dm_nl_close(&nl);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		r = DM_EXIT_FAIL;
	}
	return r;
}
