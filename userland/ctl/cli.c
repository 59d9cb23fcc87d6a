// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "../lib/names.h"
#include "../lib/debugctl.h"
#include "cli.h"

struct parser {
	int argc;
	char **argv;
	int i;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return DM_EXIT_USAGE;
}

static const char *peek(struct parser *p)
{
	return p->i < p->argc ? p->argv[p->i] : NULL;
}

static const char *next(struct parser *p)
{
	return p->i < p->argc ? p->argv[p->i++] : NULL;
}

/*
 * IOS-style keyword match: exact, or a unique prefix of one candidate.
 * Returns the index, -1 when nothing matches, -2 when ambiguous.
 */
static int kw(const char *tok, const char *const *cands)
{
	size_t n = strlen(tok);
	int found = -1;

	if (!n)
		return -1;
	for (int i = 0; cands[i]; i++) {
		if (!strcmp(tok, cands[i]))
			return i;
		if (!strncmp(tok, cands[i], n))
			found = found == -1 ? i : -2;
	}
	return found;
}

/* kw() plus an error message listing what was expected. */
static int want_kw(struct parser *p, const char *const *cands,
		   const char *after, int *idx)
{
	const char *tok = next(p);
	char list[128] = "";
	size_t off = 0;

	if (tok) {
		*idx = kw(tok, cands);
		if (*idx >= 0)
			return 0;
	}
	for (int i = 0; cands[i] && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? "|" : "", cands[i]);
	if (!tok)
		return fail(p, "incomplete command after \"%s\": expected %s",
			    after, list);
	if (*idx == -2)
		return fail(p, "ambiguous keyword \"%s\": expected %s", tok, list);
	return fail(p, "unknown keyword \"%s\" after \"%s\": expected %s",
		    tok, after, list);
}

static int parse_dev(struct parser *p, struct dm_cli *c, const char *kwd)
{
	const char *v = next(p);

	if (c->dev[0])
		return fail(p, "duplicate \"%s\"", kwd);
	if (!v)
		return fail(p, "missing device name after \"%s\"", kwd);
	if (!*v || strlen(v) >= IF_NAMESIZE || strchr(v, '/') ||
	    strpbrk(v, " \t\n:"))
		return fail(p, "invalid device name \"%s\"", v);
	snprintf(c->dev, sizeof(c->dev), "%s", v);
	return 0;
}

static int parse_port(struct parser *p, struct dm_cli *c)
{
	const char *v = next(p);
	unsigned long n;
	char *end;

	if (c->port)
		return fail(p, "duplicate \"port\"");
	if (!v)
		return fail(p, "missing number after \"port\"");
	if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 5)
		return fail(p, "invalid port \"%s\" (expected 1-65535)", v);
	n = strtoul(v, &end, 10);
	if (*end || n < 1 || n > 65535)
		return fail(p, "invalid port \"%s\" (expected 1-65535)", v);
	c->port = (uint16_t)n;
	return 0;
}

static int parse_proto(struct parser *p, struct dm_cli *c, const char *tok)
{
	int r = dm_prefix_parse(tok, &c->proto, &c->plen, &c->has_plen);

	if (r == -2)
		return fail(p, "invalid prefix length in \"%s\" (0-%d)", tok,
			    dm_addr_max_plen(&c->proto));
	if (r)
		return fail(p, "invalid protocol address \"%s\"", tok);
	return 0;
}

static int parse_nbma(struct parser *p, struct dm_cli *c, const char *tok)
{
	if (dm_addr_parse(tok, &c->nbma))
		return fail(p, "invalid NBMA address \"%s\"", tok);
	return 0;
}

/* nhrp map add|del: dev TUN PROTO[/PLEN] [NBMA] [port N], any order */
static int parse_map(struct parser *p, struct dm_cli *c, bool add)
{
	static const char *const kws[] = { "dev", "port", NULL };
	const char *tok;
	int r;

	while ((tok = next(p))) {
		int k = kw(tok, kws);

		if (k == 0) {
			r = parse_dev(p, c, tok);
		} else if (k == 1 && add) {
			r = parse_port(p, c);
		} else if (!c->proto.family) {
			r = parse_proto(p, c, tok);
		} else if (add && !c->nbma.family) {
			r = parse_nbma(p, c, tok);
		} else {
			return fail(p, "unexpected argument \"%s\"", tok);
		}
		if (r)
			return r;
	}
	if (!c->dev[0])
		return fail(p, "missing \"dev TUNNEL\"");
	if (!c->proto.family)
		return fail(p, "missing protocol (tunnel) address");
	if (add && !c->nbma.family)
		return fail(p, "missing NBMA address after \"%s\"",
			    p->argv[p->argc - 1]);
	return 0;
}

static int parse_flush(struct parser *p, struct dm_cli *c)
{
	static const char *const kws[] = { "dev", "all", NULL };
	const char *tok;
	int r;

	while ((tok = next(p))) {
		switch (kw(tok, kws)) {
		case 0:
			if ((r = parse_dev(p, c, tok)))
				return r;
			break;
		case 1:
			c->flush_all = true;
			break;
		default:
			return fail(p, "unexpected argument \"%s\"", tok);
		}
	}
	return 0;
}

