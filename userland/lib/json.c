// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>

#include "json.h"

void dm_json_init(struct dm_json *j, FILE *fp, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
	j->pretty = pretty;
}

void dm_json_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', fp);
	for (; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\b': fputs("\\b", fp); break;
		case '\f': fputs("\\f", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);	/* UTF-8 passes through */
		}
	}
	fputc('"', fp);
}

static void indent(struct dm_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (int i = 0; i < j->depth; i++)
		fputs("    ", j->fp);
}

/* Separator and indentation before a value or a key. */
static void pre_value(struct dm_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->fp);
		indent(j);
		j->need_comma[j->depth] = true;
	}
}

static void j_open(struct dm_json *j, char c)
{
	pre_value(j);
	fputc(c, j->fp);
	if (j->depth + 1 >= DM_JSON_MAX_DEPTH) {
		j->error = true;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void j_close(struct dm_json *j, char c)
{
	bool had = j->depth > 0 && j->need_comma[j->depth];

	if (j->depth == 0) {
		j->error = true;
		return;
	}
	j->depth--;
	if (had)
		indent(j);
	fputc(c, j->fp);
}

void dm_json_obj_start(struct dm_json *j) { j_open(j, '{'); }
void dm_json_obj_end(struct dm_json *j) { j_close(j, '}'); }
void dm_json_arr_start(struct dm_json *j) { j_open(j, '['); }
void dm_json_arr_end(struct dm_json *j) { j_close(j, ']'); }

void dm_json_key(struct dm_json *j, const char *key)
{
	pre_value(j);
	dm_json_escape(j->fp, key);
	fputs(j->pretty ? ": " : ":", j->fp);
	j->after_key = true;
}

void dm_json_str(struct dm_json *j, const char *s)
{
	pre_value(j);
	dm_json_escape(j->fp, s);
}

void dm_json_u64(struct dm_json *j, uint64_t v)
{
	pre_value(j);
	fprintf(j->fp, "%" PRIu64, v);
}

void dm_json_bool(struct dm_json *j, bool v)
{
	pre_value(j);
	fputs(v ? "true" : "false", j->fp);
}

void dm_json_null(struct dm_json *j)
{
	pre_value(j);
	fputs("null", j->fp);
}

void dm_json_end_doc(struct dm_json *j)
{
	fputc('\n', j->fp);
}

void dm_json_kv_str(struct dm_json *j, const char *k, const char *s)
{
	dm_json_key(j, k);
	dm_json_str(j, s);
}

void dm_json_kv_u64(struct dm_json *j, const char *k, uint64_t v)
{
	dm_json_key(j, k);
	dm_json_u64(j, v);
}

void dm_json_kv_bool(struct dm_json *j, const char *k, bool v)
{
	dm_json_key(j, k);
	dm_json_bool(j, v);
}

void dm_json_kv_null(struct dm_json *j, const char *k)
{
	dm_json_key(j, k);
	dm_json_null(j);
}
