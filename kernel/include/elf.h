/*
 * elf.h - the ELF64 structures execve reads, and the validator (kernel/task/elf.c).
 *
 * Faultline runs static ET_EXEC executables only (docs/userland.md "Executables"):
 * PT_LOAD segments, no PT_INTERP, no PT_DYNAMIC. elf_check() looks at every field
 * execve relies on before anything is mapped; a malformed file gives -ENOEXEC and a
 * message saying what is wrong, never a panic.
 */
#ifndef FAULTLINE_ELF_H
#define FAULTLINE_ELF_H

#include <types.h>

#define EI_NIDENT	16
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFMAG		"\177ELF"
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define EM_AARCH64	183
#define EM_RISCV	243

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551

#define PF_X		1
#define PF_W		2
#define PF_R		4

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

#define ELF_MAX_PHNUM	64		/* program headers read (one page holds them) */
#define ELF_MIN_VADDR	0x10000UL	/* nothing may be mapped below (Linux's mmap_min_addr) */

/* What execve needs from a valid header, filled by elf_check(). */
struct elf_info {
	uint64_t entry;			/* e_entry */
	uint64_t phdr_addr;		/* user address of the program headers (AT_PHDR) */
	unsigned int phnum;		/* AT_PHNUM */
	uint64_t load_end;		/* end of the highest PT_LOAD (brk starts above) */
	unsigned int nr_load;		/* PT_LOAD count */
};

/* Check the header and the program headers (phdrs = e_phnum entries read from e_phoff)
 * of a file of file_size bytes whose segments must end below user_limit.
 * 0 or -ENOEXEC (message printed, prefixed with name). Sleeps: no. */
int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size, const char *name);
int elf_check(const Elf64_Ehdr *eh, const Elf64_Phdr *phdrs, uint64_t file_size,
	      uint64_t user_limit, struct elf_info *info, const char *name);

#endif
