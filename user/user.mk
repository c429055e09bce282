# user/user.mk - Faultline's user programs, linked statically against newlib.
#   make user [ARCH=...]        build/$(ARCH)/user/bin/* (builds newlib into the cache if needed)
#   make user-check [ARCH=...]  readelf checks on every program (tools: user/check-elf.sh)
# Included by the top-level Makefile; also usable alone: make -f user/user.mk user ARCH=arm64
# Add a program: drop user/bin/NAME.c (or a directory user/bin/NAME/ of .c files); see
# docs/userland.md.
ARCH ?= x86_64
UB := build/$(ARCH)/user

ifeq ($(ARCH),x86_64)
UCROSS :=
UARCH_CFLAGS :=
else ifeq ($(ARCH),arm64)
UCROSS := aarch64-linux-gnu-
UARCH_CFLAGS :=
else ifeq ($(ARCH),riscv64)
UCROSS := riscv64-linux-gnu-
UARCH_CFLAGS := -mcmodel=medany
endif
UCC := $(UCROSS)gcc
UAR := $(UCROSS)ar

# Evaluated only when a user recipe runs: the kernel build never touches newlib.
NEWLIB = $(shell tools/build-newlib.sh --prefix $(ARCH))
USER_BASE := 0x400000

# -D__DYNAMIC_REENT__ must match newlib's build (errno and friends are per thread).
UCFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-pie -fno-pic -fno-stack-protector \
	-fno-omit-frame-pointer -ffunction-sections -fdata-sections -D__DYNAMIC_REENT__ \
	-nostdinc -Iuser/include -Iuser/lib -Ikernel/include/uapi -isystem $(NEWLIB)/include \
	-isystem $(shell $(UCC) -print-file-name=include) -MMD -MP $(UARCH_CFLAGS)
ULDFLAGS = -nostdlib -static -no-pie -Wl,-Ttext-segment=$(USER_BASE) -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--gc-sections -Wl,--build-id=none
ULIBS = -Wl,--whole-archive $(UB)/libfl.a -Wl,--no-whole-archive \
	-Wl,--start-group $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a \
	$(shell $(UCC) $(UARCH_CFLAGS) -print-libgcc-file-name) -Wl,--end-group

ULIB_SRCS := $(sort $(wildcard user/lib/*.c)) user/arch/$(ARCH)/syscall.S
ULIB_OBJS := $(patsubst %,$(UB)/obj/%.o,$(ULIB_SRCS))
UCRT0 := $(UB)/obj/user/arch/$(ARCH)/crt0.S.o

# Programs: user/bin/NAME.c, user/bin/NAME/*.c, user/tests/NAME.c.
UPROG_FILES := $(basename $(notdir $(wildcard user/bin/*.c user/tests/*.c)))
UPROG_DIRS := $(notdir $(patsubst %/,%,$(dir $(wildcard user/bin/*/*.c))))
UPROGS := $(sort $(UPROG_FILES) $(UPROG_DIRS))
UBINS := $(addprefix $(UB)/bin/,$(UPROGS))
uprog_srcs = $(wildcard user/bin/$(1).c user/bin/$(1)/*.c user/tests/$(1).c)

.PHONY: user user-check
user: $(UBINS)

user-check: $(UBINS)
	@user/check-elf.sh $(ARCH) $(UBINS)

$(UB)/.newlib:
	@mkdir -p $(dir $@)
	@tools/build-newlib.sh $(ARCH) > $@

$(UB)/obj/%.c.o: %.c | $(UB)/.newlib
	@mkdir -p $(dir $@)
	$(UCC) $(UCFLAGS) -c $< -o $@

$(UB)/obj/%.S.o: %.S | $(UB)/.newlib
	@mkdir -p $(dir $@)
	$(UCC) $(UCFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(UB)/libfl.a: $(ULIB_OBJS)
	@rm -f $@
	$(UAR) rcs $@ $^

define uprog_rule
$(UB)/bin/$(1): $(UCRT0) $(patsubst %,$(UB)/obj/%.o,$(call uprog_srcs,$(1))) $(UB)/libfl.a
	@mkdir -p $$(dir $$@)
	$$(UCC) $$(UARCH_CFLAGS) $$(ULDFLAGS) -o $$@ $(UCRT0) \
		$(patsubst %,$(UB)/obj/%.o,$(call uprog_srcs,$(1))) $$(ULIBS)
endef
$(foreach p,$(UPROGS),$(eval $(call uprog_rule,$(p))))

-include $(shell find $(UB)/obj -name '*.d' 2>/dev/null)
