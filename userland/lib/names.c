// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "names.h"

#define LOOKUP(tbl, v) ((v) < sizeof(tbl) / sizeof((tbl)[0]) ? (tbl)[v] : NULL)

static const char *const nhrp_types[] = {
	[DMVPN_NHRP_TYPE_STATIC] = "static",
	[DMVPN_NHRP_TYPE_DYNAMIC] = "dynamic",
	[DMVPN_NHRP_TYPE_INCOMPLETE] = "incomplete",
	[DMVPN_NHRP_TYPE_LOCAL] = "local",
	[DMVPN_NHRP_TYPE_SHORTCUT] = "shortcut",
};

static const char *const nhrp_flags[] = {
	"unique", "registered", "used", "nat", "implicit",
};

static const char *const nhs_states[] = {
	[DMVPN_NHS_STATE_WAITING] = "waiting",
	[DMVPN_NHS_STATE_EXPECTING] = "expecting",
	[DMVPN_NHS_STATE_RESPONDING] = "responding",
};

/*
 * IOS prints a healthy NHS as "RE": it answered (R) and, registering
 * again every interval, we keep expecting its replies (E).
 */
static const char *const nhs_letters[] = {
	[DMVPN_NHS_STATE_WAITING] = "W",
	[DMVPN_NHS_STATE_EXPECTING] = "E",
	[DMVPN_NHS_STATE_RESPONDING] = "RE",
};

static const char *const nhrp_stats[] = {
	[DMVPN_NHRP_STAT_RX_RES_REQ] = "rx_res_req",
	[DMVPN_NHRP_STAT_RX_RES_REPLY] = "rx_res_reply",
	[DMVPN_NHRP_STAT_RX_REG_REQ] = "rx_reg_req",
	[DMVPN_NHRP_STAT_RX_REG_REPLY] = "rx_reg_reply",
	[DMVPN_NHRP_STAT_RX_PURGE_REQ] = "rx_purge_req",
	[DMVPN_NHRP_STAT_RX_PURGE_REPLY] = "rx_purge_reply",
	[DMVPN_NHRP_STAT_RX_ERROR_IND] = "rx_error_ind",
	[DMVPN_NHRP_STAT_RX_TRAFFIC_IND] = "rx_traffic_ind",
	[DMVPN_NHRP_STAT_TX_RES_REQ] = "tx_res_req",
	[DMVPN_NHRP_STAT_TX_RES_REPLY] = "tx_res_reply",
	[DMVPN_NHRP_STAT_TX_REG_REQ] = "tx_reg_req",
	[DMVPN_NHRP_STAT_TX_REG_REPLY] = "tx_reg_reply",
	[DMVPN_NHRP_STAT_TX_PURGE_REQ] = "tx_purge_req",
	[DMVPN_NHRP_STAT_TX_PURGE_REPLY] = "tx_purge_reply",
	[DMVPN_NHRP_STAT_TX_ERROR_IND] = "tx_error_ind",
	[DMVPN_NHRP_STAT_TX_TRAFFIC_IND] = "tx_traffic_ind",
	[DMVPN_NHRP_STAT_RX_MALFORMED] = "rx_malformed",
	[DMVPN_NHRP_STAT_RX_AUTH_FAILED] = "rx_auth_failed",
	[DMVPN_NHRP_STAT_RX_LOOP] = "rx_loop",
	[DMVPN_NHRP_STAT_RX_DROPPED] = "rx_dropped",
};

