// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer harness for dmvpnd's config parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../keyer/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keyer_config cfg;
	char err[256];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!keyer_config_parse(text, "fuzz", &cfg, err, sizeof(err)))
		keyer_config_wipe(&cfg);
	free(text);
	return 0;
}
