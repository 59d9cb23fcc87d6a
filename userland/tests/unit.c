// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs every unit test and prints one KTAP v1 document.  Besides the C
 * suites it runs two checks against files of the tree: the netlink spec
 * against the uapi header (tests/check_spec.py) and the iproute2 plugin
 * inside the real ip(8) when one is installed.
 */
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/dmvpn.h>

#include "unit.h"

int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);	/* tests/ip_stubs.c */

static int failed;
static const char *skipped;
static char srcdir[4096] = ".";

void dm_t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed = 1;
}

void dm_t_skip(const char *why)
{
	skipped = why;
}

FILE *cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	return c->fp;
}

const char *cap_str(struct capture *c)
{
	if (c->fp) {
		fclose(c->fp);
		c->fp = NULL;
	}
	return c->buf ? c->buf : "";
}

void cap_free(struct capture *c)
{
	cap_str(c);
	free(c->buf);
	c->buf = NULL;
}

/* ---- a strict JSON checker (RFC 8259), for the -j outputs ---- */

static const char *jv(const char *s, int depth);

static const char *jws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *jstr(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s && *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s != '\\')
			continue;
		s++;
		if (*s == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
					return NULL;
			s += 4;
		} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
			return NULL;
		}
	}
	return *s == '"' ? s + 1 : NULL;
}

static const char *jnum(const char *s)
{
	const char *d;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return NULL;
	if (*s == '.') {
		d = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == d)
			return NULL;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		d = s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == d)
			return NULL;
	}
	return s;
}

static const char *jseq(const char *s, int depth, char close, bool keys)
{
	s = jws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (keys) {
			s = jstr(jws(s));
			if (!s)
				return NULL;
			s = jws(s);
			if (*s++ != ':')
				return NULL;
		}
		s = jv(s, depth + 1);
		if (!s)
			return NULL;
		s = jws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
	}
}

static const char *jv(const char *s, int depth)
{
	if (depth > 64)
		return NULL;
	s = jws(s);
	switch (*s) {
	case '{': return jseq(s, depth, '}', true);
	case '[': return jseq(s, depth, ']', false);
	case '"': return jstr(s);
	case 't': return strncmp(s, "true", 4) ? NULL : s + 4;
	case 'f': return strncmp(s, "false", 5) ? NULL : s + 5;
	case 'n': return strncmp(s, "null", 4) ? NULL : s + 4;
	default:  return jnum(s);
	}
}

int json_valid(const char *s)
{
	s = s ? jv(s, 0) : NULL;
	return s && !*jws(s);
}

/* Run a shell command, echo its output as KTAP diagnostics, return its
 * exit status (-1 if it did not run). */
static int run_diag(const char *cmd, char *out, size_t outlen)
{
	char line[512];
	size_t off = 0;
	FILE *p = popen(cmd, "r");
	int st;

	if (out && outlen)
		out[0] = '\0';
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		printf("# %s", line);
		if (!strchr(line, '\n'))
			printf("\n");
		if (out && off < outlen)
			off += (size_t)snprintf(out + off, outlen - off, "%s", line);
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void spec_matches_uapi(void)
{
	char cmd[8400];

	if (system("python3 -c 'import yaml' >/dev/null 2>&1")) {
		dm_t_skip("python3-yaml not installed");
		return;
	}
	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/check_spec.py' --selftest 2>&1", srcdir);
	CHECK_INT(run_diag(cmd, NULL, 0), 0);
}

static void plugin_in_real_ip(void)
{
	char cmd[8400], out[4096];

	if (access("/usr/sbin/ip", X_OK) && access("/sbin/ip", X_OK)) {
		dm_t_skip("ip(8) not installed");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "IP_LIB_DIR='%s' ip link help dmvpn 2>&1; echo rc=$?", srcdir);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "Usage: ... dmvpn local ADDR");
	/* a bad keyword is refused by the plugin before anything is sent */
	snprintf(cmd, sizeof(cmd),
		 "IP_LIB_DIR='%s' ip link add dmvpntest0 type dmvpn local 10.0.0.1 bogus 1 2>&1; echo rc=$?",
		 srcdir);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "dmvpn: unknown option \"bogus\"");
	CHECK(!strstr(out, "rc=0"));
}