/* [dev TUN] [detail] [static|dynamic|incomplete] */
static int parse_show_opts(struct parser *p, struct dm_cli *c, bool types)
{
	static const char *const kws[] = {
		"dev", "detail", "static", "dynamic", "incomplete", "shortcut",
		NULL
	};
	const char *tok;
	int r;

	while ((tok = next(p))) {
		int k = kw(tok, kws);

		if (k >= 2 && !types)
			k = -1;
		switch (k) {
		case 0:
			if ((r = parse_dev(p, c, tok)))
				return r;
			break;
		case 1:
			c->detail = true;
			break;
		case 2:
			c->type_filter = DMVPN_NHRP_TYPE_STATIC;
			break;
		case 3:
			c->type_filter = DMVPN_NHRP_TYPE_DYNAMIC;
			break;
		case 4:
			c->type_filter = DMVPN_NHRP_TYPE_INCOMPLETE;
			break;
		case 5:
			c->type_filter = DMVPN_NHRP_TYPE_SHORTCUT;
			break;
		case -2:
			return fail(p, "ambiguous keyword \"%s\"", tok);
		default:
			/* show ip nhrp [dev TUN] ADDR[/PLEN], as IOS */
			if (!types || c->proto.family ||
			    (!strchr(tok, '.') && !strchr(tok, ':')))
				return fail(p, "unexpected argument \"%s\"", tok);
			if ((r = parse_proto(p, c, tok)))
				return r;
		}
	}
	return 0;
}

static int no_more(struct parser *p)
{
	const char *tok = peek(p);

	return tok ? fail(p, "unexpected argument \"%s\"", tok) : 0;
}

/* ------------------------------------------------------------- crypto */

/* The value after keyword kwd, or an error naming kwd. */
static int value(struct parser *p, const char *kwd, const char **v)
{
	*v = next(p);
	if (!*v)
		return fail(p, "missing value after \"%s\"", kwd);
	return 0;
}

