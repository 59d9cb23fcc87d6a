// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

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
		"dev", "detail", "static", "dynamic", "incomplete", NULL
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

int dm_cli_parse(int argc, char **argv, struct dm_cli *c, char *err,
		 size_t errlen)
{
	static const char *const top[] = {
		"nhrp", "show", "clear", "monitor", "help", NULL
	};
	static const char *const nhrp[] = { "map", "flush", NULL };
	static const char *const map[] = { "add", "delete", NULL };
	static const char *const show[] = {
		"ip", "ipv6", "dmvpn", "interfaces", NULL
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
		if ((r = want_kw(&p, map, "map", &k)))
			return r;
		c->cmd = k == 0 ? DM_CMD_MAP_ADD : DM_CMD_MAP_DEL;
		return parse_map(&p, c, k == 0);
	case 1: /* show */
		if ((r = want_kw(&p, show, "show", &k)))
			return r;
		if (k <= 1) {		/* show ip|ipv6 nhrp */
			if ((r = want_kw(&p, ip, show[k], &k)))
				return r;
			c->cmd = DM_CMD_SHOW_NHRP;
			return parse_show_opts(&p, c, true);
		}
		if (k == 2) {
			c->cmd = DM_CMD_SHOW_DMVPN;
			return parse_show_opts(&p, c, false);
		}
		c->cmd = DM_CMD_SHOW_IF;
		if (!peek(&p))
			return fail(&p, "missing device name after \"interface\"");
		if ((r = parse_dev(&p, c, "interface")))
			return r;
		return no_more(&p);
	case 2: /* clear ip nhrp [dev TUN] */
		if ((r = want_kw(&p, (const char *const[]){ "ip", "ipv6", NULL },
				 "clear", &k)))
			return r;
		if ((r = want_kw(&p, ip, k ? "ipv6" : "ip", &k)))
			return r;
		c->cmd = DM_CMD_FLUSH;
		return parse_flush(&p, c);
	case 3:
		c->cmd = DM_CMD_MONITOR;
		return no_more(&p);
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
"  show ip nhrp [dev TUN] [ADDR[/PLEN]] [static|dynamic|incomplete] [detail]\n"
"  show dmvpn [dev TUN] [detail]\n"
"  show interface TUN\n"
"  monitor\n"
"  help\n"
"\n"
"Keywords may be abbreviated (\"sh dm\", \"sh ip nh\").\n"
"Addresses are IPv4 or IPv6.  Exit status: 0 ok, 1 failed, 2 bad usage.\n",
	      fp);
}
