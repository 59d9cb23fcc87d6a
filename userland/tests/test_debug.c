// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run-time debugging: the "debug ..." grammar, dmvpnd's debug file, the
 * dynamic debug queries dmvpnctl writes and how it reads the control
 * file back, the keyer's log categories and "show debugging".
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ctl/cli.h"
#include "../ctl/show.h"
#include "../keyer/log.h"
#include "../lib/debugctl.h"
#include "../lib/ikestate.h"
#include "unit.h"

static int parse(struct dm_cli *c, char *err, size_t errlen, const char *a1,
		 const char *a2, const char *a3, const char *a4)
{
	char *argv[6] = { "dmvpnctl", (char *)a1, (char *)a2, (char *)a3,
			  (char *)a4, NULL };
	int argc = 1;

	while (argc < 5 && argv[argc])
		argc++;
	return dm_cli_parse(argc, argv, c, err, errlen);
}

static void grammar(void)
{
	struct dm_cli c;
	char err[256];

	CHECK_INT(parse(&c, err, sizeof(err), "debug", "crypto", "isakmp", NULL), DM_EXIT_OK);
	CHECK_INT(c.cmd, DM_CMD_DEBUG);
	CHECK(c.debug_on);
	CHECK_INT(c.debug_cats, DM_DEBUG_ISAKMP);
	CHECK_INT(parse(&c, err, sizeof(err), "deb", "cry", "ips", NULL), DM_EXIT_OK);
	CHECK_INT(c.debug_cats, DM_DEBUG_IPSEC);
	CHECK_INT(parse(&c, err, sizeof(err), "debug", "nhrp", NULL, NULL), DM_EXIT_OK);
	CHECK_INT(c.debug_cats, DM_DEBUG_NHRP);
	CHECK_INT(parse(&c, err, sizeof(err), "debug", "dmvpn", "all", "all"), DM_EXIT_OK);
	CHECK_INT(c.debug_cats, DM_DEBUG_ALL);
	CHECK_INT(parse(&c, err, sizeof(err), "no", "debug", "all", NULL), DM_EXIT_OK);
	CHECK(!c.debug_on);
	CHECK_INT(c.debug_cats, DM_DEBUG_ALL);
	CHECK_INT(parse(&c, err, sizeof(err), "undebug", "crypto", "isakmp", NULL), DM_EXIT_OK);
	CHECK(!c.debug_on);
	CHECK_INT(c.debug_cats, DM_DEBUG_ISAKMP);
	CHECK_INT(parse(&c, err, sizeof(err), "show", "debugging", NULL, NULL), DM_EXIT_OK);
	CHECK_INT(c.cmd, DM_CMD_SHOW_DEBUG);
	CHECK_INT(parse(&c, err, sizeof(err), "sh", "deb", NULL, NULL), DM_EXIT_OK);
	CHECK_INT(c.cmd, DM_CMD_SHOW_DEBUG);

	CHECK_INT(parse(&c, err, sizeof(err), "debug", "crypto", NULL, NULL), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "isakmp|ipsec");
	CHECK_INT(parse(&c, err, sizeof(err), "debug", "ospf", NULL, NULL), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "\"ospf\"");
	CHECK_INT(parse(&c, err, sizeof(err), "debug", "nhrp", "extra", NULL), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "\"extra\"");
	CHECK_INT(parse(&c, err, sizeof(err), "no", "nhrp", NULL, NULL), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "debug");
}

