/*
 * blk-core.c - the block layer: device registry, submit_bio(), completion
 * with the per-device artificial latency, counters.
 *
 * Submission is asynchronous: submit_bio() checks the request, counts it
 * and hands it to the driver, which starts the transfer and returns. The
 * driver's interrupt handler calls bio_endio(); if the device's delay_us
 * has not yet passed since submission, the bio goes on the device's delayed
 * list and the delay timer (tick granularity) completes it later, also in
 * interrupt context. See docs/block.md.
 *
 * Trace events: io_submit (sector, op << 32 | bytes) when submit_bio takes a
 * request, io_complete (sector, status) just before its end_io runs, so the
 * time between them includes the artificial delay.
 */
#include <blkdev.h>
#include <boot.h>
#include <completion.h>
#include <irq.h>
#include <printk.h>
#include <string.h>
#include <mm.h>
#include <trace.h>

#define BLK_MAX_DELAY_US	10000000u

/* Locking legend: [M] blk_devices_lock for writers; readers walk without it (append-only, published with a release fence) */
static LIST_HEAD(blk_devices);		/* [M] */
static DEFINE_SPINLOCK(blk_devices_lock); /* [M] serialises blk_register */
static unsigned int blk_default_delay_us; /* [a] */

struct block_device *blkdev_next(struct block_device *prev)
{
	struct list_head *n = prev ? READ_ONCE(prev->list.next) : READ_ONCE(blk_devices.next);

	return n == &blk_devices ? NULL : list_entry(n, struct block_device, list);
}

struct block_device *blkdev_get_by_name(const char *name)
{
	for (struct block_device *b = blkdev_next(NULL); b; b = blkdev_next(b))
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

struct block_device *blkdev_get_by_serial(const char *serial)
{
	for (struct block_device *b = blkdev_next(NULL); b; b = blkdev_next(b))
		if (b->serial[0] && !strcmp(b->serial, serial))
			return b;
	return NULL;
}

static void blk_delay_timer_fn(struct timer_list *t);

int blk_register(struct block_device *bdev)
{
	spin_lock(&blk_devices_lock);
	if (blkdev_get_by_name(bdev->name)) {
		spin_unlock(&blk_devices_lock);
		printk("blk: a device named %s exists already; %s not registered\n",
		       bdev->name, bdev->name);
		return -EEXIST;
	}
	spin_lock_init(&bdev->lock, "bdev->lock");
	INIT_LIST_HEAD(&bdev->delayed);
	timer_setup_on(&bdev->delay_timer, blk_delay_timer_fn, 0);
	bdev->delay_us = READ_ONCE(blk_default_delay_us);
	/* Publish the fully initialised device: readers walk without the lock. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	list_add_tail(&bdev->list, &blk_devices);
	spin_unlock(&blk_devices_lock);
	printk("blk: %s: %llu sectors (%llu KiB)%s%s%s delay %u us\n", bdev->name,
	       (unsigned long long)bdev->nr_sectors, (unsigned long long)bdev->nr_sectors / 2,
	       bdev->read_only ? ", read-only" : "", bdev->serial[0] ? ", serial " : "",
	       bdev->serial, bdev->delay_us);
	return 0;
}

static bool bio_is_valid(const struct bio *bio)
{
	const struct block_device *b = bio->bdev;
	uint64_t nr = bio->len >> SECTOR_SHIFT;

	if (bio->op == REQ_OP_FLUSH)
		return true;
	if (bio->op != REQ_OP_READ && bio->op != REQ_OP_WRITE)
		return false;
	if (!bio->page || !bio->len || (bio->len & (SECTOR_SIZE - 1)) ||
	    bio->offset + bio->len > PAGE_SIZE)
		return false;
	if (bio->sector >= b->nr_sectors || nr > b->nr_sectors - bio->sector)
		return false;
	return !(bio->op == REQ_OP_WRITE && b->read_only);
}

static void report_bad_bio(const struct bio *bio)
{
	static unsigned int reports;	/* [a] */

	if (__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED) >= 10)
		return;
	printk("blk: %s: rejected %s of %u bytes at sector %llu (offset %u; device has %llu "
	       "sectors%s): -EIO\n", bio->bdev->name,
	       bio->op == REQ_OP_WRITE ? "write" : bio->op == REQ_OP_READ ? "read" : "request",
	       bio->len, (unsigned long long)bio->sector, bio->offset,
	       (unsigned long long)bio->bdev->nr_sectors,
	       bio->bdev->read_only ? ", read-only" : "");
}

/* Sleeps: no. The bio must stay untouched until its end_io ran. */
void submit_bio(struct bio *bio)
{
	struct block_device *b = bio->bdev;

	BUG_ON(!b || !bio->end_io);
	bio->status = 0;
	bio->start_ns = arch_time_ns();
	INIT_LIST_HEAD(&bio->queuelist);
	trace_event(TRACE_IO_SUBMIT, bio->sector, (uint64_t)bio->op << 32 | bio->len);
	__atomic_add_fetch(&b->nr_submitted, 1, __ATOMIC_RELAXED);
	if (!bio_is_valid(bio)) {
		report_bad_bio(bio);
		unsigned long f = arch_irq_save();
		bio_endio(bio, -EIO);
		arch_irq_restore(f);
		return;
	}
	b->ops->submit_bio(b, bio);
}

