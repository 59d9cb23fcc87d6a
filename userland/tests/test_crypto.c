// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tunnel protection in dmvpnctl: the crypto grammar, the SA and peer
 * messages, and the "show crypto" outputs against seed 003's layouts.
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/dmvpn.h>

#include "../ctl/cli.h"
#include "../ctl/show.h"
#include "../lib/names.h"
#include "unit.h"

static char err[256];

static int parse(const char *line, struct dm_cli *c)
{
	char *copy = strdup(line), *argv[48] = { "dmvpnctl" }, *save = NULL;
	int argc = 1, r;

	for (char *t = strtok_r(copy, " ", &save); t && argc < 47;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	r = dm_cli_parse(argc, argv, c, err, sizeof(err));
	free(copy);
	return r;
}

#define BAD(line, token) do { struct dm_cli _c; \
	if (parse(line, &_c) != DM_EXIT_USAGE) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\" accepted", line); \
	else if (!strstr(err, token)) \
		dm_t_fail(__FILE__, __LINE__, "\"%s\": message \"%s\" does not name \"%s\"", line, err, token); \
} while (0)

#define K16 "00112233445566778899aabbccddeeff"
#define K20 K16 "01020304"
#define K32 K16 K16
#define K36 K32 "01020304"

/* ------------------------------------------------------------ grammar */

static void cli_sa_add(void)
{
	struct dm_cli c;

	CHECK_INT(parse("crypto sa add dev tun0 dir in spi 0x1001 peer 172.16.1.1 "
			"alg aes256gcm16 key 0x" K36, &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SA_ADD);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.sa.dir, DMVPN_SA_DIR_IN);
	CHECK(c.sa.has_spi && c.sa.spi == 0x1001);
	CHECK_INT(c.sa.peer.family, AF_INET);
	CHECK_INT(c.sa.port, 0);
	CHECK_INT(c.sa.alg, DMVPN_ESP_AES256_GCM16);
	CHECK(c.sa.has_enc_key && c.sa.enc_key_len == 36);
	CHECK_INT(c.sa.enc_key[0], 0x00);
	CHECK_INT(c.sa.enc_key[15], 0xff);
	CHECK_INT(c.sa.enc_key[35], 0x04);
	CHECK(!c.sa.has_auth_key && !c.sa.mode && !c.sa.has_replay_window &&
	      !c.sa.has_flags && !c.sa.has_reqid && !c.sa.has_hard_secs);
	dm_cli_wipe(&c);
	CHECK_INT(c.sa.enc_key[15], 0);
	CHECK(!c.sa.has_enc_key);

	/* everything, in another order, abbreviated keywords */
	CHECK_INT(parse("cry sa a alg aes128-sha256 key " K16 " auth-key " K32
			" dir out spi 4294967295 peer 172.16.1.1 port 31000 dev tun0"
			" mode tunnel esn allow-insecure reqid 7"
			" lifetime seconds 3600 lifetime kilobytes 4608000"
			" soft-lifetime seconds 3000 soft-lifetime kilo 4000000", &c), 0);
	CHECK_INT(c.sa.dir, DMVPN_SA_DIR_OUT);
	CHECK_INT(c.sa.spi, 4294967295U);
	CHECK_INT(c.sa.port, 31000);
	CHECK_INT(c.sa.alg, DMVPN_ESP_AES128_CBC_HMAC_SHA256_128);
	CHECK(c.sa.enc_key_len == 16 && c.sa.auth_key_len == 32);
	CHECK_INT(c.sa.mode, DMVPN_SA_MODE_TUNNEL);
	CHECK_INT(c.sa.flags, DMVPN_SA_F_ESN | DMVPN_SA_F_ALLOW_INSECURE);
	CHECK(c.sa.has_reqid && c.sa.reqid == 7);
	CHECK(c.sa.has_hard_secs && c.sa.hard_secs == 3600);
	CHECK(c.sa.has_hard_kb && c.sa.hard_kb == 4608000);
	CHECK(c.sa.has_soft_secs && c.sa.soft_secs == 3000);
	CHECK(c.sa.has_soft_kb && c.sa.soft_kb == 4000000);

	CHECK_INT(parse("crypto sa add dev tun0 dir in spi 256 peer 2001:db8::1 "
			"alg 3des-md5 key " K16 "0011223344556677 auth-key " K16
			" replay-window 0 mode transport", &c), 0);
	CHECK_INT(c.sa.peer.family, AF_INET6);
	CHECK(c.sa.has_replay_window && c.sa.replay_window == 0);
	CHECK_INT(c.sa.mode, DMVPN_SA_MODE_TRANSPORT);
	CHECK_INT(parse("crypto sa add dev tun0 dir in spi 300 peer 10.0.0.1 "
			"alg null allow-insecure replay-window 4096", &c), 0);
	CHECK_INT(c.sa.alg, DMVPN_ESP_NULL);
	CHECK(!c.sa.has_enc_key);
	CHECK_INT(parse("crypto sa add dev tun0 dir in spi 300 peer 10.0.0.1 "
			"alg chacha20poly1305 key 0X" K36, &c), 0);
	CHECK_INT(c.sa.enc_key_len, 36);
	dm_cli_wipe(&c);
}

