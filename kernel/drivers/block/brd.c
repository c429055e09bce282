/*
 * brd.c - the RAM disk "ram0": a memory buffer of ramdisk_size= KiB
 * (default 4096, 0 = no RAM disk), its pages allocated on first write
 * (unwritten sectors read as zeros), as Linux's brd.
 *
 * There is no device and no interrupt: a bio is copied and completed inside
 * submit_bio(), in the submitter's context with IRQs off (bio_endio still
 * holds it back for the device's delay_us, which then completes it from the
 * timer interrupt). It is for machines without a disk driver and for tests.
 */
#include <blkdev.h>
#include <boot.h>
#include <page_alloc.h>
#include <printk.h>
#include <slab.h>
#include <string.h>

/* Locking legend: [I] set at init  [L] brd_lock */
struct brd_device {
	struct block_device bdev;	/* [I] */
	unsigned long nr_pages;		/* [I] */
	struct page **pages;		/* [L] NULL = never written (zeros) */
	spinlock_t lock;
};

static struct brd_device brd;

/* The backing page of byte position pos, allocated if alloc. Locks: brd.lock. */
static void *brd_page(uint64_t pos, bool alloc)
{
	unsigned long i = pos >> PAGE_SHIFT;

	assert_spin_locked(&brd.lock);
	if (!brd.pages[i] && alloc) {
		brd.pages[i] = alloc_pages(0);
		if (brd.pages[i])
			memset(page_address(brd.pages[i]), 0, PAGE_SIZE);
	}
	return brd.pages[i] ? page_address(brd.pages[i]) : NULL;
}

/* Copy one bio, page piece by page piece. 0 or -EIO (out of memory). */
static int brd_do_bio(struct bio *bio)
{
	uint64_t pos = bio->sector << SECTOR_SHIFT;
	uint8_t *buf = (uint8_t *)page_address(bio->page) + bio->offset;
	unsigned int done = 0;
	int rc = 0;

	spin_lock(&brd.lock);
	while (done < bio->len) {
		unsigned int off = pos & (PAGE_SIZE - 1);
		unsigned int n = MIN(bio->len - done, PAGE_SIZE - off);
		uint8_t *p = brd_page(pos, bio->op == REQ_OP_WRITE);

		if (bio->op == REQ_OP_WRITE && !p) {
			rc = -EIO;
			break;
		}
		if (bio->op == REQ_OP_WRITE)
			memcpy(p + off, buf + done, n);
		else if (p)
			memcpy(buf + done, p + off, n);
		else
			memset(buf + done, 0, n);
		done += n;
		pos += n;
	}
	spin_unlock(&brd.lock);
	return rc;
}

static void brd_submit_bio(struct block_device *bdev, struct bio *bio)
{
	int rc = bio->op == REQ_OP_FLUSH ? 0 : brd_do_bio(bio);
	unsigned long f = arch_irq_save();

	if (rc)
		printk("ram0: out of memory writing sector %llu; -EIO\n",
		       (unsigned long long)bio->sector);
	bio_endio(bio, rc);
	arch_irq_restore(f);
}

static const struct block_device_operations brd_ops = {
	.submit_bio = brd_submit_bio,
};

void brd_init(void)
{
	unsigned long kib = cmdline_get_ulong("ramdisk_size", 4096);

	if (!kib)
		return;
	brd.nr_pages = (kib + 3) / 4;
	brd.pages = kzalloc(brd.nr_pages * sizeof(struct page *));
	if (!brd.pages) {
		printk("ram0: cannot allocate the page index for %lu KiB; no RAM disk "
		       "(try a smaller ramdisk_size=)\n", kib);
		return;
	}
	spin_lock_init(&brd.lock, "brd.lock");
	strlcpy(brd.bdev.name, "ram0", sizeof(brd.bdev.name));
	brd.bdev.nr_sectors = (uint64_t)brd.nr_pages << (PAGE_SHIFT - SECTOR_SHIFT);
	brd.bdev.ops = &brd_ops;
	brd.bdev.driver_data = &brd;
	blk_register(&brd.bdev);
}
