/* SPDX-License-Identifier: GPL-2.0-only */
/* dmvpnd's log: one line per event on stderr (or a test's sink).  Never
 * pass keys, nonces or DH values here. */
#ifndef DMVPN_KEYER_LOG_H
#define DMVPN_KEYER_LOG_H

#include <stdio.h>

enum { KLOG_ERR, KLOG_WARN, KLOG_INFO, KLOG_DEBUG };

extern int klog_level;		/* default KLOG_INFO */
/* "debug crypto isakmp|ipsec" (DM_DEBUG_ISAKMP, DM_DEBUG_IPSEC of
 * lib/debugctl.h): KLOG_DEBUG lines of these categories show whatever
 * klog_level says.  A line's category is IPSEC when its text starts with
 * "IPSEC", ISAKMP otherwise. */
extern unsigned int klog_debug;
extern FILE *klog_sink;		/* default stderr */

void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
