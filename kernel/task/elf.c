/*
 * elf.c - the ELF64 validator execve runs before it maps anything.
 *
 * Every number in the headers is untrusted: sums are checked for overflow, offsets
 * against the file size, addresses against the user range. Each refusal prints one line
 * naming the file and the problem and returns -ENOEXEC.
 */
#include <elf.h>
#include <arch.h>
#include <printk.h>
#include <string.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define FIX_HINT "(Faultline runs static ELF64 executables from 'make user')"

static int elf_reject(const char *name, const char *what, unsigned long long v)
{
	printk("execve %s: %s (0x%llx) " FIX_HINT "\n", name, what, v);
	return -ENOEXEC;
}

/* a + b <= limit without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size, const char *name)
{
	if (file_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4) != 0)
		return elf_reject(name, "not an ELF file", file_size);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_reject(name, "not little-endian ELF64", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_reject(name, "unknown ELF version", eh->e_version);
	if (eh->e_type != ET_EXEC)
		return elf_reject(name, "not a static ET_EXEC executable, e_type", eh->e_type);
	if (eh->e_machine != ELF_ARCH)
		return elf_reject(name, "built for another machine (" ARCH_NAME " wants "
				  "e_machine " __stringify(ELF_ARCH) "), e_machine", eh->e_machine);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return elf_reject(name, "bad program header size", eh->e_phentsize);
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return elf_reject(name, "program header count out of range", eh->e_phnum);
	if (!fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), file_size))
		return elf_reject(name, "program headers beyond the end of the file", eh->e_phoff);
	return 0;
}

static int check_load(const Elf64_Phdr *ph, uint64_t file_size, uint64_t user_limit,
		      const char *name)
{
	if (ph->p_filesz > ph->p_memsz)
		return elf_reject(name, "PT_LOAD with p_filesz > p_memsz", ph->p_filesz);
	if (!fits(ph->p_offset, ph->p_filesz, file_size))
		return elf_reject(name, "PT_LOAD beyond the end of the file", ph->p_offset);
	if ((ph->p_vaddr & (PAGE_SIZE - 1)) != (ph->p_offset & (PAGE_SIZE - 1)))
		return elf_reject(name, "PT_LOAD p_vaddr and p_offset differ modulo the page "
				  "size (link with -z max-page-size=4096)", ph->p_vaddr);
	if (ph->p_vaddr < ELF_MIN_VADDR)
		return elf_reject(name, "PT_LOAD below the lowest user address", ph->p_vaddr);
	if (ph->p_memsz == 0 || !fits(ph->p_vaddr, ph->p_memsz, user_limit))
		return elf_reject(name, "PT_LOAD empty or outside user space", ph->p_vaddr);
	return 0;
}

/* The user address the program headers are loaded at: inside some PT_LOAD's file part. */
static uint64_t phdr_address(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, unsigned int n)
{
	uint64_t size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	for (unsigned int i = 0; i < n; i++) {
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff - ph[i].p_offset <= ph[i].p_filesz &&
		    size <= ph[i].p_filesz - (eh->e_phoff - ph[i].p_offset))
			return ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
	}
	return 0;
}

static bool entry_is_code(const Elf64_Phdr *ph, unsigned int n, uint64_t entry)
{
	for (unsigned int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    entry >= ph[i].p_vaddr && entry - ph[i].p_vaddr < ph[i].p_memsz)
			return true;
	return false;
}

/* PT_LOADs ascending and not sharing a page (each is mapped on its own with MAP_FIXED). */
static int check_phdrs(const Elf64_Phdr *ph, unsigned int n, uint64_t file_size,
		       uint64_t user_limit, struct elf_info *info, const char *name)
{
	uint64_t prev_end = 0;
	int err;

	for (unsigned int i = 0; i < n; i++) {
		if (ph[i].p_type == PT_INTERP || ph[i].p_type == PT_DYNAMIC)
			return elf_reject(name, "dynamically linked (PT_INTERP/PT_DYNAMIC); "
					  "link it statically", ph[i].p_type);
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = check_load(&ph[i], file_size, user_limit, name);
		if (err)
			return err;
		if (ALIGN_DOWN(ph[i].p_vaddr, PAGE_SIZE) < prev_end)
			return elf_reject(name, "PT_LOAD segments overlap or are not in "
					  "ascending order", ph[i].p_vaddr);
		prev_end = ALIGN_UP(ph[i].p_vaddr + ph[i].p_memsz, PAGE_SIZE);
		info->nr_load++;
	}
	info->load_end = prev_end;
	return 0;
}

