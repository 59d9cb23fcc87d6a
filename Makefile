# SPDX-License-Identifier: GPL-2.0
#
# make            build dmvpn.ko against KDIR and the userland tools
# make check      run every test (QEMU lanes, KUnit); ends in "N passed, N failed"
# make check T=x  run the single selftest x
# make demo       install what is missing, build, and bring up seed 003's
#                 phase-1 cloud in a QEMU guest
# make bench      benchmarks (not tests)
# make clean

# KDIR: the running kernel's build tree if there is one, else the newest
# installed Debian linux-headers-*-amd64.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))

export KDIR

.PHONY: all module userland check demo bench clean deps install

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
	bash selftests/vm/bench.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userland clean
	rm -rf build
