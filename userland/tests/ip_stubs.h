/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DMVPN_TESTS_IP_STUBS_H
#define DMVPN_TESTS_IP_STUBS_H

extern char ip_stub_text[1024];
extern char ip_stub_json[1024];
void ip_stub_reset(void);

#endif
