/*
 * virtio_blk.c - the virtio block device driver (virtio 1.0 §5.2).
 *
 * One request queue (virtqueue 0). A request is three descriptors: the
 * header {type, sector} (device-readable), the data page (readable for a
 * write, writable for a read; absent for a flush) and one status byte
 * (device-writable). Requests come from a fixed pool of num/3; bios that
 * find the pool or the ring full wait on a pending list, started from the
 * completion interrupt as requests finish. Completion: the device interrupt
 * collects finished requests under the queue lock, restarts pending ones,
 * then calls bio_endio() for each with the lock dropped.
 */
#include "../virtio/virtio.h"
#include <blkdev.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <slab.h>
#include <string.h>

#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_FLUSH	9

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_ID_BYTES	20

struct virtio_blk_outhdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* Locking legend: [V] the queue's vq->lock  [D] the device, while in flight */
struct vblk_req {
	struct virtio_blk_outhdr hdr;	/* [V] read by the device */
	uint8_t status;			/* [D] written by the device */
	struct bio *bio;		/* [V] NULL for the probe's GET_ID */
	struct list_head free;		/* [V] on vblk->free_reqs when idle */
};

/* Locking legend: [I] set at probe  [V] vq->lock */
struct virtio_blk {
	struct block_device bdev;	/* [I] registered with the block layer */
	struct virtio_device *vdev;	/* [I] */
	struct virtqueue *vq;		/* [I] */
	struct vblk_req *reqs;		/* [I] the pool */
	struct list_head free_reqs;	/* [V] */
	struct list_head pending;	/* [V] bios waiting for a request slot */
};

static unsigned int vblk_count;		/* [a] disks named so far */

/* Build and queue bio's request. -ENOSPC if no slot. Locks: vq->lock. */
static int vblk_start(struct virtio_blk *vb, struct bio *bio)
{
	struct vblk_req *r;
	struct vq_buf bufs[3];
	unsigned int n = 0, out;
	int rc;

	if (list_empty(&vb->free_reqs))
		return -ENOSPC;
	r = list_first_entry(&vb->free_reqs, struct vblk_req, free);
	r->hdr.type = bio->op == REQ_OP_WRITE ? VIRTIO_BLK_T_OUT :
		      bio->op == REQ_OP_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_FLUSH;
	r->hdr.sector = bio->op == REQ_OP_FLUSH ? 0 : bio->sector;
	r->status = 0xff;
	r->bio = bio;
	bufs[n++] = (struct vq_buf){ __pa(&r->hdr), sizeof(r->hdr) };
	if (bio->op != REQ_OP_FLUSH)
		bufs[n++] = (struct vq_buf){ page_to_phys(bio->page) + bio->offset, bio->len };
	out = bio->op == REQ_OP_WRITE ? n : 1;
	bufs[n++] = (struct vq_buf){ __pa(&r->status), 1 };
	rc = virtqueue_add(vb->vq, bufs, out, n - out, r);
	if (!rc)
		list_del(&r->free);
	return rc;
}

static void vblk_submit_bio(struct block_device *bdev, struct bio *bio)
{
	struct virtio_blk *vb = container_of(bdev, struct virtio_blk, bdev);

	if (bio->op == REQ_OP_FLUSH && !virtio_has_feature(vb->vdev, VIRTIO_BLK_F_FLUSH)) {
		unsigned long f = arch_irq_save();

		bio_endio(bio, 0);	/* no volatile write cache: writes are durable */
		arch_irq_restore(f);
		return;
	}
	spin_lock(&vb->vq->lock);
	if (!list_empty(&vb->pending) || vblk_start(vb, bio))
		list_add_tail(&bio->queuelist, &vb->pending);
	else
		virtqueue_kick(vb->vq);
	spin_unlock(&vb->vq->lock);
}

/* Start pending bios while slots last. Locks: vq->lock. */
static void vblk_restart_pending(struct virtio_blk *vb)
{
	bool started = false;

	while (!list_empty(&vb->pending)) {
		struct bio *bio = list_first_entry(&vb->pending, struct bio, queuelist);

		if (vblk_start(vb, bio))
			break;
		list_del(&bio->queuelist);
		started = true;
	}
	if (started)
		virtqueue_kick(vb->vq);
}

