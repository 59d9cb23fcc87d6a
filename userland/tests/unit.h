/* SPDX-License-Identifier: GPL-2.0-only */
/* Tiny KTAP-emitting unit-test harness. */
#ifndef DMVPN_TESTS_UNIT_H
#define DMVPN_TESTS_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct dm_test {
	const char *name;
	void (*fn)(void);
};

void dm_t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dm_t_skip(const char *why);

#define CHECK(c) do { if (!(c)) dm_t_fail(__FILE__, __LINE__, "%s", #c); } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) dm_t_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, _a, _b); } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || strcmp(_a, _b)) dm_t_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, _a ? _a : "(null)", _b); } while (0)
#define CHECK_CONTAINS(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !strstr(_a, _b)) dm_t_fail(__FILE__, __LINE__, "%s == \"%s\", should contain \"%s\"", #a, _a ? _a : "(null)", _b); } while (0)

/* Suites, each terminated by { NULL, NULL }. */
extern const struct dm_test addr_tests[], json_tests[], cli_tests[],
	msg_tests[], show_tests[], link_tests[], nl_tests[], crypto_tests[],
	crypto_show_tests[], nhrp_msg_tests[], nhrp_cli_tests[],
	nhrp_show_tests[], isakmp_tests[], ikecrypto_tests[],
	keyer_config_tests[], ikev1_tests[], debug_tests[];

/* 1 when s is one well-formed JSON value (RFC 8259), else 0. */
int json_valid(const char *s);

/* Capture output written to a FILE* into a malloc'ed string. */
struct capture {
	char *buf;
	size_t len;
	FILE *fp;
};
FILE *cap_open(struct capture *c);
const char *cap_str(struct capture *c);	/* closes the stream */
void cap_free(struct capture *c);

#endif
