/*
 * exec.c - execve: a new program in the calling process.
 *
 * Order (docs/processes.md §execve). Everything that can fail happens while the old
 * image is intact: copy the path, argv and envp into the kernel (a bad pointer is
 * -EFAULT here), open the file, validate the ELF headers (elf.c), build the new mm
 * with a mapping per PT_LOAD (file-backed, private), bss and the stack (anonymous),
 * and lay out the initial stack in a kernel buffer (build_user_stack). Then the point
 * of no return: the other threads are killed (de_thread), the new mm replaces the old
 * one, the stack image is copied out, handlers are reset, and the registers point at
 * the ELF entry. A failure after that point kills the process.
 */
#include <task.h>
#include <elf.h>
#include <slab.h>
#include <string.h>
#include <page_alloc.h>
#include <mmap.h>
#include <fs.h>
#include <file.h>
#include <uaccess.h>
#include <syscall.h>
#include <ktest.h>
#include <uapi/faultline/auxvec.h>
#include <uapi/faultline/mman.h>
#include <uapi/faultline/fcntl.h>

#define EXEC_PATH_MAX	256
#define ARG_MAX_ORDER	4			/* argv + envp strings: 64 KiB */
#define ARG_MAX		(PAGE_SIZE << ARG_MAX_ORDER)
#define MAX_ARG_STRINGS	4096
#define USER_STACK_SIZE	(8 * MiB)		/* the stack VMA (pages appear on touch) */
#define USER_STACK_TOP	(USER_TOP - PAGE_SIZE)	/* one unmapped page above it */
#define NR_AUXV		16			/* room for the pairs exec passes */

/* argv and envp strings, NUL-terminated one after the other (Linux's bprm pages). */
struct exec_strings {
	char *buf;
	size_t len;
	int argc, envc;
};

/* Linux's struct linux_binprm, reduced. */
struct linux_binprm {
	char filename[EXEC_PATH_MAX];
	struct exec_strings strings;
	struct file *file;
	union {
		Elf64_Ehdr ehdr;
		uint8_t page[PAGE_SIZE];	/* header, then the program headers */
	} hdr;
	Elf64_Phdr *phdrs;
	struct elf_info info;
	struct mm_struct *mm;			/* the new address space */
	uint8_t *stack_alloc;			/* kmalloc'ed buffer the stack is built in */
	uint8_t *stack_img;			/* inside it: the image of [sp, stack top) */
	size_t stack_len;
	uintptr_t sp;
};

/* ---- the initial stack (pure; KTEST below) ------------------------------------ */
struct stack_args {
	const struct exec_strings *strings;
	const char *execfn;			/* AT_EXECFN */
	const uint64_t *auxv;			/* {type, value} pairs, without RANDOM/EXECFN/NULL */
	int nauxv;				/* pairs */
	const uint8_t *random;			/* 16 bytes for AT_RANDOM */
};

static size_t stack_words(const struct stack_args *a)
{
	return 1 + (size_t)a->strings->argc + 1 + a->strings->envc + 1 + 2 * (a->nauxv + 3);
}

static void put_word(uint8_t *img, uintptr_t base, uintptr_t addr, uint64_t v)
{
	memcpy(img + (addr - base), &v, sizeof(v));
}

/* Pointers to each string of strings starting at user address str. */
static uintptr_t put_string_ptrs(uint8_t *img, uintptr_t base, uintptr_t at,
				 const char **s, uintptr_t *str, int n)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(*s) + 1;

		put_word(img, base, at, *str);
		at += 8;
		*str += l;
		*s += l;
	}
	put_word(img, base, at, 0);
	return at + 8;
}

/*
 * Lay out the stack for a stack top at stack_top into img (cap bytes, standing for
 * [stack_top - cap, stack_top)). Returns the bytes used from the top (sp = stack_top -
 * result, 16-byte aligned) or -E2BIG. Layout: uapi/faultline/auxvec.h.
 */