/* Unsigned decimal, or 0x-prefixed hexadecimal when hex is set. */
static int number(const char *v, bool hex, uint64_t max, uint64_t *out)
{
	const char *d = v;
	int base = 10;
	unsigned long long n;
	char *end;

	if (hex && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
		base = 16;
		d += 2;
	}
	if (!*d || strspn(d, base == 16 ? "0123456789abcdefABCDEF" :
			  "0123456789") != strlen(d))
		return -1;
	errno = 0;
	n = strtoull(d, &end, base);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse_num(struct parser *p, const char *kwd, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	const char *v;
	int r;

	if ((r = value(p, kwd, &v)))
		return r;
	if (number(v, false, max, out) || *out < min)
		return fail(p, "invalid %s \"%s\" (expected %llu-%llu)", kwd, v,
			    (unsigned long long)min, (unsigned long long)max);
	return 0;
}

static int parse_spi(struct parser *p, struct dm_sa *sa)
{
	const char *v;
	uint64_t n;
	int r;

	if (sa->has_spi)
		return fail(p, "duplicate \"spi\"");
	if ((r = value(p, "spi", &v)))
		return r;
	if (number(v, true, 0xffffffffULL, &n) || n < 256)
		return fail(p, "invalid SPI \"%s\" (256-4294967295, decimal or 0x hex; 1-255 are reserved)", v);
	sa->spi = (uint32_t)n;
	sa->has_spi = true;
	return 0;
}

static int parse_port_val(struct parser *p, uint16_t *port)
{
	const char *v;
	uint64_t n;
	int r;

	if (*port)
		return fail(p, "duplicate \"port\"");
	if ((r = value(p, "port", &v)))
		return r;
	if (number(v, false, 65535, &n) || n < 1)
		return fail(p, "invalid port \"%s\" (expected 1-65535)", v);
	*port = (uint16_t)n;
	return 0;
}

static int parse_peer(struct parser *p, struct dm_addr *a)
{
	const char *v;
	int r;

	if (a->family)
		return fail(p, "duplicate \"peer\"");
	if ((r = value(p, "peer", &v)))
		return r;
	if (dm_addr_parse(v, a))
		return fail(p, "invalid peer address \"%s\"", v);
	return 0;
}

/*
 * Hex key material, with or without 0x.  Errors name the keyword and the
 * offending character, not the whole value: it is a secret.
 */
static int parse_hex(struct parser *p, const char *kwd, uint8_t *buf,
		     size_t *len, bool *has)
{
	const char *v, *d;
	size_t n;
	int r;

	if (*has)
		return fail(p, "duplicate \"%s\"", kwd);
	if ((r = value(p, kwd, &v)))
		return r;
	d = v;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		d += 2;
	n = strlen(d);
	if (!n)
		return fail(p, "empty \"%s\" (expected hex digits)", kwd);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)d[i];

		if (isxdigit(ch))
			continue;
		if (isprint(ch))
			return fail(p, "invalid \"%s\": '%c' (character %zu) is not a hex digit",
				    kwd, ch, (size_t)(d - v) + i + 1);
		return fail(p, "invalid \"%s\": byte 0x%02x (character %zu) is not a hex digit",
			    kwd, ch, (size_t)(d - v) + i + 1);
	}
	if (n % 2)
		return fail(p, "invalid \"%s\": odd number of hex digits (%zu)", kwd, n);
	if (n / 2 > DM_SA_KEY_MAX)
		return fail(p, "\"%s\" is too long: %zu bytes, at most %d", kwd,
			    n / 2, DM_SA_KEY_MAX);
	for (size_t i = 0; i < n / 2; i++) {
		char byte[3] = { d[2 * i], d[2 * i + 1], '\0' };

		buf[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	*len = n / 2;
	*has = true;
	return 0;
}

static int parse_alg(struct parser *p, struct dm_sa *sa)
{
	const struct dm_esp_alg *a;
	char list[320];
	size_t off = 0;
	const char *v;
	int r;

	if (sa->alg)
		return fail(p, "duplicate \"alg\"");
	if ((r = value(p, "alg", &v)))
		return r;
	a = dm_esp_alg_by_name(v);
	if (a) {
		sa->alg = a->id;
		return 0;
	}
	list[0] = '\0';
	for (size_t i = 0; (a = dm_esp_alg_nth(i)) && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? "|" : "", a->name);
	return fail(p, "unknown algorithm \"%s\" (expected %s)", v, list);
}

/* lifetime|soft-lifetime seconds S | kilobytes K */
static int parse_lifetime(struct parser *p, struct dm_sa *sa, bool soft)
{
	static const char *const units[] = { "seconds", "kilobytes", NULL };
	const char *kwd = soft ? "soft-lifetime" : "lifetime";
	bool *has;
	uint64_t n;
	int k, r;

	if ((r = want_kw(p, units, kwd, &k)))
		return r;
	if (k == 0) {
		has = soft ? &sa->has_soft_secs : &sa->has_hard_secs;
		if (*has)
			return fail(p, "duplicate \"%s seconds\"", kwd);
		if ((r = parse_num(p, soft ? "soft-lifetime seconds" :
				   "lifetime seconds", 0, 0xffffffffULL, &n)))
			return r;
		*(soft ? &sa->soft_secs : &sa->hard_secs) = (uint32_t)n;
	} else {
		has = soft ? &sa->has_soft_kb : &sa->has_hard_kb;
		if (*has)
			return fail(p, "duplicate \"%s kilobytes\"", kwd);
		if ((r = parse_num(p, soft ? "soft-lifetime kilobytes" :
				   "lifetime kilobytes", 0, UINT64_MAX / 1024, &n)))
			return r;
		*(soft ? &sa->soft_kb : &sa->hard_kb) = n;
	}
	*has = true;
	return 0;
}

enum sa_kw {
	SK_DEV, SK_DIR, SK_SPI, SK_PEER, SK_PORT, SK_ALG, SK_KEY, SK_AUTH_KEY,
	SK_MODE, SK_REPLAY, SK_ESN, SK_INSECURE, SK_REQID, SK_LIFETIME,
	SK_SOFT_LIFETIME, SK_DETAIL, SK_LOCAL,
};

#define SK(k)	(1U << (k))

/*
 * The keyword arguments of the crypto commands, in any order; allowed is
 * a mask of SK() bits.  Values go to c->dev, c->sa, c->local, c->detail.
 */
static int parse_crypto_args(struct parser *p, struct dm_cli *c,
			     unsigned int allowed, const char *cmd)
{
	static const char *const kws[] = {
		"dev", "dir", "spi", "peer", "port", "alg", "key", "auth-key",
		"mode", "replay-window", "esn", "allow-insecure", "reqid",
		"lifetime", "soft-lifetime", "detail", "local", NULL
	};
	const char *names[sizeof(kws) / sizeof(kws[0])];
	struct dm_sa *sa = &c->sa;
	const char *tok, *v;
	uint64_t num;
	int k, r;

	/* candidates limited to what this command takes, for prefixes */
	for (size_t i = 0; kws[i]; i++)
		names[i] = allowed & SK(i) ? kws[i] : "";
	names[sizeof(kws) / sizeof(kws[0]) - 1] = NULL;

	while ((tok = next(p))) {
		k = kw(tok, names);
		if (k == -2)
			return fail(p, "ambiguous keyword \"%s\" in \"%s\"", tok, cmd);
		if (k < 0)
			return fail(p, "unexpected argument \"%s\" in \"%s\"", tok, cmd);
		r = 0;
		switch ((enum sa_kw)k) {
		case SK_DEV:
			r = parse_dev(p, c, "dev");
			break;
		case SK_DIR: {
			static const char *const dirs[] = { "in", "out", NULL };
			int d;

			if (sa->dir)
				return fail(p, "duplicate \"dir\"");
			if ((r = want_kw(p, dirs, "dir", &d)))
				return r;
			sa->dir = d == 0 ? DMVPN_SA_DIR_IN : DMVPN_SA_DIR_OUT;
			break;
		}
		case SK_SPI:
			r = parse_spi(p, sa);
			break;
		case SK_PEER:
			r = parse_peer(p, &sa->peer);
			break;
		case SK_PORT:
			r = parse_port_val(p, &sa->port);
			break;
		case SK_ALG:
			r = parse_alg(p, sa);
			break;
		case SK_KEY:
			r = parse_hex(p, "key", sa->enc_key, &sa->enc_key_len,
				      &sa->has_enc_key);
			break;
		case SK_AUTH_KEY:
			r = parse_hex(p, "auth-key", sa->auth_key,
				      &sa->auth_key_len, &sa->has_auth_key);
			break;
		case SK_MODE: {
			static const char *const modes[] = { "transport", "tunnel", NULL };
			int m;

			if (sa->mode)
				return fail(p, "duplicate \"mode\"");
			if ((r = want_kw(p, modes, "mode", &m)))
				return r;
			sa->mode = m == 0 ? DMVPN_SA_MODE_TRANSPORT :
					    DMVPN_SA_MODE_TUNNEL;
			break;
		}
		case SK_REPLAY:
			if (sa->has_replay_window)
				return fail(p, "duplicate \"replay-window\"");
			if ((r = parse_num(p, "replay-window", 0,
					   DMVPN_REPLAY_WINDOW_LIMIT, &num)))
				return r;
			sa->replay_window = (uint32_t)num;
			sa->has_replay_window = true;
			break;
		case SK_ESN:
		case SK_INSECURE: {
			uint32_t f = k == SK_ESN ? DMVPN_SA_F_ESN :
						   DMVPN_SA_F_ALLOW_INSECURE;

			if (sa->flags & f)
				return fail(p, "duplicate \"%s\"", kws[k]);
			sa->flags |= f;
			sa->has_flags = true;
			break;
		}
		case SK_REQID:
			if (sa->has_reqid)
				return fail(p, "duplicate \"reqid\"");
			if ((r = parse_num(p, "reqid", 0, 0xffffffffULL, &num)))
				return r;
			sa->reqid = (uint32_t)num;
			sa->has_reqid = true;
			break;
		case SK_LIFETIME:
		case SK_SOFT_LIFETIME:
			r = parse_lifetime(p, sa, k == SK_SOFT_LIFETIME);
			break;
		case SK_DETAIL:
			c->detail = true;
			break;
		case SK_LOCAL:
			if (c->local.family)
				return fail(p, "duplicate \"local\"");
			if ((r = value(p, "local", &v)))
				return r;
			if (dm_addr_parse(v, &c->local) ||
			    c->local.family != AF_INET) {
				memset(&c->local, 0, sizeof(c->local));
				return fail(p, "invalid local address \"%s\" (an IPv4 address: the ESP socket is IPv4)", v);
			}
			break;
		}
		if (r)
			return r;
	}
	if (sa->port && !sa->peer.family && !(allowed & SK(SK_LOCAL)))
		return fail(p, "\"port\" needs \"peer ADDR\"");
	return 0;
}

static int need_dev(struct parser *p, const struct dm_cli *c)
{
	return c->dev[0] ? 0 : fail(p, "missing \"dev TUNNEL\"");
}

/* crypto sa add: what the grammar can tell before the kernel does */
static int check_sa_add(struct parser *p, struct dm_cli *c)
{
	const struct dm_sa *sa = &c->sa;
	const struct dm_esp_alg *a;
	int r;

	if ((r = need_dev(p, c)))
		return r;
	if (!sa->dir)
		return fail(p, "missing \"dir in|out\"");
	if (!sa->has_spi)
		return fail(p, "missing \"spi SPI\"");
	if (!sa->peer.family)
		return fail(p, "missing \"peer ADDR\"");
	if (!sa->alg)
		return fail(p, "missing \"alg NAME\"");
	a = dm_esp_alg_by_id(sa->alg);
	if (a && !a->enc_len && (sa->has_enc_key || sa->has_auth_key))
		return fail(p, "alg %s takes no key: drop \"%s\"", a->name,
			    sa->has_enc_key ? "key" : "auth-key");
	if (a && a->enc_len && !sa->has_enc_key)
		return fail(p, "missing \"key HEX\" (alg %s: %u bytes%s)", a->name,
			    a->enc_len, a->auth_len ? "" : " including the 4-byte salt");
	if (a && a->auth_len && !sa->has_auth_key)
		return fail(p, "missing \"auth-key HEX\" (alg %s: %u bytes)",
			    a->name, a->auth_len);
	if (a && a->enc_len && !a->auth_len && sa->has_auth_key)
		return fail(p, "alg %s is combined mode and takes no \"auth-key\"",
			    a->name);
	if (sa->has_replay_window && sa->dir != DMVPN_SA_DIR_IN)
		return fail(p, "\"replay-window\" applies to inbound SAs (dir in)");
	return 0;
}

static int check_sa_del(struct parser *p, struct dm_cli *c)
{
	int r;

	if ((r = need_dev(p, c)))
		return r;
	if (!c->sa.dir)
		return fail(p, "missing \"dir in|out\"");
	if (!c->sa.has_spi)
		return fail(p, "missing \"spi SPI\"");
	if (c->sa.dir == DMVPN_SA_DIR_OUT && !c->sa.peer.family)
		return fail(p, "missing \"peer ADDR\" (outbound SAs are named by peer and SPI)");
	return 0;
}

/* crypto socket attach|detach, crypto sa add|del */
static int parse_crypto(struct parser *p, struct dm_cli *c)
{
	static const char *const what[] = { "socket", "sa", NULL };
	static const char *const sock[] = { "attach", "detach", NULL };
	static const char *const sa[] = { "add", "delete", NULL };
	int k, r;

	if ((r = want_kw(p, what, "crypto", &k)))
		return r;
	if (k == 0) {
		if ((r = want_kw(p, sock, "socket", &k)))
			return r;
		if (k == 0) {
			c->cmd = DM_CMD_SOCK_ATTACH;
			r = parse_crypto_args(p, c, SK(SK_DEV) | SK(SK_LOCAL) |
					      SK(SK_PORT), "crypto socket attach");
		} else {
			c->cmd = DM_CMD_SOCK_DETACH;
			r = parse_crypto_args(p, c, SK(SK_DEV),
					      "crypto socket detach");
		}
		return r ? r : need_dev(p, c);
	}
	if ((r = want_kw(p, sa, "sa", &k)))
		return r;
	if (k == 0) {
		c->cmd = DM_CMD_SA_ADD;
		r = parse_crypto_args(p, c, ~(SK(SK_DETAIL) | SK(SK_LOCAL)),
				      "crypto sa add");
		return r ? r : check_sa_add(p, c);
	}
	c->cmd = DM_CMD_SA_DEL;
	r = parse_crypto_args(p, c, SK(SK_DEV) | SK(SK_DIR) | SK(SK_SPI) |
			      SK(SK_PEER) | SK(SK_PORT), "crypto sa del");
	return r ? r : check_sa_del(p, c);
}

/* show crypto ipsec sa | sockets | session */
static int parse_show_crypto(struct parser *p, struct dm_cli *c)
{
	static const char *const what[] = { "ipsec", "sockets", "session",
					    "isakmp", NULL };
	static const char *const ipsec[] = { "sa", NULL };
	static const char *const isakmp[] = { "sa", "failures", NULL };
	int k, r;

	if ((r = want_kw(p, what, "crypto", &k)))
		return r;
	switch (k) {
	case 3:
		if ((r = want_kw(p, isakmp, "isakmp", &k)))
			return r;
		if (k == 1) {
			c->cmd = DM_CMD_SHOW_ISAKMP_FAILURES;
			return parse_crypto_args(p, c, SK(SK_DEV),
						 "show crypto isakmp failures");
		}
		c->cmd = DM_CMD_SHOW_ISAKMP_SA;
		return parse_crypto_args(p, c, SK(SK_DEV) | SK(SK_DETAIL),
					 "show crypto isakmp sa");
	case 0:
		if ((r = want_kw(p, ipsec, "ipsec", &k)))
			return r;
		c->cmd = DM_CMD_SHOW_IPSEC_SA;
		return parse_crypto_args(p, c, SK(SK_DEV) | SK(SK_PEER) |
					 SK(SK_DETAIL), "show crypto ipsec sa");
	case 1:
		c->cmd = DM_CMD_SHOW_SOCKETS;
		return no_more(p);
	default:
		c->cmd = DM_CMD_SHOW_SESSION;
		return parse_crypto_args(p, c, SK(SK_DEV) | SK(SK_DETAIL),
					 "show crypto session");
	}
}

void dm_cli_wipe(struct dm_cli *c)
{
	volatile uint8_t *v = (volatile uint8_t *)&c->sa;

	for (size_t i = 0; i < sizeof(c->sa); i++)
		v[i] = 0;
	v = (volatile uint8_t *)&c->conf;
	for (size_t i = 0; i < sizeof(c->conf); i++)
		v[i] = 0;
}

/* ------------------------------------------------------- NHRP protocol */

/* A setting and its negation ("redirect", "no-redirect"): given once. */
static int set_toggle(struct parser *p, bool *has, bool *v, bool on,
		      const char *yes, const char *no)
{
	if (*has)
		return *v == on ? fail(p, "duplicate \"%s\"", on ? yes : no) :
				  fail(p, "conflicting \"%s\" and \"%s\"", yes, no);
	*has = true;
	*v = on;
	return 0;
}

/*
 * The cleartext key of "ip nhrp authentication": 1-8 printable characters
 * without spaces.  Messages name the keyword, never the key.
 */
static int parse_auth(struct parser *p, struct dm_nhrp_conf *conf)
{
	const char *v;
	size_t n;
	int r;

	if (conf->has_auth)
		return fail(p, "duplicate \"authentication\"");
	if (conf->auth_clear)
		return fail(p, "conflicting \"authentication\" and \"no-authentication\"");
	if ((r = value(p, "authentication", &v)))
		return r;
	n = strlen(v);
	if (!n)
		return fail(p, "empty \"authentication\" key (1-%d characters)",
			    DMVPN_NHRP_AUTH_MAX);
	if (n > DMVPN_NHRP_AUTH_MAX)
		return fail(p, "\"authentication\" key is too long: %zu characters, at most %d",
			    n, DMVPN_NHRP_AUTH_MAX);
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)v[i]))
			return fail(p, "invalid \"authentication\" key: character %zu is not printable or is a space",
				    i + 1);
	memcpy(conf->auth, v, n);
	conf->auth_len = n;
	conf->has_auth = true;
	return 0;
}

