/*
 * virtio.h - virtio 1.0 ("modern") core: devices, transports, split
 * virtqueues. Private to kernel/drivers. See docs/block.md.
 *
 * A transport (virtio_mmio.c, virtio_pci.c) finds a device, fills a struct
 * virtio_device with its ops and calls the driver's probe (virtio_blk_probe).
 * The driver calls virtio_negotiate(), creates its queues with
 * virtqueue_create(), requests its interrupt through the transport, then
 * virtio_driver_ok().
 */
#ifndef FAULTLINE_DRIVERS_VIRTIO_H
#define FAULTLINE_DRIVERS_VIRTIO_H

#include <types.h>
#include <spinlock.h>

#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_FAILED		128

#define VIRTIO_F_VERSION_1	32

/* Split ring layout (virtio 1.0 §2.6), all little-endian. */
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_USED_F_NO_NOTIFY	1

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

struct virtio_device;
struct virtqueue;

/* What a transport provides. All may be called from process context only,
 * except notify (any context, the vq lock held). */
struct virtio_config_ops {
	uint8_t (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, uint8_t status);	/* 0 resets */
	uint64_t (*get_features)(struct virtio_device *vdev);
	void (*set_features)(struct virtio_device *vdev, uint64_t features);
	/* Device-specific configuration space, byte offset; 1/2/4/8-byte reads. */
	uint64_t (*read_config)(struct virtio_device *vdev, unsigned int off, unsigned int size);
	unsigned int (*queue_max)(struct virtio_device *vdev, unsigned int index); /* 0: none */
	/* Give the device vq's rings and enable it; 0 or -errno. */
	int (*setup_vq)(struct virtio_device *vdev, struct virtqueue *vq);
	void (*notify)(struct virtqueue *vq);
	/* Route the device's interrupts to handler(vdev) (IRQ context); 0 or -errno. */
	int (*request_irq)(struct virtio_device *vdev, void (*handler)(struct virtio_device *));
};

/* Locking legend: [I] set by the transport/probe before use, then read-only */
struct virtio_device {
	const struct virtio_config_ops *ops;	/* [I] */
	void *transport;			/* [I] transport private data */
	char where[48];				/* [I] "virtio-mmio@0xa003e00 irq 79", for messages */
	uint32_t device_id;			/* [I] VIRTIO_ID_* */
	uint64_t features;			/* [I] negotiated */
	void (*irq_handler)(struct virtio_device *vdev); /* [I] the driver's */
	void *priv;				/* [I] the driver's */
};

/*
 * A split virtqueue. Locking legend: [I] immutable after virtqueue_create
 * [V] vq->lock (drivers hold it around add/kick/get_buf; the device
 * interrupt handler takes it too).
 */
struct virtqueue {
	struct virtio_device *vdev;	/* [I] */
	unsigned int index;		/* [I] queue number */
	unsigned int num;		/* [I] ring size (power of two) */
	struct vring_desc *desc;	/* [V] descriptor table */
	struct vring_avail *avail;	/* [V] driver -> device */
	volatile struct vring_used *used; /* [V] device -> driver */
	phys_addr_t desc_pa, avail_pa, used_pa; /* [I] */
	uint16_t free_head;		/* [V] first free descriptor */
	uint16_t num_free;		/* [V] */
	uint16_t avail_idx;		/* [V] our copy of avail->idx */
	uint16_t last_used_idx;		/* [V] next used entry to look at */
	void **tokens;			/* [V] per head descriptor: the driver's token */
	volatile void *notify_addr;	/* [I] transport's doorbell for this queue */
	spinlock_t lock;
};

/* One buffer of a request: physical address and length. */
struct vq_buf {
	phys_addr_t pa;
	uint32_t len;
};

/* Reset, acknowledge, offer (device features & wanted) | VERSION_1,
 * FEATURES_OK. 0, or -ENODEV (device is legacy-only or refused). */
int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted);
void virtio_driver_ok(struct virtio_device *vdev);
void virtio_fail(struct virtio_device *vdev, const char *why);
static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int bit)
{
	return vdev->features & (1ull << bit);
}

/* Queue index with at most max_num entries. NULL (with a message) on failure. */
struct virtqueue *virtqueue_create(struct virtio_device *vdev, unsigned int index,
				   unsigned int max_num);
/* Chain out device-readable then in device-writable buffers under token.
 * 0 or -ENOSPC. Locks: vq->lock. */
int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int out,
		  unsigned int in, void *token);
void virtqueue_kick(struct virtqueue *vq);		/* Locks: vq->lock */
/* Next completed token (its descriptors freed) or NULL. Locks: vq->lock. */
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len);

/* Device drivers. */
void virtio_blk_probe(struct virtio_device *vdev);
/* Hand a found device to its driver (by device id). */
void virtio_dev_probe(struct virtio_device *vdev);

#endif
