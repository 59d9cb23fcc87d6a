// SPDX-License-Identifier: GPL-2.0-only
/* Run-time debugging switches of the module and dmvpnd (debugctl.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debugctl.h"
#include "ikestate.h"

static const struct {
	unsigned int cat;
	const char *word;
} cat_words[] = {
	{ DM_DEBUG_ISAKMP, "isakmp" },
	{ DM_DEBUG_IPSEC, "ipsec" },
	{ DM_DEBUG_NHRP, "nhrp" },
	{ DM_DEBUG_DMVPN, "dmvpn" },
};
#define NCATS (sizeof(cat_words) / sizeof(cat_words[0]))

/* The module's source files behind each category. */
static const char *const nhrp_files[] = { "nhrp.c", NULL };
static const char *const ipsec_files[] = { "esp.c", "sa.c", NULL };

const char *dm_debug_keyer_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/debug", dm_ikestate_dir());
	return buf;
}

void dm_debug_format(unsigned int cats, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < NCATS; i++) {
		int n;

		if (!(cats & cat_words[i].cat))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? " " : "",
			     cat_words[i].word);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
}

int dm_debug_parse(const char *text, unsigned int *cats, char *err,
		   size_t errlen)
{
	const char *p = text;

	*cats = 0;
	while (*p) {
		size_t n;
		size_t i;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (!n)
			break;
		for (i = 0; i < NCATS; i++)
			if (strlen(cat_words[i].word) == n &&
			    !strncmp(p, cat_words[i].word, n))
				break;
		if (i == NCATS) {
			snprintf(err, errlen, "\"%.*s\" is not a debug category (isakmp, ipsec, nhrp, dmvpn)",
				 (int)(n > 32 ? 32 : n), p);
			return -1;
		}
		*cats |= cat_words[i].cat;
		p += n;
	}
	return 0;
}

int dm_debug_keyer_get(unsigned int *cats, char *err, size_t errlen)
{
	char path[512], text[256];
	size_t n;
	FILE *f;

	*cats = 0;
	f = fopen(dm_debug_keyer_path(path, sizeof(path)), "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (dm_debug_parse(text, cats, err, errlen))
		return -1;
	*cats &= DM_DEBUG_KEYER;
	return 0;
}

int dm_debug_keyer_set(unsigned int cats, char *err, size_t errlen)
{
	char path[512], text[128];
	size_t len;

	dm_debug_keyer_path(path, sizeof(path));
	if (!(cats & DM_DEBUG_KEYER)) {
		if (unlink(path) && errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	dm_debug_format(cats & DM_DEBUG_KEYER, text, sizeof(text) - 1);
	len = strlen(text);
	text[len] = '\n';
	text[len + 1] = '\0';
	return dm_ikestate_write_file(path, text, err, errlen);
}

const char *dm_debug_control_path(void)
{
	static const char *const paths[] = {
		"/proc/dynamic_debug/control",
		"/sys/kernel/debug/dynamic_debug/control",
	};
	const char *env = getenv("DMVPN_DYNDBG_CONTROL");

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], R_OK))
			return paths[i];
	return NULL;
}

static int no_control(char *err, size_t errlen)
{
	snprintf(err, errlen, "the kernel has no dynamic debug control file (CONFIG_DYNAMIC_DEBUG off, or mount debugfs: mount -t debugfs none /sys/kernel/debug)");
	return -1;
}

/* One query per write: the control file takes a query per write(2). */
static int control_write(const char *path, const char *query, char *err,
			 size_t errlen)
{
	size_t len = strlen(query);
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t w;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	w = write(fd, query, len);
	if (w != (ssize_t)len) {
		snprintf(err, errlen, "%s: \"%.*s\": %s", path, (int)len - 1,
			 query, w < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int dm_debug_module_set(unsigned int cats, bool on, char *err, size_t errlen)
{
	const char *path = dm_debug_control_path();
	const char *const *files[2] = { NULL, NULL };
	char q[128];
	unsigned int have;
	size_t nf = 0;

	if (!path)
		return no_control(err, errlen);
	/* refuse before touching anything if the module is not there */
	if (dm_debug_module_get(&have, err, errlen))
		return -1;
	if (cats & DM_DEBUG_DMVPN) {
		snprintf(q, sizeof(q), "module dmvpn %cp\n", on ? '+' : '-');
		return control_write(path, q, err, errlen);
	}
	if (cats & DM_DEBUG_NHRP)
		files[nf++] = nhrp_files;
	if (cats & DM_DEBUG_IPSEC)
		files[nf++] = ipsec_files;
	for (size_t i = 0; i < nf; i++)
		for (const char *const *f = files[i]; *f; f++) {
			snprintf(q, sizeof(q), "module dmvpn file %s %cp\n", *f,
				 on ? '+' : '-');
			if (control_write(path, q, err, errlen))
				return -1;
		}
	return 0;
}

/* "path/to/nhrp.c:123 [dmvpn]func =p ..." -> "nhrp.c", and whether the
 * flags have p; false for lines of other modules. */
static bool control_line(const char *line, char *base, size_t len, bool *on)
{
	const char *colon = strchr(line, ':');
	const char *mod = strstr(line, " [dmvpn]");
	const char *flags, *slash;
	size_t n;

	if (!colon || !mod || mod < colon)
		return false;
	flags = strstr(mod, " =");
	if (!flags)
		return false;
	flags += 2;
	*on = false;
	for (; *flags && *flags != ' '; flags++)
		if (*flags == 'p')
			*on = true;
	slash = line;
	for (const char *c = line; c < colon; c++)
		if (*c == '/')
			slash = c + 1;
	n = (size_t)(colon - slash);
	if (n >= len)
		n = len - 1;
	memcpy(base, slash, n);
	base[n] = '\0';
	return true;
}

static bool in_list(const char *base, const char *const *files)
{
	for (; *files; files++)
		if (!strcmp(base, *files))
			return true;
	return false;
}

int dm_debug_module_get(unsigned int *cats, char *err, size_t errlen)
{
	const char *path = dm_debug_control_path();
	/* per category: call sites seen, call sites on */
	unsigned int seen[3] = { 0 }, on[3] = { 0 };
	char line[1024];
	FILE *f;

	*cats = 0;
	if (!path)
		return no_control(err, errlen);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char base[64];
		bool p;

		if (!control_line(line, base, sizeof(base), &p))
			continue;
		seen[0]++;
		on[0] += p;
		if (in_list(base, nhrp_files)) {
			seen[1]++;
			on[1] += p;
		}
		if (in_list(base, ipsec_files)) {
			seen[2]++;
			on[2] += p;
		}
	}
	fclose(f);
	if (!seen[0]) {
		snprintf(err, errlen, "the dmvpn module is not loaded (%s lists none of its debug lines)",
			 path);
		return -1;
	}
	if (on[0] == seen[0])
		*cats |= DM_DEBUG_DMVPN;
	if (seen[1] && on[1] == seen[1])
		*cats |= DM_DEBUG_NHRP;
	if (seen[2] && on[2] == seen[2])
		*cats |= DM_DEBUG_IPSEC;
	return 0;
}