enum set_kw {
	ST_DEV, ST_NETWORK_ID, ST_HOLDTIME, ST_REG_TIMEOUT, ST_AUTH, ST_NO_AUTH,
	ST_REDIRECT, ST_NO_REDIRECT, ST_SHORTCUT, ST_NO_SHORTCUT, ST_MCAST_DYN,
	ST_NO_MCAST_DYN, ST_REG_NO_UNIQUE, ST_REG_UNIQUE,
};

/* nhrp set dev TUN SETTING...: the IOS "ip nhrp ..." interface settings */
static int parse_nhrp_set(struct parser *p, struct dm_cli *c)
{
	static const char *const kws[] = {
		"dev", "network-id", "holdtime", "registration-timeout",
		"authentication", "no-authentication", "redirect", "no-redirect",
		"shortcut", "no-shortcut", "map-multicast-dynamic",
		"no-map-multicast-dynamic", "registration-no-unique",
		"registration-unique", NULL
	};
	struct dm_nhrp_conf *conf = &c->conf;
	const char *tok;
	uint64_t n;
	int k, r;

	c->cmd = DM_CMD_NHRP_SET;
	while ((tok = next(p))) {
		k = kw(tok, kws);
		if (k == -2)
			return fail(p, "ambiguous keyword \"%s\" in \"nhrp set\"", tok);
		if (k < 0)
			return fail(p, "unexpected argument \"%s\" in \"nhrp set\"", tok);
		r = 0;
		switch ((enum set_kw)k) {
		case ST_DEV:
			r = parse_dev(p, c, "dev");
			break;
		case ST_NETWORK_ID:
			if (conf->has_network_id)
				return fail(p, "duplicate \"network-id\"");
			if ((r = parse_num(p, "network-id", 0, UINT32_MAX, &n)))
				return r;
			conf->network_id = (uint32_t)n;
			conf->has_network_id = true;
			break;
		case ST_HOLDTIME:
			if (conf->has_holdtime)
				return fail(p, "duplicate \"holdtime\"");
			if ((r = parse_num(p, "holdtime", 1, 65535, &n)))
				return r;
			conf->holdtime = (uint32_t)n;
			conf->has_holdtime = true;
			break;
		case ST_REG_TIMEOUT:
			if (conf->has_reg_interval)
				return fail(p, "duplicate \"registration-timeout\"");
			if ((r = parse_num(p, "registration-timeout", 0, 65535, &n)))
				return r;
			conf->reg_interval = (uint32_t)n;
			conf->has_reg_interval = true;
			break;
		case ST_AUTH:
			r = parse_auth(p, conf);
			break;
		case ST_NO_AUTH:
			if (conf->has_auth)
				return fail(p, "conflicting \"authentication\" and \"no-authentication\"");
			if (conf->auth_clear)
				return fail(p, "duplicate \"no-authentication\"");
			conf->auth_clear = true;
			break;
		case ST_REDIRECT:
		case ST_NO_REDIRECT:
			r = set_toggle(p, &conf->has_redirect, &conf->redirect,
				       k == ST_REDIRECT, "redirect", "no-redirect");
			break;
		case ST_SHORTCUT:
		case ST_NO_SHORTCUT:
			r = set_toggle(p, &conf->has_shortcut, &conf->shortcut,
				       k == ST_SHORTCUT, "shortcut", "no-shortcut");
			break;
		case ST_MCAST_DYN:
		case ST_NO_MCAST_DYN:
			r = set_toggle(p, &conf->has_mcast_dynamic,
				       &conf->mcast_dynamic, k == ST_MCAST_DYN,
				       "map-multicast-dynamic",
				       "no-map-multicast-dynamic");
			break;
		case ST_REG_NO_UNIQUE:
		case ST_REG_UNIQUE:
			r = set_toggle(p, &conf->has_reg_no_unique,
				       &conf->reg_no_unique, k == ST_REG_NO_UNIQUE,
				       "registration-no-unique",
				       "registration-unique");
			break;
		}
		if (r)
			return r;
	}
	if ((r = need_dev(p, c)))
		return r;
	if (!(conf->has_network_id || conf->has_holdtime ||
	      conf->has_reg_interval || conf->has_auth || conf->auth_clear ||
	      conf->has_redirect || conf->has_shortcut ||
	      conf->has_mcast_dynamic || conf->has_reg_no_unique))
		return fail(p, "nothing to set after \"nhrp set dev %s\" (network-id, holdtime, registration-timeout, [no-]authentication, [no-]redirect, [no-]shortcut, [no-]map-multicast-dynamic, registration-[no-]unique)",
			    c->dev);
	return 0;
}

