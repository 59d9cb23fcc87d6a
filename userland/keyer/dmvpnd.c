// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmvpnd: the IKEv1 keyer of dmvpn.
 *
 *   dmvpnd -c FILE [-b netlink|record:PATH] [-i PEER]... [-v] [-t]
 *
 * Binds UDP 500 and 4500 on the tunnel source, negotiates SAs with peers
 * (when the module asks with an acquire event, when -i names a peer, or
 * when a peer starts), and installs them through the backend: "netlink"
 * (default) into the dmvpn module, "record:PATH" into a file (tests).
 * SIGHUP reloads the file (the SAs it still covers stay), SIGINT/SIGTERM
 * delete every SA and tell the peers.  -t checks the file and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/dmvpn.h>
#include <linux/genetlink.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../lib/debugctl.h"
#include "../lib/dmvpn_nl.h"
#include "../lib/ikestate.h"
#include "ikev1.h"
#include "log.h"
#include "nhrp_apply.h"

#define PROG "dmvpnd"

/* A file another process replaces (write + rename), as last seen. */
struct file_watch {
	struct timespec mtime;
	ino_t ino;
	bool seen;
};

/* Whether path appeared, went or was replaced since the last call. */
static bool file_changed(struct file_watch *w, const char *path)
{
	struct stat st;
	bool exists = !stat(path, &st);

	if (exists == w->seen &&
	    (!exists || (st.st_ino == w->ino &&
			 st.st_mtim.tv_sec == w->mtime.tv_sec &&
			 st.st_mtim.tv_nsec == w->mtime.tv_nsec)))
		return false;
	w->seen = exists;
	if (exists) {
		w->ino = st.st_ino;
		w->mtime = st.st_mtim;
	}
	return true;
}

struct daemon {
	int fd500, fd4500;
	struct ikev1_ctx ike;
	struct keyer_config *cfg;
	const char *cfg_path;
	struct dm_nl events;
	bool have_events;
	uint32_t ifindex;
	unsigned long rx_esp_userland, rx_keepalive;
	char state_path[512];
	char *state_last;		/* what the file holds now */
	/* files dmvpnctl writes: "debug crypto ...", "clear crypto isakmp" */
	struct file_watch debug_file, clear_file;
	bool debug_bad;
};

/*
 * Follow "dmvpnctl debug crypto isakmp|ipsec" (lib/debugctl.h): the
 * main loop runs at least once a second, and a stat() of the debug file
 * is all it costs when nothing changed.  Each switch is logged the way
 * IOS answers "debug crypto isakmp".
 */
static void debug_watch(struct daemon *d)
{
	static const struct {
		unsigned int cat;
		const char *name;
	} names[] = {
		{ DM_DEBUG_ISAKMP, "Crypto ISAKMP" },
		{ DM_DEBUG_IPSEC, "Crypto IPSEC" },
	};
	char path[512], err[256];
	unsigned int cats;

	if (!file_changed(&d->debug_file, dm_debug_keyer_path(path, sizeof(path))))
		return;
	if (dm_debug_keyer_get(&cats, err, sizeof(err))) {
		if (!d->debug_bad)
			klog(KLOG_WARN, PROG ": debug switches ignored: %s", err);
		d->debug_bad = true;
		return;
	}
	d->debug_bad = false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((cats ^ klog_debug) & names[i].cat)
			klog(KLOG_INFO, "%s debugging is %s", names[i].name,
			     cats & names[i].cat ? "on" : "off");
	klog_debug = cats;
}

/*
 * "dmvpnctl clear crypto isakmp [CONN-ID]": delete the ISAKMP SAs (all,
 * or that one), telling the peers; the IPsec SAs stay and carry traffic,
 * and the next acquire or rekey starts a new main mode.  Only a request
 * made while dmvpnd runs counts: the first call records what is there.
 */