long build_user_stack(const struct stack_args *a, uintptr_t stack_top, uint8_t *img, size_t cap)
{
	size_t fnlen = strlen(a->execfn) + 1, slen = a->strings->len;
	uintptr_t base = stack_top - cap, execfn = stack_top - fnlen, str = execfn - slen;
	uintptr_t rnd = ALIGN_DOWN(str - 16, 16), sp, at;
	const char *s = a->strings->buf;

	sp = ALIGN_DOWN(rnd - stack_words(a) * 8, 16);
	if (stack_top - sp > cap || stack_top - sp > ARG_MAX + PAGE_SIZE)
		return -E2BIG;
	memset(img + (sp - base), 0, stack_top - sp);
	memcpy(img + (execfn - base), a->execfn, fnlen);
	memcpy(img + (str - base), s, slen);
	memcpy(img + (rnd - base), a->random, 16);
	put_word(img, base, sp, a->strings->argc);
	at = put_string_ptrs(img, base, sp + 8, &s, &str, a->strings->argc);
	at = put_string_ptrs(img, base, at, &s, &str, a->strings->envc);
	for (int i = 0; i < 2 * a->nauxv; i++, at += 8)
		put_word(img, base, at, a->auxv[i]);
	put_word(img, base, at, AT_RANDOM);
	put_word(img, base, at + 8, rnd);
	put_word(img, base, at + 16, AT_EXECFN);
	put_word(img, base, at + 24, execfn);
	put_word(img, base, at + 32, AT_NULL);
	put_word(img, base, at + 40, 0);
	return stack_top - sp;
}

/* ---- copying argv/envp ---------------------------------------------------------- */
static int strings_alloc(struct exec_strings *s)
{
	s->buf = get_free_pages(ARG_MAX_ORDER);
	s->len = 0;
	s->argc = s->envc = 0;
	return s->buf ? 0 : -ENOMEM;
}

static void strings_free(struct exec_strings *s)
{
	if (s->buf)
		free_pages(s->buf, ARG_MAX_ORDER);
	s->buf = NULL;
}

/* Append the user vector uvec (NULL-terminated; NULL means empty). */
static int copy_strings_user(struct exec_strings *s, char *const *uvec, int *count)
{
	for (int i = 0; uvec; i++) {
		char *p;
		long n;

		if (i >= MAX_ARG_STRINGS)
			return -E2BIG;
		if (copy_from_user(&p, &uvec[i], sizeof(p)))
			return -EFAULT;
		if (!p)
			break;
		n = strncpy_from_user(s->buf + s->len, p, ARG_MAX - s->len);
		if (n < 0)
			return n == -EFAULT ? -EFAULT : -E2BIG;
		if ((size_t)n >= ARG_MAX - s->len)
			return -E2BIG;
		s->len += n + 1;
		(*count)++;
	}
	return 0;
}

static int copy_strings_kernel(struct exec_strings *s, const char *const *vec, int *count)
{
	for (int i = 0; vec && vec[i]; i++) {
		size_t n = strlen(vec[i]) + 1;

		if (n > ARG_MAX - s->len)
			return -E2BIG;
		memcpy(s->buf + s->len, vec[i], n);
		s->len += n;
		(*count)++;
	}
	return 0;
}

/* ---- reading and mapping the file -------------------------------------------------- */
static int read_headers(struct linux_binprm *b)
{
	uint64_t size = b->file->f_inode->i_size;
	loff_t pos = 0;
	ssize_t n = kernel_read(b->file, b->hdr.page, sizeof(b->hdr.page), &pos);
	const Elf64_Ehdr *eh = &b->hdr.ehdr;
	int err;

	if (n < 0)
		return n;
	err = elf_check_header(eh, MIN(size, (uint64_t)n), b->filename);
	if (err)
		return err;
	/* e_phoff + phdrs fit in the file (checked); they must fit in our page too. */
	if (eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)n ||
	    eh->e_phoff % 8) {
		printk("execve %s: program headers not within the first page, 8-aligned "
		       "(relink with the default linker script)\n", b->filename);
		return -ENOEXEC;
	}
	b->phdrs = (Elf64_Phdr *)(b->hdr.page + eh->e_phoff);
	return elf_check(eh, b->phdrs, size, USER_STACK_TOP - USER_STACK_SIZE, &b->info,
			 b->filename);
}

