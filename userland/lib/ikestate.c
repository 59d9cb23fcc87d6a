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

int dm_ikestate_parse(const char *line, struct dm_ike_sa_state *s)
{
	char buf[512], *save, *t;
	unsigned int seen = 0;
	unsigned long v = 0;

	memset(s, 0, sizeof(*s));
	if (strlen(line) >= sizeof(buf) || strncmp(line, "sa ", 3))
		return -1;
	strcpy(buf, line + 3);
	buf[strcspn(buf, "\n")] = '\0';
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(t, '=');
		const char *k = t, *val;
		int err = 0;

		if (!eq)
			return -1;
		*eq = '\0';
		val = eq + 1;
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
	if (!strcmp(s->encr, "-"))
		s->encr[0] = '\0';
	if (!strcmp(s->hash, "-"))
		s->hash[0] = '\0';
	return seen == 31 ? 0 : -1;
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