/* nhrp nhs add dev TUN PROTO [nbma NBMA] [priority N] | del dev TUN PROTO */
static int parse_nhs(struct parser *p, struct dm_cli *c)
{
	static const char *const ops[] = { "add", "delete", NULL };
	static const char *const kws[] = { "dev", "nbma", "priority", NULL };
	struct dm_nhs *nhs = &c->nhs;
	const char *tok, *v;
	uint64_t n;
	bool add;
	int k, r;

	if ((r = want_kw(p, ops, "nhs", &k)))
		return r;
	add = k == 0;
	c->cmd = add ? DM_CMD_NHS_ADD : DM_CMD_NHS_DEL;
	while ((tok = next(p))) {
		k = kw(tok, kws);
		if (k == -2)
			return fail(p, "ambiguous keyword \"%s\"", tok);
		if (k == 0) {
			r = parse_dev(p, c, tok);
		} else if (k == 1 && add) {
			if (nhs->nbma.family)
				return fail(p, "duplicate \"nbma\"");
			if ((r = value(p, "nbma", &v)))
				return r;
			if (dm_addr_parse(v, &nhs->nbma))
				return fail(p, "invalid NBMA address \"%s\"", v);
		} else if (k == 2 && add) {
			if (nhs->has_priority)
				return fail(p, "duplicate \"priority\"");
			if ((r = parse_num(p, "priority", 0, 255, &n)))
				return r;
			nhs->priority = (uint8_t)n;
			nhs->has_priority = true;
		} else if (k < 0 && !nhs->proto.family) {
			if (dm_addr_parse(tok, &nhs->proto))
				return fail(p, "invalid NHS address \"%s\" (its tunnel address, without a prefix length)",
					    tok);
		} else {
			return fail(p, "unexpected argument \"%s\" in \"nhrp nhs %s\"",
				    tok, add ? "add" : "del");
		}
		if (r)
			return r;
	}
	if ((r = need_dev(p, c)))
		return r;
	if (!nhs->proto.family)
		return fail(p, "missing NHS tunnel address after \"nhrp nhs %s\"",
			    add ? "add" : "del");
	return 0;
}

