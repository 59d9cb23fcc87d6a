// SPDX-License-Identifier: GPL-2.0-only
#include "../lib/json.h"
#include "unit.h"

static const char *esc(struct capture *c, const char *s)
{
	dm_json_escape(cap_open(c), s);
	return cap_str(c);
}

static void json_escaping(void)
{
	struct capture c;

	CHECK_STR(esc(&c, "plain"), "\"plain\"");
	cap_free(&c);
	CHECK_STR(esc(&c, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	cap_free(&c);
	CHECK_STR(esc(&c, "\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
	cap_free(&c);
	CHECK_STR(esc(&c, "\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	cap_free(&c);
	CHECK_STR(esc(&c, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");	/* UTF-8 kept */
	cap_free(&c);
	CHECK_STR(esc(&c, ""), "\"\"");
	cap_free(&c);
	CHECK_STR(esc(&c, NULL), "\"\"");
	cap_free(&c);
	CHECK_STR(esc(&c, "</script>"), "\"</script>\"");
	cap_free(&c);
}

static void json_compact(void)
{
	struct capture c;
	struct dm_json j;

	dm_json_init(&j, cap_open(&c), false);
	dm_json_arr_start(&j);
	dm_json_obj_start(&j);
	dm_json_kv_str(&j, "ifname", "tun0");
	dm_json_kv_u64(&j, "ifindex", 18446744073709551615ULL);
	dm_json_kv_bool(&j, "up", true);
	dm_json_kv_null(&j, "remote");
	dm_json_key(&j, "flags");
	dm_json_arr_start(&j);
	dm_json_str(&j, "unique");
	dm_json_str(&j, "nat");
	dm_json_arr_end(&j);
	dm_json_key(&j, "empty");
	dm_json_obj_start(&j);
	dm_json_obj_end(&j);
	dm_json_obj_end(&j);
	dm_json_obj_start(&j);
	dm_json_obj_end(&j);
	dm_json_arr_end(&j);
	dm_json_end_doc(&j);
	CHECK_STR(cap_str(&c),
		  "[{\"ifname\":\"tun0\",\"ifindex\":18446744073709551615,"
		  "\"up\":true,\"remote\":null,\"flags\":[\"unique\",\"nat\"],"
		  "\"empty\":{}},{}]\n");
	CHECK(!j.error);
	cap_free(&c);
}

static void json_pretty(void)
{
	struct capture c;
	struct dm_json j;

	dm_json_init(&j, cap_open(&c), true);
	dm_json_arr_start(&j);
	dm_json_obj_start(&j);
	dm_json_kv_u64(&j, "a", 1);
	dm_json_key(&j, "b");
	dm_json_arr_start(&j);
	dm_json_arr_end(&j);
	dm_json_obj_end(&j);
	dm_json_arr_end(&j);
	dm_json_end_doc(&j);
	CHECK_STR(cap_str(&c), "[\n    {\n        \"a\": 1,\n        \"b\": []\n    }\n]\n");
	cap_free(&c);

	dm_json_init(&j, cap_open(&c), true);
	dm_json_arr_start(&j);
	dm_json_arr_end(&j);
	dm_json_end_doc(&j);
	CHECK_STR(cap_str(&c), "[]\n");
	cap_free(&c);
}

static void json_misuse(void)
{
	struct capture c;
	struct dm_json j;

	dm_json_init(&j, cap_open(&c), false);
	dm_json_obj_end(&j);		/* close without open */
	CHECK(j.error);
	dm_json_init(&j, c.fp, false);
	for (int i = 0; i < DM_JSON_MAX_DEPTH + 5; i++)
		dm_json_arr_start(&j);	/* too deep: flagged, no overflow */
	CHECK(j.error);
	CHECK(j.depth < DM_JSON_MAX_DEPTH);
	cap_free(&c);
}

const struct dm_test json_tests[] = {
	{ "json_escaping", json_escaping },
	{ "json_compact_layout", json_compact },
	{ "json_pretty_layout", json_pretty },
	{ "json_misuse_is_bounded", json_misuse },
	{ NULL, NULL },
};
