/*
 * blk_test.c - block layer tests on the scratch virtio disk (serial
 * "scratch", attached by arch/<arch>/qemu.sh) and on ram0.
 */
#include <blkdev.h>
#include <completion.h>
#include <irq.h>
#include <ktest.h>
#include <page_alloc.h>
#include <sched.h>
#include <string.h>
#include <cpu.h>
#include <slab.h>

static struct block_device *scratch_disk(struct ktest_ctx *t)
{
	struct block_device *b = blkdev_get_by_serial("scratch");

	if (!b)
		ktest_fail(t, __FILE__, __LINE__, "no virtio disk with serial \"scratch\" "
			   "(arch/<arch>/qemu.sh attaches one unless SCRATCH=0)");
	return b;
}

static void fill_pattern(struct page *p, uint32_t seed)
{
	uint32_t *w = page_address(p);

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		w[i] = seed * 2654435761u + i;
}

static bool check_pattern(struct page *p, unsigned int off, unsigned int len, uint32_t seed)
{
	uint32_t *w = page_address(p);

	for (unsigned int i = off / 4; i < (off + len) / 4; i++)
		if (w[i] != seed * 2654435761u + i)
			return false;
	return true;
}

static int rw_sync(struct block_device *b, enum req_op op, uint64_t sector, struct page *p,
		   unsigned int off, unsigned int len)
{
	struct bio bio = { .bdev = b, .sector = sector, .page = p, .offset = off, .len = len,
			   .op = op };

	return submit_bio_wait(&bio);
}

/* Write patterns at aligned, unaligned and last sectors; read them back into other pages. */
static void pattern_roundtrip(struct ktest_ctx *t, struct block_device *b)
{
	uint64_t sectors[] = { 0, 7, 1000, b->nr_sectors - 8 };
	struct page *w = alloc_pages(0), *r = alloc_pages(0);

	KT_ASSERT(t, w && r);
	for (unsigned int i = 0; i < ARRAY_SIZE(sectors); i++) {
		fill_pattern(w, 100 + i);
		KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_WRITE, sectors[i], w, 0, PAGE_SIZE), 0);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sectors); i++) {
		memset(page_address(r), 0xee, PAGE_SIZE);
		KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, sectors[i], r, 0, PAGE_SIZE), 0);
		KT_EXPECT(t, check_pattern(r, 0, PAGE_SIZE, 100 + i) == (i != 0));
		/* sector 0's pattern was partly overwritten by sector 7's write */
		if (i == 0)
			KT_EXPECT(t, check_pattern(r, 0, 7 * SECTOR_SIZE, 100));
	}
	/* a sub-page transfer: 1 KiB at offset 512 of the page */
	fill_pattern(w, 7);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_WRITE, 2000, w, 512, 1024), 0);
	fill_pattern(r, 8);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, 2000, r, 1024, 1024), 0);
	KT_EXPECT(t, !memcmp((uint8_t *)page_address(r) + 1024,
			     (uint8_t *)page_address(w) + 512, 1024));
	KT_EXPECT(t, check_pattern(r, 0, 1024, 8) && check_pattern(r, 2048, 2048, 8));
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_FLUSH, 0, NULL, 0, 0), 0);
	__free_pages(w, 0);
	__free_pages(r, 0);
}

KTEST(blk_virtio_pattern_roundtrip)
{
	struct block_device *b = scratch_disk(t);

	if (b)
		pattern_roundtrip(t, b);
}

KTEST(blk_ram0_pattern_roundtrip)
{
	struct block_device *b = blkdev_get_by_name("ram0");
	struct page *p = alloc_pages(0);

	KT_ASSERT(t, b && p);
	pattern_roundtrip(t, b);
	/* never-written sectors read as zeros */
	memset(page_address(p), 0x55, PAGE_SIZE);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, 4000, p, 0, PAGE_SIZE), 0);
	KT_EXPECT(t, ((uint8_t *)page_address(p))[0] == 0 &&
		     ((uint8_t *)page_address(p))[PAGE_SIZE - 1] == 0);
	__free_pages(p, 0);
}