/* nhrp map multicast add|del dev TUN NBMA */
static int parse_map_mcast(struct parser *p, struct dm_cli *c)
{
	static const char *const ops[] = { "add", "delete", NULL };
	static const char *const kws[] = { "dev", NULL };
	const char *tok;
	int k, r;

	if ((r = want_kw(p, ops, "multicast", &k)))
		return r;
	c->cmd = k == 0 ? DM_CMD_MCAST_ADD : DM_CMD_MCAST_DEL;
	while ((tok = next(p))) {
		if (kw(tok, kws) == 0)
			r = parse_dev(p, c, tok);
		else if (!c->nbma.family)
			r = parse_nbma(p, c, tok);
		else
			return fail(p, "unexpected argument \"%s\" in \"nhrp map multicast\"", tok);
		if (r)
			return r;
	}
	if ((r = need_dev(p, c)))
		return r;
	if (!c->nbma.family)
		return fail(p, "missing NBMA address after \"nhrp map multicast %s\"",
			    c->cmd == DM_CMD_MCAST_ADD ? "add" : "del");
	return 0;
}

/* show ip nhrp nhs [dev TUN] [detail] | traffic [dev TUN] | multicast [dev TUN] */
static int parse_dev_detail(struct parser *p, struct dm_cli *c, bool detail,
			    const char *cmd)
{
	static const char *const kws[] = { "dev", "detail", NULL };
	const char *tok;
	int r;

	while ((tok = next(p))) {
		int k = kw(tok, kws);

		if (k == 0) {
			if ((r = parse_dev(p, c, tok)))
				return r;
		} else if (k == 1 && detail) {
			c->detail = true;
		} else {
			return fail(p, "unexpected argument \"%s\" in \"%s\"", tok, cmd);
		}
	}
	return 0;
}

/*
 * After "show ip nhrp": the subcommands nhs, traffic and multicast, or
 * the cache listing.  Prefixes are resolved against both sets of words
 * so that an abbreviation means one thing only.
 */
