# rampart - a small hardened container launcher.
#
#   make          build ./rampart
#   make check    unit tests (ASan+UBSan) and integration tests (as root)
#   make demo     build, make a busybox rootfs, launch it, show its posture
#   make install  PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

CC      := gcc
PKGS    := libseccomp libcap-ng libmnl jansson
HARDEN  := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection \
           -fcf-protection -fPIE
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wno-unused-parameter \
           -D_GNU_SOURCE -iquote include -DRAMPART_VERSION='"$(VERSION)"' \
           -DRAMPART_PREFIX='"$(PREFIX)"' $(HARDEN)
LDFLAGS += -pie -Wl,-z,relro,-z,now -Wl,--as-needed

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# The library is everything but the command line, so tests link it whole.
CLI_SRCS := runtime/main.c $(wildcard runtime/cli_*.c)
LIB_SRCS := $(filter-out $(CLI_SRCS),$(wildcard runtime/*.c))

BUILD := build
LIB_OBJS := $(LIB_SRCS:runtime/%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:runtime/%.c=$(BUILD)/%.o)

# Unit tests: the library again, under ASan and UBSan.
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_DIR := $(BUILD)/asan
ASAN_OBJS := $(LIB_SRCS:runtime/%.c=$(ASAN_DIR)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(ASAN_DIR)/%)

.PHONY: all deps check unit integration demo install clean bench FORCE

all: deps-build rampart

deps-build:
	@scripts/deps build

rampart: $(LIB_OBJS) $(CLI_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: runtime/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(ASAN_DIR)/%.o: runtime/%.c $(wildcard include/*.h) | $(ASAN_DIR)
	$(CC) $(filter-out -D_FORTIFY_SOURCE=3,$(CFLAGS)) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

$(ASAN_DIR)/test_%: tests/unit/test_%.c $(ASAN_OBJS) tests/unit/unit.h
	$(CC) $(filter-out -D_FORTIFY_SOURCE=3,$(CFLAGS)) $(SAN) $(PKG_CFLAGS) -iquote tests/unit \
		-o $@ $< $(ASAN_OBJS) $(PKG_LIBS) -lcmocka

# Keep the sanitizer objects: make would delete them as intermediates.
.SECONDARY: $(ASAN_OBJS)

# The install prefix is compiled in (the profile search path): rebuild what
# uses it whenever PREFIX changes, e.g. between `make` and `make install
# PREFIX=...`.
$(BUILD)/prefix: FORCE | $(BUILD)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' >$@
$(BUILD)/profile.o: $(BUILD)/prefix
FORCE:

$(BUILD) $(ASAN_DIR):
	mkdir -p $@

check: unit integration

unit:
	@scripts/deps test
	@$(MAKE) --no-print-directory $(UNIT_BINS)
	@tests/unit/run $(UNIT_BINS)

integration: rampart $(BUILD)/probe $(BUILD)/battery $(BUILD)/oldkernel $(BUILD)/seccomp_agent
	@scripts/deps test
	@tests/integration/run

# A static helper the tests run inside containers (see tests/helpers/probe.c).
$(BUILD)/probe: tests/helpers/probe.c | $(BUILD)
	$(CC) -D_GNU_SOURCE -static -O2 -Wall -Wextra -Werror -o $@ $<

# Runs a command as on an older kernel (tests/helpers/oldkernel.c).
$(BUILD)/oldkernel: tests/helpers/oldkernel.c | $(BUILD)
	$(CC) -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $< -lseccomp

# A seccomp agent for the listenerPath tests (tests/helpers/seccomp_agent.c).
$(BUILD)/seccomp_agent: tests/helpers/seccomp_agent.c | $(BUILD)
	$(CC) -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

# The breakout battery (tests/security/battery.c), static like the probe.
$(BUILD)/battery: tests/security/battery.c | $(BUILD)
	$(CC) -D_GNU_SOURCE -static -O2 -Wall -Wextra -Werror -o $@ $<

demo:
	@scripts/deps demo
	@$(MAKE) --no-print-directory rampart
	@scripts/demo

bench: rampart $(BUILD)/probe
	@scripts/deps bench
	@scripts/bench-launch
	@scripts/bench-seccomp
	@scripts/bench-apps

install: rampart
	install -D -m 0755 rampart $(DESTDIR)$(PREFIX)/bin/rampart
	install -d $(DESTDIR)$(PREFIX)/share/rampart/profiles
	cp -R profiles/. $(DESTDIR)$(PREFIX)/share/rampart/profiles/
	install -D -m 0644 docs/rampart.1 $(DESTDIR)$(PREFIX)/share/man/man1/rampart.1

clean:
	rm -rf $(BUILD) rampart

# Fuzzing (tests/fuzz/README.md): libFuzzer targets built with clang.
# `make fuzz` runs each target 5 minutes; fuzz-smoke 5 seconds, for check.
.PHONY: fuzz fuzz-smoke
check: fuzz-smoke
fuzz:
	@scripts/fuzz --seconds 300
fuzz-smoke:
	@scripts/fuzz --seconds 5

# Fault injection and soak, long versions (SECURITY.md, "Fault injection and
# soak"): every RAMPART_STOP_AT stage on the host and in the cgroup v2 guest,
# then 1000 sequential + 200 concurrent launches (4 and 8 at a time) and 20
# under valgrind. The short versions run in `make check` (test_fault.sh,
# test_soak.sh).
.PHONY: proof
proof: rampart $(BUILD)/probe
	@scripts/deps test
	@scripts/mkrootfs $(BUILD)/rootfs >/dev/null
	@BASE_ROOTFS=$(CURDIR)/$(BUILD)/rootfs bash tests/integration/test_fault.sh
	@BASE_ROOTFS=$(CURDIR)/$(BUILD)/rootfs scripts/soak
