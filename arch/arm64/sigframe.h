/* sigframe.h - the arm64 signal frame layout (signal.c; the tests look inside it). */
#ifndef ARM64_SIGFRAME_H
#define ARM64_SIGFRAME_H

#include <types.h>
#include <uapi/faultline/signal.h>

#define FPSIMD_MAGIC	0x46508001	/* Linux's value */

struct ctx_header {		/* Linux's struct _aarch64_ctx */
	uint32_t magic;
	uint32_t size;
};

struct fpsimd_context {
	struct ctx_header head;	/* FPSIMD_MAGIC, sizeof(struct fpsimd_context) */
	uint32_t fpsr;
	uint32_t fpcr;
	uint64_t vregs[64];	/* q0..q31 */
};

struct sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	struct fpsimd_context fpsimd __aligned(16);
	struct ctx_header end;	/* {0, 0}: no more records */
	uint64_t end_pad;
};

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t uc_stack[3];	/* stack_t: ss_sp, ss_flags, ss_size (no sigaltstack: 0) */
	uint64_t uc_sigmask;	/* the mask rt_sigreturn restores */
	uint8_t unused[120];	/* Linux pads sigset_t to 1024 bits */
	struct sigcontext uc_mcontext __aligned(16);
};

struct rt_sigframe {
	siginfo_t info;
	struct ucontext uc;
	uint64_t fp, lr;	/* frame record */
} __aligned(16);

_Static_assert(sizeof(struct rt_sigframe) % 16 == 0, "frame keeps sp 16-byte aligned");

#endif