static void cli_sa_add_errors(void)
{
	const char *base = "crypto sa add dev tun0 dir in spi 4097 peer 172.16.1.1 ";
	char line[512];

#define BADA(rest, token) do { snprintf(line, sizeof(line), "%s%s", base, rest); \
	BAD(line, token); } while (0)

	BADA("alg aes256gcm16 key 0x" K16 "zz" K16 "0102", "'z'");
	BADA("alg aes256gcm16 key 0x" K16 "zz" K16 "0102", "\"key\"");
	BADA("alg aes256gcm16 key 0x123", "odd number of hex digits");
	BADA("alg aes256gcm16 key 0x", "empty \"key\"");
	BADA("alg aes256gcm16 key " K32 K32 "00", "at most 64");
	BADA("alg aes128-sha1 key " K16 " auth-key xyz", "\"auth-key\"");
	BADA("alg aes512gcm key " K16, "aes512gcm");
	BADA("alg aes512gcm key " K16, "aes128gcm16|");
	BADA("alg", "missing value after \"alg\"");
	BADA("alg aes256gcm16", "missing \"key HEX\"");
	BADA("alg aes128-sha1 key " K16, "missing \"auth-key HEX\"");
	BADA("alg aes128gcm16 key " K20 " auth-key " K16, "takes no \"auth-key\"");
	BADA("alg null key " K16, "takes no key");
	BADA("key " K16, "missing \"alg NAME\"");
	BADA("alg aes128gcm16 key " K20 " frob", "frob");
	BADA("alg aes128gcm16 key " K20 " a", "ambiguous keyword \"a\"");
	BADA("alg aes128gcm16 key " K20 " mode bogus", "bogus");
	BADA("alg aes128gcm16 key " K20 " replay-window 4097", "4097");
	BADA("alg aes128gcm16 key " K20 " replay-window -1", "-1");
	BADA("alg aes128gcm16 key " K20 " reqid 4294967296", "4294967296");
	BADA("alg aes128gcm16 key " K20 " lifetime hours 1", "hours");
	BADA("alg aes128gcm16 key " K20 " lifetime seconds", "lifetime seconds");
	BADA("alg aes128gcm16 key " K20 " lifetime seconds 1e3", "1e3");
	BADA("alg aes128gcm16 key " K20 " lifetime seconds 1 lifetime seconds 2",
	     "duplicate \"lifetime seconds\"");
	BADA("alg aes128gcm16 key " K20 " esn esn", "duplicate \"esn\"");
	BADA("alg aes128gcm16 key " K20 " key " K20, "duplicate \"key\"");
	BADA("alg aes128gcm16 key " K20 " port 0", "\"0\"");
	BADA("alg aes128gcm16 key " K20 " port 65536", "65536");
	BADA("alg aes128gcm16 key " K20 " peer 10.0.0.2", "duplicate \"peer\"");
	BADA("alg aes128gcm16 key " K20 " detail", "detail");
	BAD("crypto sa add dev tun0 dir out spi 4097 peer 172.16.1.1 alg aes128gcm16 key "
	    K20 " replay-window 64", "\"replay-window\" applies to inbound");
	BAD("crypto sa add dev tun0 dir in spi 255 peer 172.16.1.1 alg null", "\"255\"");
	BAD("crypto sa add dev tun0 dir in spi 255 peer 172.16.1.1 alg null", "reserved");
	BAD("crypto sa add dev tun0 dir in spi 0x100000000 peer 172.16.1.1 alg null",
	    "0x100000000");
	BAD("crypto sa add dev tun0 dir in spi 12ab peer 172.16.1.1 alg null", "12ab");
	BAD("crypto sa add dev tun0 dir in spi 0x peer 172.16.1.1 alg null", "\"0x\"");
	BAD("crypto sa add dev tun0 dir sideways spi 300 peer 172.16.1.1 alg null",
	    "sideways");
	BAD("crypto sa add dev tun0 dir in spi 300 peer 172.16.1 alg null", "172.16.1");
	BAD("crypto sa add dev tun0 dir in peer 172.16.1.1 alg null", "missing \"spi SPI\"");
	BAD("crypto sa add dev tun0 spi 300 peer 172.16.1.1 alg null", "missing \"dir in|out\"");
	BAD("crypto sa add dev tun0 dir in spi 300 alg null", "missing \"peer ADDR\"");
	BAD("crypto sa add dir in spi 300 peer 172.16.1.1 alg null", "missing \"dev TUNNEL\"");
	BAD("crypto sa add dev tun0 dir in spi 300 peer 172.16.1.1 alg null spi 301",
	    "duplicate \"spi\"");
	BAD("crypto sa", "\"sa\"");
	BAD("crypto sa frob", "frob");
	BAD("crypto frob", "frob");
	BAD("crypto", "crypto");