/* ---- completion arrives by interrupt ---- */

struct irq_probe {
	struct completion done;
	bool in_irq;
	bool irqs_were_off;
};

static void probe_end_io(struct bio *bio)
{
	struct irq_probe *pr = bio->private;

	pr->in_irq = in_irq();
	pr->irqs_were_off = !arch_irqs_enabled();
	complete(&pr->done);
}

KTEST(blk_completion_by_interrupt)
{
	struct block_device *b = scratch_disk(t);
	struct page *p = alloc_pages(0);
	struct irq_probe pr = { .in_irq = false };
	struct bio bio = { .sector = 64, .page = p, .len = PAGE_SIZE, .op = REQ_OP_READ,
			   .end_io = probe_end_io, .private = &pr };
	uint64_t irqs;

	KT_ASSERT(t, b && p);
	init_completion(&pr.done);
	bio.bdev = b;
	irqs = READ_ONCE(b->nr_irq_completions);
	submit_bio(&bio);
	wait_for_completion(&pr.done);
	KT_EXPECT_EQ(t, bio.status, 0);
	KT_EXPECT(t, pr.in_irq);
	KT_EXPECT(t, pr.irqs_were_off);
	KT_EXPECT(t, READ_ONCE(b->nr_irq_completions) > irqs);
	__free_pages(p, 0);
}

/* ---- many concurrent requests from every CPU ---- */

#define CONC_PER_THREAD	16

struct conc_state {
	struct block_device *bdev;
	unsigned int next_id;		/* [a] thread slot */
	unsigned int errors;		/* [a] */
};

struct conc_batch {
	struct bio bios[CONC_PER_THREAD];
	struct page *pages[CONC_PER_THREAD];
	unsigned int left;		/* [a] */
	struct completion done;
};

static void conc_end_io(struct bio *bio)
{
	struct conc_batch *cb = bio->private;

	if (__atomic_sub_fetch(&cb->left, 1, __ATOMIC_ACQ_REL) == 0)
		complete(&cb->done);
}

/* Submit the whole batch asynchronously (op), then wait for all of it. */
static void conc_round(struct conc_batch *cb, struct block_device *b, unsigned int id,
		       enum req_op op)
{
	cb->left = CONC_PER_THREAD;
	reinit_completion(&cb->done);
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++) {
		cb->bios[i] = (struct bio){ .bdev = b, .op = op, .page = cb->pages[i],
			.len = PAGE_SIZE, .sector = 4096 + (id * CONC_PER_THREAD + i) * 8,
			.end_io = conc_end_io, .private = cb };
		submit_bio(&cb->bios[i]);
	}
	wait_for_completion(&cb->done);
}

static void conc_thread(void *arg)
{
	struct conc_state *st = arg;
	unsigned int id = __atomic_fetch_add(&st->next_id, 1, __ATOMIC_RELAXED), bad = 0;
	struct conc_batch *cb = kzalloc(sizeof(*cb));

	if (!cb)
		goto out_err;
	init_completion(&cb->done);
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++)
		if (!(cb->pages[i] = alloc_pages(0)))
			goto out_err;
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++)
		fill_pattern(cb->pages[i], id * 1000 + i);
	conc_round(cb, st->bdev, id, REQ_OP_WRITE);
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++) {
		bad += cb->bios[i].status != 0;
		memset(page_address(cb->pages[i]), 0, PAGE_SIZE);
	}
	conc_round(cb, st->bdev, id, REQ_OP_READ);
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++)
		bad += cb->bios[i].status != 0 || !check_pattern(cb->pages[i], 0, PAGE_SIZE,
								 id * 1000 + i);
	for (unsigned int i = 0; i < CONC_PER_THREAD; i++)
		__free_pages(cb->pages[i], 0);
	kfree(cb);
	__atomic_add_fetch(&st->errors, bad, __ATOMIC_RELAXED);
	return;
out_err:
	__atomic_add_fetch(&st->errors, 1000, __ATOMIC_RELAXED);	/* pages leak: test fails */
}

