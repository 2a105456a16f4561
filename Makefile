# loginjail: plain make, C11, gcc. See README.md.
PREFIX     ?= /usr
SYSCONFDIR ?= /etc
LIBEXECDIR ?= $(PREFIX)/libexec
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
MULTIARCH  ?= $(shell $(CC) -print-multiarch 2>/dev/null || gcc -dumpmachine)
PAMDIR     ?= /lib/$(MULTIARCH)/security
RUNDIR     ?= /run/loginjail
DESTDIR    ?=

CC      ?= gcc
CFLAGS  ?= -O2 -g
LDFLAGS ?=

HELPER_PATH := $(LIBEXECDIR)/loginjail/loginjail-helper
CONFDIR     := $(SYSCONFDIR)/loginjail

# make SANITIZE=1 ...: ASan and UBSan in every program and unit test, UBSan
# alone in the PAM module (sshd, su and login have no ASan runtime to load it
# into); its own build directory. Reports: /run/loginjail-san (tests/run.sh).
ifeq ($(SANITIZE),1)
B ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
MOD_SAN_FLAGS := -fsanitize=undefined -fno-sanitize-recover=all
endif

# Messages are cut to fixed buffers on purpose: their start says the most.
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter \
	-Wno-format-truncation
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIC
LJ_CPPFLAGS := -D_GNU_SOURCE -Ipolicy -Icommon -I/usr/include/iniparser \
	-DLJ_CONFDIR='"$(CONFDIR)"' -DLJ_HELPER_PATH='"$(HELPER_PATH)"' \
	-DLJ_RUNDIR='"$(RUNDIR)"'
ALL_CFLAGS  := -std=c11 $(WARN) $(HARDEN) $(CFLAGS) $(SAN_FLAGS)
MOD_CFLAGS  := -std=c11 $(WARN) $(HARDEN) $(CFLAGS) $(MOD_SAN_FLAGS)
ALL_CPPFLAGS := $(LJ_CPPFLAGS) $(CPPFLAGS)
LINK_HARDEN := -Wl,-z,relro,-z,now -Wl,--as-needed

B ?= build
POLICY_SRC := $(wildcard policy/*.c)
COMMON_SRC := $(wildcard common/*.c)
# loginjail-init: only what a sandbox's PID 1 needs, and libc. Linked
# dynamically on purpose: libc's pages are shared with every other process,
# so an idle init's PSS is a third of a static one's (bench/, "memory").
# The jail is built before the exec (helper/init_setup.c, in the helper).
INIT_SRC   := helper/init.c $(wildcard helper/cgroup*.c) helper/state.c helper/utmp.c
HELPER_SRC := $(filter-out helper/init.c helper/utmp.c,$(wildcard helper/*.c))
PAM_SRC    := $(filter-out pam_module/gen_%.c,$(wildcard pam_module/*.c))
CTL_SRC    := $(wildcard ctl/*.c)
SHELL_SRC  := $(wildcard shell/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
# The module's objects, and the common code it links, are built apart: with
# SANITIZE=1 their flags differ.
PAM_OBJ    := $(patsubst %.c,$(B)/objpam/%.o,$(PAM_SRC) $(COMMON_SRC))
SAN_OBJ    := $(if $(SAN_FLAGS),$(call obj,tests/san/options.c))
POLICY_OBJ := $(call obj,$(POLICY_SRC))
COMMON_OBJ := $(call obj,$(COMMON_SRC))
HELPER_OBJ := $(call obj,$(HELPER_SRC))
# loginjailctl reload sets limits as a new sandbox does: the same cgroup code.
CTL_OBJ    := $(call obj,$(CTL_SRC) $(wildcard helper/cgroup*.c))
SHELL_OBJ  := $(call obj,$(SHELL_SRC))
# The root tests' loginjail-shell: the same code, knowing the helper of this
# build and the fixed policy directory the tests bind their policy onto
# (tests/root/lib.sh, lj_shell_install). Built 0755; only a test makes a copy
# of it setuid, for its own duration. No installed program takes a helper or
# policy path from anything a user controls.
SHELL_TEST_CONFDIR := /run/ljtest-shell/policy
SHELL_TEST_OBJ := $(patsubst %.c,$(B)/objtest/%.o,$(SHELL_SRC))
INIT_OBJ   := $(call obj,$(INIT_SRC))
UNIT_BIN   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

PROGRAMS := $(B)/pam_loginjail.so $(B)/loginjail-helper $(B)/loginjail-init \
	$(B)/loginjailctl $(B)/loginjail-shell $(B)/tests/loginjail-shell

.PHONY: all check check-unit check-root deps clean format format-check \
	install uninstall fuzz demo bench soak
all: $(PROGRAMS)

$(B)/obj/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -I$(B)/gen $(ALL_CFLAGS) -c -o $@ $<
$(call obj,$(CTL_SRC)): ALL_CPPFLAGS += -Ihelper
$(B)/objtest/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -ULJ_HELPER_PATH -DLJ_HELPER_PATH='"$(abspath $(B))/loginjail-helper"' \
		-ULJ_CONFDIR -DLJ_CONFDIR='"$(SHELL_TEST_CONFDIR)"' $(ALL_CFLAGS) -c -o $@ $<
# common/enter.c installs the TIOCSTI program.
$(B)/obj/common/enter.o: $(B)/gen/tty_filter.h
$(B)/objpam/%.o: %.c $(wildcard */*.h) $(B)/gen/tty_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -I$(B)/gen $(MOD_CFLAGS) -c -o $@ $<