/* The packet types as "show ip nhrp traffic" names them, sent or received. */
static const char *const nhrp_stat_ios[] = {
	[DMVPN_NHRP_STAT_RX_RES_REQ] = "Resolution Request",
	[DMVPN_NHRP_STAT_RX_RES_REPLY] = "Resolution Reply",
	[DMVPN_NHRP_STAT_RX_REG_REQ] = "Registration Request",
	[DMVPN_NHRP_STAT_RX_REG_REPLY] = "Registration Reply",
	[DMVPN_NHRP_STAT_RX_PURGE_REQ] = "Purge Request",
	[DMVPN_NHRP_STAT_RX_PURGE_REPLY] = "Purge Reply",
	[DMVPN_NHRP_STAT_RX_ERROR_IND] = "Error Indication",
	[DMVPN_NHRP_STAT_RX_TRAFFIC_IND] = "Traffic Indication",
	[DMVPN_NHRP_STAT_TX_RES_REQ] = "Resolution Request",
	[DMVPN_NHRP_STAT_TX_RES_REPLY] = "Resolution Reply",
	[DMVPN_NHRP_STAT_TX_REG_REQ] = "Registration Request",
	[DMVPN_NHRP_STAT_TX_REG_REPLY] = "Registration Reply",
	[DMVPN_NHRP_STAT_TX_PURGE_REQ] = "Purge Request",
	[DMVPN_NHRP_STAT_TX_PURGE_REPLY] = "Purge Reply",
	[DMVPN_NHRP_STAT_TX_ERROR_IND] = "Error Indication",
	[DMVPN_NHRP_STAT_TX_TRAFFIC_IND] = "Traffic Indication",
	[DMVPN_NHRP_STAT_RX_MALFORMED] = "Malformed",
	[DMVPN_NHRP_STAT_RX_AUTH_FAILED] = "Authentication Failed",
	[DMVPN_NHRP_STAT_RX_LOOP] = "Loop Detected",
	[DMVPN_NHRP_STAT_RX_DROPPED] = "Not Acted On",
};

static const char *const stats[] = {
	[DMVPN_STAT_RX_KEY_MISMATCH] = "rx_key_mismatch",
	[DMVPN_STAT_RX_CSUM_ERRORS] = "rx_csum_errors",
	[DMVPN_STAT_RX_BAD_HEADER] = "rx_bad_header",
	[DMVPN_STAT_RX_UNKNOWN_PROTO] = "rx_unknown_proto",
	[DMVPN_STAT_TX_NO_NHRP] = "tx_no_nhrp",
	[DMVPN_STAT_TX_NO_ROUTE] = "tx_no_route",
	[DMVPN_STAT_TX_TOO_BIG] = "tx_too_big",
	[DMVPN_STAT_TX_UNSUPPORTED] = "tx_unsupported",
	/* the names of "ethtool -S" */
	[DMVPN_STAT_TX_NO_SA] = "tx_no_sa",
	[DMVPN_STAT_RX_INVALID_SPI] = "rx_invalid_spi",
	[DMVPN_STAT_RX_REPLAY] = "rx_replay",
	[DMVPN_STAT_RX_AUTH_FAILED] = "rx_auth_failed",
	[DMVPN_STAT_RX_INVALID_LEN] = "rx_invalid_len",
	[DMVPN_STAT_TX_ENCAPS_FAILED] = "tx_encaps_failed",
	[DMVPN_STAT_RX_DECAPS_FAILED] = "rx_decaps_failed",
	[DMVPN_STAT_INTERNAL_ERR] = "internal_err",
	[DMVPN_STAT_RX_NOT_PROTECTED] = "rx_not_protected",
	[DMVPN_STAT_RX_KEEPALIVE] = "rx_keepalive",
	[DMVPN_STAT_TX_VIA_NHS] = "tx_via_nhs",
};

static const char *const events[] = {
	[DMVPN_EVENT_NHRP_NEW] = "new",
	[DMVPN_EVENT_NHRP_DEL] = "del",
	[DMVPN_EVENT_SA_ACQUIRE] = "acquire",
	[DMVPN_EVENT_SA_SOFT_EXPIRE] = "soft-expire",
	[DMVPN_EVENT_SA_HARD_EXPIRE] = "hard-expire",
	[DMVPN_EVENT_SA_INVALID_SPI] = "invalid-spi",
};