#undef BADA
}

static void cli_sa_del_flush_socket(void)
{
	struct dm_cli c;

	CHECK_INT(parse("crypto sa del dev tun0 dir in spi 0x1001", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SA_DEL);
	CHECK_INT(c.sa.spi, 0x1001);
	CHECK(!c.sa.peer.family);
	CHECK_INT(parse("crypto sa delete dev tun0 dir out spi 4098 peer 172.16.1.1 port 4500", &c), 0);
	CHECK_INT(c.sa.dir, DMVPN_SA_DIR_OUT);
	CHECK_INT(c.sa.port, 4500);
	BAD("crypto sa del dev tun0 dir out spi 4098", "missing \"peer ADDR\"");
	BAD("crypto sa del dev tun0 dir in spi 4098 port 4500", "\"port\" needs \"peer ADDR\"");
	BAD("crypto sa del dev tun0 dir in spi 4098 alg null", "\"alg\"");
	BAD("crypto sa del dev tun0 dir in spi 4098 key " K16, "\"key\"");
	BAD("crypto sa del dev tun0 dir in", "missing \"spi SPI\"");

	CHECK_INT(parse("clear crypto sa", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SA_FLUSH);
	CHECK_STR(c.dev, "");
	CHECK_INT(parse("clear crypto sa dev tun0 peer 172.16.1.1 port 31000", &c), 0);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.sa.peer.family, AF_INET);
	CHECK_INT(c.sa.port, 31000);
	BAD("clear crypto sa port 4500", "\"port\" needs \"peer ADDR\"");
	BAD("clear crypto sa peer 1.2.3", "1.2.3");
	BAD("clear crypto sa dir in", "dir");
	BAD("clear crypto session", "session");
	BAD("clear crypto", "crypto");

	CHECK_INT(parse("crypto socket attach dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SOCK_ATTACH);
	CHECK(!c.local.family && !c.sa.port);
	CHECK_INT(parse("crypto socket attach dev tun0 local 172.16.10.1 port 4501", &c), 0);
	CHECK_INT(c.local.family, AF_INET);
	CHECK_INT(c.sa.port, 4501);
	CHECK_INT(parse("cry so det dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SOCK_DETACH);
	BAD("crypto socket attach", "missing \"dev TUNNEL\"");
	BAD("crypto socket attach dev tun0 local 2001:db8::1", "2001:db8::1");
	BAD("crypto socket attach dev tun0 local 2001:db8::1", "IPv4");
	BAD("crypto socket attach dev tun0 peer 10.0.0.1", "peer");
	BAD("crypto socket detach dev tun0 port 4500", "port");
	BAD("crypto socket open dev tun0", "open");
}

static void cli_show_crypto(void)
{
	struct dm_cli c;

	CHECK_INT(parse("show crypto ipsec sa", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_IPSEC_SA);
	CHECK(!c.detail && !c.dev[0] && !c.sa.peer.family);
	CHECK_INT(parse("-j sh cry ips sa dev tun0 peer 172.16.1.1 det", &c), 0);
	CHECK(c.json && c.detail);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(c.sa.peer.family, AF_INET);
	CHECK_INT(parse("show crypto sockets", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_SOCKETS);
	CHECK_INT(parse("show crypto session dev tun0 detail", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_SESSION);
	CHECK(c.detail);
	BAD("show crypto", "crypto");
	BAD("show crypto s", "ambiguous keyword \"s\"");
	CHECK_INT(parse("sh cry isa sa det", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_ISAKMP_SA);
	CHECK(c.detail);
	CHECK_INT(parse("show crypto isakmp failures dev tun0", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_ISAKMP_FAILURES);
	CHECK_STR(c.dev, "tun0");
	CHECK_INT(parse("sh cry isa f", &c), 0);
	CHECK_INT(c.cmd, DM_CMD_SHOW_ISAKMP_FAILURES);
	BAD("show crypto isakmp failures detail", "detail");
	BAD("show crypto isakmp", "isakmp");
	BAD("show crypto isakmp sa peer 10.0.0.1", "peer");
	BAD("show crypto i sa", "ambiguous keyword \"i\"");
	BAD("show crypto ipsec", "ipsec");
	BAD("show crypto ipsec sa peer", "peer");
	BAD("show crypto ipsec sa peer 300.1.1.1", "300.1.1.1");
	BAD("show crypto ipsec sa spi 300", "spi");
	BAD("show crypto sockets dev tun0", "dev");
	BAD("show crypto session peer 10.0.0.1", "peer");
	/* "c" is now clear or crypto */
	BAD("c ip nhrp", "ambiguous");
}

/* ----------------------------------------------------------- messages */

#define FAM 0x1c

static void msg_sa_add_roundtrip(void)
{
	struct dm_cli c;
	struct nl_msg *m = dm_msg_alloc(FAM, DMVPN_CMD_SA_ADD, 0);
	struct nlattr *tb[DMVPN_A_MAX + 1], *st[DMVPN_SA_A_MAX + 1];

	CHECK_INT(parse("crypto sa add dev tun0 dir out spi 0x2001 peer 172.16.1.1 port 31000 "
			"alg aes128-sha1 key " K16 " auth-key " K20 " reqid 9 "
			"lifetime kilobytes 4608000 esn", &c), 0);
	CHECK_INT(dm_put_ifindex(m, 7), 0);
	CHECK_INT(dm_put_sa(m, &c.sa), 0);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
	CHECK(tb[DMVPN_A_SA] != NULL);
	memset(st, 0, sizeof(st));
	if (tb[DMVPN_A_SA])
		CHECK_INT(nla_parse_nested(st, DMVPN_SA_A_MAX, tb[DMVPN_A_SA], NULL), 0);
	CHECK(st[DMVPN_SA_A_DIR] && nla_len(st[DMVPN_SA_A_DIR]) == 1 &&
	      nla_get_u8(st[DMVPN_SA_A_DIR]) == DMVPN_SA_DIR_OUT);
	CHECK(st[DMVPN_SA_A_SPI] && nla_get_u32(st[DMVPN_SA_A_SPI]) == 0x2001);
	CHECK(st[DMVPN_SA_A_PEER_ADDR] && nla_len(st[DMVPN_SA_A_PEER_ADDR]) == 4);
	CHECK(st[DMVPN_SA_A_PEER_PORT] && nla_len(st[DMVPN_SA_A_PEER_PORT]) == 2 &&
	      nla_get_u16(st[DMVPN_SA_A_PEER_PORT]) == 31000);
	CHECK(st[DMVPN_SA_A_ALG] && nla_get_u32(st[DMVPN_SA_A_ALG]) ==
	      DMVPN_ESP_AES128_CBC_HMAC_SHA1_96);
	CHECK(st[DMVPN_SA_A_ENC_KEY] && nla_len(st[DMVPN_SA_A_ENC_KEY]) == 16);
	CHECK(st[DMVPN_SA_A_AUTH_KEY] && nla_len(st[DMVPN_SA_A_AUTH_KEY]) == 20);
	CHECK(st[DMVPN_SA_A_AUTH_KEY] &&
	      !memcmp(nla_data(st[DMVPN_SA_A_AUTH_KEY]), "\x00\x11\x22", 3));
	CHECK(st[DMVPN_SA_A_REQID] && nla_get_u32(st[DMVPN_SA_A_REQID]) == 9);
	CHECK(st[DMVPN_SA_A_HARD_KB] && nla_len(st[DMVPN_SA_A_HARD_KB]) == 8 &&
	      nla_get_u64(st[DMVPN_SA_A_HARD_KB]) == 4608000);
	CHECK(st[DMVPN_SA_A_FLAGS] && nla_get_u32(st[DMVPN_SA_A_FLAGS]) == DMVPN_SA_F_ESN);
	/* not given: left to the kernel's defaults */
	CHECK(!st[DMVPN_SA_A_MODE] && !st[DMVPN_SA_A_REPLAY_WINDOW] &&
	      !st[DMVPN_SA_A_SOFT_SECS] && !st[DMVPN_SA_A_HARD_SECS] &&
	      !st[DMVPN_SA_A_SOFT_KB]);
	/* reply-only attributes are never sent */
	CHECK(!st[DMVPN_SA_A_STATE] && !st[DMVPN_SA_A_AGE] && !st[DMVPN_SA_A_STATS] &&
	      !st[DMVPN_SA_A_SEQ] && !st[DMVPN_SA_A_LEFT_SECS]);
	nlmsg_free(m);
	dm_cli_wipe(&c);

	/* flush filter: only the peer, and nothing at all without one */
	m = dm_msg_alloc(FAM, DMVPN_CMD_SA_FLUSH, 0);
	{
		struct dm_addr none = { 0 }, a;

		CHECK_INT(dm_put_sa_peer(m, &none, 0), 0);
		CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
		CHECK(tb[DMVPN_A_SA] == NULL);
		dm_addr_parse("172.16.1.1", &a);
		CHECK_INT(dm_put_sa_peer(m, &a, 0), 0);
		CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
		CHECK(tb[DMVPN_A_SA] != NULL);
		if (tb[DMVPN_A_SA]) {
			CHECK_INT(nla_parse_nested(st, DMVPN_SA_A_MAX, tb[DMVPN_A_SA], NULL), 0);
			CHECK(st[DMVPN_SA_A_PEER_ADDR] && !st[DMVPN_SA_A_PEER_PORT] &&
			      !st[DMVPN_SA_A_DIR] && !st[DMVPN_SA_A_SPI]);
		}
	}
	nlmsg_free(m);

	m = dm_msg_alloc(FAM, DMVPN_CMD_SOCK_ATTACH, 0);
	CHECK_INT(dm_put_sock_fd(m, 5), 0);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(m), 0, tb, DMVPN_A_MAX, NULL), 0);
	CHECK(tb[DMVPN_A_SOCK_FD] && nla_get_u32(tb[DMVPN_A_SOCK_FD]) == 5);
	nlmsg_free(m);
}

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 1, FAM, 0, 0, cmd, DMVPN_GENL_VERSION);
	return m;
}

static void msg_parse_sa_reply(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_SA_GET);
	struct nlattr *n, *s;
	struct dm_sa sa;
	uint8_t ev;

	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put_string(m, DMVPN_A_IFNAME, "tun0");
	n = nla_nest_start(m, DMVPN_A_SA);
	nla_put_u8(m, DMVPN_SA_A_DIR, DMVPN_SA_DIR_IN);
	nla_put_u32(m, DMVPN_SA_A_SPI, 0x8D538D11);
	nla_put(m, DMVPN_SA_A_PEER_ADDR, 4, "\xac\x10\x01\x01");
	nla_put_u16(m, DMVPN_SA_A_PEER_PORT, 4500);
	nla_put_u32(m, DMVPN_SA_A_REQID, 0);
	nla_put_u32(m, DMVPN_SA_A_ALG, DMVPN_ESP_3DES_CBC_HMAC_SHA1_96);
	nla_put_u8(m, DMVPN_SA_A_MODE, DMVPN_SA_MODE_TRANSPORT);
	nla_put_u32(m, DMVPN_SA_A_FLAGS, 0);
	nla_put_u32(m, DMVPN_SA_A_STATE, 0);
	nla_put(m, DMVPN_SA_A_PAD, 0, NULL);
	nla_put_u64(m, DMVPN_SA_A_AGE, 57);
	nla_put_u64(m, DMVPN_SA_A_SEQ, 24);
	nla_put_u32(m, DMVPN_SA_A_REPLAY_WINDOW, 64);
	nla_put_u32(m, DMVPN_SA_A_HARD_SECS, 3600);
	nla_put_u32(m, DMVPN_SA_A_LEFT_SECS, 3543);
	nla_put_u64(m, DMVPN_SA_A_HARD_KB, 4608000);
	nla_put_u64(m, DMVPN_SA_A_LEFT_KB, 4596087);
	s = nla_nest_start(m, DMVPN_SA_A_STATS);
	nla_put_u64(m, DMVPN_SA_STAT_PACKETS, 24);
	nla_put_u64(m, DMVPN_SA_STAT_BYTES, 3000);
	nla_put(m, DMVPN_SA_STAT_PAD, 0, NULL);
	nla_put_u64(m, 20, 1);		/* newer kernel's counter: kept */
	nla_put_u64(m, 500, 1);		/* beyond our table: skipped */
	nla_nest_end(m, s);
	nla_put_u32(m, 60, 1);		/* newer kernel's attribute: ignored */
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_sa_msg(nlmsg_hdr(m), &sa, &ev), 0);
	CHECK_INT(ev, 0);
	CHECK_INT(sa.ifindex, 5);
	CHECK_STR(sa.ifname, "tun0");
	CHECK_INT(sa.dir, DMVPN_SA_DIR_IN);
	CHECK_INT(sa.spi, 0x8D538D11);
	CHECK_INT(sa.peer.bytes[0], 172);
	CHECK_INT(sa.port, 4500);
	CHECK(sa.has_reqid && sa.reqid == 0);
	CHECK_INT(sa.alg, DMVPN_ESP_3DES_CBC_HMAC_SHA1_96);
	CHECK_INT(sa.mode, DMVPN_SA_MODE_TRANSPORT);
	CHECK(sa.has_age && sa.age == 57);
	CHECK(sa.has_seq && sa.seq == 24);
	CHECK(sa.has_replay_window && sa.replay_window == 64);
	CHECK(sa.has_left_secs && sa.left_secs == 3543);
	CHECK(sa.has_left_kb && sa.left_kb == 4596087);
	CHECK(sa.has_hard_secs && sa.has_hard_kb && !sa.has_soft_secs && !sa.has_soft_kb);
	CHECK(sa.has_stats && sa.stats[DMVPN_SA_STAT_PACKETS] == 24);
	CHECK(sa.stat_present[20] && !sa.stat_present[DMVPN_SA_STAT_REPLAY]);
	nlmsg_free(m);

	/* an expiry event: key fields only */
	m = reply(DMVPN_CMD_SA_NOTIFY);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put_u8(m, DMVPN_A_EVENT, DMVPN_EVENT_SA_SOFT_EXPIRE);
	n = nla_nest_start(m, DMVPN_A_SA);
	nla_put_u8(m, DMVPN_SA_A_DIR, DMVPN_SA_DIR_OUT);
	nla_put_u32(m, DMVPN_SA_A_SPI, 0x2001);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_sa_msg(nlmsg_hdr(m), &sa, &ev), 0);
	CHECK_INT(ev, DMVPN_EVENT_SA_SOFT_EXPIRE);
	CHECK(!sa.has_stats && !sa.has_age && sa.ifname[0] == '\0');
	nlmsg_free(m);

	/* malformed: each must be refused */
	for (int k = 0; k < 5; k++) {
		m = reply(DMVPN_CMD_SA_GET);
		n = nla_nest_start(m, DMVPN_A_SA);
		if (k != 0)
			nla_put_u32(m, DMVPN_SA_A_SPI, 300);
		switch (k) {
		case 1: nla_put_u32(m, DMVPN_SA_A_DIR, 1); break;	/* u8 */
		case 2: nla_put(m, DMVPN_SA_A_PEER_ADDR, 5, "\1\2\3\4\5"); break;
		case 3: nla_put(m, DMVPN_SA_A_ENC_KEY, 4, "\1\2\3\4"); break; /* never sent */
		case 4: s = nla_nest_start(m, DMVPN_SA_A_STATS);
			nla_put_u32(m, DMVPN_SA_STAT_PACKETS, 1);
			nla_nest_end(m, s);
			break;
		}
		nla_nest_end(m, n);
		if (dm_parse_sa_msg(nlmsg_hdr(m), &sa, NULL) != -EINVAL)
			dm_t_fail(__FILE__, __LINE__, "malformed SA case %d accepted", k);
		nlmsg_free(m);
	}
}

static void msg_parse_peer_and_dev(void)
{
	struct nl_msg *m = reply(DMVPN_CMD_PEER_GET);
	struct dm_dev_info d;
	struct dm_peer p;
	struct nlattr *n;
	uint8_t ev;

	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	nla_put_string(m, DMVPN_A_IFNAME, "tun0");
	n = nla_nest_start(m, DMVPN_A_PEER);
	nla_put(m, DMVPN_PEER_A_ADDR, 4, "\xac\x10\x01\x01");
	nla_put_u16(m, DMVPN_PEER_A_PORT, 4500);
	nla_put_u32(m, DMVPN_PEER_A_SPI_OUT, 0xA259D71);
	nla_put_u32(m, DMVPN_PEER_A_HELD, 2);
	nla_put_u64(m, DMVPN_PEER_A_NO_SA, 3);
	nla_put_u64(m, DMVPN_PEER_A_INVALID_SPI, 4);
	nla_put_u32(m, DMVPN_PEER_A_PMTU, 1500);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_peer_msg(nlmsg_hdr(m), &p, &ev), 0);
	CHECK_INT(p.ifindex, 5);
	CHECK_STR(p.ifname, "tun0");
	CHECK_INT(p.port, 4500);
	CHECK(p.has_spi_out && p.spi_out == 0xA259D71);
	CHECK_INT(p.held, 2);
	CHECK_INT(p.no_sa, 3);
	CHECK_INT(p.invalid_spi, 4);
	CHECK(p.has_pmtu && p.pmtu == 1500);
	/* not an SA message */
	CHECK_INT(dm_parse_sa_msg(nlmsg_hdr(m), &(struct dm_sa){ 0 }, NULL), -EINVAL);
	nlmsg_free(m);

	m = reply(DMVPN_CMD_PEER_GET);
	n = nla_nest_start(m, DMVPN_A_PEER);
	nla_put_u16(m, DMVPN_PEER_A_PORT, 4500);	/* no address */
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_peer_msg(nlmsg_hdr(m), &p, NULL), -EINVAL);
	nlmsg_free(m);

	m = reply(DMVPN_CMD_DEV_GET);
	nla_put_u32(m, DMVPN_A_IFINDEX, 5);
	n = nla_nest_start(m, DMVPN_A_DEV);
	nla_put(m, DMVPN_DEV_A_LOCAL, 4, "\xac\x10\x0a\x01");
	nla_put_u8(m, DMVPN_DEV_A_PROTECT, 1);
	nla_put_u16(m, DMVPN_DEV_A_SOCK_PORT, 4500);
	nla_put_u32(m, DMVPN_DEV_A_SA_COUNT, 4);
	nla_put_u16(m, DMVPN_DEV_A_TCP_MSS, 1360);
	nla_nest_end(m, n);
	CHECK_INT(dm_parse_dev_msg(nlmsg_hdr(m), &d), 0);
	CHECK(d.has_protect && d.protect);
	CHECK_INT(d.sock_port, 4500);
	CHECK(d.has_sa_count && d.sa_count == 4);
	CHECK_INT(d.tcp_mss, 1360);
	nlmsg_free(m);
}

static void names_algs(void)
{
	const struct dm_esp_alg *a;
	size_t n = 0;

	/* every suite of the uapi has a name, a transform and round-trips */
	for (unsigned int id = 1; id <= DMVPN_ESP_ALG_MAX; id++) {
		a = dm_esp_alg_by_id(id);
		CHECK(a != NULL);
		if (!a)
			continue;
		CHECK(dm_esp_alg_by_name(a->name) == a);
		CHECK(a->cisco && a->cisco[0]);
	}
	while (dm_esp_alg_nth(n))
		n++;
	CHECK_INT(n, DMVPN_ESP_ALG_MAX);
	CHECK_STR(dm_esp_alg_by_id(DMVPN_ESP_3DES_CBC_HMAC_SHA1_96)->cisco,
		  "esp-3des esp-sha-hmac");
	CHECK_STR(dm_esp_alg_by_id(DMVPN_ESP_AES256_GCM16)->cisco, "esp-gcm 256");
	CHECK_STR(dm_esp_alg_by_id(DMVPN_ESP_AES128_CBC_HMAC_SHA256_128)->cisco,
		  "esp-aes esp-sha256-hmac");
	CHECK_INT(dm_esp_alg_by_name("aes256gcm16")->enc_len, 36);
	CHECK(dm_esp_alg_by_name("AES256GCM16") == NULL);
	CHECK(dm_esp_alg_by_id(0) == NULL);
	CHECK(dm_esp_alg_by_id(DMVPN_ESP_ALG_MAX + 1) == NULL);
	/* every counter the uapi has is named */
	for (unsigned int s = 1; s <= DMVPN_STAT_MAX; s++)
		if (s != DMVPN_STAT_PAD)
			CHECK(dm_stat_name(s) != NULL);
	for (unsigned int s = 1; s <= DMVPN_SA_STAT_MAX; s++)
		if (s != DMVPN_SA_STAT_PAD)
			CHECK(dm_sa_stat_name(s) != NULL);
	for (unsigned int e = 1; e <= DMVPN_EVENT_MAX; e++)
		CHECK(dm_event_name(e) != NULL);
	CHECK_STR(dm_stat_name(DMVPN_STAT_TX_NO_SA), "tx_no_sa");
	CHECK_STR(dm_event_name(DMVPN_EVENT_SA_ACQUIRE), "acquire");
}

const struct dm_test crypto_tests[] = {
	{ "crypto_cli_sa_add", cli_sa_add },
	{ "crypto_cli_sa_add_errors_name_token", cli_sa_add_errors },
	{ "crypto_cli_sa_del_clear_socket", cli_sa_del_flush_socket },
	{ "crypto_cli_show", cli_show_crypto },
	{ "crypto_msg_sa_add_roundtrip", msg_sa_add_roundtrip },
	{ "crypto_msg_parse_sa", msg_parse_sa_reply },
	{ "crypto_msg_parse_peer_dev", msg_parse_peer_and_dev },
	{ "crypto_names_algs", names_algs },
	{ NULL, NULL },
};
