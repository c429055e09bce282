/* boot_info.c - helpers arch code uses to describe the machine to kernel_main(). */
#include <boot.h>
#include <printk.h>

static bool add_range(struct mem_range *r, unsigned int *n, phys_addr_t base,
		      uint64_t size, const char *what)
{
	if (!size)
		return true;
	if (*n >= BOOT_MAX_RANGES) {
		printk("boot: too many %s ranges, ignoring [%llx, +%llx)\n", what,
		       (unsigned long long)base, (unsigned long long)size);
		return false;
	}
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
	return true;
}

void boot_add_mem(struct boot_info *bi, phys_addr_t base, uint64_t size)
{
	add_range(bi->mem, &bi->nr_mem, base, size, "memory");
}

void boot_add_reserved(struct boot_info *bi, phys_addr_t base, uint64_t size)
{
	if (!add_range(bi->reserved, &bi->nr_reserved, base, size, "reserved"))
		panic("boot: cannot record reserved range %llx; raise BOOT_MAX_RANGES",
		      (unsigned long long)base);
}

/* The boot CPU always ends up in slot 0. */
void boot_add_cpu(struct boot_info *bi, uint64_t hwid, bool is_boot_cpu)
{
	if (bi->nr_cpus >= NR_CPUS && is_boot_cpu) {
		printk("boot: more than %d CPUs, dropping hwid %llx for the boot CPU\n",
		       NR_CPUS, (unsigned long long)bi->cpu_hwid[0]);
		bi->cpu_hwid[0] = hwid;
		return;
	}
	if (bi->nr_cpus >= NR_CPUS) {
		printk("boot: more than %d CPUs, ignoring hwid %llx (raise NR_CPUS)\n",
		       NR_CPUS, (unsigned long long)hwid);
		return;
	}
	bi->cpu_hwid[bi->nr_cpus] = hwid;
	if (is_boot_cpu && bi->nr_cpus) {
		bi->cpu_hwid[bi->nr_cpus] = bi->cpu_hwid[0];
		bi->cpu_hwid[0] = hwid;
	}
	bi->nr_cpus++;
}
