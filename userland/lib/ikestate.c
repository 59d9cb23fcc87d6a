// SPDX-License-Identifier: GPL-2.0-only
/* dmvpnd's published IKE state (ikestate.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikestate.h"

const char *dm_ikestate_dir(void)
{
	const char *d = getenv("DMVPN_RUN_DIR");

	return d && *d ? d : DM_IKESTATE_DIR;
}

int dm_ikestate_format(const struct dm_ike_sa_state *s, char *buf, size_t len)
{
	char l[DM_ADDR_STRLEN], r[DM_ADDR_STRLEN];
	int n = snprintf(buf, len,
			 "sa if=%s conn_id=%u local=%s lport=%u remote=%s rport=%u state=%s role=%s encr=%s hash=%s dh=%u life_left=%u nat=%d dpd=%d children=%u",
			 s->ifname, s->conn_id, dm_addr_fmt(&s->local, l, sizeof(l)),
			 s->lport, dm_addr_fmt(&s->remote, r, sizeof(r)), s->rport,
			 s->state, s->initiator ? "initiator" : "responder",
			 s->encr[0] ? s->encr : "-", s->hash[0] ? s->hash : "-",
			 s->dh, s->life_left, s->nat, s->dpd, s->children);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int num(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*v || *v == '-')
		return -1;
	*out = strtoul(v, &end, 10);
	return *end || *out > max ? -1 : 0;
}

static int word(const char *v, char *dst, size_t len)
{
	size_t n = strlen(v);

	if (!n || n >= len)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/*
 * The next "key=value" of a space-separated line, split in place: 1, 0 at
 * the end, -1 for a word without '='.  *cursor walks the line.
 */
