/*
 * faulter [THREADS [PAGES]] - a multi-threaded page-fault workload for the trace test:
 * THREADS threads (default 4) each write PAGES fresh anonymous pages (default 64) of one
 * shared mapping, while the main thread maps and unmaps an unrelated region, so the trace
 * shows faults on every CPU and mmap_lock readers meeting a writer. Exits 0 when every
 * page holds what its thread wrote.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096UL

static char *area;
static int pages;
static volatile int done;

static void *toucher(void *arg)
{
	long t = (long)arg;

	for (int i = 0; i < pages; i++)
		area[(t * pages + i) * PAGE] = (char)(t + 1);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t tid[64];
	int bad = 0;

	pages = argc > 2 ? atoi(argv[2]) : 64;
	if (threads < 1 || threads > 64 || pages < 1) {
		fprintf(stderr, "usage: faulter [THREADS 1..64 [PAGES]]\n");
		return 2;
	}
	area = mmap(NULL, (size_t)threads * pages * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("faulter: mmap");
		return 1;
	}
	for (long t = 0; t < threads; t++)
		if (pthread_create(&tid[t], NULL, toucher, (void *)t)) {
			fprintf(stderr, "faulter: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < 32; i++) {		/* a writer of mmap_lock meanwhile */
		void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, PAGE);
	}
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	for (long t = 0; t < threads; t++)
		for (int i = 0; i < pages; i++)
			bad += area[(t * pages + i) * PAGE] != (char)(t + 1);
	printf("faulter: %d threads x %d pages, %d wrong\n", threads, pages, bad);
	return bad != 0;
}
