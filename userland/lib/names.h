/* SPDX-License-Identifier: GPL-2.0-only */
/* Text names of the uapi enums, shared by the text and JSON outputs. */
#ifndef DMVPN_LIB_NAMES_H
#define DMVPN_LIB_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* "static", "dynamic", ...; NULL for unknown values. */
const char *dm_nhrp_type_name(unsigned int type);
/* "unique", "registered", "used", "nat", "implicit"; NULL for unknown bits. */
const char *dm_nhrp_flag_name(unsigned int bit);
/* "rx_key_mismatch", ...; NULL for unknown (callers print "stat_N"). */
const char *dm_stat_name(unsigned int stat);
/* "new", "del", "acquire", "soft-expire", ...; NULL for unknown. */
const char *dm_event_name(unsigned int event);
/* "missing attribute" helpers: name of DMVPN_A_* / NHRP_A_* / IFLA_DMVPN_* */
const char *dm_attr_name(unsigned int type);
const char *dm_nhrp_attr_name(unsigned int type);

/* NHS states: "waiting", "expecting", "responding" (JSON), and the letters
 * of "show ip nhrp nhs": "W", "E", "RE"; NULL for unknown values. */
const char *dm_nhs_state_name(unsigned int state);
const char *dm_nhs_state_letters(unsigned int state);
/* NHRP counters: "rx_res_req", ... (JSON); the IOS label of the packet
 * type, "Resolution Request", ... (text); NULL for unknown values. */
const char *dm_nhrp_stat_name(unsigned int stat);
const char *dm_nhrp_stat_ios(unsigned int stat);

/* CIE codes of NHRP replies: "success", "already registered", ...; NULL
 * for codes RFC 2332 does not name. */
const char *dm_nhrp_cie_name(unsigned int code);

/*
 * ESP algorithm suites (enum dmvpn_esp_alg).  name is dmvpnctl's (and the
 * module's) spelling, cisco the IOS transform-set spelling as "show crypto
 * ipsec sa" prints it; key lengths are in bytes (enc_len includes the
 * 4-byte salt of GCM and ChaCha20), auth_len 0 for combined-mode suites.
 */
struct dm_esp_alg {
	unsigned int id;
	const char *name;
	const char *cisco;
	unsigned int enc_len;
	unsigned int auth_len;
	unsigned int iv_len;
	unsigned int icv_len;
};

const struct dm_esp_alg *dm_esp_alg_by_id(unsigned int id);
const struct dm_esp_alg *dm_esp_alg_by_name(const char *name);
/* The i-th suite (0-based), NULL past the end: for listings. */
const struct dm_esp_alg *dm_esp_alg_nth(size_t i);

/* "in", "out"; "transport", "tunnel"; NULL for unknown values. */
const char *dm_sa_dir_name(unsigned int dir);
const char *dm_sa_mode_name(unsigned int mode);
/* "packets", "bytes", "replay", ...; NULL for unknown. */
const char *dm_sa_stat_name(unsigned int stat);
/* "esn", "allow-insecure" / "current", "soft-expired"; NULL for unknown */
const char *dm_sa_flag_name(unsigned int bit);
const char *dm_sa_state_name(unsigned int bit);

/* Space-separated flag names, "" for none; unknown bits as 0x... */
const char *dm_nhrp_flags_str(uint32_t flags, char *buf, size_t len);

#endif
