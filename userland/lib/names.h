/* SPDX-License-Identifier: GPL-2.0-only */
/* Text names of the uapi enums, shared by the text and JSON outputs. */
#ifndef DMVPN_LIB_NAMES_H
#define DMVPN_LIB_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* "static", "dynamic", ...; NULL for unknown values. */
const char *dm_nhrp_type_name(unsigned int type);
/* "unique", "registered", "used", "nat"; NULL for unknown bits. */
const char *dm_nhrp_flag_name(unsigned int bit);
/* "rx_key_mismatch", ...; NULL for unknown (callers print "stat_N"). */
const char *dm_stat_name(unsigned int stat);
/* "new", "del"; NULL for unknown. */
const char *dm_event_name(unsigned int event);
/* "missing attribute" helpers: name of DMVPN_A_* / NHRP_A_* / IFLA_DMVPN_* */
const char *dm_attr_name(unsigned int type);
const char *dm_nhrp_attr_name(unsigned int type);

/* Space-separated flag names, "" for none; unknown bits as 0x... */
const char *dm_nhrp_flags_str(uint32_t flags, char *buf, size_t len);

#endif
