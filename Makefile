# SPDX-License-Identifier: GPL-2.0
#
# make            build dmvpn.ko against KDIR and the userland tools
# make check      run every test (QEMU lanes, KUnit); ends in "N passed, N failed"
# make check T=x  run the single selftest x
# make demo       install what is missing, build, and bring up seed 003's
#                 phase-1 cloud in a QEMU guest
# make bench      benchmarks (not tests)
# make install    module, dmvpnctl, link_dmvpn.so, dmvpnd (if built), man
#                 pages, systemd unit, example configs; DESTDIR, PREFIX
# make install-dkms-src   the module's source as DKMS wants it, in
#                 $(DESTDIR)/usr/src/dmvpn-$(VERSION) (then: dkms add and
#                 dkms install dmvpn/$(VERSION))
# make uninstall  what "make install" put there (not /etc/dmvpn)
# make clean

# KDIR: the running kernel's build tree if there is one, else the newest
# installed Debian linux-headers-*-amd64.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))

export KDIR

.PHONY: all module userland check demo bench bench-nhrp bench-ike clean deps install uninstall \
	install-module install-userland install-man install-systemd \
	install-config install-dkms-src kver

# ---- install ---------------------------------------------------------------
# PREFIX=/usr for a distribution package (the unit then runs
# /usr/sbin/dmvpnd); /usr/local for a hand install.  The configuration
# stays in /etc either way, where dmvpnd looks for it.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
IP_LIB_DIR ?= /usr/lib/ip
# The module goes to /lib/modules/$(KVER)/$(MODDIR); DKMS uses updates/dkms.
MODDIR     ?= extra
DEPMOD     ?= depmod
# The release the headers in KDIR build for, as the kernel reports it
# (Debian's 6.1 headers have a different include/config/kernel.release).
KVER       ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
VERSION    := $(shell sed -n "s/.*-DDMVPN_VERSION='\"\([^\"]*\)\"'.*/\1/p" Kbuild)
MAN8       := $(wildcard Documentation/man/*.8)
MAN5       := $(wildcard Documentation/man/*.5)

all: module userland

module:
	@test -n "$(KDIR)" || { echo "no kernel headers found: apt-get install linux-headers-amd64 (or set KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userland:
	$(MAKE) -C userland

# Build the module for another tree into build/<name>/ without touching
# the source directory, so several kernels can be built side by side.
# Usage: make module-out KDIR=<tree> OUT=<dir>
module-out:
	@test -n "$(OUT)" || { echo "module-out needs OUT=<dir>" >&2; exit 1; }
	@mkdir -p $(OUT)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude=Module.symvers --exclude=modules.order \
		Kbuild kernel include $(OUT)/
	$(MAKE) -C $(KDIR) M=$(abspath $(OUT)) modules

deps:
	bash selftests/vm/deps.sh

check:
	bash selftests/vm/check.sh $(if $(T),--test $(T))

demo:
	bash selftests/vm/demo.sh

bench:
	bash selftests/vm/bench.sh $(BENCH_ARGS)
	bash selftests/vm/bench_nhrp.sh
	bash selftests/vm/bench_ike.sh

# IKE handshakes per second alone (dmvpnd and strongSwan, in the guest).
bench-ike:
	bash selftests/vm/bench_ike.sh $(BENCH_ARGS)

# The NHRP cache benchmark alone.
bench-nhrp:
	bash selftests/vm/bench_nhrp.sh $(BENCH_ARGS)

# The kernel release "make install" installs for (KDIR's headers).
kver:
	@echo $(KVER)

install: install-module install-userland install-man install-systemd install-config

install-module: module
	@test -n "$(KVER)" || { echo "cannot tell the kernel release of $(KDIR)" >&2; exit 1; }
	install -D -m 0644 dmvpn.ko $(DESTDIR)/lib/modules/$(KVER)/$(MODDIR)/dmvpn.ko
	@# A staging DESTDIR (package build) leaves depmod to the package's
	@# postinst; a real install needs it now for "modprobe dmvpn".
	if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $(KVER); fi

install-userland: userland
	$(MAKE) -C userland install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) IP_LIB_DIR=$(IP_LIB_DIR)
	@# dmvpnd is optional: installed when it has been built.
	if [ -x userland/dmvpnd ]; then \
		install -D -m 0755 userland/dmvpnd $(DESTDIR)$(SBINDIR)/dmvpnd; \
	else \
		echo "install: userland/dmvpnd not built; dmvpnd not installed"; \
	fi

install-man:
	$(if $(MAN8),install -d $(DESTDIR)$(MANDIR)/man8)
	$(if $(MAN8),install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(MAN5),install -d $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN5),install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)

install-systemd:
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/dmvpnd.service.in >$(DESTDIR)$(UNITDIR)/dmvpnd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/dmvpnd.service

# /etc/dmvpn holds keys (pre-shared secrets): readable by root only.  The
# examples never overwrite what is there.
install-config:
	install -d -m 0750 $(DESTDIR)$(SYSCONFDIR)/dmvpn $(DESTDIR)$(SYSCONFDIR)/dmvpn/examples
	install -m 0644 packaging/examples/README $(DESTDIR)$(SYSCONFDIR)/dmvpn/examples/
	install -m 0755 packaging/examples/*.sh $(DESTDIR)$(SYSCONFDIR)/dmvpn/examples/

install-dkms-src:
	@test -n "$(VERSION)" || { echo "no DMVPN_VERSION in Kbuild" >&2; exit 1; }
	@grep -q '^PACKAGE_VERSION="$(VERSION)"$$' dkms.conf || \
		{ echo "dkms.conf PACKAGE_VERSION is not $(VERSION) (Kbuild)" >&2; exit 1; }
	install -d $(DESTDIR)/usr/src/dmvpn-$(VERSION)
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' --exclude=Module.symvers --exclude=modules.order \
		--exclude='*.a' --exclude='*.dwo' \
		Kbuild dkms.conf kernel include $(DESTDIR)/usr/src/dmvpn-$(VERSION)/

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/$(MODDIR)/dmvpn.ko
	if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $(KVER); fi
	rm -f $(DESTDIR)$(SBINDIR)/dmvpnctl $(DESTDIR)$(SBINDIR)/dmvpnd \
		$(DESTDIR)$(IP_LIB_DIR)/link_dmvpn.so $(DESTDIR)$(UNITDIR)/dmvpnd.service
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -rf $(DESTDIR)$(SYSCONFDIR)/dmvpn/examples

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userland clean
	rm -rf build