/* An RTM_NEWLINK of a dmvpn tunnel, as the kernel would report it. */
static int write_link_msg(const char *path)
{
	union { struct nlmsghdr n; char b[512]; } m;
	struct ifinfomsg *ifi;
	struct rtattr *li, *data;
	uint32_t u32 = 1;
	uint16_t u16 = 1360;
	uint8_t u8;
	FILE *f;

	memset(&m, 0, sizeof(m));
	m.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	m.n.nlmsg_type = RTM_NEWLINK;
	ifi = NLMSG_DATA(&m.n);
	ifi->ifi_index = 5;
	ifi->ifi_type = 778;	/* ARPHRD_IPGRE */
	ifi->ifi_flags = IFF_UP;
	addattr_l(&m.n, sizeof(m), IFLA_IFNAME, "tun0", 5);
	li = (struct rtattr *)((char *)&m + NLMSG_ALIGN(m.n.nlmsg_len));
	addattr_l(&m.n, sizeof(m), IFLA_LINKINFO, NULL, 0);
	addattr_l(&m.n, sizeof(m), IFLA_INFO_KIND, "dmvpn", 5);
	data = (struct rtattr *)((char *)&m + NLMSG_ALIGN(m.n.nlmsg_len));
	addattr_l(&m.n, sizeof(m), IFLA_INFO_DATA, NULL, 0);
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_LOCAL, "\xac\x10\x0a\x01", 4);
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_REMOTE, "\xac\x10\x01\x01", 4);
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_KEY, &u32, 4);
	u8 = 64;
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_TTL, &u8, 1);
	u8 = DMVPN_TOS_INHERIT;
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_TOS, &u8, 1);
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_LINK, &u32, 4);	/* lo */
	u8 = 1;
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_PROTECT, &u8, 1);
	addattr_l(&m.n, sizeof(m), IFLA_DMVPN_TCP_MSS, &u16, 2);
	data->rta_len = (unsigned short)((char *)&m + m.n.nlmsg_len - (char *)data);
	li->rta_len = (unsigned short)((char *)&m + m.n.nlmsg_len - (char *)li);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(&m, 1, m.n.nlmsg_len, f);
	return fclose(f);
}

static void plugin_prints_in_real_ip(void)
{
	char cmd[8400], out[4096], path[] = "/tmp/dmvpn_unit_XXXXXX";
	int fd;

	if (access("/usr/sbin/ip", X_OK) && access("/sbin/ip", X_OK)) {
		dm_t_skip("ip(8) not installed");
		return;
	}
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	CHECK_INT(write_link_msg(path), 0);
	/* "ip monitor file" prints saved rtnetlink messages */
	snprintf(cmd, sizeof(cmd), "IP_LIB_DIR='%s' ip -d monitor file '%s' 2>&1",
		 srcdir, path);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "dmvpn local 172.16.10.1 remote 172.16.1.1 key 1 ttl 64 tos inherit dev lo protect tcp-mss 1360");
	/* and as JSON, where ip prints monitor files as JSON (6.1 does not) */
	snprintf(cmd, sizeof(cmd), "IP_LIB_DIR='%s' ip -d -j monitor file '%s' 2>&1",
		 srcdir, path);
	run_diag(cmd, out, sizeof(out));
	if (strstr(out, "\"info_data\"")) {
		CHECK_CONTAINS(out, "\"protect\":true");
		CHECK_CONTAINS(out, "\"tcp_mss\":1360");
	}
	unlink(path);
}

/* selftests/tools/rtnl_raw.py: refuses bad input, reads the kernel's
 * extack ("Unknown device type" for a kind no kernel has). */
