/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IKE state dmvpnd publishes for dmvpnctl ("show crypto isakmp sa"):
 * one file per tunnel, DM_IKESTATE_DIR/isakmp-IFNAME (DMVPN_RUN_DIR
 * overrides the directory), one "sa key=value..." line per ISAKMP SA,
 * rewritten whole (rename) when something changes.  No secrets in it.
 */
#ifndef DMVPN_LIB_IKESTATE_H
#define DMVPN_LIB_IKESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "proxyid.h"

#define DM_IKESTATE_DIR "/run/dmvpn"

struct dm_ike_sa_state {
	char ifname[16];
	unsigned int conn_id;
	struct dm_addr local, remote;
	uint16_t lport, rport;
	char state[16];		/* MM_NO_STATE ... QM_IDLE */
	bool initiator;
	char encr[12];		/* IOS: 3des, aes, aes:256 ... */
	char hash[8];		/* md5, sha, sha256 ... */
	unsigned int dh;
	uint32_t life_left;	/* seconds; 0 = not established */
	bool nat, dpd;
	unsigned int children;	/* IPsec SA pairs with this peer */
};

/*
 * The last negotiation failure with a peer ("fail" lines of the same
 * file): when (Unix time), how many in a row, a stable code for scripts
 * and the reason as the log said it.
 */
#define DM_IKE_FAIL_PSK		"psk-mismatch"		/* HASH did not verify */
#define DM_IKE_FAIL_P1_POLICY	"phase1-no-proposal"	/* no isakmp policy matched */
#define DM_IKE_FAIL_P2_PROPOSAL	"phase2-no-proposal"	/* no transform set matched */
#define DM_IKE_FAIL_PROXY_ID	"proxy-id"		/* not host/47/host */
#define DM_IKE_FAIL_NO_KEY	"no-key"		/* no pre-shared key for the peer */
#define DM_IKE_FAIL_NO_RESPONSE	"peer-not-responding"	/* retransmissions exhausted */
#define DM_IKE_FAIL_DPD		"dpd-dead"		/* R-U-THERE unanswered */
#define DM_IKE_FAIL_INVALID_SPI	"invalid-spi"		/* ESP for an SPI we do not have */
#define DM_IKE_FAIL_AGGR	"aggressive-refused"	/* aggressive mode offered, disabled */
#define DM_IKE_FAIL_PROFILE	"isakmp-profile"	/* identity or key outside every profile */

struct dm_ike_failure {
	char ifname[16];
	struct dm_addr peer;
	uint16_t port;		/* 0: not known */
	uint64_t when;
	unsigned int count;
	char code[24];
	char reason[480];	/* room for two IPv6 proxy identities and a profile's */
};

/*
 * An IPsec SA pair dmvpnd negotiated ("ipsec" lines of the same file):
 * its SPIs find its SAs in the module's dump, its proxy identities are
 * what "show crypto ipsec sa" prints as the idents.
 */
struct dm_ike_child_state {
	char ifname[16];
	struct dm_addr peer;
	uint32_t spi_in, spi_out;
	struct dm_proxy_id local_id, remote_id;
};

/* One line without newline; 0 or -1 (too small). */
int dm_ikestate_format(const struct dm_ike_sa_state *s, char *buf, size_t len);
/* 0, or -1 for a line that is not a well-formed "sa" line. */
int dm_ikestate_parse(const char *line, struct dm_ike_sa_state *s);
/* The same for a "fail" line; the reason is last and runs to the end of
 * the line (newlines in it become spaces). */
int dm_ikestate_format_failure(const struct dm_ike_failure *f, char *buf, size_t len);
int dm_ikestate_parse_failure(const char *line, struct dm_ike_failure *f);
/* The same for an "ipsec" line. */
int dm_ikestate_format_child(const struct dm_ike_child_state *c, char *buf, size_t len);
int dm_ikestate_parse_child(const char *line, struct dm_ike_child_state *c);
/* The directory (DMVPN_RUN_DIR or DM_IKESTATE_DIR). */
const char *dm_ikestate_dir(void);
/* Replace path with text (write a temporary file, rename it over path:
 * a reader sees the old or the new file, never half of one); the
 * directory is created if missing.  0, or -1 with err. */
int dm_ikestate_write_file(const char *path, const char *text, char *err,
			   size_t errlen);

/*
 * "dmvpnctl clear crypto isakmp [CONN-ID]": dmvpnctl replaces the file
 * DIR/clear-isakmp (write + rename, so every request is a new file) with
 * the conn-id to delete, 0 for all; each dmvpnd acts on a change of the
 * file, never on the one it found at start.
 */
const char *dm_ikestate_clear_path(char *buf, size_t len);
int dm_ikestate_clear_request(unsigned int conn_id, char *err, size_t errlen);
/* The conn-id of the request in the file; -1 if unreadable or bad. */
int dm_ikestate_clear_read(unsigned int *conn_id);

#endif