static void clear_watch(struct daemon *d, bool startup)
{
	char path[512];
	unsigned int conn_id, n;

	if (!file_changed(&d->clear_file, dm_ikestate_clear_path(path, sizeof(path))) ||
	    startup || !d->clear_file.seen)
		return;
	if (dm_ikestate_clear_read(&conn_id)) {
		klog(KLOG_WARN, PROG ": clear crypto isakmp: %s unreadable, ignored", path);
		return;
	}
	n = ikev1_clear_isakmp(&d->ike, conn_id);
	if (conn_id)
		klog(KLOG_INFO, "ISAKMP: clear crypto isakmp %u: %u ISAKMP SA%s deleted",
		     conn_id, n, n == 1 ? "" : "s");
	else
		klog(KLOG_INFO, "ISAKMP: clear crypto isakmp: %u ISAKMP SA%s deleted",
		     n, n == 1 ? "" : "s");
}

/*
 * The file holds pre-shared keys: say so when others can read it (as
 * sshd does of its host keys), at start and with -t.
 */
static void warn_if_readable(const char *path, const struct keyer_config *cfg)
{
	struct stat st;

	if (!cfg->npsk || stat(path, &st) || !(st.st_mode & (S_IRWXG | S_IRWXO)))
		return;
	fprintf(stderr, PROG ": warning: %s holds pre-shared keys and is readable by %s (mode %04o): chmod 600 %s\n",
		path, st.st_mode & S_IRWXO ? "every user" : "its group",
		(unsigned int)(st.st_mode & 07777), path);
}

/*
 * dmvpnd.conf's "ip nhrp" lines onto the tunnel, from old (NULL at
 * start) to new; a file without them leaves NHRP to dmvpnctl.  Only with
 * the module (netlink backend).  The number of refused changes.
 */
static unsigned int apply_nhrp(struct daemon *d, const struct keyer_nhrp *old,
			       const struct keyer_nhrp *new)
{
	struct dm_nl nl;
	unsigned int refused;

	if (!d->have_events || (!new->managed && !(old && old->managed)))
		return 0;
	if (dm_nl_open(&nl)) {
		klog(KLOG_ERR, "NHRP: %s: cannot reach the dmvpn module to apply the ip nhrp lines",
		     d->cfg_path);
		return 1;
	}
	refused = nhrp_apply(&nl, d->ifindex, d->cfg_path, old, new);
	dm_nl_close(&nl);
	return refused;
}

/*
 * SIGHUP: read the file again.  A file with an error, or one that moves
 * the tunnel (the sockets are bound to its source), is refused and the
 * running config stays.  Otherwise the new config takes over and only
 * the SAs it no longer covers are deleted (ikev1_reload says which).
 */
/* Aggressive mode is off by default; whoever turns it on hears why at
 * every start and reload. */
static void warn_aggressive(const struct keyer_config *cfg)
{
	size_t n = policy_aggressive_peers(cfg);

	if (cfg->aggr_accept)
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_AGGR_ENABLED: crypto isakmp aggressive-mode: aggressive-mode offers are answered; "
		     "each answer (HASH_R, in the clear) exposes a hash of the pre-shared key to an offline dictionary attack by anyone who sends an offer or sees the exchange");
	if (n)
		klog(KLOG_WARN, "%%CRYPTO-4-IKMP_AGGR_ENABLED: initiating aggressive mode to %zu peer%s (crypto isakmp peer ... set aggressive-mode); "
		     "its HASH_R in the clear exposes a hash of the pre-shared key to an offline dictionary attack",
		     n, n == 1 ? "" : "s");
}

static void reload(struct daemon *d, char *err, size_t errlen)
{
	struct keyer_config *n = calloc(1, sizeof(*n));
	unsigned int gone;
	const char *why;

	if (!n) {
		klog(KLOG_ERR, PROG ": reload refused, old config kept: out of memory");
		return;
	}
	if (keyer_config_load(d->cfg_path, n, err, errlen)) {
		klog(KLOG_ERR, PROG ": reload refused, old config kept: %s", err);
		free(n);
		return;
	}
	why = policy_reload_refusal(d->cfg, n, err, errlen);
	if (why) {
		klog(KLOG_ERR, PROG ": reload refused, old config kept: %s: %s",
		     d->cfg_path, why);
		keyer_config_wipe(n);
		free(n);
		return;
	}
	gone = ikev1_reload(&d->ike, d->cfg, n);
	apply_nhrp(d, &d->cfg->tun.nhrp, &n->tun.nhrp);
	keyer_config_wipe(d->cfg);
	free(d->cfg);
	d->cfg = n;
	klog(KLOG_INFO, PROG ": reloaded %s; %zu IPsec SA pair%s kept, %u SA%s deleted",
	     d->cfg_path, d->ike.nchildren, d->ike.nchildren == 1 ? "" : "s",
	     gone, gone == 1 ? "" : "s");
	warn_aggressive(d->cfg);
}

