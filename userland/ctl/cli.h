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
#include "../lib/dmvpn_nl.h"

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
	DM_CMD_SOCK_ATTACH,	/* crypto socket attach */
	DM_CMD_SOCK_DETACH,	/* crypto socket detach */
	DM_CMD_SA_ADD,		/* crypto sa add */
	DM_CMD_SA_DEL,		/* crypto sa del */
	DM_CMD_SA_FLUSH,	/* clear crypto sa */
	DM_CMD_SHOW_IPSEC_SA,	/* show crypto ipsec sa */
	DM_CMD_SHOW_SOCKETS,	/* show crypto sockets */
	DM_CMD_SHOW_SESSION,	/* show crypto session */
	DM_CMD_NHRP_SET,	/* nhrp set */
	DM_CMD_NHS_ADD,		/* nhrp nhs add */
	DM_CMD_NHS_DEL,		/* nhrp nhs del */
	DM_CMD_MCAST_ADD,	/* nhrp map multicast add */
	DM_CMD_MCAST_DEL,	/* nhrp map multicast del */
	DM_CMD_SHOW_NHS,	/* show ip nhrp nhs */
	DM_CMD_SHOW_TRAFFIC,	/* show ip nhrp traffic */
	DM_CMD_SHOW_MCAST,	/* show ip nhrp multicast */
	DM_CMD_SHOW_ISAKMP_SA,	/* show crypto isakmp sa (dmvpnd's state) */
	DM_CMD_SHOW_ISAKMP_FAILURES, /* show crypto isakmp failures */
	DM_CMD_DEBUG,		/* debug ..., no debug ..., undebug ... */
	DM_CMD_SHOW_DEBUG,	/* show debugging */
	DM_CMD_CLEAR_ISAKMP,	/* clear crypto isakmp [CONN-ID] (dmvpnd) */
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
	/* crypto: socket attach's local address; the SA of sa add/del (its
	 * peer doubles as the peer filter of clear/show crypto) */
	struct dm_addr local;
	struct dm_sa sa;
	/* nhrp set; nhrp nhs add|del (multicast maps use nbma) */
	struct dm_nhrp_conf conf;
	struct dm_nhs nhs;
	/* debug: DM_DEBUG_* of lib/debugctl.h, and on (debug) or off (no
	 * debug, undebug) */
	unsigned int debug_cats;
	bool debug_on;
	unsigned int conn_id;	/* clear crypto isakmp; 0 = every one */
};

/* Wipe key material the parser stored in c (SA keys, the NHRP
 * authentication key); call when done with it. */
void dm_cli_wipe(struct dm_cli *c);

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
