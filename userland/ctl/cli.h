/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line grammar of dmvpnctl, parsed without side effects. */
#ifndef DMVPNCTL_CLI_H
#define DMVPNCTL_CLI_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/addr.h"

enum dm_cmd {
	DM_CMD_NONE,
	DM_CMD_HELP,
	DM_CMD_VERSION,
	DM_CMD_MAP_ADD,		/* nhrp map add */
	DM_CMD_MAP_DEL,		/* nhrp map del */
	DM_CMD_FLUSH,		/* nhrp flush, clear ip nhrp */
	DM_CMD_SHOW_NHRP,	/* show ip nhrp */
	DM_CMD_SHOW_DMVPN,	/* show dmvpn */
	DM_CMD_SHOW_IF,		/* show interface */
	DM_CMD_MONITOR,
};

/* CLI exit codes */
#define DM_EXIT_OK	0
#define DM_EXIT_FAIL	1	/* the kernel or the system said no */
#define DM_EXIT_USAGE	2	/* bad command line */

struct dm_cli {
	enum dm_cmd cmd;
	bool json;
	bool pretty;
	char dev[IF_NAMESIZE];	/* "" = every dmvpn tunnel */
	bool detail;
	bool flush_all;
	int type_filter;	/* show ip nhrp static|dynamic|...; 0 = all */
	struct dm_addr proto;
	uint8_t plen;
	bool has_plen;
	struct dm_addr nbma;
	uint16_t port;
};

/*
 * Parse argv (argv[0] is the program name).  Returns DM_EXIT_OK, or
 * DM_EXIT_USAGE with a message naming the offending token in err.
 * Keywords may be abbreviated to any unique prefix, as on IOS
 * ("sh dmvpn", "sh ip nh").
 */
int dm_cli_parse(int argc, char **argv, struct dm_cli *c, char *err,
		 size_t errlen);

void dm_cli_usage(FILE *fp);

#endif