/*
 * Publish the ISAKMP SAs for "dmvpnctl show crypto isakmp sa": the whole
 * file again (write + rename) when its content changed.
 */
static void publish_state(struct daemon *d)
{
	char *buf = NULL, tmp[600];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len), *f;

	if (!m)
		return;
	fprintf(m, "# dmvpnd IKE state (dmvpnctl show crypto isakmp sa)\n");
	ikev1_state_write(&d->ike, d->cfg->tun.ifname, m);
	fclose(m);
	if (d->state_last && !strcmp(d->state_last, buf)) {
		free(buf);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->state_path);
	f = fopen(tmp, "w");
	if (f && fputs(buf, f) >= 0 && !fclose(f)) {
		if (!rename(tmp, d->state_path)) {
			free(d->state_last);
			d->state_last = buf;
			return;
		}
	} else if (f) {
		fclose(f);
	}
	unlink(tmp);
	free(buf);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void to_sockaddr(const struct dm_addr *a, uint16_t port,
			struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->bytes, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->bytes, 4);
		*len = sizeof(*s4);
	}
}

static void send_pkt(void *arg, const uint8_t *pkt, size_t len,
		     const struct dm_addr *to, uint16_t to_port, uint16_t from_port)
{
	struct daemon *d = arg;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t buf[ISAKMP_MAX_MSG + 4];
	int fd = from_port == IKE_NATT_PORT ? d->fd4500 : d->fd500;
	ssize_t r;

	to_sockaddr(to, to_port, &ss, &sl);
	if (len == 1 && pkt[0] == 0xff) {
		/* NAT keepalive: no marker */
		r = sendto(d->fd4500, pkt, 1, 0, (struct sockaddr *)&ss, sl);
	} else if (from_port == IKE_NATT_PORT) {
		/* RFC 3948 2.2: the non-ESP marker */
		if (len > ISAKMP_MAX_MSG)
			return;
		memset(buf, 0, 4);
		memcpy(buf + 4, pkt, len);
		r = sendto(fd, buf, len + 4, 0, (struct sockaddr *)&ss, sl);
	} else {
		r = sendto(fd, pkt, len, 0, (struct sockaddr *)&ss, sl);
	}
	if (r < 0)
		klog(KLOG_WARN, "ISAKMP: send to port %u failed: %s", to_port, strerror(errno));
}

