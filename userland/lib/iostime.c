// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>

#include "iostime.h"

#define MIN	((uint64_t)60)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)
#define WEEK	(7 * DAY)
#define YEAR	(365 * DAY)

const char *dm_ios_time(uint64_t s, char *buf, size_t len)
{
	if (s < DAY)
		snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 s / HOUR, s % HOUR / MIN, s % MIN);
	else if (s < WEEK)
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h",
			 s / DAY, s % DAY / HOUR);
	else if (s < YEAR)
		snprintf(buf, len, "%" PRIu64 "w%" PRIu64 "d",
			 s / WEEK, s % WEEK / DAY);
	else
		snprintf(buf, len, "%" PRIu64 "y%" PRIu64 "w",
			 s / YEAR, s % YEAR / WEEK);
	return buf;
}