static int parse_show_ip_nhrp(struct parser *p, struct dm_cli *c)
{
	static const char *const all[] = {
		"nhs", "traffic", "multicast", "dev", "detail", "static",
		"dynamic", "incomplete", "shortcut", NULL
	};
	const char *tok = peek(p);
	int k = tok ? kw(tok, all) : -1;

	switch (k) {
	case 0:
		p->i++;
		c->cmd = DM_CMD_SHOW_NHS;
		return parse_dev_detail(p, c, true, "show ip nhrp nhs");
	case 1:
		p->i++;
		c->cmd = DM_CMD_SHOW_TRAFFIC;
		return parse_dev_detail(p, c, false, "show ip nhrp traffic");
	case 2:
		p->i++;
		c->cmd = DM_CMD_SHOW_MCAST;
		return parse_dev_detail(p, c, false, "show ip nhrp multicast");
	default:
		c->cmd = DM_CMD_SHOW_NHRP;
		return parse_show_opts(p, c, true);
	}
}

static int parse_options(struct parser *p, struct dm_cli *c)
{
	const char *a;

	while ((a = peek(p)) && a[0] == '-' && a[1]) {
		p->i++;
		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "--json")) {
			c->json = true;
		} else if (!strcmp(a, "--pretty")) {
			c->pretty = true;
		} else if (!strcmp(a, "--help")) {
			c->cmd = DM_CMD_HELP;
		} else if (!strcmp(a, "--version")) {
			c->cmd = DM_CMD_VERSION;
		} else if (a[1] != '-') {
			for (const char *f = a + 1; *f; f++) {
				switch (*f) {
				case 'j': c->json = true; break;
				case 'p': c->pretty = true; break;
				case 'h': c->cmd = DM_CMD_HELP; break;
				case 'V': c->cmd = DM_CMD_VERSION; break;
				default:
					return fail(p, "unknown option \"%s\"", a);
				}
			}
		} else {
			return fail(p, "unknown option \"%s\"", a);
		}
	}
	return 0;
}

/*
 * debug crypto isakmp|ipsec | nhrp | dmvpn [all [all]] | all, the same
 * after "no debug" and "undebug".  IOS's spelling; "debug dmvpn" and
 * "debug all" turn on every trace line of the module and of dmvpnd.
 */
static int parse_debug(struct parser *p, struct dm_cli *c, bool on)
{
	static const char *const what[] = { "crypto", "nhrp", "dmvpn", "all", NULL };
	static const char *const crypto[] = { "isakmp", "ipsec", NULL };
	int k, r;

	c->cmd = DM_CMD_DEBUG;
	c->debug_on = on;
	if ((r = want_kw(p, what, on ? "debug" : "no debug", &k)))
		return r;
	switch (k) {
	case 0:
		if ((r = want_kw(p, crypto, "crypto", &k)))
			return r;
		c->debug_cats = k ? DM_DEBUG_IPSEC : DM_DEBUG_ISAKMP;
		break;
	case 1:
		c->debug_cats = DM_DEBUG_NHRP;
		break;
	case 2:
		c->debug_cats = DM_DEBUG_ALL;
		/* IOS: "debug dmvpn all all" */
		while (peek(p) && !strcmp(peek(p), "all"))
			next(p);
		break;
	default:
		c->debug_cats = DM_DEBUG_ALL;
		break;
	}
	return no_more(p);
}

int dm_cli_parse(int argc, char **argv, struct dm_cli *c, char *err,
		 size_t errlen)
{
	static const char *const top[] = {
		"nhrp", "show", "clear", "monitor", "help", "crypto", "debug",
		"no", "undebug", NULL
	};
	static const char *const nhrp[] = { "map", "flush", "set", "nhs", NULL };
	static const char *const map[] = { "add", "delete", "multicast", NULL };
	static const char *const show[] = {
		"ip", "ipv6", "dmvpn", "interfaces", "crypto", "debugging", NULL
	};
	static const char *const ip[] = { "nhrp", NULL };
	struct parser p = { argc, argv, 1, err, errlen };
	int k, r;

	memset(c, 0, sizeof(*c));
	if (errlen)
		err[0] = '\0';
	if ((r = parse_options(&p, c)))
		return r;
	if (c->cmd == DM_CMD_HELP || c->cmd == DM_CMD_VERSION)
		return DM_EXIT_OK;
	if (!peek(&p))
		return fail(&p, "missing command (try \"help\")");
	if ((r = want_kw(&p, top, "dmvpnctl", &k)))
		return r;

	switch (k) {
	case 0: /* nhrp */
		if ((r = want_kw(&p, nhrp, "nhrp", &k)))
			return r;
		if (k == 1) {
			c->cmd = DM_CMD_FLUSH;
			return parse_flush(&p, c);
		}
		if (k == 2)
			return parse_nhrp_set(&p, c);
		if (k == 3)
			return parse_nhs(&p, c);
		if ((r = want_kw(&p, map, "map", &k)))
			return r;
		if (k == 2)
			return parse_map_mcast(&p, c);
		c->cmd = k == 0 ? DM_CMD_MAP_ADD : DM_CMD_MAP_DEL;
		return parse_map(&p, c, k == 0);
	case 1: /* show */
		if ((r = want_kw(&p, show, "show", &k)))
			return r;
		if (k <= 1) {		/* show ip|ipv6 nhrp */
			if ((r = want_kw(&p, ip, show[k], &k)))
				return r;
			return parse_show_ip_nhrp(&p, c);
		}
		if (k == 2) {
			c->cmd = DM_CMD_SHOW_DMVPN;
			return parse_show_opts(&p, c, false);
		}
		if (k == 4)
			return parse_show_crypto(&p, c);
		if (k == 5) {
			c->cmd = DM_CMD_SHOW_DEBUG;
			return no_more(&p);
		}
		c->cmd = DM_CMD_SHOW_IF;
		if (!peek(&p))
			return fail(&p, "missing device name after \"interface\"");
		if ((r = parse_dev(&p, c, "interface")))
			return r;
		return no_more(&p);
	case 2: /* clear ip nhrp [dev TUN], clear crypto sa [dev TUN] [peer A] */
		if ((r = want_kw(&p, (const char *const[]){
					"ip", "ipv6", "crypto", NULL },
				 "clear", &k)))
			return r;
		if (k == 2) {
			if ((r = want_kw(&p, (const char *const[]){ "sa", "isakmp", NULL },
					 "crypto", &k)))
				return r;
			if (k == 1) {
				uint64_t id = 0;

				c->cmd = DM_CMD_CLEAR_ISAKMP;
				if (peek(&p) &&
				    (r = parse_num(&p, "conn-id", 1, 0xffffffffULL, &id)))
					return r;
				c->conn_id = (unsigned int)id;
				return no_more(&p);
			}
			c->cmd = DM_CMD_SA_FLUSH;
			return parse_crypto_args(&p, c, SK(SK_DEV) | SK(SK_PEER) |
						 SK(SK_PORT), "clear crypto sa");
		}
		if ((r = want_kw(&p, ip, k ? "ipv6" : "ip", &k)))
			return r;
		c->cmd = DM_CMD_FLUSH;
		return parse_flush(&p, c);
	case 3:
		c->cmd = DM_CMD_MONITOR;
		return no_more(&p);
	case 5:
		return parse_crypto(&p, c);
	case 6:
		return parse_debug(&p, c, true);
	case 7:
		if ((r = want_kw(&p, (const char *const[]){ "debug", NULL },
				 "no", &k)))
			return r;
		return parse_debug(&p, c, false);
	case 8:
		return parse_debug(&p, c, false);
	default:
		c->cmd = DM_CMD_HELP;
		return DM_EXIT_OK;
	}
}