static const struct dm_esp_alg algs[] = {
	{ DMVPN_ESP_AES128_GCM16, "aes128gcm16", "esp-gcm", 20, 0, 8, 16 },
	{ DMVPN_ESP_AES256_GCM16, "aes256gcm16", "esp-gcm 256", 36, 0, 8, 16 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA1_96, "aes128-sha1",
	  "esp-aes esp-sha-hmac", 16, 20, 16, 12 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA256_128, "aes128-sha256",
	  "esp-aes esp-sha256-hmac", 16, 32, 16, 16 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA384_192, "aes128-sha384",
	  "esp-aes esp-sha384-hmac", 16, 48, 16, 24 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA512_256, "aes128-sha512",
	  "esp-aes esp-sha512-hmac", 16, 64, 16, 32 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA1_96, "aes256-sha1",
	  "esp-256-aes esp-sha-hmac", 32, 20, 16, 12 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA256_128, "aes256-sha256",
	  "esp-256-aes esp-sha256-hmac", 32, 32, 16, 16 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA384_192, "aes256-sha384",
	  "esp-256-aes esp-sha384-hmac", 32, 48, 16, 24 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA512_256, "aes256-sha512",
	  "esp-256-aes esp-sha512-hmac", 32, 64, 16, 32 },
	{ DMVPN_ESP_3DES_CBC_HMAC_SHA1_96, "3des-sha1",
	  "esp-3des esp-sha-hmac", 24, 20, 8, 12 },
	{ DMVPN_ESP_3DES_CBC_HMAC_MD5_96, "3des-md5",
	  "esp-3des esp-md5-hmac", 24, 16, 8, 12 },
	{ DMVPN_ESP_CHACHA20_POLY1305, "chacha20poly1305",
	  "esp-chacha20-poly1305", 36, 0, 8, 16 },
	{ DMVPN_ESP_NULL, "null", "esp-null", 0, 0, 0, 0 },
};

static const char *const sa_dirs[] = {
	[DMVPN_SA_DIR_IN] = "in",
	[DMVPN_SA_DIR_OUT] = "out",
};

static const char *const sa_modes[] = {
	[DMVPN_SA_MODE_TRANSPORT] = "transport",
	[DMVPN_SA_MODE_TUNNEL] = "tunnel",
};

static const char *const sa_stats[] = {
	[DMVPN_SA_STAT_PACKETS] = "packets",
	[DMVPN_SA_STAT_BYTES] = "bytes",
	[DMVPN_SA_STAT_REPLAY] = "replay",
	[DMVPN_SA_STAT_AUTH_FAILED] = "auth_failed",
	[DMVPN_SA_STAT_INVALID_LEN] = "invalid_len",
	[DMVPN_SA_STAT_ENCAPS_FAILED] = "encaps_failed",
	[DMVPN_SA_STAT_DECAPS_FAILED] = "decaps_failed",
	[DMVPN_SA_STAT_INTERNAL_ERR] = "internal_err",
};

static const char *const sa_flags[] = { "esn", "allow-insecure" };
static const char *const sa_states[] = { "current", "soft-expired" };

static const char *const attrs[] = {
	[DMVPN_A_IFINDEX] = "DMVPN_A_IFINDEX",
	[DMVPN_A_IFNAME] = "DMVPN_A_IFNAME",
	[DMVPN_A_DEV] = "DMVPN_A_DEV",
	[DMVPN_A_NHRP] = "DMVPN_A_NHRP",
	[DMVPN_A_FLUSH_ALL] = "DMVPN_A_FLUSH_ALL",
	[DMVPN_A_EVENT] = "DMVPN_A_EVENT",
	[DMVPN_A_SOCK_FD] = "DMVPN_A_SOCK_FD",
	[DMVPN_A_SA] = "DMVPN_A_SA",
	[DMVPN_A_PEER] = "DMVPN_A_PEER",
	[DMVPN_A_SOCK_PORT] = "DMVPN_A_SOCK_PORT",
	[DMVPN_A_NHRP_CONF] = "DMVPN_A_NHRP_CONF",
	[DMVPN_A_NHS] = "DMVPN_A_NHS",
	[DMVPN_A_MCAST] = "DMVPN_A_MCAST",
};