static int bind_udp(const struct dm_addr *local, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(local->family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			IPPROTO_UDP);
	char a[DM_ADDR_STRLEN];

	if (fd < 0)
		return -1;
	to_sockaddr(local, port, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		klog(KLOG_ERR, "cannot bind UDP %s:%u: %s",
		     dm_addr_fmt(local, a, sizeof(a)), port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void read_sock(struct daemon *d, int fd, uint16_t lport)
{
	uint8_t buf[ISAKMP_MAX_MSG + 64];

	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct dm_addr from = { 0 };
		uint16_t port;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sl);
		const uint8_t *p = buf;

		if (n < 0)
			return;
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			dm_addr_from_bin(&from, &s4->sin_addr, 4);
			port = ntohs(s4->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			dm_addr_from_bin(&from, &s6->sin6_addr, 16);
			port = ntohs(s6->sin6_port);
		} else {
			continue;
		}
		if (lport == IKE_NATT_PORT) {
			if (n == 1 && buf[0] == 0xff) {
				d->rx_keepalive++;	/* NAT keepalive (RFC 3948 2.3) */
				continue;
			}
			if (n < 4 || memcmp(buf, "\0\0\0\0", 4)) {
				/* ESP the module did not take (none attached) */
				d->rx_esp_userland++;
				continue;
			}
			p += 4;
			n -= 4;
		}
		d->ike.now_ms = now_ms();
		ikev1_input(&d->ike, p, (size_t)n, &from, port, lport);
	}
}

/* ---- module events ---- */

static int event_cb(struct nlmsghdr *nlh, void *arg)
{
	struct daemon *d = arg;
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct dm_peer p;
	struct dm_sa sa;
	char a[DM_ADDR_STRLEN];
	uint8_t ev;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    gh->cmd != DMVPN_CMD_SA_NOTIFY)
		return 0;
	d->ike.now_ms = now_ms();
	if (!dm_parse_peer_msg(nlh, &p, &ev)) {
		if (ev == DMVPN_EVENT_SA_ACQUIRE && p.ifindex == d->ifindex) {
			klog(KLOG_INFO, "IPSEC: acquire for %s from the module",
			     dm_addr_fmt(&p.addr, a, sizeof(a)));
			ikev1_acquire(&d->ike, &p.addr);
		}
	} else if (!dm_parse_sa_msg(nlh, &sa, &ev) && sa.ifindex == d->ifindex) {
		switch (ev) {
		case DMVPN_EVENT_SA_SOFT_EXPIRE:
			ikev1_rekey_child(&d->ike, sa.spi);
			break;
		case DMVPN_EVENT_SA_HARD_EXPIRE:
			for (size_t i = 0; i < d->ike.nchildren; i++)
				if (d->ike.children[i].spi_in == sa.spi ||
				    d->ike.children[i].spi_out == sa.spi) {
					/* the module deleted its half; drop the rest */
					ikev1_child_remove(&d->ike, i, true);
					break;
				}
			break;
		case DMVPN_EVENT_SA_INVALID_SPI:
			klog(KLOG_WARN, "%%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=%s, prot=50, spi=0x%08X(%u)",
			     dm_addr_fmt(&sa.peer, a, sizeof(a)), sa.spi, sa.spi);
			peer_failure_note(&d->ike.failures, &sa.peer, 0, DM_IKE_FAIL_INVALID_SPI,
					  "ESP from the peer with SPI 0x%08X, which no SA of ours has (%%CRYPTO-4-RECVD_PKT_INV_SPI); the peer is told (INVALID-SPI)",
					  sa.spi);
			ikev1_invalid_spi(&d->ike, &sa.peer, sa.spi);
			break;
		}
	}
	return 0;
}

static int attach_socket(struct daemon *d, struct dm_nl *nl)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, DMVPN_CMD_SOCK_ATTACH, 0);
	char e[256];

	if (!msg || dm_put_ifindex(msg, d->ifindex) ||
	    dm_put_sock_fd(msg, (uint32_t)d->fd4500)) {
		nlmsg_free(msg);
		return -1;
	}
	if (dm_nl_talk(nl, msg, NULL, NULL)) {
		klog(KLOG_ERR, "cannot hand UDP 4500 to %s: %s", d->cfg->tun.ifname,
		     dm_nl_strerror(nl, e, sizeof(e)));
		return -1;
	}
	return 0;
}

static void detach_socket(struct daemon *d, struct dm_nl *nl)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, DMVPN_CMD_SOCK_DETACH, 0);

	if (!msg || dm_put_ifindex(msg, d->ifindex)) {
		nlmsg_free(msg);
		return;
	}
	if (!dm_nl_talk(nl, msg, NULL, NULL))
		klog(KLOG_INFO, "took back the UDP socket an earlier run lent to %s",
		     d->cfg->tun.ifname);
}

/* Stale SAs of an earlier run would carry traffic nobody can rekey. */
static int flush_sas(struct daemon *d, struct dm_nl *nl)
{
	struct nl_msg *msg = dm_msg_alloc(nl->family, DMVPN_CMD_SA_FLUSH, 0);
	char e[256];

	if (!msg || dm_put_ifindex(msg, d->ifindex)) {
		nlmsg_free(msg);
		return -1;
	}
	if (dm_nl_talk(nl, msg, NULL, NULL)) {
		klog(KLOG_ERR, "cannot flush the SAs of %s: %s", d->cfg->tun.ifname,
		     dm_nl_strerror(nl, e, sizeof(e)));
		return -1;
	}
	return 0;
}

/*
 * After the sockets are bound nothing needs root's powers but, for the
 * module, CAP_NET_ADMIN (genetlink SA commands).  The uid stays 0 so that
 * SIGHUP can still read a 0600 config file.
 */
