/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal streaming JSON writer producing iproute2-style output:
 * compact by default, indented with "pretty".
 */
#ifndef DMVPN_LIB_JSON_H
#define DMVPN_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DM_JSON_MAX_DEPTH 32

struct dm_json {
	FILE *fp;
	bool pretty;
	int depth;
	bool need_comma[DM_JSON_MAX_DEPTH];
	bool after_key;
	bool error;		/* nesting overflow or misuse */
};

void dm_json_init(struct dm_json *j, FILE *fp, bool pretty);
void dm_json_obj_start(struct dm_json *j);
void dm_json_obj_end(struct dm_json *j);
void dm_json_arr_start(struct dm_json *j);
void dm_json_arr_end(struct dm_json *j);
void dm_json_key(struct dm_json *j, const char *key);
void dm_json_str(struct dm_json *j, const char *s);
void dm_json_u64(struct dm_json *j, uint64_t v);
void dm_json_bool(struct dm_json *j, bool v);
void dm_json_null(struct dm_json *j);
/* Finish a top-level value: newline. */
void dm_json_end_doc(struct dm_json *j);

/* key + value shorthands */
void dm_json_kv_str(struct dm_json *j, const char *key, const char *s);
void dm_json_kv_u64(struct dm_json *j, const char *key, uint64_t v);
void dm_json_kv_bool(struct dm_json *j, const char *key, bool v);
void dm_json_kv_null(struct dm_json *j, const char *key);

/* Write s as a JSON string literal (with quotes). */
void dm_json_escape(FILE *fp, const char *s);

#endif