static unsigned long elf_prot(uint32_t pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) |
	       (pf & PF_X ? PROT_EXEC : 0);
}

static int map_fixed(struct mm_struct *mm, uintptr_t addr, size_t len, unsigned long prot,
		     struct file *file, unsigned long pgoff)
{
	unsigned long flags = MAP_PRIVATE | MAP_FIXED | (file ? 0 : MAP_ANONYMOUS);
	unsigned long r;

	if (!len)
		return 0;
	r = do_mmap(mm, addr, len, prot, flags, file, pgoff);
	return IS_ERR_VALUE(r) ? (int)r : 0;
}

/* One PT_LOAD: the file part, then anonymous pages for the rest of p_memsz.
 * Locks: none (do_mmap takes mmap_lock). */
static int map_segment(struct mm_struct *mm, struct file *file, const Elf64_Phdr *ph)
{
	uintptr_t start = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
	uintptr_t file_end = ALIGN_UP(ph->p_vaddr + ph->p_filesz, PAGE_SIZE);
	uintptr_t mem_end = ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE);
	unsigned long prot = elf_prot(ph->p_flags);
	int err = 0;

	if (ph->p_filesz)
		err = map_fixed(mm, start, file_end - start, prot, file,
				ph->p_offset >> PAGE_SHIFT);
	else
		file_end = start;
	if (!err && mem_end > file_end)
		err = map_fixed(mm, file_end, mem_end - file_end, prot, NULL, 0);
	return err;
}

static int build_mm(struct linux_binprm *b)
{
	struct mm_struct *mm = mm_alloc();
	int err = 0;

	if (!mm)
		return -ENOMEM;
	b->mm = mm;
	for (unsigned int i = 0; !err && i < b->info.phnum; i++)
		if (b->phdrs[i].p_type == PT_LOAD)
			err = map_segment(mm, b->file, &b->phdrs[i]);
	if (!err)
		err = map_fixed(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				PROT_READ | PROT_WRITE, NULL, 0);
	mmap_write_lock(mm);
	mm->start_brk = mm->brk = b->info.load_end;
	mmap_write_unlock(mm);
	return err;
}

/* ---- AT_RANDOM ------------------------------------------------------------------------ */
static void get_random_bytes(uint8_t *buf, size_t n)
{
	static uint64_t state;	/* [a] xorshift64*; racing updates only mix more */
	uint64_t x = __atomic_load_n(&state, __ATOMIC_RELAXED) ^ arch_time_ns();

	for (size_t i = 0; i < n; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		buf[i] = (uint8_t)((x * 0x2545f4914f6cdd1dULL) >> 56);
	}
	__atomic_store_n(&state, x, __ATOMIC_RELAXED);
}

static int build_stack_image(struct linux_binprm *b)
{
	uint8_t random[16];
	uint64_t auxv[2 * NR_AUXV] = {
		AT_PHDR, b->info.phdr_addr, AT_PHENT, sizeof(Elf64_Phdr),
		AT_PHNUM, b->info.phnum, AT_PAGESZ, PAGE_SIZE, AT_BASE, 0, AT_FLAGS, 0,
		AT_ENTRY, b->info.entry, AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0,
		AT_SECURE, 0, AT_CLKTCK, HZ, AT_HWCAP, 0,
	};
	struct stack_args a = { &b->strings, b->filename, auxv, 14, random };
	size_t cap = b->strings.len + sizeof(b->filename) + 64 + 8 * stack_words(&a);
	long used;

	get_random_bytes(random, sizeof(random));
	b->stack_alloc = kmalloc(cap);
	if (!b->stack_alloc)
		return -ENOMEM;
	used = build_user_stack(&a, USER_STACK_TOP, b->stack_alloc, cap);
	if (used < 0)
		return used;
	b->stack_len = used;
	b->sp = USER_STACK_TOP - used;
	b->stack_img = b->stack_alloc + (cap - used);
	return 0;
}

