/*
 * vmstat [INTERVAL [COUNT]] - print the kernel's page-fault and memory counters
 * (struct fl_vmstat); with INTERVAL, print them every INTERVAL seconds, COUNT times.
 */
#include <errno.h>
#include <faultline.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIELD(name, what) { #name, offsetof(struct fl_vmstat, name), what }

static const struct {
	const char *name;
	size_t offset;
	const char *what;
} fields[] = {
	FIELD(page_size, "bytes per page"),
	FIELD(pages_total, "usable RAM, pages"),
	FIELD(pages_free, "free pages now"),
	FIELD(pgfault, "user page faults"),
	FIELD(pgfault_kernel, "faults in copy_*_user"),
	FIELD(anon_fault, "zeroed anonymous pages mapped"),
	FIELD(zero_page_map, "reads that mapped the zero page"),
	FIELD(cow_fault, "copy-on-write copies"),
	FIELD(cow_reuse, "copy-on-write reuses"),
	FIELD(segv, "faults ending in SIGSEGV"),
	FIELD(sigbus, "faults ending in SIGBUS"),
	FIELD(efault, "kernel accesses giving -EFAULT"),
	FIELD(tlb_shootdown, "TLB shootdowns sent"),
	FIELD(oom_kill, "out-of-memory kills"),
	FIELD(self_rss_anon, "this process: anonymous pages"),
	FIELD(self_vm_pages, "this process: mapped pages"),
	FIELD(self_pgfault, "this process: page faults"),
};

static int print_once(void)
{
	struct fl_vmstat st;

	if (fl_vmstat(&st) < 0) {
		fprintf(stderr, "vmstat: fl_vmstat: %s\n", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const __u64 *v = (const __u64 *)((const char *)&st + fields[i].offset);

		printf("%-16s %12llu  %s\n", fields[i].name, (unsigned long long)*v,
		       fields[i].what);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int interval = argc > 1 ? atoi(argv[1]) : 0;
	int count = argc > 2 ? atoi(argv[2]) : -1;

	if (interval <= 0)
		return print_once();
	for (int i = 0; count < 0 || i < count; i++) {
		if (i)
			putchar('\n');
		if (print_once())
			return 1;
		fflush(stdout);
		if (count < 0 || i + 1 < count)
			sleep((unsigned int)interval);
	}
	return 0;
}