# The module's seccomp program, compiled by libseccomp at build time
# (pam_module/gen_tty_filter.c says why).
$(B)/gen/gen_tty_filter: pam_module/gen_tty_filter.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -std=c11 $(WARN) $(CFLAGS) -o $@ $< -lseccomp
$(B)/gen/tty_filter.h: $(B)/gen/gen_tty_filter
	$< >$@.tmp && mv $@.tmp $@

$(B)/libljpolicy.a: $(POLICY_OBJ)
	$(AR) rcs $@ $^
$(B)/libljcommon.a: $(COMMON_OBJ)
	$(AR) rcs $@ $^

$(B)/pam_loginjail.so: $(PAM_OBJ) pam_module/pam_loginjail.map
	$(CC) $(MOD_CFLAGS) -shared -Wl,-z,defs \
		-Wl,--version-script=pam_module/pam_loginjail.map $(LINK_HARDEN) \
		$(LDFLAGS) -o $@ $(PAM_OBJ) -lpam

$(B)/loginjail-helper: $(HELPER_OBJ) $(SAN_OBJ) $(B)/libljpolicy.a $(B)/libljcommon.a
	$(CC) $(ALL_CFLAGS) -pie $(LINK_HARDEN) $(LDFLAGS) -o $@ $(HELPER_OBJ) $(SAN_OBJ) \
		$(B)/libljpolicy.a $(B)/libljcommon.a -liniparser -lcap-ng

$(B)/loginjail-shell: $(SHELL_OBJ) $(SAN_OBJ) $(B)/libljpolicy.a $(B)/libljcommon.a
	$(CC) $(ALL_CFLAGS) -pie $(LINK_HARDEN) $(LDFLAGS) -o $@ $(SHELL_OBJ) $(SAN_OBJ) \
		$(B)/libljpolicy.a $(B)/libljcommon.a -liniparser -lcap-ng
$(B)/tests/loginjail-shell: $(SHELL_TEST_OBJ) $(SAN_OBJ) $(B)/libljpolicy.a $(B)/libljcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -pie $(LINK_HARDEN) $(LDFLAGS) -o $@ $(SHELL_TEST_OBJ) $(SAN_OBJ) \
		$(B)/libljpolicy.a $(B)/libljcommon.a -liniparser -lcap-ng

$(B)/loginjail-init: $(INIT_OBJ) $(SAN_OBJ) $(B)/libljcommon.a
	$(CC) $(ALL_CFLAGS) -pie $(LINK_HARDEN) $(LDFLAGS) -o $@ $(INIT_OBJ) $(SAN_OBJ) \
		$(B)/libljcommon.a

$(B)/loginjailctl: $(CTL_OBJ) $(SAN_OBJ) $(B)/libljpolicy.a $(B)/libljcommon.a
	$(CC) $(ALL_CFLAGS) -pie $(LINK_HARDEN) $(LDFLAGS) -o $@ $(CTL_OBJ) $(SAN_OBJ) \
		$(B)/libljpolicy.a $(B)/libljcommon.a -liniparser

$(B)/tests/%: tests/unit/%.c $(SAN_OBJ) $(B)/libljpolicy.a $(B)/libljcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Wno-error=unused-function -pie \
		$(LINK_HARDEN) $(LDFLAGS) -o $@ $< $(SAN_OBJ) $(B)/libljpolicy.a \
		$(B)/libljcommon.a -liniparser -lcmocka

# test_jailspec includes the file it tests.
$(B)/tests/test_jailspec: helper/jailspec.c helper/helper.h

# make check: every test of the project; the last line is "N passed, N failed".
# SANITIZE=1 runs the same tests on the sanitized build, and fails on any
# report.
RUN_TESTS = LJ_BUILD=$(abspath $(B)) LJ_SANITIZE=$(SANITIZE) bash tests/run.sh
check: deps all $(UNIT_BIN)
	$(MAKE) --no-print-directory format-check
	$(RUN_TESTS) $(UNIT_BIN)