static int next_kv(char **cursor, char **k, char **v)
{
	char *t = strtok_r(NULL, " ", cursor), *eq;

	if (!t)
		return 0;
	eq = strchr(t, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	*k = t;
	*v = eq + 1;
	return 1;
}

/* A line of the kind tag ("sa ", ...) into buf, without its newline: 0,
 * or -1 for another kind or a line longer than buf. */
static int line_copy(const char *line, const char *tag, char *buf, size_t len)
{
	if (strlen(line) >= len || strncmp(line, tag, strlen(tag)))
		return -1;
	strcpy(buf, line);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int dm_ikestate_parse(const char *line, struct dm_ike_sa_state *s)
{
	char buf[512], *cursor = NULL, *k, *val;
	unsigned int seen = 0;
	unsigned long v = 0;
	int more;

	memset(s, 0, sizeof(*s));
	if (line_copy(line, "sa ", buf, sizeof(buf)))
		return -1;
	/* "sa" first: strtok_r starts on buf, next_kv goes on from there */
	strtok_r(buf, " ", &cursor);
	while ((more = next_kv(&cursor, &k, &val)) > 0) {
		int err = 0;

		if (!strcmp(k, "if"))
			err = word(val, s->ifname, sizeof(s->ifname)), seen |= 1;
		else if (!strcmp(k, "conn_id"))
			err = num(val, 0xffffffffu, &v), s->conn_id = (unsigned int)v, seen |= 2;
		else if (!strcmp(k, "local"))
			err = dm_addr_parse(val, &s->local), seen |= 4;
		else if (!strcmp(k, "remote"))
			err = dm_addr_parse(val, &s->remote), seen |= 8;
		else if (!strcmp(k, "lport"))
			err = num(val, 65535, &v), s->lport = (uint16_t)v;
		else if (!strcmp(k, "rport"))
			err = num(val, 65535, &v), s->rport = (uint16_t)v;
		else if (!strcmp(k, "state"))
			err = word(val, s->state, sizeof(s->state)), seen |= 16;
		else if (!strcmp(k, "role"))
			s->initiator = !strcmp(val, "initiator");
		else if (!strcmp(k, "encr"))
			err = word(val, s->encr, sizeof(s->encr));
		else if (!strcmp(k, "hash"))
			err = word(val, s->hash, sizeof(s->hash));
		else if (!strcmp(k, "dh"))
			err = num(val, 65535, &v), s->dh = (unsigned int)v;
		else if (!strcmp(k, "life_left"))
			err = num(val, 0xffffffffu, &v), s->life_left = (uint32_t)v;
		else if (!strcmp(k, "nat"))
			s->nat = !strcmp(val, "1");
		else if (!strcmp(k, "dpd"))
			s->dpd = !strcmp(val, "1");
		else if (!strcmp(k, "children"))
			err = num(val, 0xffffffffu, &v), s->children = (unsigned int)v;
		/* unknown keys: a newer dmvpnd; ignored */
		if (err)
			return -1;
	}
	if (more < 0)
		return -1;
	if (!strcmp(s->encr, "-"))
		s->encr[0] = '\0';
	if (!strcmp(s->hash, "-"))
		s->hash[0] = '\0';
	return seen == 31 ? 0 : -1;
}

int dm_ikestate_format_failure(const struct dm_ike_failure *f, char *buf, size_t len)
{
	char p[DM_ADDR_STRLEN];
	int n = snprintf(buf, len, "fail if=%s peer=%s port=%u when=%llu count=%u code=%s reason=%s",
			 f->ifname, dm_addr_fmt(&f->peer, p, sizeof(p)), f->port,
			 (unsigned long long)f->when, f->count, f->code, f->reason);

	if (n <= 0 || (size_t)n >= len || !f->ifname[0] || !f->code[0] ||
	    strchr(f->code, ' '))
		return -1;
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return 0;
}

int dm_ikestate_parse_failure(const char *line, struct dm_ike_failure *f)
{
	char buf[1024], *cursor = NULL, *k, *val, *reason;
	unsigned int seen = 0;
	unsigned long v = 0;
	int more;

	memset(f, 0, sizeof(*f));
	if (line_copy(line, "fail ", buf, sizeof(buf)))
		return -1;
	/* the reason has spaces: cut it off before splitting the rest */
	reason = strstr(buf, " reason=");
	if (!reason)
		return -1;
	*reason = '\0';
	if (word(reason + 8, f->reason, sizeof(f->reason)))
		return -1;
	strtok_r(buf, " ", &cursor);
	while ((more = next_kv(&cursor, &k, &val)) > 0) {
		int err = 0;

		if (!strcmp(k, "if"))
			err = word(val, f->ifname, sizeof(f->ifname)), seen |= 1;
		else if (!strcmp(k, "peer"))
			err = dm_addr_parse(val, &f->peer), seen |= 2;
		else if (!strcmp(k, "port"))
			err = num(val, 65535, &v), f->port = (uint16_t)v;
		else if (!strcmp(k, "when"))
			err = num(val, ~0ul, &v), f->when = v, seen |= 4;
		else if (!strcmp(k, "count"))
			err = num(val, 0xffffffffu, &v), f->count = (unsigned int)v;
		else if (!strcmp(k, "code"))
			err = word(val, f->code, sizeof(f->code)), seen |= 8;
		/* unknown keys: a newer dmvpnd; ignored */
		if (err)
			return -1;
	}
	return more < 0 || seen != 15 ? -1 : 0;
}

int dm_ikestate_format_child(const struct dm_ike_child_state *c, char *buf, size_t len)
{
	char p[DM_ADDR_STRLEN], l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];
	int n = snprintf(buf, len, "ipsec if=%s peer=%s spi_in=%u spi_out=%u local_id=%s remote_id=%s",
			 c->ifname, dm_addr_fmt(&c->peer, p, sizeof(p)), c->spi_in,
			 c->spi_out, dm_proxy_id_fmt_token(&c->local_id, l, sizeof(l)),
			 dm_proxy_id_fmt_token(&c->remote_id, r, sizeof(r)));

	return n > 0 && (size_t)n < len && c->ifname[0] ? 0 : -1;
}

int dm_ikestate_parse_child(const char *line, struct dm_ike_child_state *c)
{
	char buf[512], *cursor = NULL, *k, *val;
	unsigned int seen = 0;
	unsigned long v = 0;
	int more;

	memset(c, 0, sizeof(*c));
	if (line_copy(line, "ipsec ", buf, sizeof(buf)))
		return -1;
	strtok_r(buf, " ", &cursor);
	while ((more = next_kv(&cursor, &k, &val)) > 0) {
		int err = 0;

		if (!strcmp(k, "if"))
			err = word(val, c->ifname, sizeof(c->ifname)), seen |= 1;
		else if (!strcmp(k, "peer"))
			err = dm_addr_parse(val, &c->peer), seen |= 2;
		else if (!strcmp(k, "spi_in"))
			err = num(val, 0xffffffffu, &v), c->spi_in = (uint32_t)v, seen |= 4;
		else if (!strcmp(k, "spi_out"))
			err = num(val, 0xffffffffu, &v), c->spi_out = (uint32_t)v, seen |= 8;
		else if (!strcmp(k, "local_id"))
			err = dm_proxy_id_parse_token(val, &c->local_id), seen |= 16;
		else if (!strcmp(k, "remote_id"))
			err = dm_proxy_id_parse_token(val, &c->remote_id), seen |= 32;
		/* unknown keys: a newer dmvpnd; ignored */
		if (err)
			return -1;
	}
	return more < 0 || seen != 63 ? -1 : 0;
}

const char *dm_ikestate_clear_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/clear-isakmp", dm_ikestate_dir());
	return buf;
}

int dm_ikestate_write_file(const char *path, const char *text, char *err,
			   size_t errlen)
{
	size_t len = strlen(text);
	char tmp[600];
	ssize_t w;
	int fd;

	mkdir(dm_ikestate_dir(), 0755);
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	w = write(fd, text, len);
	if (close(fd) || w != (ssize_t)len || rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int dm_ikestate_clear_request(unsigned int conn_id, char *err, size_t errlen)
{
	char path[512], text[32];

	snprintf(text, sizeof(text), "%u\n", conn_id);
	return dm_ikestate_write_file(dm_ikestate_clear_path(path, sizeof(path)),
				      text, err, errlen);
}

int dm_ikestate_clear_read(unsigned int *conn_id)
{
	char path[512], text[32];
	unsigned long v;
	FILE *f = fopen(dm_ikestate_clear_path(path, sizeof(path)), "r");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(text, sizeof(text), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (num(text, 0xffffffffUL, &v))
		return -1;
	*conn_id = (unsigned int)v;
	return 0;
}
