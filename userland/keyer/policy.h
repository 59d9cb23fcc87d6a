/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the keyer protects and with what, independent of the IKE version:
 * phase-1 policies ordered by priority ("crypto isakmp policy N"), keys
 * per peer prefix (with the 0.0.0.0/0 wildcard), transform sets and
 * IPsec profiles, and the tunnel they protect.  Filled by config.c.
 */
#ifndef DMVPN_KEYER_POLICY_H
#define DMVPN_KEYER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/addr.h"
#include "../lib/proxyid.h"
#include "nhrp_config.h"

#define POLICY_DEFAULT_PRIO	65535
#define KEYER_NAME_MAX		32
#define KEYER_PSK_MAX		128

struct p1_policy {
	uint32_t prio;
	uint16_t enc;		/* OAKLEY_ENC id */
	uint16_t key_bits;	/* AES key length, 0 for 3DES */
	uint16_t hash;		/* OAKLEY_HASH id */
	uint16_t auth;		/* OAKLEY_AUTH id */
	uint16_t group;
	uint32_t life_secs;
	/* IOS's built-in 65535 (DES, SHA, rsa-sig, group 1): compared
	 * against offers so the log reads as on IOS, never chosen */
	bool builtin;
};

struct psk_entry {
	struct dm_addr addr;
	uint8_t plen;
	int8_t keyring;		/* index in keyring[]; -1: "crypto isakmp key"
				 * (IOS's default keyring) */
	uint8_t key[KEYER_PSK_MAX];
	size_t key_len;
};

/* "crypto keyring NAME" + "pre-shared-key address ADDR [MASK] key KEY" */
#define KEYER_KEYRINGS		8
struct keyring {
	char name[KEYER_NAME_MAX];
	unsigned int line;
};

/*
 * "crypto isakmp profile NAME" (seed 004): the peers it is for ("match
 * identity address ADDR [MASK]", tested against the identity a peer
 * authenticates with) and the keyrings whose keys may authenticate them
 * ("keyring NAME"; "crypto isakmp key" keys always may).  Once a file has
 * any, a peer whose identity matches none is refused.
 */
#define ISAKMP_PROFILES		8
#define ISAKMP_PROFILE_MATCHES	8
#define ISAKMP_PROFILE_KEYRINGS	4
struct isakmp_profile {
	char name[KEYER_NAME_MAX];
	struct {
		struct dm_addr addr;
		uint8_t plen;
	} match[ISAKMP_PROFILE_MATCHES];
	size_t nmatch;
	uint8_t keyrings[ISAKMP_PROFILE_KEYRINGS];	/* indexes in keyring[] */
	size_t nkeyrings;
	unsigned int line;
};

struct tset {
	char name[KEYER_NAME_MAX];
	uint32_t esp_alg;	/* enum dmvpn_esp_alg */
	uint8_t mode;		/* enum dmvpn_sa_mode */
};

/*
 * "set proxy-identity local PREFIX remote PREFIX [protocol gre|any]"
 * (a dmvpnd extension; IOS has it only in crypto map ACLs): the proxy
 * identities a profile proposes -- the first whose remote holds the peer
 * -- and accepts: any offer within one of them, as well as host/47/host.
 */
#define PROFILE_MAX_PROXY_IDS	8
struct proxy_identity {
	struct dm_proxy_id local, remote;	/* proto in both */
	/* "any": 0.0.0.0/0 or ::/0, the family of the other prefix or of
	 * the tunnel source, settled at the end of the file */
	bool local_any, remote_any;
	unsigned int line;
};

#define PROFILE_MAX_TSETS	6
struct profile {
	char name[KEYER_NAME_MAX];
	size_t ntsets;
	char tset_names[PROFILE_MAX_TSETS][KEYER_NAME_MAX];
	uint16_t pfs_group;	/* 0 = no PFS */
	uint32_t life_secs;	/* 0 = the global default */
	uint64_t life_kb;
	/* "set isakmp-profile NAME": the peers we key for this profile
	 * must authenticate as that ISAKMP profile's; "" = any */
	char isakmp_profile[KEYER_NAME_MAX];
	struct proxy_identity proxy[PROFILE_MAX_PROXY_IDS];
	size_t nproxy;
	unsigned int line;	/* where it was defined, for errors */
};

struct keyer_tunnel {
	char ifname[16];
	struct dm_addr source;		/* NBMA address IKE binds to */
	char profile[KEYER_NAME_MAX];
	unsigned int line;
	struct keyer_nhrp nhrp;		/* "ip nhrp ..." lines, if any */
};

/* "crypto isakmp peer address ADDR": per-peer phase-1 settings */
struct isakmp_peer {
	struct dm_addr addr;
	bool aggressive;	/* " set aggressive-mode": initiate AM to it */
	unsigned int line;
};