void dm_cli_usage(FILE *fp)
{
	fputs(
"Usage: dmvpnctl [-j|--json] [-p|--pretty] COMMAND\n"
"\n"
"  nhrp map add dev TUN PROTO[/PLEN] NBMA [port N]   (IOS: ip nhrp map)\n"
"  nhrp map del dev TUN PROTO[/PLEN]\n"
"  nhrp flush dev TUN [all]                           (IOS: clear ip nhrp)\n"
"  clear ip nhrp [dev TUN]\n"
"  nhrp set dev TUN [network-id N] [holdtime S] [registration-timeout S]\n"
"         [authentication KEY | no-authentication] [redirect | no-redirect]\n"
"         [shortcut | no-shortcut]\n"
"         [map-multicast-dynamic | no-map-multicast-dynamic]\n"
"         [registration-no-unique | registration-unique]   (IOS: ip nhrp ...)\n"
"  nhrp nhs add dev TUN PROTO [nbma NBMA] [priority N] (IOS: ip nhrp nhs)\n"
"  nhrp nhs del dev TUN PROTO\n"
"  nhrp map multicast add dev TUN NBMA                 (IOS: ip nhrp map multicast)\n"
"  nhrp map multicast del dev TUN NBMA\n"
"  show ip nhrp [dev TUN] [ADDR[/PLEN]] [static|dynamic|incomplete|shortcut]\n"
"         [detail]\n"
"  show ip nhrp nhs [dev TUN] [detail]\n"
"  show ip nhrp traffic [dev TUN]\n"
"  show ip nhrp multicast [dev TUN]\n"
"  show dmvpn [dev TUN] [detail]\n"
"  show interface TUN\n"
"  monitor                                            (NHRP and SA events)\n"
"\n"
"  crypto socket attach dev TUN [local ADDR] [port N] (UDP socket for ESP, default\n"
"                                                      local address:4500)\n"
"  crypto socket detach dev TUN\n"
"  crypto sa add dev TUN dir in|out spi SPI peer ADDR [port N] alg ALG\n"
"         key HEX [auth-key HEX] [mode transport|tunnel] [replay-window N]\n"
"         [esn] [allow-insecure] [reqid N] [lifetime seconds S]\n"
"         [lifetime kilobytes K] [soft-lifetime seconds S]\n"
"         [soft-lifetime kilobytes K]\n"
"  crypto sa del dev TUN dir in|out spi SPI [peer ADDR [port N]]\n"
"  clear crypto sa [dev TUN] [peer ADDR [port N]]\n"
"  clear crypto isakmp [CONN-ID]                      (dmvpnd: ISAKMP SAs; IPsec SAs stay)\n"
"  show crypto ipsec sa [dev TUN] [peer ADDR] [detail]\n"
"  show crypto sockets\n"
"  show crypto session [dev TUN] [detail]\n"
"  show crypto isakmp sa [dev TUN] [detail]          (dmvpnd's IKE state)\n"
"  show crypto isakmp failures [dev TUN]              (dmvpnd: last failure per peer)\n"
"\n"
"  debug crypto isakmp|ipsec                          (dmvpnd; ipsec: the module too)\n"
"  debug nhrp                                         (the module's NHRP trace)\n"
"  debug dmvpn [all [all]] | debug all                (every trace line)\n"
"  no debug crypto isakmp|ipsec|nhrp|dmvpn|all        (or: undebug ...)\n"
"  undebug all\n"
"  show debugging\n"
"  help\n"
"\n"
"ALG := aes128gcm16 | aes256gcm16 | aes128-sha1 | aes128-sha256 | aes128-sha384\n"
"     | aes128-sha512 | aes256-sha1 | aes256-sha256 | aes256-sha384\n"
"     | aes256-sha512 | 3des-sha1 | 3des-md5 | chacha20poly1305 | null\n"
"SPI := 256..4294967295, decimal or 0x hex; HEX: key bytes, 0x optional.\n"
"network-id 0..4294967295 (0 = NHRP off), holdtime 1..65535 s (7200),\n"
"registration-timeout 0..65535 s (0 = holdtime/3), KEY 1..8 characters,\n"
"priority 0..255 (0).\n"
"\n"
"Keywords may be abbreviated (\"sh dm\", \"sh ip nh\", \"sh cry ips sa\").\n"
"Addresses are IPv4 or IPv6.  Exit status: 0 ok, 1 failed, 2 bad usage.\n",
	      fp);
}