KTEST(blk_concurrent_from_all_cpus)
{
	struct conc_state st = { .bdev = scratch_disk(t) };
	unsigned int n = 2 * num_online_cpus();
	uint64_t sub, comp;

	KT_ASSERT(t, st.bdev);
	sub = READ_ONCE(st.bdev->nr_submitted);
	comp = READ_ONCE(st.bdev->nr_completed);
	/* 2 threads per CPU x 16 bios: more than the queue holds, so the pending list is used. */
	KT_ASSERT(t, run_threads_on_cpus(conc_thread, &st, n, "blk-conc"));
	KT_EXPECT_EQ(t, st.errors, 0);
	KT_EXPECT_EQ(t, READ_ONCE(st.bdev->nr_submitted) - sub, 2ull * n * CONC_PER_THREAD);
	KT_EXPECT_EQ(t, READ_ONCE(st.bdev->nr_completed) - comp, 2ull * n * CONC_PER_THREAD);
}

/* ---- the artificial delay ---- */

static uint64_t timed_read(struct block_device *b, struct page *p, int *status)
{
	uint64_t t0 = arch_time_ns();

	*status = rw_sync(b, REQ_OP_READ, 128, p, 0, PAGE_SIZE);
	return arch_time_ns() - t0;
}

static void delay_check(struct ktest_ctx *t, struct block_device *b)
{
	unsigned int old = READ_ONCE(b->delay_us);
	struct page *p = alloc_pages(0);
	uint64_t fast, slow, delayed;
	int s1, s2;

	KT_ASSERT(t, p);
	blk_set_delay_us(b, 0);
	fast = timed_read(b, p, &s1);
	blk_set_delay_us(b, 40000);
	delayed = READ_ONCE(b->nr_delayed);
	slow = timed_read(b, p, &s2);
	blk_set_delay_us(b, old);
	printk("ktest: %s: read %llu us without delay, %llu us with delay_us=40000\n", b->name,
	       (unsigned long long)fast / 1000, (unsigned long long)slow / 1000);
	KT_EXPECT_EQ(t, s1, 0);
	KT_EXPECT_EQ(t, s2, 0);
	KT_EXPECT(t, slow >= 40000000ull);		/* never shorter than asked */
	KT_EXPECT(t, slow < 2000000000ull);		/* and not wildly longer */
	KT_EXPECT(t, READ_ONCE(b->nr_delayed) > delayed);
	__free_pages(p, 0);
}

KTEST(blk_delay_honoured)
{
	struct block_device *b = scratch_disk(t);

	if (b)
		delay_check(t, b);
	b = blkdev_get_by_name("ram0");
	KT_ASSERT(t, b);
	delay_check(t, b);
}

/* ---- bad requests fail with -EIO, never a panic ---- */

static void bad_requests(struct ktest_ctx *t, struct block_device *b, struct page *p)
{
	uint64_t errs = READ_ONCE(b->nr_errors);

	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, b->nr_sectors, p, 0, 512), -EIO);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_WRITE, b->nr_sectors - 1, p, 0, 1024), -EIO);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, ~0ull - 3, p, 0, 4096), -EIO);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, 0, p, 0, 100), -EIO);
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, 0, p, 3584, 1024), -EIO);
	KT_EXPECT_EQ(t, READ_ONCE(b->nr_errors) - errs, 5);
	/* the device still works afterwards */
	KT_EXPECT_EQ(t, rw_sync(b, REQ_OP_READ, b->nr_sectors - 1, p, 0, 512), 0);
}

KTEST(blk_bad_sector_eio)
{
	struct block_device *b = scratch_disk(t);
	struct page *p = alloc_pages(0);

	KT_ASSERT(t, p);
	if (b)
		bad_requests(t, b, p);
	b = blkdev_get_by_name("ram0");
	KT_ASSERT(t, b);
	bad_requests(t, b, p);
	KT_EXPECT(t, blkdev_get_by_name("nosuchdisk") == NULL);
	blk_dump_stats();
	__free_pages(p, 0);
}
