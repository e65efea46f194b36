# SPDX-License-Identifier: GPL-2.0-only
#
# tasklocal: per-task locals for Linux.
#
#   make             build module/tasklocal.ko against KDIR
#   make tools       build libtasklocal and tlctl
#   make install     install the module (modules_install, depmod), the
#                    library, its headers and .pc, tlctl, its man page and
#                    bash completion (DESTDIR, PREFIX, INSTALL_MOD_PATH)
#   make check       install what is missing, build, run every test in VMs
#   make demo        boot a VM, load the module, show a tlctl session
#   make bench       measure get/set cost, hook overhead and memory
#   make stress      the race stress test alone in a stock-kernel VM, for
#                    DURATION seconds (default 600), THREADS threads
#   make deb         the Debian packages (tasklocal-dkms, tlctl,
#                    libtasklocal1, libtasklocal-dev) in build/packages/,
#                    from the committed files
#   make docs        the documentation (docs/index.rst, with the API and
#                    the ABI from the sources' kernel-doc comments) in
#                    build/docs/, by Sphinx; warnings are errors
#   make deps        install the Debian packages the above need
#
# WERROR=1 makes warnings errors (make check sets it): a newer compiler
# or kernel than ours may warn where ours did not, and a user's build
# should not fail for it.

STOCK_KVER := $(shell tools/testing/stock-kernel.sh 2>/dev/null)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR ?= $(RUNNING_KDIR)
else
KDIR ?= /lib/modules/$(STOCK_KVER)/build
endif

all: module

PREFIX ?= /usr/local
export PREFIX

module:
	@test -e $(KDIR)/Makefile || { echo "Error: no kernel build dir at $(KDIR): set KDIR=, or run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 $(if $(WERROR),KCFLAGS=-Werror) modules

tools:
	$(MAKE) -C tools/lib
	$(MAKE) -C tools/tlctl
	$(MAKE) -C tools/testing	# static helpers for the VM tests

deps:
	tools/testing/deps.sh

check: deps
	tools/testing/check.sh

demo: deps
	tools/testing/demo.sh

bench: deps
	tools/testing/bench/run.sh

docs: deps
	TASKLOCAL_KERNEL_SRC=$$(tools/testing/kernel.sh --source debug) \
		sphinx-build -W -q -b html docs build/docs
	@echo "  DOCS    build/docs/index.html"

deb: deps
	rm -rf build/packages/src build/packages/*.deb
	mkdir -p build/packages/src
	git archive HEAD | tar -x -C build/packages/src
	cd build/packages/src && dpkg-buildpackage -us -uc -b
	@ls build/packages/*.deb

DURATION ?= 600
THREADS ?= 64
stress: deps
	tools/testing/stress-vm.sh -d $(DURATION) -t $(THREADS)

# The module goes to /lib/modules/KVER/updates (INSTALL_MOD_PATH before
# it); depmod runs unless DESTDIR is set (a package's staging tree).
install: module tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)$(INSTALL_MOD_PATH) DEPMOD=true) \
		modules_install
	$(MAKE) -C tools/lib install
	$(MAKE) -C tools/tlctl install

clean:
	@if [ -e $(KDIR)/Makefile ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
	else \
		echo "no kernel build dir at $(KDIR): the module's objects stay" >&2; \
	fi
	$(MAKE) -C tools/lib clean
	$(MAKE) -C tools/tlctl clean
	$(MAKE) -C tools/testing clean
	rm -rf build

.PHONY: all module tools deps check demo bench stress docs deb install clean