/* IRQ context, from the transport's interrupt handler. */
static void vblk_interrupt(struct virtio_device *vdev)
{
	struct virtio_blk *vb = vdev->priv;
	struct vblk_req *r;
	LIST_HEAD(done);
	struct bio *bio, *tmp;

	spin_lock(&vb->vq->lock);
	while ((r = virtqueue_get_buf(vb->vq, NULL))) {
		bio = r->bio;
		bio->status = r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;
		list_add_tail(&bio->queuelist, &done);
		list_add(&r->free, &vb->free_reqs);
	}
	vblk_restart_pending(vb);
	spin_unlock(&vb->vq->lock);
	list_for_each_entry_safe(bio, tmp, &done, queuelist) {
		list_del(&bio->queuelist);
		bio_endio(bio, bio->status);
	}
}

static const struct block_device_operations vblk_ops = {
	.submit_bio = vblk_submit_bio,
};

/* Probe-time GET_ID, polled (no interrupt handler yet). */
static void vblk_read_serial(struct virtio_blk *vb)
{
	struct page *p = alloc_pages(0);
	struct vblk_req *r = list_first_entry(&vb->free_reqs, struct vblk_req, free);
	struct vq_buf bufs[3];
	uint64_t t0 = arch_time_ns();
	char *id;

	if (!p)
		return;
	id = page_address(p);
	memset(id, 0, VIRTIO_BLK_ID_BYTES + 1);
	r->hdr = (struct virtio_blk_outhdr){ .type = VIRTIO_BLK_T_GET_ID };
	r->status = 0xff;
	bufs[0] = (struct vq_buf){ __pa(&r->hdr), sizeof(r->hdr) };
	bufs[1] = (struct vq_buf){ __pa(id), VIRTIO_BLK_ID_BYTES };
	bufs[2] = (struct vq_buf){ __pa(&r->status), 1 };
	spin_lock(&vb->vq->lock);
	if (!virtqueue_add(vb->vq, bufs, 1, 2, r)) {
		virtqueue_kick(vb->vq);
		while (!virtqueue_get_buf(vb->vq, NULL) && arch_time_ns() - t0 < 1000000000ull)
			arch_cpu_relax();
	}
	spin_unlock(&vb->vq->lock);
	if (r->status == VIRTIO_BLK_S_OK)
		strlcpy(vb->bdev.serial, id, sizeof(vb->bdev.serial));
	__free_pages(p, 0);
}

static int vblk_alloc_reqs(struct virtio_blk *vb)
{
	unsigned int n = vb->vq->num / 3;

	vb->reqs = kzalloc(n * sizeof(*vb->reqs));
	if (!vb->reqs)
		return -ENOMEM;
	INIT_LIST_HEAD(&vb->free_reqs);
	INIT_LIST_HEAD(&vb->pending);
	for (unsigned int i = 0; i < n; i++)
		list_add_tail(&vb->reqs[i].free, &vb->free_reqs);
	return 0;
}

void virtio_blk_probe(struct virtio_device *vdev)
{
	struct virtio_blk *vb = kzalloc(sizeof(*vb));

	if (!vb || virtio_negotiate(vdev, 1ull << VIRTIO_BLK_F_RO | 1ull << VIRTIO_BLK_F_FLUSH))
		return;
	vb->vdev = vdev;
	vdev->priv = vb;
	vb->vq = virtqueue_create(vdev, 0, 128);
	if (!vb->vq || vb->vq->num < 3 || vblk_alloc_reqs(vb)) {
		virtio_fail(vdev, "cannot set up the request queue");
		return;
	}
	virtio_driver_ok(vdev);
	vblk_read_serial(vb);
	if (vdev->ops->request_irq(vdev, vblk_interrupt)) {
		virtio_fail(vdev, "its interrupt line is unavailable");
		return;
	}
	snprintf(vb->bdev.name, sizeof(vb->bdev.name), "vd%c",
		 'a' + __atomic_fetch_add(&vblk_count, 1, __ATOMIC_RELAXED) % 26);
	vb->bdev.nr_sectors = vdev->ops->read_config(vdev, 0, 8);
	vb->bdev.read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	vb->bdev.ops = &vblk_ops;
	vb->bdev.driver_data = vb;
	printk("virtio-blk: %s: %s\n", vb->bdev.name, vdev->where);
	blk_register(&vb->bdev);
}
