// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "../lib/debugctl.h"
#include "log.h"

int klog_level = KLOG_INFO;
unsigned int klog_debug;
FILE *klog_sink;

static unsigned int category(const char *fmt)
{
	return strncmp(fmt, "IPSEC", 5) ? DM_DEBUG_ISAKMP : DM_DEBUG_IPSEC;
}

void klog(int level, const char *fmt, ...)
{
	FILE *f = klog_sink ? klog_sink : stderr;
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	if (level > klog_level &&
	    !(level == KLOG_DEBUG && (klog_debug & category(fmt))))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(f, "%s.%03ld: ", when, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}
