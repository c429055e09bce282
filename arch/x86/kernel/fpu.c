/*
 * fpu.c - user FP/SIMD state and the TLS registers (FS/GS base).
 *
 * The kernel itself never touches x87/SSE registers (-mgeneral-regs-only),
 * so while a user thread is in the kernel its FP registers still hold its
 * user state. The state is switched eagerly: arch_thread_switch() saves
 * prev's registers into prev->arch.fpu and loads next's, but only for
 * threads that have user state (arch.user, set by arch_thread_init/copy);
 * kernel threads leave the registers alone.
 *
 * Format: XSAVE (standard form) when CPUID has it, with XCR0 = x87 | SSE
 * (| AVX when the CPU has it and it fits X86_FPU_AREA_SIZE); otherwise the
 * 512-byte FXSAVE image. SSE is architectural on x86_64, so FXSAVE always
 * exists.
 *
 * TLS: the user thread pointer is the FS base. With CR4.FSGSBASE user code
 * may change FS and GS base itself (wrfsbase), so both are saved on a
 * switch; without it only set_tls changes them and only loading is needed.
 */
#include <printk.h>
#include <string.h>
#include <sched.h>
#include "internal.h"

#define XFEATURE_X87	(1ULL << 0)
#define XFEATURE_SSE	(1ULL << 1)
#define XFEATURE_AVX	(1ULL << 2)
#define FXSAVE_SIZE	512
#define XSAVE_HDR_OFF	512
#define XSAVE_HDR_SIZE	64
#define MXCSR_OFF	24
#define MXCSR_MASK_OFF	28
#define MXCSR_DEFAULT	0x1f80		/* all exceptions masked, round to nearest */
#define FCW_DEFAULT	0x037f

bool x86_has_xsave;		/* [I] XSAVE/XRSTOR in use */
bool x86_has_fsgsbase;		/* [I] CR4.FSGSBASE set on every CPU */
uint64_t x86_xcr0;		/* [I] components saved (XSAVE only) */
unsigned int x86_fpu_size;	/* [I] bytes of arch_thread.fpu in use */
uint32_t x86_mxcsr_mask;	/* [I] MXCSR bits that may be set (others #GP on load) */
static uint8_t fpu_init_image[X86_FPU_AREA_SIZE] __aligned(64);	/* [I] state of a new image */