check-unit: all $(UNIT_BIN)
	LJ_SKIP_ROOT=1 $(RUN_TESTS) $(UNIT_BIN)

# Debian packages the build and the tests need (idempotent). slapd,
# ldap-utils, libnss-ldapd and nslcd are for tests/root/test_ldap.sh, which
# runs its own directory server and NSS daemon: tests/deps.sh installs them
# preseeded so that they configure and start nothing on the machine (no
# "ldap" in /etc/nsswitch.conf, no slapd database, no daemon running).
# git ... locales: what tests/root/test_everyday.sh runs in a sandbox.
DEPS := build-essential libpam0g-dev libcap-ng-dev libiniparser-dev \
	libcmocka-dev libseccomp-dev libsystemd-dev pkg-config clang libclang-rt-14-dev clang-format \
	openssh-server openssh-client login util-linux passwd iproute2 procps \
	bsdutils bubblewrap expect hyperfine python3 \
	git python3-venv gcc make tmux screen man-db less vim locales \
	slapd ldap-utils libnss-ldapd nslcd \
	cron at
deps:
	@sh tests/deps.sh $(DEPS)

# make fuzz: each libFuzzer target (tests/fuzz/fuzz_NAME.c) for FUZZ_SECONDS,
# from its seeds in tests/fuzz/corpus/NAME.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(POLICY_SRC) $(COMMON_SRC) $(wildcard */*.h */*.c) \
		$(B)/gen/tty_filter.h
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(LJ_CPPFLAGS) -I$(B)/gen \
		-o $@ $< $(POLICY_SRC) $(COMMON_SRC) -liniparser
fuzz: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(B)/fuzz-corpus/$$t && \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
		$(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			$(B)/fuzz-corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

demo: deps all
	bash tests/demo.sh

bench: deps all
	bash bench/bench.sh

# make soak: 1000 sandboxed ssh logins and logouts, then 1000 joins
# (tests/root/test_soak.sh; make check runs it with 30).
SOAK_N ?= 1000
soak: deps all
	LJ_SOAK_N=$(SOAK_N) LJ_ROOT_TIMEOUT=7200 LJ_ROOT_TESTS=test_soak.sh $(RUN_TESTS)

install: all
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(LIBEXECDIR)/loginjail \
		$(DESTDIR)$(SBINDIR) $(DESTDIR)$(CONFDIR)/policy.d \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(B)/pam_loginjail.so $(DESTDIR)$(PAMDIR)/
	install -m 0755 $(B)/loginjail-helper $(B)/loginjail-init \
		$(DESTDIR)$(LIBEXECDIR)/loginjail/
	install -m 0755 $(B)/loginjailctl $(DESTDIR)$(SBINDIR)/
	install -m 4755 $(B)/loginjail-shell $(DESTDIR)$(LIBEXECDIR)/loginjail/
	[ -e $(DESTDIR)$(CONFDIR)/loginjail.conf ] || \
		install -m 0644 conf/loginjail.conf $(DESTDIR)$(CONFDIR)/
	install -m 0644 conf/policy.d/50-example.conf.example $(DESTDIR)$(CONFDIR)/policy.d/
	for m in man/*.5; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/ || true; done
	for m in man/*.7; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/ || true; done
	for m in man/*.8; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/ || true; done

uninstall:
	rm -f $(DESTDIR)$(PAMDIR)/pam_loginjail.so $(DESTDIR)$(SBINDIR)/loginjailctl
	rm -rf $(DESTDIR)$(LIBEXECDIR)/loginjail
	rm -f $(DESTDIR)$(CONFDIR)/policy.d/50-example.conf.example

FORMAT_SRC = $(wildcard */*.c */*.h tests/*/*.c)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf $(B)

# make deb: the Debian package, built natively in a chroot of Debian 12 and
# of Debian 13 (as root) and linted there, in build/deb/SUITE/ (see
# packaging/build-deb.sh). make check-deb: also a package of the previous
# commit (LJ_DEB_PREVIOUS, default HEAD~1; empty: none), then in a guest of
# each release: install it, upgrade to this one while a sandbox runs, log in,
# remove and purge (tests/vm/check-deb.sh).
.PHONY: deb check-deb
deb:
	bash packaging/build-deb.sh
check-deb:
	LJ_DEB_PREVIOUS=$${LJ_DEB_PREVIOUS-HEAD~1} bash packaging/build-deb.sh
	bash tests/vm/check-deb.sh

# make check-vm: loginjail on real guests under qemu (Debian 12 and 13 with
# systemd, Debian 12 without systemd; cgroup v2); see tests/vm/README.md.
.PHONY: check-vm
check-vm: deps
	bash tests/vm/check-vm.sh