static char *tmpdir(void)
{
	static char dir[] = "/tmp/dmvpn-debug-test.XXXXXX";

	strcpy(dir, "/tmp/dmvpn-debug-test.XXXXXX");
	return mkdtemp(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		CHECK(f);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The file dmvpnctl writes and dmvpnd reads: words, atomically replaced,
 * gone when nothing is on. */
static void keyer_file(void)
{
	char *dir = tmpdir(), path[512], err[256];
	unsigned int cats = 99;

	CHECK(dir);
	setenv("DMVPN_RUN_DIR", dir, 1);
	CHECK_INT(dm_debug_keyer_get(&cats, err, sizeof(err)), 0);
	CHECK_INT(cats, 0);
	CHECK_INT(dm_debug_keyer_set(DM_DEBUG_ISAKMP | DM_DEBUG_IPSEC, err, sizeof(err)), 0);
	CHECK_STR(read_file(dm_debug_keyer_path(path, sizeof(path))), "isakmp ipsec\n");
	CHECK_INT(dm_debug_keyer_get(&cats, err, sizeof(err)), 0);
	CHECK_INT(cats, DM_DEBUG_KEYER);
	/* module categories never go to the keyer's file */
	CHECK_INT(dm_debug_keyer_set(DM_DEBUG_IPSEC | DM_DEBUG_NHRP, err, sizeof(err)), 0);
	CHECK_STR(read_file(path), "ipsec\n");
	CHECK_INT(dm_debug_keyer_set(0, err, sizeof(err)), 0);
	CHECK(access(path, F_OK) != 0);
	/* a damaged file is reported, not half-applied */
	write_file(path, "isakmp bogus\n");
	CHECK_INT(dm_debug_keyer_get(&cats, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "\"bogus\" is not a debug category");
	unlink(path);
	rmdir(dir);
	unsetenv("DMVPN_RUN_DIR");
}

/* A control file as the kernel lists it (6.1 layout). */
static const char control_text[] =
	"# filename:lineno [module]function flags format\n"
	"net/ipv4/tcp.c:100 [tcp]tcp_foo =p \"not ours\"\n"
	"/src/dmvpn/kernel/nhrp.c:330 [dmvpn]dmvpn_nhrp_send =p \"%s: NHRP: Send %s\"\n"
	"/src/dmvpn/kernel/nhrp.c:1450 [dmvpn]dmvpn_nhrp_input =p \"%s: NHRP: Receive %s\"\n"
	"/src/dmvpn/kernel/esp.c:150 [dmvpn]dmvpn_esp_acquire =_ \"%s: IPSEC(sa_request)\"\n"
	"/src/dmvpn/kernel/sa.c:150 [dmvpn]dmvpn_sa_dbg =p \"%s: IPSEC: %s SA\"\n";

static void module_control(void)
{
	char *dir = tmpdir(), path[512], err[256];
	unsigned int cats = 0;
	const char *q;

	CHECK(dir);
	snprintf(path, sizeof(path), "%s/control", dir);
	setenv("DMVPN_DYNDBG_CONTROL", path, 1);
	CHECK_STR(dm_debug_control_path(), path);

	/* NHRP fully on; IPsec only half (esp.c off); so not "dmvpn" */
	write_file(path, control_text);
	CHECK_INT(dm_debug_module_get(&cats, err, sizeof(err)), 0);
	CHECK_INT(cats, DM_DEBUG_NHRP);

	/* the queries go to the file one per line, by file or module */
	CHECK_INT(dm_debug_module_set(DM_DEBUG_IPSEC, true, err, sizeof(err)), 0);
	CHECK_INT(dm_debug_module_set(DM_DEBUG_NHRP, false, err, sizeof(err)), 0);
	CHECK_INT(dm_debug_module_set(DM_DEBUG_ALL, true, err, sizeof(err)), 0);
	q = read_file(path) + strlen(control_text);
	CHECK_STR(q, "module dmvpn file esp.c +p\n"
		     "module dmvpn file sa.c +p\n"
		     "module dmvpn file nhrp.c -p\n"
		     "module dmvpn +p\n");

	/* no call site of ours: the module is not loaded, nothing written */
	write_file(path, "net/ipv4/tcp.c:100 [tcp]tcp_foo =p \"not ours\"\n");
	CHECK_INT(dm_debug_module_get(&cats, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "the dmvpn module is not loaded");
	CHECK_INT(dm_debug_module_set(DM_DEBUG_NHRP, true, err, sizeof(err)), -1);
	CHECK_STR(read_file(path), "net/ipv4/tcp.c:100 [tcp]tcp_foo =p \"not ours\"\n");

	/* every line of ours on: all three */
	write_file(path, "/k/nhrp.c:1 [dmvpn]a =p \"x\"\n/k/esp.c:2 [dmvpn]b =pmf \"y\"\n"
		   "/k/sa.c:3 [dmvpn]c =p \"z\"\n");
	CHECK_INT(dm_debug_module_get(&cats, err, sizeof(err)), 0);
	CHECK_INT(cats, DM_DEBUG_NHRP | DM_DEBUG_IPSEC | DM_DEBUG_DMVPN);
	unlink(path);
	rmdir(dir);
	unsetenv("DMVPN_DYNDBG_CONTROL");
}

/* dmvpnd's detail lines show per category, without -v */
static void keyer_categories(void)
{
	struct capture c;
	int level = klog_level;
	unsigned int saved = klog_debug;
	const char *out;

	klog_sink = cap_open(&c);
	klog_level = KLOG_INFO;
	klog_debug = 0;
	klog(KLOG_DEBUG, "ISAKMP:      encryption AES-CBC (hidden)");
	klog(KLOG_DEBUG, "IPSEC(validate_proposal_request): hidden");
	klog_debug = DM_DEBUG_ISAKMP;
	klog(KLOG_DEBUG, "ISAKMP:      hash SHA256 (isakmp on)");
	klog(KLOG_DEBUG, "IPSEC(validate_proposal_request): still hidden");
	klog_debug = DM_DEBUG_IPSEC;
	klog(KLOG_DEBUG, "IPSEC(validate_proposal_request): ipsec on");
	klog(KLOG_DEBUG, "ISAKMP:      hidden again");
	klog(KLOG_INFO, "ISAKMP (0:1): info lines always show");
	out = cap_str(&c);
	CHECK(!strstr(out, "hidden"));
	CHECK_CONTAINS(out, "(isakmp on)");
	CHECK_CONTAINS(out, "ipsec on");
	CHECK_CONTAINS(out, "info lines always show");
	cap_free(&c);
	klog_sink = NULL;
	klog_level = level;
	klog_debug = saved;
}

static void show_debugging(void)
{
	struct capture c;
	struct dm_out o = { NULL, false, false };
	const char *out;

	o.fp = cap_open(&c);
	dm_show_debugging(&o, 0, 0, NULL);
	CHECK_STR(cap_str(&c), "");
	cap_free(&c);

	o.fp = cap_open(&c);
	dm_show_debugging(&o, DM_DEBUG_ISAKMP, DM_DEBUG_NHRP, NULL);
	out = cap_str(&c);
	CHECK_STR(out, "Cryptographic Subsystem:\n"
		       "  Crypto ISAKMP debugging is on\n"
		       "NHRP:\n"
		       "  NHRP protocol debugging is on\n");
	cap_free(&c);

	o.fp = cap_open(&c);
	o.json = true;
	dm_show_debugging(&o, DM_DEBUG_IPSEC, 0, "no control file");
	out = cap_str(&c);
	CHECK(json_valid(out));
	CHECK_CONTAINS(out, "\"crypto_ipsec\":true");
	CHECK_CONTAINS(out, "\"nhrp\":null");
	CHECK_CONTAINS(out, "\"module_error\":\"no control file\"");
	cap_free(&c);
}

/* clear crypto isakmp [CONN-ID]: grammar and the request file */
static void clear_isakmp(void)
{
	char *dir = tmpdir(), err[256];
	unsigned int id = 7;
	struct dm_cli c;

	CHECK_INT(parse(&c, err, sizeof(err), "clear", "crypto", "isakmp", NULL), DM_EXIT_OK);
	CHECK_INT(c.cmd, DM_CMD_CLEAR_ISAKMP);
	CHECK_INT(c.conn_id, 0);
	CHECK_INT(parse(&c, err, sizeof(err), "cl", "cr", "isa", "1001"), DM_EXIT_OK);
	CHECK_INT(c.conn_id, 1001);
	CHECK_INT(parse(&c, err, sizeof(err), "clear", "crypto", "isakmp", "0"), DM_EXIT_USAGE);
	CHECK_CONTAINS(err, "conn-id");
	CHECK_INT(parse(&c, err, sizeof(err), "clear", "crypto", "isakmp", "peer"), DM_EXIT_USAGE);

	CHECK(dir);
	setenv("DMVPN_RUN_DIR", dir, 1);
	CHECK_INT(dm_ikestate_clear_read(&id), -1);	/* no request yet */
	CHECK_INT(dm_ikestate_clear_request(1001, err, sizeof(err)), 0);
	CHECK_INT(dm_ikestate_clear_read(&id), 0);
	CHECK_INT(id, 1001);
	CHECK_INT(dm_ikestate_clear_request(0, err, sizeof(err)), 0);
	CHECK_INT(dm_ikestate_clear_read(&id), 0);
	CHECK_INT(id, 0);
	{
		char path[512];

		/* a damaged request is refused, the last good value kept */
		dm_ikestate_clear_path(path, sizeof(path));
		write_file(path, "12x\n");
		CHECK_INT(dm_ikestate_clear_read(&id), -1);
		write_file(path, "-1\n");
		CHECK_INT(dm_ikestate_clear_read(&id), -1);
		write_file(path, "99999999999\n");
		CHECK_INT(dm_ikestate_clear_read(&id), -1);
		write_file(path, "");
		CHECK_INT(dm_ikestate_clear_read(&id), -1);
		CHECK_INT(id, 0);
		unlink(path);
	}
	rmdir(dir);
	unsetenv("DMVPN_RUN_DIR");
}

const struct dm_test debug_tests[] = {
	{ "clear_crypto_isakmp", clear_isakmp },
	{ "debug_grammar", grammar },
	{ "debug_keyer_file", keyer_file },
	{ "debug_module_control", module_control },
	{ "debug_keyer_categories", keyer_categories },
	{ "debug_show_debugging", show_debugging },
	{ NULL, NULL },
};
