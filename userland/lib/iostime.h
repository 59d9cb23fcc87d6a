/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DMVPN_LIB_IOSTIME_H
#define DMVPN_LIB_IOSTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Format a duration the way Cisco IOS prints uptimes and expiry times:
 *   under a day   hh:mm:ss    00:03:12
 *   under a week  NdHHh       1d02h
 *   under a year  NwNd        2w3d
 *   beyond        NyNw        1y12w
 * Returns buf.  len of 16 is always enough.
 */
const char *dm_ios_time(uint64_t seconds, char *buf, size_t len);

#endif
