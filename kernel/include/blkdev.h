/*
 * blkdev.h - block devices and bios (kernel/block, docs/block.md).
 *
 * A bio asks for one transfer between one page and a device:
 *
 *   bio->bdev = blkdev_get_by_name("vda");  bio->sector = 8;   (512-byte units)
 *   bio->page = p;  bio->offset = 0;  bio->len = 4096;  bio->op = REQ_OP_READ;
 *   bio->end_io = my_end_io;  bio->private = folio;
 *   submit_bio(bio);             returns at once; the I/O is in flight
 *   ...                          my_end_io(bio) runs later from the device's
 *                                completion interrupt; bio->status is 0 or -EIO
 *
 * or submit_bio_wait(bio), which sleeps on the request until it completed.
 *
 * end_io runs in interrupt context (IRQs off) and must not sleep. Exception:
 * a bio rejected by submit_bio() (bad sector range, read-only device) and
 * bios of the RAM disk (no device interrupt) complete before submit_bio()
 * returns, in the submitter's context, still with IRQs off, as in Linux.
 *
 * Every request waits at least the device's delay_us between submission and
 * completion (blk_delay_us= on the command line, blk_set_delay_us() at run
 * time); the wait is served by the timer tick, so it is rounded up to ticks.
 */
#ifndef FAULTLINE_BLKDEV_H
#define FAULTLINE_BLKDEV_H

#include <types.h>
#include <list.h>
#include <spinlock.h>
#include <timer.h>

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	512u

enum req_op {
	REQ_OP_READ,
	REQ_OP_WRITE,
	REQ_OP_FLUSH,		/* make earlier completed writes durable; no data */
};

struct bio;
struct block_device;
struct page;
struct boot_info;
typedef void (*bio_end_io_t)(struct bio *bio);

/*
 * Locking legend: [O] the submitter, until submit_bio(); then the block
 * layer / driver until end_io is called, then the submitter again.
 * [B] block layer / driver private while in flight.
 */
struct bio {
	struct block_device *bdev;	/* [O] */
	uint64_t sector;		/* [O] first sector (512-byte units) */
	struct page *page;		/* [O] data page (unused for FLUSH) */
	unsigned int offset;		/* [O] byte offset in page */
	unsigned int len;		/* [O] bytes, a multiple of 512, offset + len <= PAGE_SIZE */
	enum req_op op;			/* [O] */
	bio_end_io_t end_io;		/* [O] called once, IRQ context, must not sleep */
	void *private;			/* [O] for end_io */
	int status;			/* [B] 0 or -EIO, final when end_io runs */
	uint64_t start_ns;		/* [B] arch_time_ns() at submit_bio() */
	struct list_head queuelist;	/* [B] driver queue / delay list */
};

/* A driver: submit starts the transfer and returns; the driver calls
 * bio_endio() when the device reports completion. Locks: none held. */
struct block_device_operations {
	void (*submit_bio)(struct block_device *bdev, struct bio *bio);
};

/*
 * Locking legend: [I] set before blk_register(), then read-only
 * [a] atomic  [L] bdev->lock
 */
struct block_device {
	char name[16];			/* [I] "vda", "ram0" */
	char serial[24];		/* [I] device's id string ("" if none) */
	uint64_t nr_sectors;		/* [I] capacity in 512-byte sectors */
	bool read_only;			/* [I] */
	const struct block_device_operations *ops; /* [I] */
	void *driver_data;		/* [I] */
	unsigned int delay_us;		/* [a] artificial latency per request */
	/* counters */
	uint64_t nr_submitted;		/* [a] bios accepted by submit_bio() */
	uint64_t nr_completed;		/* [a] end_io calls (errors included) */
	uint64_t nr_errors;		/* [a] bios completed with -EIO */
	uint64_t bytes_read;		/* [a] successfully read */
	uint64_t bytes_written;		/* [a] successfully written */
	uint64_t nr_irq_completions;	/* [a] bio_endio() called from a device interrupt */
	uint64_t nr_delayed;		/* [a] completions held back for delay_us */
	spinlock_t lock;
	struct list_head delayed;	/* [L] bios whose completion waits for delay_us */
	struct timer_list delay_timer;	/* completes the delayed bios */
	struct list_head list;		/* [I] on the device list (never removed) */
};

void blk_init(const struct boot_info *bi);	/* probe every driver; from kernel_init */
int blk_register(struct block_device *bdev);	/* 0, -EEXIST (name taken) */
struct block_device *blkdev_get_by_name(const char *name);	/* NULL if none */
struct block_device *blkdev_get_by_serial(const char *serial);	/* NULL if none */
/* Iterate: blkdev_next(NULL) is the first; NULL after the last. */
struct block_device *blkdev_next(struct block_device *prev);

void submit_bio(struct bio *bio);		/* Sleeps: no */
int submit_bio_wait(struct bio *bio);		/* Sleeps: yes; returns bio->status */
/* Drivers: the device finished bio with status (0 / -EIO). Any context, IRQs off or on. */
void bio_endio(struct bio *bio, int status);

/* Run-time latency (for /proc/sys): one device, or every device plus the
 * default for devices registered later. Values above 10 s are clamped. */
void blk_set_delay_us(struct block_device *bdev, unsigned int us);
void blk_set_delay_all_us(unsigned int us);
unsigned int blk_get_delay_default_us(void);

/* Print one line per device with its counters. */
void blk_dump_stats(void);

/* Drivers' probe functions, called by blk_init(). */
void virtio_mmio_probe_all(const void *dtb);
void virtio_pci_probe_all(void);
void brd_init(void);

#endif
