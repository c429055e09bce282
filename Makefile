# Faultline - top-level build.
#   make [ARCH=x86_64|arm64|riscv64]   build the kernel image (x86_64 by default)
#   make run  [ARCH=...] [CPUS=4] [MEM=128M] [CMDLINE="..."]   boot it in QEMU
#   make test [ARCH=...]      all architectures unless ARCH is given on the command line
#   make gdb  [ARCH=...]      QEMU halted + gdb-multiarch with the project's commands
#   make bench [ARCH=...]     print the benchmarks (tools/bench.sh; BENCH_FAULTS=0, BENCH_FILES=0, BENCH_BOOT=0 skip parts)
#   make deps                 install missing Debian packages (root) or print the command
#   make clean
ARCH ?= x86_64
ALL_ARCHS := x86_64 arm64 riscv64
DEBUG ?= 1
CPUS ?= 4
MEM ?= 128M
CMDLINE ?=

ifeq ($(ARCH),x86_64)
ARCH_DIR := x86
else ifeq ($(ARCH),arm64)
ARCH_DIR := arm64
else ifeq ($(ARCH),riscv64)
ARCH_DIR := riscv
else
$(error ARCH must be one of: $(ALL_ARCHS) (got '$(ARCH)'))
endif

B := build/$(ARCH)
# arch.mk sets CROSS_COMPILE, ARCH_CFLAGS, ARCH_LDFLAGS, KERNEL_IMAGE (+ its rule).
include arch/$(ARCH_DIR)/arch.mk

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
	-fno-tree-loop-distribute-patterns \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Ikernel/include -Iarch/$(ARCH_DIR)/include -MMD -MP $(ARCH_CFLAGS)
ifeq ($(DEBUG),1)
CFLAGS += -DCONFIG_DEBUG=1
endif
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__

# Rebuild everything when the flags change (e.g. DEBUG=0 for make bench).
FLAGS_STAMP := $(B)/cflags.stamp
$(shell mkdir -p $(B); echo '$(CFLAGS) $(ARCH_LDFLAGS)' | cmp -s - $(FLAGS_STAMP) || \
	echo '$(CFLAGS) $(ARCH_LDFLAGS)' > $(FLAGS_STAMP))

SRCS := $(sort $(shell find kernel arch/$(ARCH_DIR) -name '*.c' -o -name '*.S'))
OBJS := $(patsubst %,$(B)/%.o,$(SRCS))
LDSCRIPT := arch/$(ARCH_DIR)/kernel.ld

.PHONY: all run test test-one gdb gdb-check bench deps clean host-test
all: $(KERNEL_IMAGE)

$(OBJS): $(FLAGS_STAMP)

$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

$(B)/kernel.elf: $(OBJS) $(LDSCRIPT)
	$(LD) -nostdlib -z max-page-size=4096 -z noexecstack $(ARCH_LDFLAGS) -T $(LDSCRIPT) \
		-o $@ $(OBJS)

deps:
	@tools/deps.sh

run: deps $(KERNEL_IMAGE) $(B)/initrd.cpio $(B)/disk.img
	tools/qemu-run $(ARCH) -c $(CPUS) -m $(MEM) -a "$(CMDLINE)" -i

# 'make test' runs every architecture; 'make test ARCH=...' only that one.
ifeq ($(origin ARCH),command line)
TEST_ARCHS := $(ARCH)
else
TEST_ARCHS := $(ALL_ARCHS)
endif
test: deps
	@tools/test-all.sh $(TEST_ARCHS)

# Used by tools/test-all.sh: build and test one architecture.
test-one: $(KERNEL_IMAGE) $(B)/initrd.cpio $(B)/disk.img
	@tools/test-arch.sh $(ARCH)

gdb: deps $(KERNEL_IMAGE) $(B)/initrd.cpio
	tools/gdb/run-gdb.sh $(ARCH)

gdb-check: $(KERNEL_IMAGE)
	tools/gdb/check.sh $(ARCH)

bench: deps
	@for a in $(TEST_ARCHS); do $(MAKE) --no-print-directory -s ARCH=$$a DEBUG=0 all disk && \
		tools/bench.sh $$a || exit 1; done

clean:
	rm -rf build

-include $(OBJS:.o=.d)
include user/user.mk # user programs: targets user, user-check

# The initramfs (kernel/fs/initramfs.c unpacks it): the user programs, user/etc, /dev/console.
.PHONY: initrd
initrd: $(B)/initrd.cpio
$(B)/initrd.cpio: tools/mkinitramfs $(UBINS) $(wildcard user/etc/*)
	tools/mkinitramfs $(ARCH)

# The ext2 root disk (tools/mkdisk, docs/files.md): kept between runs (what is written
# on it survives), rebuilt when the programs or tools/mkdisk change; disk-rebuild forces it.
.PHONY: disk disk-rebuild
disk: $(B)/disk.img
$(B)/disk.img: tools/mkdisk $(UBINS) $(wildcard user/etc/*)
	tools/mkdisk $(ARCH)
disk-rebuild: $(UBINS)
	tools/mkdisk $(ARCH)