/* Boot CPU, once: pick the format. CR4 is set per CPU by x86_fpu_init_cpu(). */
void x86_fpu_features_init(void)
{
	struct cpuid_regs r1 = cpuid(1, 0);

	x86_has_xsave = r1.ecx & (1u << 26);
	if (cpuid(0, 0).eax >= 7)
		x86_has_fsgsbase = cpuid(7, 0).ebx & (1u << 0);
	x86_fpu_size = FXSAVE_SIZE;
	if (x86_has_xsave) {
		struct cpuid_regs d = cpuid(0xd, 0);
		uint64_t supported = d.eax | (uint64_t)d.edx << 32;

		x86_xcr0 = supported & (XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
		if ((x86_xcr0 & 3) != 3)
			x86_has_xsave = false;	/* broken enumeration: use FXSAVE */
	}
}

static inline void fpu_save(void *area)
{
	if (x86_has_xsave)
		__asm__ __volatile__("xsave64 %0" : "=m"(*(uint8_t (*)[X86_FPU_AREA_SIZE])area)
				     : "a"((uint32_t)x86_xcr0), "d"((uint32_t)(x86_xcr0 >> 32)) : "memory");
	else
		__asm__ __volatile__("fxsave64 %0" : "=m"(*(uint8_t (*)[FXSAVE_SIZE])area) : : "memory");
}

static inline void fpu_restore(const void *area)
{
	if (x86_has_xsave)
		__asm__ __volatile__("xrstor64 %0" : : "m"(*(const uint8_t (*)[X86_FPU_AREA_SIZE])area),
				     "a"((uint32_t)x86_xcr0), "d"((uint32_t)(x86_xcr0 >> 32)) : "memory");
	else
		__asm__ __volatile__("fxrstor64 %0" : : "m"(*(const uint8_t (*)[FXSAVE_SIZE])area)
				     : "memory");
}

/* The state of a fresh image: x87 and SSE in their reset configuration. */
static void fpu_build_init_image(void)
{
	uint8_t probe[FXSAVE_SIZE] __aligned(64);
	uint32_t mxcsr = MXCSR_DEFAULT;
	uint16_t fcw = FCW_DEFAULT;

	__asm__ __volatile__("fxsave64 %0" : "=m"(probe) : : "memory");
	memcpy(&x86_mxcsr_mask, probe + MXCSR_MASK_OFF, 4);
	if (!x86_mxcsr_mask)
		x86_mxcsr_mask = 0xffbf;	/* CPUs that store 0 mean the default mask */
	memset(fpu_init_image, 0, sizeof(fpu_init_image));
	memcpy(fpu_init_image, &fcw, 2);
	memcpy(fpu_init_image + MXCSR_OFF, &mxcsr, 4);
	memcpy(fpu_init_image + MXCSR_MASK_OFF, &x86_mxcsr_mask, 4);
	/* XSAVE header all zero: XSTATE_BV = 0 puts every component in its init state
	 * (MXCSR is still loaded from the legacy area). */
}

/* Every CPU, with IRQs off: CR0/CR4 bits, XCR0. */
void x86_fpu_init_cpu(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	cr0 &= ~(_BIT(2) | _BIT(3));		/* EM off: x87 present; TS off: no lazy #NM */
	cr0 |= _BIT(1) | _BIT(5);		/* MP, NE: native x87 error reporting */
	write_cr0(cr0);
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (x86_has_xsave)
		cr4 |= CR4_OSXSAVE;
	if (x86_has_fsgsbase)
		cr4 |= CR4_FSGSBASE;
	write_cr4(cr4);
	if (x86_has_xsave) {
		xsetbv(0, x86_xcr0);
		if (this_cpu() == &cpus[0]) {
			unsigned int size = cpuid(0xd, 0).ebx;	/* for the XCR0 just set */

			if (size > X86_FPU_AREA_SIZE && (x86_xcr0 & XFEATURE_AVX)) {
				x86_xcr0 &= ~XFEATURE_AVX;
				xsetbv(0, x86_xcr0);
				size = cpuid(0xd, 0).ebx;
			}
			if (size > X86_FPU_AREA_SIZE)
				panic("x86: XSAVE area of %u bytes does not fit X86_FPU_AREA_SIZE (%u); "
				      "raise it in asm/arch.h", size, X86_FPU_AREA_SIZE);
			x86_fpu_size = size;
		}
	}
	__asm__ __volatile__("fninit");
	if (this_cpu() == &cpus[0])
		fpu_build_init_image();
}

/* ---- FS/GS base ---- */
static inline uint64_t read_fsbase(void)
{
	uint64_t v;

	if (!x86_has_fsgsbase)
		return rdmsr(MSR_FS_BASE);
	__asm__ __volatile__("rdfsbase %0" : "=r"(v));
	return v;
}

/* A non-canonical base would #GP here in the kernel: anything outside user space loads as 0. */
static inline void write_fsbase(uint64_t v)
{
	if (v >= USER_TOP)
		v = 0;
	if (x86_has_fsgsbase)
		__asm__ __volatile__("wrfsbase %0" : : "r"(v) : "memory");
	else
		wrmsr(MSR_FS_BASE, v);
}

/* The user's GS base sits in KERNEL_GS_BASE while the kernel runs (swapgs). */
static inline uint64_t read_user_gsbase(void)
{
	return rdmsr(MSR_KERNEL_GS_BASE);
}

static inline void write_user_gsbase(uint64_t v)
{
	wrmsr(MSR_KERNEL_GS_BASE, v >= USER_TOP ? 0 : v);
}

/* Is at the running thread's? Then its live state is in the registers. IRQs off. */
static bool is_current(const struct arch_thread *at)
{
	struct thread *t = this_cpu()->curr;

	return t && &t->arch == at;
}

void arch_thread_init(struct arch_thread *at)
{
	unsigned long flags = arch_irq_save();

	if (!IS_ALIGNED((uintptr_t)at->fpu, 64))
		panic("x86: struct arch_thread at %p is not 64-byte aligned (XSAVE needs it); "
		      "allocate struct thread with 64-byte alignment", at);
	memcpy(at->fpu, fpu_init_image, x86_fpu_size);
	at->fsbase = 0;
	at->gsbase = 0;
	at->user = true;
	if (is_current(at)) {
		fpu_restore(at->fpu);
		write_fsbase(0);
		write_user_gsbase(0);
	}
	arch_irq_restore(flags);
}

void arch_thread_copy(struct arch_thread *dst, const struct arch_thread *src)
{
	unsigned long flags = arch_irq_save();

	memcpy(dst->fpu, src->fpu, x86_fpu_size);
	dst->fsbase = src->fsbase;
	dst->gsbase = src->gsbase;
	dst->user = src->user;
	if (src->user && is_current(src)) {
		fpu_save(dst->fpu);
		if (x86_has_fsgsbase) {
			dst->fsbase = read_fsbase();
			dst->gsbase = read_user_gsbase();
		}
	}
	arch_irq_restore(flags);
}

/* IRQs off (the scheduler, before arch_context_switch). */
void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next)
{
	if (prev->user) {
		fpu_save(prev->fpu);
		if (x86_has_fsgsbase) {
			prev->fsbase = read_fsbase();
			prev->gsbase = read_user_gsbase();
		}
	}
	if (next->user) {
		fpu_restore(next->fpu);
		write_fsbase(next->fsbase);
		write_user_gsbase(next->gsbase);
	}
}