static void account_completion(struct bio *bio)
{
	struct block_device *b = bio->bdev;

	if (bio->status)
		__atomic_add_fetch(&b->nr_errors, 1, __ATOMIC_RELAXED);
	else if (bio->op == REQ_OP_READ)
		__atomic_add_fetch(&b->bytes_read, bio->len, __ATOMIC_RELAXED);
	else if (bio->op == REQ_OP_WRITE)
		__atomic_add_fetch(&b->bytes_written, bio->len, __ATOMIC_RELAXED);
	__atomic_add_fetch(&b->nr_completed, 1, __ATOMIC_RELAXED);
	trace_event(TRACE_IO_COMPLETE, bio->sector, (uint64_t)(int64_t)bio->status);
}

static uint64_t bio_deadline_ns(const struct bio *bio)
{
	return bio->start_ns + (uint64_t)READ_ONCE(bio->bdev->delay_us) * 1000;
}

/* Ticks until ns from now, at least one. */
static uint64_t ns_to_jiffies_from_now(uint64_t now, uint64_t ns)
{
	return (ns - now + TICK_NS - 1) / TICK_NS + 1;
}

/* Queue bio until its deadline. Locks: takes bdev->lock. */
static void bio_delay(struct bio *bio, uint64_t now)
{
	struct block_device *b = bio->bdev;
	uint64_t exp = get_jiffies() + ns_to_jiffies_from_now(now, bio_deadline_ns(bio));

	__atomic_add_fetch(&b->nr_delayed, 1, __ATOMIC_RELAXED);
	spin_lock(&b->lock);
	list_add_tail(&bio->queuelist, &b->delayed);
	if (!timer_pending(&b->delay_timer) || time_after_eq64(b->delay_timer.expires, exp))
		mod_timer(&b->delay_timer, exp);
	spin_unlock(&b->lock);
}

void bio_endio(struct bio *bio, int status)
{
	uint64_t now = arch_time_ns();

	bio->status = status ? -EIO : 0;
	if (in_irq())
		__atomic_add_fetch(&bio->bdev->nr_irq_completions, 1, __ATOMIC_RELAXED);
	if (READ_ONCE(bio->bdev->delay_us) && now < bio_deadline_ns(bio)) {
		bio_delay(bio, now);
		return;
	}
	account_completion(bio);
	bio->end_io(bio);
}

/* Timer (IRQ context): complete the delayed bios that are due, re-arm for the rest. */
static void blk_delay_timer_fn(struct timer_list *t)
{
	struct block_device *b = container_of(t, struct block_device, delay_timer);
	uint64_t now = arch_time_ns(), next = 0;
	LIST_HEAD(due);
	struct bio *bio, *tmp;

	spin_lock(&b->lock);
	list_for_each_entry_safe(bio, tmp, &b->delayed, queuelist) {
		uint64_t d = bio_deadline_ns(bio);

		if (d <= now) {
			list_del(&bio->queuelist);
			list_add_tail(&bio->queuelist, &due);
		} else if (!next || d < next)
			next = d;
	}
	if (next)
		mod_timer(t, get_jiffies() + ns_to_jiffies_from_now(now, next));
	spin_unlock(&b->lock);
	list_for_each_entry_safe(bio, tmp, &due, queuelist) {
		list_del(&bio->queuelist);
		account_completion(bio);
		bio->end_io(bio);
	}
}

static void submit_bio_wait_endio(struct bio *bio)
{
	complete(bio->private);
}

/* Sleeps: yes (on the request until its completion interrupt). */
int submit_bio_wait(struct bio *bio)
{
	struct completion done;

	init_completion(&done);
	bio->private = &done;
	bio->end_io = submit_bio_wait_endio;
	submit_bio(bio);
	wait_for_completion(&done);
	return bio->status;
}

static unsigned int clamp_delay(unsigned int us)
{
	if (us > BLK_MAX_DELAY_US) {
		printk("blk: delay %u us clamped to %u us\n", us, BLK_MAX_DELAY_US);
		return BLK_MAX_DELAY_US;
	}
	return us;
}

void blk_set_delay_us(struct block_device *bdev, unsigned int us)
{
	WRITE_ONCE(bdev->delay_us, clamp_delay(us));
}

void blk_set_delay_all_us(unsigned int us)
{
	us = clamp_delay(us);
	WRITE_ONCE(blk_default_delay_us, us);
	for (struct block_device *b = blkdev_next(NULL); b; b = blkdev_next(b))
		blk_set_delay_us(b, us);
}

unsigned int blk_get_delay_default_us(void)
{
	return READ_ONCE(blk_default_delay_us);
}

void blk_dump_stats(void)
{
	for (struct block_device *b = blkdev_next(NULL); b; b = blkdev_next(b))
		printk("blk: %s submitted %llu completed %llu (by irq %llu, delayed %llu) errors "
		       "%llu read %llu B written %llu B delay %u us\n", b->name,
		       (unsigned long long)READ_ONCE(b->nr_submitted),
		       (unsigned long long)READ_ONCE(b->nr_completed),
		       (unsigned long long)READ_ONCE(b->nr_irq_completions),
		       (unsigned long long)READ_ONCE(b->nr_delayed),
		       (unsigned long long)READ_ONCE(b->nr_errors),
		       (unsigned long long)READ_ONCE(b->bytes_read),
		       (unsigned long long)READ_ONCE(b->bytes_written), READ_ONCE(b->delay_us));
}

/* Probe every driver. Called once from kernel_init (may sleep). */
void blk_init(const struct boot_info *bi)
{
	WRITE_ONCE(blk_default_delay_us, clamp_delay(cmdline_get_ulong("blk_delay_us", 0)));
	if (bi->dtb)
		virtio_mmio_probe_all(bi->dtb);
	virtio_pci_probe_all();
	brd_init();
	if (!blkdev_next(NULL))
		printk("blk: no block devices\n");
}