static const char *const nhrp_attrs[] = {
	[DMVPN_NHRP_A_PROTO_ADDR] = "DMVPN_NHRP_A_PROTO_ADDR",
	[DMVPN_NHRP_A_PREFIX_LEN] = "DMVPN_NHRP_A_PREFIX_LEN",
	[DMVPN_NHRP_A_NBMA_ADDR] = "DMVPN_NHRP_A_NBMA_ADDR",
	[DMVPN_NHRP_A_NBMA_PORT] = "DMVPN_NHRP_A_NBMA_PORT",
	[DMVPN_NHRP_A_TYPE] = "DMVPN_NHRP_A_TYPE",
	[DMVPN_NHRP_A_FLAGS] = "DMVPN_NHRP_A_FLAGS",
	[DMVPN_NHRP_A_AGE] = "DMVPN_NHRP_A_AGE",
	[DMVPN_NHRP_A_EXPIRES] = "DMVPN_NHRP_A_EXPIRES",
	[DMVPN_NHRP_A_NEXT_HOP] = "DMVPN_NHRP_A_NEXT_HOP",
};

const char *dm_nhrp_type_name(unsigned int t) { return LOOKUP(nhrp_types, t); }
const char *dm_nhrp_flag_name(unsigned int b) { return LOOKUP(nhrp_flags, b); }
const char *dm_stat_name(unsigned int s) { return LOOKUP(stats, s); }
const char *dm_event_name(unsigned int e) { return LOOKUP(events, e); }
const char *dm_attr_name(unsigned int t) { return LOOKUP(attrs, t); }
const char *dm_nhrp_attr_name(unsigned int t) { return LOOKUP(nhrp_attrs, t); }

const char *dm_nhs_state_name(unsigned int st) { return LOOKUP(nhs_states, st); }
const char *dm_nhs_state_letters(unsigned int st) { return LOOKUP(nhs_letters, st); }
const char *dm_nhrp_stat_name(unsigned int s) { return LOOKUP(nhrp_stats, s); }
const char *dm_nhrp_stat_ios(unsigned int s) { return LOOKUP(nhrp_stat_ios, s); }

const char *dm_nhrp_cie_name(unsigned int code)
{
	/* RFC 2332 5.2.0.1 and the sections on each packet type */
	switch (code) {
	case 0: return "success";
	case 4: return "administratively prohibited";
	case 5: return "insufficient resources";
	case 12: return "no binding exists";
	case 13: return "binding not unique";
	case 14: return "already registered";
	default: return NULL;
	}
}

const char *dm_sa_dir_name(unsigned int d) { return LOOKUP(sa_dirs, d); }
const char *dm_sa_mode_name(unsigned int m) { return LOOKUP(sa_modes, m); }
const char *dm_sa_stat_name(unsigned int s) { return LOOKUP(sa_stats, s); }
const char *dm_sa_flag_name(unsigned int b) { return LOOKUP(sa_flags, b); }
const char *dm_sa_state_name(unsigned int b) { return LOOKUP(sa_states, b); }

const struct dm_esp_alg *dm_esp_alg_nth(size_t i)
{
	return i < sizeof(algs) / sizeof(algs[0]) ? &algs[i] : NULL;
}

const struct dm_esp_alg *dm_esp_alg_by_id(unsigned int id)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].id == id)
			return &algs[i];
	return NULL;
}

const struct dm_esp_alg *dm_esp_alg_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

const char *dm_nhrp_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t unknown = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < 32; b++) {
		const char *n;

		if (!(flags & (1U << b)))
			continue;
		n = dm_nhrp_flag_name(b);
		if (!n) {
			unknown |= 1U << b;
			continue;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					off ? " " : "", n);
		if (off >= len)
			return buf;	/* truncated */
	}
	if (unknown)
		snprintf(buf + off, len - off, "%s0x%x", off ? " " : "",
			 unknown);
	return buf;
}