void arch_set_tls(struct arch_thread *at, uintptr_t tp)
{
	unsigned long flags = arch_irq_save();

	at->fsbase = tp;
	if (is_current(at))
		write_fsbase(tp);
	arch_irq_restore(flags);
}

/* For signal frames (signal.c): the running thread's live state into area. IRQs off. */
void x86_fpu_save_current(void *area)
{
	fpu_save(area);
}

/*
 * Load area (from a signal frame, already copied into the kernel) into the
 * registers and into at->fpu. false if the image would fault on restore:
 * reserved MXCSR bits, components we did not enable, a compacted format.
 */
bool x86_fpu_restore_checked(struct arch_thread *at, const void *area)
{
	const uint8_t *p = area;
	uint32_t mxcsr;
	uint64_t hdr[8];
	unsigned long flags;

	memcpy(&mxcsr, p + MXCSR_OFF, 4);
	if (mxcsr & ~x86_mxcsr_mask)
		return false;
	if (x86_has_xsave) {
		memcpy(hdr, p + XSAVE_HDR_OFF, sizeof(hdr));
		if (hdr[0] & ~x86_xcr0)
			return false;		/* XSTATE_BV */
		for (int i = 1; i < 8; i++)
			if (hdr[i])
				return false;	/* XCOMP_BV (compacted) and reserved bytes */
	}
	flags = arch_irq_save();
	memcpy(at->fpu, area, x86_fpu_size);
	if (is_current(at))
		fpu_restore(at->fpu);
	arch_irq_restore(flags);
	return true;
}

/* ---- tests ---- */
#include <ktest.h>

static void xmm0_set(uint64_t v)
{
	__asm__ __volatile__("movq %0, %%xmm0" : : "r"(v));
}

static uint64_t xmm0_get(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%xmm0, %0" : "=r"(v));
	return v;
}

static void mxcsr_set(uint32_t v)
{
	__asm__ __volatile__("ldmxcsr %0" : : "m"(v));
}

static uint32_t mxcsr_get(void)
{
	uint32_t v;

	__asm__ __volatile__("stmxcsr %0" : "=m"(v));
	return v;
}

/* Two user states swapped by hand through arch_thread_switch, as the scheduler does. */
KTEST(x86_fpu_switch_by_hand)
{
	static struct arch_thread a, b;
	unsigned long flags = arch_irq_save();	/* the registers must stay ours meanwhile */
	struct arch_thread *none = &this_cpu()->curr->arch;
	bool was_user = none->user;

	/* a and b are not current: arch_thread_init only fills their images */
	arch_thread_init(&a);
	arch_thread_init(&b);
	none->user = false;
	arch_thread_switch(none, &a);		/* load a's image: init state */
	KT_EXPECT_EQ(t, xmm0_get(), 0);
	KT_EXPECT_EQ(t, mxcsr_get(), MXCSR_DEFAULT);
	xmm0_set(0x1111222233334444ULL);
	mxcsr_set(MXCSR_DEFAULT | (1u << 13));	/* round down */
	arch_thread_switch(&a, &b);		/* save a, load b */
	KT_EXPECT_EQ(t, xmm0_get(), 0);
	KT_EXPECT_EQ(t, mxcsr_get(), MXCSR_DEFAULT);
	xmm0_set(0x5555666677778888ULL);
	arch_thread_switch(&b, &a);
	KT_EXPECT_EQ(t, xmm0_get(), 0x1111222233334444ULL);
	KT_EXPECT_EQ(t, mxcsr_get(), MXCSR_DEFAULT | (1u << 13));
	arch_thread_switch(&a, &b);
	KT_EXPECT_EQ(t, xmm0_get(), 0x5555666677778888ULL);
	mxcsr_set(MXCSR_DEFAULT);
	none->user = was_user;
	arch_irq_restore(flags);
}

KTEST(x86_fpu_restore_rejects_bad_images)
{
	static struct arch_thread at;
	static uint8_t img[X86_FPU_AREA_SIZE] __aligned(64);
	uint32_t bad = 0xffffffff;

	arch_thread_init(&at);
	memcpy(img, at.fpu, sizeof(img));
	KT_EXPECT(t, x86_fpu_restore_checked(&at, img));
	memcpy(img + MXCSR_OFF, &bad, 4);
	KT_EXPECT(t, !x86_fpu_restore_checked(&at, img));
	if (x86_has_xsave) {
		uint64_t bv = 1ULL << 9;	/* PKRU: never enabled here */

		memcpy(img, at.fpu, sizeof(img));
		memcpy(img + XSAVE_HDR_OFF, &bv, 8);
		KT_EXPECT(t, !x86_fpu_restore_checked(&at, img));
	}
}

KTEST(x86_tls_fs_base)
{
	static struct arch_thread other;

	arch_thread_init(&other);
	arch_set_tls(&other, 0x7000beef0000ULL);	/* not running: stored only */
	KT_EXPECT_EQ(t, other.fsbase, 0x7000beef0000ULL);
	KT_EXPECT(t, read_fsbase() != 0x7000beef0000ULL);
}