static void rtnl_raw_tool(void)
{
	char cmd[8400], out[4096];
	const char *tool = "python3 '%s/../selftests/tools/rtnl_raw.py'";
	char t[4200];

	snprintf(t, sizeof(t), tool, srcdir);
	snprintf(cmd, sizeof(cmd), "%s newlink x --attr FOO=u8:1 2>&1; echo rc=$?", t);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "unknown attribute 'FOO'");
	CHECK_CONTAINS(out, "rc=2");
	snprintf(cmd, sizeof(cmd), "%s newlink x --attr KEY=u16:70000 2>&1; echo rc=$?", t);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "rc=2");
	snprintf(cmd, sizeof(cmd), "%s newlink x --attr LOCAL=ipv4:1.2.3 2>&1; echo rc=$?", t);
	run_diag(cmd, out, sizeof(out));
	CHECK_CONTAINS(out, "rc=2");
	snprintf(cmd, sizeof(cmd),
		 "%s newlink dmvpnut0 --kind no-such-kind-x --attr LOCAL=ipv4:10.0.0.1 --attr 99=hex:00 2>&1; echo rc=$?",
		 t);
	run_diag(cmd, out, sizeof(out));
	CHECK(strstr(out, "error: EOPNOTSUPP: Unknown device type") ||
	      strstr(out, "error: EPERM"));
	CHECK_CONTAINS(out, "rc=1");
}

/* tests/ike_netns.sh: dmvpnd against dmvpnd and strongSwan in network
 * namespaces (record backend), the IOS diagnostics, malformed input. */
static void ike_netns_handshakes(void)
{
	char cmd[8400], out[16384];

	if (geteuid()) {
		dm_t_skip("needs root (network namespaces)");
		return;
	}
	if (system("ip netns add dmvpn_unit_probe 2>/dev/null && ip netns del dmvpn_unit_probe")) {
		dm_t_skip("cannot create network namespaces here");
		return;
	}
	snprintf(cmd, sizeof(cmd), "'%s/tests/ike_netns.sh' 2>&1", srcdir);
	CHECK_INT(run_diag(cmd, out, sizeof(out)), 0);
	CHECK_CONTAINS(out, "ok 1 dmvpnd_dmvpnd");
}

static const struct dm_test tree_tests[] = {
	{ "spec_matches_uapi", spec_matches_uapi },
	{ "plugin_in_real_ip", plugin_in_real_ip },
	{ "plugin_prints_in_real_ip", plugin_prints_in_real_ip },
	{ "rtnl_raw_tool", rtnl_raw_tool },
	{ "ike_netns_handshakes", ike_netns_handshakes },
	{ NULL, NULL },
};

int main(void)
{
	const struct dm_test *suites[] = {
		addr_tests, json_tests, cli_tests, msg_tests, show_tests,
		link_tests, nl_tests, crypto_tests, crypto_show_tests,
		nhrp_msg_tests, nhrp_cli_tests, nhrp_show_tests, isakmp_tests,
		ikecrypto_tests, keyer_config_tests, ikev1_tests, debug_tests, tree_tests,
	};
	const size_t nsuites = sizeof(suites) / sizeof(suites[0]);
	int total = 0, n = 0, nfail = 0;
	const char *env = getenv("UNIT_SRCDIR");

	if (env)
		snprintf(srcdir, sizeof(srcdir), "%s", env);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t s = 0; s < nsuites; s++)
		for (const struct dm_test *t = suites[s]; t->name; t++)
			total++;
	printf("KTAP version 1\n1..%d\n", total);
	for (size_t s = 0; s < nsuites; s++) {
		for (const struct dm_test *t = suites[s]; t->name; t++) {
			failed = 0;
			skipped = NULL;
			t->fn();
			fflush(stdout);
			n++;
			if (failed)
				nfail++;
			if (skipped && !failed)
				printf("ok %d %s # SKIP %s\n", n, t->name, skipped);
			else
				printf("%sok %d %s\n", failed ? "not " : "", n, t->name);
		}
	}
	printf("# %d tests, %d passed, %d failed\n", total, total - nfail, nfail);
	return nfail ? 1 : 0;
}
