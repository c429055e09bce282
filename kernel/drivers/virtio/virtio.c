/*
 * virtio.c - virtio 1.0 device initialisation and split virtqueues.
 *
 * Rings live in one zeroed page per queue (at most 128 entries: descriptor
 * table 2 KiB, available ring at 2 KiB, used ring at 2.5 KiB), which the
 * device reads and writes by DMA at its physical address. Ordering: the
 * driver fills descriptors, then publishes the avail entry, then the index
 * (release fences), then notifies (arch_io_mb before the doorbell write);
 * it reads the used index before the used entries (acquire).
 */
#include "virtio.h"
#include <io.h>
#include <page_alloc.h>
#include <printk.h>
#include <slab.h>
#include <string.h>

#define VQ_MAX_NUM	128

void virtio_fail(struct virtio_device *vdev, const char *why)
{
	printk("virtio: %s: %s; device left in FAILED state\n", vdev->where, why);
	vdev->ops->set_status(vdev, vdev->ops->get_status(vdev) | VIRTIO_STATUS_FAILED);
}

static void virtio_add_status(struct virtio_device *vdev, uint8_t bits)
{
	vdev->ops->set_status(vdev, vdev->ops->get_status(vdev) | bits);
}

int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted)
{
	uint64_t offered;

	vdev->ops->set_status(vdev, 0);
	virtio_add_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_STATUS_DRIVER);
	offered = vdev->ops->get_features(vdev);
	if (!(offered & (1ull << VIRTIO_F_VERSION_1))) {
		virtio_fail(vdev, "device does not offer VIRTIO_F_VERSION_1 (legacy only; "
			    "Faultline drives virtio 1.0 devices)");
		return -ENODEV;
	}
	vdev->features = offered & (wanted | (1ull << VIRTIO_F_VERSION_1));
	vdev->ops->set_features(vdev, vdev->features);
	virtio_add_status(vdev, VIRTIO_STATUS_FEATURES_OK);
	if (!(vdev->ops->get_status(vdev) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_fail(vdev, "device refused our feature set");
		return -ENODEV;
	}
	return 0;
}

void virtio_driver_ok(struct virtio_device *vdev)
{
	virtio_add_status(vdev, VIRTIO_STATUS_DRIVER_OK);
}

/* Lay the three rings out in one page and chain every descriptor on the free list. */
static int vq_alloc_rings(struct virtqueue *vq)
{
	struct page *p = alloc_pages(0);
	uint8_t *base;

	vq->tokens = kzalloc(vq->num * sizeof(void *));
	if (!p || !vq->tokens) {
		if (p)
			__free_pages(p, 0);
		kfree(vq->tokens);
		return -ENOMEM;
	}
	base = page_address(p);
	memset(base, 0, PAGE_SIZE);
	vq->desc = (struct vring_desc *)base;
	vq->avail = (struct vring_avail *)(base + 2048);
	vq->used = (volatile struct vring_used *)(base + 2560);
	vq->desc_pa = __pa(vq->desc);
	vq->avail_pa = __pa(vq->avail);
	vq->used_pa = __pa((void *)vq->used);
	for (unsigned int i = 0; i + 1 < vq->num; i++)
		vq->desc[i].next = i + 1;
	vq->free_head = 0;
	vq->num_free = vq->num;
	return 0;
}

struct virtqueue *virtqueue_create(struct virtio_device *vdev, unsigned int index,
				   unsigned int max_num)
{
	unsigned int dev_max = vdev->ops->queue_max(vdev, index), num = VQ_MAX_NUM;
	struct virtqueue *vq;

	if (!dev_max) {
		printk("virtio: %s: queue %u does not exist\n", vdev->where, index);
		return NULL;
	}
	while (num > dev_max || num > max_num)
		num >>= 1;
	vq = kzalloc(sizeof(*vq));
	if (!vq)
		return NULL;
	vq->vdev = vdev;
	vq->index = index;
	vq->num = num;
	spin_lock_init(&vq->lock, "virtqueue");
	if (vq_alloc_rings(vq) || vdev->ops->setup_vq(vdev, vq)) {
		printk("virtio: %s: cannot set up queue %u (out of memory or device refused)\n",
		       vdev->where, index);
		return NULL;	/* the device is failed by the caller; the memory stays */
	}
	return vq;
}

int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int out,
		  unsigned int in, void *token)
{
	unsigned int n = out + in, head = vq->free_head, d = head, last = head;

	assert_spin_locked(&vq->lock);
	if (!n || n > vq->num_free)
		return -ENOSPC;
	for (unsigned int i = 0; i < n; i++) {
		vq->desc[d].addr = bufs[i].pa;
		vq->desc[d].len = bufs[i].len;
		vq->desc[d].flags = (i >= out ? VRING_DESC_F_WRITE : 0) |
				    (i + 1 < n ? VRING_DESC_F_NEXT : 0);
		last = d;
		d = vq->desc[d].next;
	}
	vq->free_head = vq->desc[last].next;
	vq->num_free -= n;
	vq->tokens[head] = token;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* descriptors + entry before the index */
	vq->avail_idx++;
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	return 0;
}

void virtqueue_kick(struct virtqueue *vq)
{
	assert_spin_locked(&vq->lock);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* avail->idx before reading used->flags */
	if (vq->used->flags & VRING_USED_F_NO_NOTIFY)
		return;
	arch_io_mb();
	vq->vdev->ops->notify(vq);
}

/* Put the chain starting at head back on the free list. */
static void vq_free_chain(struct virtqueue *vq, unsigned int head)
{
	unsigned int d = head;

	vq->num_free++;
	while (vq->desc[d].flags & VRING_DESC_F_NEXT) {
		d = vq->desc[d].next;
		vq->num_free++;
	}
	vq->desc[d].next = vq->free_head;
	vq->free_head = head;
}

void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len)
{
	uint16_t used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	unsigned int slot, id;
	void *token;

	assert_spin_locked(&vq->lock);
	if (used_idx == vq->last_used_idx)
		return NULL;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* index before the entry */
	slot = vq->last_used_idx & (vq->num - 1);
	id = vq->used->ring[slot].id;
	if (len)
		*len = vq->used->ring[slot].len;
	vq->last_used_idx++;
	if (id >= vq->num || !vq->tokens[id]) {
		printk("virtio: %s: queue %u: device returned bad descriptor %u; ignored\n",
		       vq->vdev->where, vq->index, id);
		return NULL;
	}
	token = vq->tokens[id];
	vq->tokens[id] = NULL;
	vq_free_chain(vq, id);
	return token;
}

void virtio_dev_probe(struct virtio_device *vdev)
{
	switch (vdev->device_id) {
	case VIRTIO_ID_BLOCK:
		virtio_blk_probe(vdev);
		break;
	default:
		printk("virtio: %s: device type %u has no driver; ignored\n", vdev->where,
		       vdev->device_id);
	}
}