static void drop_privileges(bool keep_net_admin)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		if (!(keep_net_admin && c == CAP_NET_ADMIN))
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	if (keep_net_admin)
		d[0].effective = d[0].permitted = 1u << CAP_NET_ADMIN;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_capset, &h, d))
		klog(KLOG_WARN, "cannot drop privileges: %s", strerror(errno));
	else
		klog(KLOG_INFO, "privileges dropped: %s", keep_net_admin ?
		     "only CAP_NET_ADMIN kept" : "no capabilities kept");
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " -c FILE [-b netlink|record:PATH] [-i PEER]... [-n COUNT] [-v] [-t]\n"
		"  -n COUNT  benchmark: key the -i peer COUNT times (main + quick mode),\n"
		"            deleting each pair, print handshakes per second, exit\n");
}

int main(int argc, char **argv)
{
	static struct daemon d;
	const char *backend_arg = "netlink";
	const char *peers[16];
	size_t npeers = 0;
	bool check_only = false;
	unsigned long bench_n = 0, bench_done = 0;
	uint64_t bench_start = 0;
	struct sa_backend *backend;
	char err[512];
	sigset_t mask;
	int sfd, opt;

	while ((opt = getopt(argc, argv, "c:b:i:n:vth")) != -1) {
		switch (opt) {
		case 'n':
			bench_n = strtoul(optarg, NULL, 10);
			break;
		case 'c': d.cfg_path = optarg; break;
		case 'b': backend_arg = optarg; break;
		case 'i':
			if (npeers == sizeof(peers) / sizeof(peers[0])) {
				fprintf(stderr, PROG ": at most 16 -i\n");
				return 2;
			}
			peers[npeers++] = optarg;
			break;
		case 'v': klog_level = KLOG_DEBUG; break;
		case 't': check_only = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!d.cfg_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	d.cfg = calloc(1, sizeof(*d.cfg));
	if (!d.cfg || keyer_config_load(d.cfg_path, d.cfg, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", d.cfg ? err : "out of memory");
		return 1;
	}
	if (!d.cfg->has_tun) {
		fprintf(stderr, PROG ": %s: no \"interface\" with \"tunnel source\"\n", d.cfg_path);
		return 1;
	}
	if (!policy_profile(d.cfg)) {
		fprintf(stderr, PROG ": %s: no ipsec profile for interface %s\n", d.cfg_path,
			d.cfg->tun.ifname);
		return 1;
	}
	warn_if_readable(d.cfg_path, d.cfg);
	warn_aggressive(d.cfg);
	if (check_only) {
		/* IOS users expect a word back, not only an exit status */
		printf(PROG ": %s: configuration OK (%zu isakmp polic%s besides the default 65535, %zu key%s, interface %s, %s)\n",
		       d.cfg_path, d.cfg->npol - 1, d.cfg->npol == 2 ? "y" : "ies",
		       d.cfg->npsk, d.cfg->npsk == 1 ? "" : "s", d.cfg->tun.ifname,
		       d.cfg->tun.nhrp.managed ? "NHRP from this file" : "NHRP left to dmvpnctl");
		return 0;
	}
	for (size_t i = 0; i < npeers; i++) {
		struct dm_addr a;

		if (dm_addr_parse(peers[i], &a)) {
			fprintf(stderr, PROG ": -i: bad address \"%s\"\n", peers[i]);
			return 2;
		}
	}
	if (!strncmp(backend_arg, "record:", 7)) {
		backend = sa_backend_record(backend_arg + 7);
		if (!backend) {
			fprintf(stderr, PROG ": cannot open %s: %s\n", backend_arg + 7, strerror(errno));
			return 1;
		}
	} else if (!strcmp(backend_arg, "netlink")) {
		backend = sa_backend_netlink(d.cfg->tun.ifname);
		if (!backend) {
			fprintf(stderr, PROG ": no dmvpn tunnel %s (or the module is not loaded): create it first (ip link add %s type dmvpn local ... protect); dmvpnd.service retries every 2 s\n",
				d.cfg->tun.ifname, d.cfg->tun.ifname);
			return 1;
		}
	} else {
		fprintf(stderr, PROG ": -b: \"%s\" is not netlink or record:PATH\n", backend_arg);
		return 2;
	}

	if (!strcmp(backend->name, "netlink")) {
		d.ifindex = if_nametoindex(d.cfg->tun.ifname);
		if (dm_nl_open(&d.events) || flush_sas(&d, &d.events))
			return 1;
		/* an earlier run's socket may still be lent to the tunnel
		 * (killed without cleanup): take it back so 4500 is free */
		detach_socket(&d, &d.events);
	}
	d.fd500 = bind_udp(&d.cfg->tun.source, IKE_PORT);
	d.fd4500 = bind_udp(&d.cfg->tun.source, IKE_NATT_PORT);
	if (d.fd500 < 0 || d.fd4500 < 0)
		return 1;
	if (!strcmp(backend->name, "netlink")) {
		if (attach_socket(&d, &d.events) || dm_nl_subscribe(&d.events))
			return 1;
		d.have_events = true;
		/* before the first registration can need SAs: events are on */
		if (apply_nhrp(&d, NULL, &d.cfg->tun.nhrp)) {
			fprintf(stderr, PROG ": %s: the module refused NHRP configuration (logged above)\n",
				d.cfg_path);
			return 1;
		}
	}
	ikev1_init(&d.ike, d.cfg, backend, send_pkt, &d, &d.cfg->tun.source);
	mkdir(dm_ikestate_dir(), 0755);
	snprintf(d.state_path, sizeof(d.state_path), "%s/isakmp-%s",
		 dm_ikestate_dir(), d.cfg->tun.ifname);
	drop_privileges(d.have_events);

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		return 1;
	klog(KLOG_INFO, PROG ": started, backend %s, %zu isakmp policies, %zu keys",
	     backend->name, d.cfg->npol, d.cfg->npsk);

	if (bench_n && npeers != 1) {
		fprintf(stderr, PROG ": -n needs exactly one -i\n");
		return 2;
	}
	/* debug switches apply from the first packet on */
	debug_watch(&d);
	clear_watch(&d, true);
	d.ike.now_ms = now_ms();
	bench_start = d.ike.now_ms;
	for (size_t i = 0; i < npeers; i++) {
		struct dm_addr a;

		dm_addr_parse(peers[i], &a);
		ikev1_initiate(&d.ike, &a);
	}
	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = d.fd500, .events = POLLIN },
			{ .fd = d.fd4500, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = d.have_events ? dm_nl_fd(&d.events) : -1, .events = POLLIN },
		};
		uint64_t wait;
		int r;

		if (bench_n && d.ike.p2_keyed > bench_done) {
			struct dm_addr a;

			bench_done = d.ike.p2_keyed;
			if (bench_done >= bench_n) {
				double secs = (double)(now_ms() - bench_start) / 1000;

				printf("bench: %lu handshakes (main + quick mode) in %.3f s: %.2f per second\n",
				       bench_done, secs, secs > 0 ? (double)bench_done / secs : 0);
				fflush(stdout);
				break;
			}
			/* delete everything (telling the peer), key again */
			ikev1_shutdown(&d.ike);
			dm_addr_parse(peers[0], &a);
			d.ike.now_ms = now_ms();
			ikev1_initiate(&d.ike, &a);
		}
		debug_watch(&d);
		clear_watch(&d, false);
		wait = ikev1_tick(&d.ike, now_ms());
		publish_state(&d);
		/* at least once a second: the published lifetimes count down */
		r = poll(pfd, 4, wait > 1000 ? 1000 : (int)wait);

		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			read_sock(&d, d.fd500, IKE_PORT);
		if (pfd[1].revents & POLLIN)
			read_sock(&d, d.fd4500, IKE_NATT_PORT);
		if (pfd[3].revents & POLLIN) {
			int e = dm_nl_recv_events(&d.events, event_cb, &d);

			if (e == -ENOBUFS)
				klog(KLOG_WARN, "module events were lost (socket buffer overrun)");
		}
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGHUP) {
				reload(&d, err, sizeof(err));
				continue;
			}
			break;
		}
	}
	klog(KLOG_INFO, PROG ": shutting down, deleting %zu SA pairs", d.ike.nchildren);
	ikev1_shutdown(&d.ike);
	unlink(d.state_path);
	free(d.state_last);
	sa_backend_close(backend);
	if (d.have_events)
		dm_nl_close(&d.events);
	keyer_config_wipe(d.cfg);
	free(d.cfg);
	close(d.fd500);
	close(d.fd4500);
	close(sfd);
	return 0;
}