static void free_stack_image(struct linux_binprm *b)
{
	kfree(b->stack_alloc);
	b->stack_alloc = b->stack_img = NULL;
}

/* ---- the point of no return ------------------------------------------------------------- */
/* current's address space becomes mm (its user reference moves to the thread); the
 * old one is dropped: our user reference, or the borrowed active_mm of a kernel thread
 * becoming pid 1 (as kthread_use_mm does). */
static void exec_mmap(struct mm_struct *mm)
{
	struct thread *me = current;
	struct mm_struct *old = me->mm, *old_active;
	unsigned long f;

	spin_lock(&tasklist_lock);
	current_proc()->mm = mm;
	spin_unlock(&tasklist_lock);
	f = arch_irq_save();
	old_active = me->active_mm;
	me->mm = mm;
	me->active_mm = mm;
	switch_mm(old_active, mm);
	arch_irq_restore(f);
	if (old)
		mmput(old);
	else if (old_active)
		mmdrop(old_active);
}

/* Zero the tail of each writable segment's last file page (the file has other bytes there). */
static int clear_bss_tails(struct linux_binprm *b)
{
	for (unsigned int i = 0; i < b->info.phnum; i++) {
		const Elf64_Phdr *ph = &b->phdrs[i];
		uintptr_t end = ph->p_vaddr + ph->p_filesz;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || !ph->p_filesz ||
		    ph->p_memsz == ph->p_filesz || IS_ALIGNED(end, PAGE_SIZE))
			continue;
		if (clear_user((void *)end, ALIGN_UP(end, PAGE_SIZE) - end))
			return -EFAULT;
	}
	return 0;
}

static void setup_new_exec(struct linux_binprm *b)
{
	struct process *p = current_proc();

	proc_set_comm(p, b->filename);
	spin_lock(&p->sighand->siglock);
	flush_signal_handlers(p->sighand);
	spin_unlock(&p->sighand->siglock);
	current->mm->start_stack = b->sp;
	arch_thread_init(&current->arch);
	arch_user_regs_init(current->user_regs, b->info.entry, b->sp);
}

static int exec_commit(struct linux_binprm *b)
{
	int err = de_thread();

	if (err)
		return err;
	mm_release_tid(current->user);
	do_close_on_exec(current_proc()->files);
	exec_mmap(b->mm);
	b->mm = NULL;
	if (copy_to_user((void *)b->sp, b->stack_img, b->stack_len) ||
	    clear_bss_tails(b)) {
		printk("execve %s: cannot write the new stack or bss (out of memory?): "
		       "killed\n", b->filename);
		force_sig(SIGKILL);
		return 0;
	}
	setup_new_exec(b);
	return 0;
}

static int exec_binprm(struct linux_binprm *b)
{
	int err = vfs_open(b->filename, O_RDONLY, 0, &b->file);

	if (err)
		return err;
	err = read_headers(b);
	if (!err)
		err = build_mm(b);
	if (!err)
		err = build_stack_image(b);
	if (!err)
		err = exec_commit(b);
	free_stack_image(b);
	if (b->mm)
		mmput(b->mm);
	fput(b->file);
	return err;
}

static struct linux_binprm *binprm_alloc(void)
{
	struct linux_binprm *b = kzalloc(sizeof(*b));

	if (b && strings_alloc(&b->strings)) {
		kfree(b);
		return NULL;
	}
	return b;
}

static void binprm_free(struct linux_binprm *b)
{
	strings_free(&b->strings);
	kfree(b);
}

long do_execve(const char *upath, char *const *uargv, char *const *uenvp)
{
	struct linux_binprm *b = binprm_alloc();
	long err;

	if (!b)
		return -ENOMEM;
	err = strncpy_from_user(b->filename, upath, sizeof(b->filename));
	if (err >= (long)sizeof(b->filename))
		err = -ENAMETOOLONG;
	if (err >= 0)
		err = copy_strings_user(&b->strings, uargv, &b->strings.argc);
	if (!err)
		err = copy_strings_user(&b->strings, uenvp, &b->strings.envc);
	if (!err)
		err = exec_binprm(b);
	binprm_free(b);
	return err;
}

int kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	struct linux_binprm *b = binprm_alloc();
	int err;

	if (!b)
		return -ENOMEM;
	strlcpy(b->filename, path, sizeof(b->filename));
	err = copy_strings_kernel(&b->strings, argv, &b->strings.argc);
	if (!err)
		err = copy_strings_kernel(&b->strings, envp, &b->strings.envc);
	if (!err)
		err = exec_binprm(b);
	binprm_free(b);
	return err;
}

long sys_execve(const char *path, char *const *argv, char *const *envp)
{
	return do_execve(path, argv, envp);
}

/* ---- tests -------------------------------------------------------------------------------- */
static uint64_t img_word(const uint8_t *img, uintptr_t base, uintptr_t addr)
{
	uint64_t v;

	memcpy(&v, img + (addr - base), 8);
	return v;
}

KTEST(exec_initial_stack_layout)
{
	static uint8_t img[1024];
	static const char strs[] = "prog\0-x\0A=1";
	struct exec_strings s = { (char *)strs, sizeof(strs), 2, 1 };
	uint64_t aux[] = { AT_PAGESZ, 4096, AT_ENTRY, 0x401000 };
	uint8_t rnd[16];
	struct stack_args a = { &s, "/bin/prog", aux, 2, rnd };
	uintptr_t top = 0x7fff0000, base = top - sizeof(img), sp, w;
	long used;

	for (int i = 0; i < 16; i++)
		rnd[i] = i * 7;
	used = build_user_stack(&a, top, img, sizeof(img));
	KT_ASSERT(t, used > 0 && (size_t)used < sizeof(img));
	sp = top - used;
	KT_EXPECT_EQ(t, sp % 16, 0);
	KT_EXPECT_EQ(t, img_word(img, base, sp), 2);				/* argc */
	w = img_word(img, base, sp + 8);
	KT_EXPECT(t, strcmp((char *)img + (w - base), "prog") == 0);		/* argv[0] */
	w = img_word(img, base, sp + 16);
	KT_EXPECT(t, strcmp((char *)img + (w - base), "-x") == 0);		/* argv[1] */
	KT_EXPECT_EQ(t, img_word(img, base, sp + 24), 0);
	w = img_word(img, base, sp + 32);
	KT_EXPECT(t, strcmp((char *)img + (w - base), "A=1") == 0);		/* envp[0] */
	KT_EXPECT_EQ(t, img_word(img, base, sp + 40), 0);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 48), AT_PAGESZ);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 56), 4096);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 64), AT_ENTRY);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 72), 0x401000);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 80), AT_RANDOM);
	w = img_word(img, base, sp + 88);
	KT_EXPECT(t, w > sp + 120 && w + 16 <= top && memcmp(img + (w - base), rnd, 16) == 0);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 96), AT_EXECFN);
	w = img_word(img, base, sp + 104);
	KT_EXPECT(t, strcmp((char *)img + (w - base), "/bin/prog") == 0);
	KT_EXPECT_EQ(t, w + sizeof("/bin/prog"), top);				/* at the very top */
	KT_EXPECT_EQ(t, img_word(img, base, sp + 112), AT_NULL);
	KT_EXPECT_EQ(t, img_word(img, base, sp + 120), 0);
}

KTEST(exec_initial_stack_too_big)
{
	static uint8_t img[64];
	static const char strs[] = "a-rather-long-argument";
	struct exec_strings s = { (char *)strs, sizeof(strs), 1, 0 };
	uint8_t rnd[16] = { 0 };
	struct stack_args a = { &s, "/x", NULL, 0, rnd };

	KT_EXPECT_EQ(t, build_user_stack(&a, 0x10000, img, sizeof(img)), -E2BIG);
}