struct keyer_config {
	struct p1_policy pol[32];
	size_t npol;			/* sorted by priority, 65535 last */
	struct psk_entry psk[64];
	size_t npsk;
	struct tset ts[16];
	size_t nts;
	struct profile prof[8];
	size_t nprof;
	struct keyer_tunnel tun;
	bool has_tun;
	uint32_t sa_life_secs;		/* default 3600 */
	uint64_t sa_life_kb;		/* default 4608000 */
	bool force_encap;		/* fake NAT-D: always ESP in UDP */
	bool legacy_groups;		/* permit DH groups 1, 2, 5 */
	uint32_t dpd_interval, dpd_retry;
	bool dpd_periodic;
	uint32_t nat_keepalive;
	uint32_t retrans_ms;		/* first retransmission, doubling */
	uint32_t retrans_count;
	/* "crypto isakmp aggressive-mode": answer aggressive-mode offers
	 * (off by default: its HASH_R lets an eavesdropper -- or anyone who
	 * sends an AM1 -- attack the pre-shared key offline) */
	bool aggr_accept;
	struct isakmp_peer peer[16];
	size_t npeer;
	struct keyring keyring[KEYER_KEYRINGS];
	size_t nkeyring;
	struct isakmp_profile iprof[ISAKMP_PROFILES];
	size_t niprof;
};

void keyer_config_defaults(struct keyer_config *cfg);
/*
 * Parse text (name is what error messages call it).  Returns 0, or -1 with
 * err = "NAME:LINE: reason".  cfg is left with the defaults on error.
 */
int keyer_config_parse(const char *text, const char *name,
		       struct keyer_config *cfg, char *err, size_t errlen);
int keyer_config_load(const char *path, struct keyer_config *cfg, char *err,
		      size_t errlen);
void keyer_config_wipe(struct keyer_config *cfg);

/* Longest-prefix key for a peer, NULL if none. */
const struct psk_entry *policy_psk_for(const struct keyer_config *cfg,
				       const struct dm_addr *peer);
/*
 * The ISAKMP profile for a peer that authenticated as identity (an
 * address; NULL for another identity type): the longest "match identity
 * address" prefix, NULL if none matches.
 */
const struct isakmp_profile *policy_isakmp_profile_for(const struct keyer_config *cfg,
						       const struct dm_addr *identity);
/* The ISAKMP profile the tunnel's ipsec profile names, NULL if none. */
const struct isakmp_profile *policy_initiator_isakmp_profile(const struct keyer_config *cfg);
/* May psk authenticate a peer of ISAKMP profile ip? */
bool policy_isakmp_profile_uses(const struct isakmp_profile *ip,
				const struct psk_entry *psk);
/* Where psk is configured: "default" or the keyring's name. */
const char *policy_keyring_name(const struct keyer_config *cfg,
				const struct psk_entry *psk);
/* Initiate aggressive mode (not main mode) to peer? */
bool policy_aggressive_to(const struct keyer_config *cfg, const struct dm_addr *peer);
/* How many peers we initiate aggressive mode to. */
size_t policy_aggressive_peers(const struct keyer_config *cfg);
const struct tset *policy_tset(const struct keyer_config *cfg,
			       const char *name);
/* The tunnel's profile (or the only profile), NULL if none. */
const struct profile *policy_profile(const struct keyer_config *cfg);
/* The proxy-identity of p that an offer local/remote (our side, the
 * peer's) lies within, NULL if none. */
const struct proxy_identity *policy_proxy_covering(const struct profile *p,
						   const struct dm_proxy_id *local,
						   const struct dm_proxy_id *remote);

/*
 * SIGHUP reload, whatever IKE version negotiated the SAs.  Each returns
 * NULL when the new config still covers what was negotiated, else the
 * reason (for the log line) the SA must go.
 */
/* Settings a running daemon cannot change (its sockets are bound to the
 * tunnel source): the refusal, written to buf, or NULL. */
const char *policy_reload_refusal(const struct keyer_config *old,
				  const struct keyer_config *new,
				  char *buf, size_t len);
/* A phase-1 SA with peer, authenticated with old's key, using chosen. */
const char *policy_reload_p1_change(const struct keyer_config *old,
				    const struct keyer_config *new,
				    const struct dm_addr *peer,
				    const struct p1_policy *chosen,
				    char *buf, size_t len);
/* A phase-1 SA with peer, which authenticated as identity (unset: not an
 * address), under new's ISAKMP profiles. */
const char *policy_reload_identity_change(const struct keyer_config *new,
					  const struct dm_addr *peer,
					  const struct dm_addr *identity,
					  char *buf, size_t len);
/* A child SA pair with peer using esp_alg in mode, negotiated with the
 * proxy identities local/remote (host ones stay acceptable). */
const char *policy_reload_child_change(const struct keyer_config *new,
				       const struct dm_addr *peer,
				       uint32_t esp_alg, uint8_t mode,
				       const struct dm_proxy_id *local,
				       const struct dm_proxy_id *remote,
				       char *buf, size_t len);

/* IOS spellings for logs: "AES-CBC", "SHA", "pre-share", ... */
const char *policy_enc_name(uint16_t enc);
const char *policy_hash_name(uint16_t hash);
const char *policy_auth_name(uint16_t auth);

#endif
