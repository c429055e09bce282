/* ps - list processes (one line per thread group) from the kernel's fl_proclist call. */
#include <errno.h>
#include <faultline.h>
#include <stdio.h>
#include <string.h>

#define MAX_PROCS 256

int main(void)
{
	static struct fl_procinfo p[MAX_PROCS];
	struct fl_vmstat vm;
	unsigned long kib = 4;
	int n = fl_proclist(p, MAX_PROCS);

	if (n < 0) {
		fprintf(stderr, "ps: fl_proclist: %s\n", strerror(errno));
		return 1;
	}
	if (fl_vmstat(&vm) == 0 && vm.page_size)
		kib = vm.page_size / 1024;
	printf("%5s %5s %s %3s %8s %8s %s\n", "PID", "PPID", "S", "THR", "RSS(K)", "VSZ(K)",
	       "COMMAND");
	for (int i = 0; i < n; i++)
		printf("%5d %5d %c %3d %8lu %8lu %.*s\n", p[i].pid, p[i].ppid,
		       p[i].state ? p[i].state : '?', p[i].nr_threads,
		       (unsigned long)p[i].rss_pages * kib, (unsigned long)p[i].vm_pages * kib,
		       FL_COMM_LEN, p[i].comm);
	return 0;
}