int elf_check(const Elf64_Ehdr *eh, const Elf64_Phdr *phdrs, uint64_t file_size,
	      uint64_t user_limit, struct elf_info *info, const char *name)
{
	int err = elf_check_header(eh, file_size, name);

	memset(info, 0, sizeof(*info));
	if (!err)
		err = check_phdrs(phdrs, eh->e_phnum, file_size, user_limit, info, name);
	if (err)
		return err;
	if (info->nr_load == 0)
		return elf_reject(name, "no PT_LOAD segment", 0);
	if (!entry_is_code(phdrs, eh->e_phnum, eh->e_entry))
		return elf_reject(name, "entry point outside the executable segments",
				  eh->e_entry);
	info->phdr_addr = phdr_address(eh, phdrs, eh->e_phnum);
	if (!info->phdr_addr)
		return elf_reject(name, "program headers are not inside a PT_LOAD segment "
				  "(crt0 reads them through AT_PHDR)", eh->e_phoff);
	info->entry = eh->e_entry;
	info->phnum = eh->e_phnum;
	return 0;
}

/* ---- tests: a valid two-segment header, then one defect at a time ------------------- */
#include <ktest.h>

struct elf_img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
};

#define T_LIMIT	0x800000000ULL
#define T_FSIZE	0x1100ULL

static void elf_good(struct elf_img *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, 4);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = ELF_ARCH;
	e->eh.e_entry = 0x400100;
	e->eh.e_phoff = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 3;
	e->ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0x400000, 0, 0x1000, 0x1000, 0x1000 };
	e->ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0, 0x100, 0x2000, 0x1000 };
	e->ph[2] = (Elf64_Phdr){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };
}

static int elf_try(struct elf_img *e)
{
	struct elf_info info;

	return elf_check(&e->eh, e->ph, T_FSIZE, T_LIMIT, &info, "ktest");
}

KTEST(elf_accepts_a_static_executable)
{
	struct elf_img e;
	struct elf_info info;

	elf_good(&e);
	KT_ASSERT_EQ(t, elf_check(&e.eh, e.ph, T_FSIZE, T_LIMIT, &info, "ktest"), 0);
	KT_EXPECT_EQ(t, info.entry, 0x400100);
	KT_EXPECT_EQ(t, info.phdr_addr, 0x400040);
	KT_EXPECT_EQ(t, info.phnum, 3);
	KT_EXPECT_EQ(t, info.nr_load, 2);
	KT_EXPECT_EQ(t, info.load_end, 0x403000);
}

KTEST(elf_rejects_bad_headers)
{
	struct elf_img e;

#define BAD(stmt) do { elf_good(&e); stmt; KT_EXPECT_EQ(t, elf_try(&e), -ENOEXEC); } while (0)
	BAD(e.eh.e_ident[0] = 0x7e);				/* magic */
	BAD(e.eh.e_ident[EI_CLASS] = 1);			/* ELF32 */
	BAD(e.eh.e_ident[EI_DATA] = 2);				/* big-endian */
	BAD(e.eh.e_machine = ELF_ARCH + 1);			/* another machine */
	BAD(e.eh.e_type = ET_DYN);				/* PIE / shared object */
	BAD(e.eh.e_phentsize = 32);
	BAD(e.eh.e_phnum = 0);
	BAD(e.eh.e_phnum = 1000);
	BAD(e.eh.e_phoff = T_FSIZE - 8);			/* phdrs past the end */
	BAD(e.eh.e_phoff = ~0ULL - 0x40);			/* offset + size overflows */
	BAD(e.eh.e_entry = 0x401010);				/* entry in data */
	BAD(e.ph[2].p_type = PT_INTERP);			/* dynamic */
	BAD(e.ph[2].p_type = PT_DYNAMIC);
#undef BAD
}

KTEST(elf_rejects_bad_segments)
{
	struct elf_img e;

#define BAD(stmt) do { elf_good(&e); stmt; KT_EXPECT_EQ(t, elf_try(&e), -ENOEXEC); } while (0)
	BAD(e.ph[1].p_filesz = 0x3000);				/* filesz > memsz */
	BAD(e.ph[1].p_offset = T_FSIZE);			/* past the end of the file */
	BAD(e.ph[1].p_offset = ~0ULL - 0xfff);			/* offset + filesz overflows */
	BAD(e.ph[1].p_vaddr = 0x401010);			/* vaddr != offset mod page */
	BAD(e.ph[1].p_vaddr = 0x400800; e.ph[1].p_offset = 0x800);	/* overlaps ph[0] */
	BAD(e.ph[1].p_vaddr = 0x300000);			/* descending */
	BAD(e.ph[1].p_memsz = ~0ULL - 0x1000);			/* huge: wraps */
	BAD(e.ph[1].p_memsz = T_LIMIT);				/* beyond user space */
	BAD(e.ph[1].p_vaddr = T_LIMIT);
	BAD(e.ph[0].p_vaddr = 0; e.eh.e_entry = 0x100);		/* the NULL page */
	BAD(e.ph[0].p_type = PT_NOTE; e.ph[1].p_type = PT_NOTE);	/* nothing to load */
	BAD(e.ph[0].p_offset = 0x1000; e.ph[0].p_filesz = 0x100);	/* phdrs not loaded */
#undef BAD
}
