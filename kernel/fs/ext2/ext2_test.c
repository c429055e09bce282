/*
 * ext2_test.c - damaged ext2 images on the RAM disk (ram0) must be refused
 * at mount with -EINVAL, on every architecture, without a panic. The images
 * are a super block and a group descriptor block written here; the full set
 * of damages (and -EIO from a mounted image) is tests/host/ext2.
 */
#include <ktest.h>
#include <blkdev.h>
#include <page_alloc.h>
#include <string.h>
#include "ext2.h"

/* Write 1 KiB block n of ram0 from buf. */
static int put_block(struct block_device *b, unsigned int n, const void *buf)
{
	struct page *p = alloc_pages(0);
	struct bio bio = { .bdev = b, .sector = n * 2, .page = p, .len = 1024, .op = REQ_OP_WRITE };
	int err;

	if (!p)
		return -ENOMEM;
	memcpy(page_address(p), buf, 1024);
	err = submit_bio_wait(&bio);
	__free_pages(p, 0);
	return err;
}

/* A plausible 1 KiB-block super block for a file system of nblocks blocks. */
static void good_super(struct ext2_super_block *es, uint32_t nblocks)
{
	memset(es, 0, sizeof(*es));
	es->s_magic = EXT2_SUPER_MAGIC;
	es->s_rev_level = 1;
	es->s_blocks_count = nblocks;
	es->s_first_data_block = 1;
	es->s_blocks_per_group = 8192;
	es->s_inodes_per_group = 128;
	es->s_inodes_count = 128;
	es->s_inode_size = 128;
	es->s_first_ino = 11;
	es->s_state = EXT2_VALID_FS;
}

static int mount_ram0(struct ktest_ctx *t, struct block_device *b, const struct ext2_super_block *es,
		      const struct ext2_group_desc *gd)
{
	static char blk[1024];

	memset(blk, 0, sizeof(blk));
	memcpy(blk, gd, sizeof(*gd));
	KT_EXPECT_EQ(t, put_block(b, 1, es), 0);
	KT_EXPECT_EQ(t, put_block(b, 2, blk), 0);
	return do_mount("ram0", "/tmp", "ext2", 0);
}

KTEST(ext2_damaged_super_refused)
{
	struct block_device *b = blkdev_get_by_name("ram0");
	static struct ext2_super_block es;
	struct ext2_group_desc gd = { .bg_block_bitmap = 3, .bg_inode_bitmap = 4,
				      .bg_inode_table = 5 };
	uint32_t nblocks;

	KT_ASSERT(t, b != NULL);
	nblocks = (uint32_t)(b->nr_sectors / 2);
	good_super(&es, nblocks);
	es.s_magic = 0x1234;				/* not ext2 */
	KT_EXPECT_EQ(t, mount_ram0(t, b, &es, &gd), -EINVAL);
	good_super(&es, nblocks * 4);			/* larger than the device */
	KT_EXPECT_EQ(t, mount_ram0(t, b, &es, &gd), -EINVAL);
	good_super(&es, nblocks);
	gd.bg_inode_table = 99999999;			/* outside its group */
	KT_EXPECT_EQ(t, mount_ram0(t, b, &es, &gd), -EINVAL);
	gd.bg_inode_table = 1;				/* on the super block */
	KT_EXPECT_EQ(t, mount_ram0(t, b, &es, &gd), -EINVAL);
	es.s_log_block_size = 40;			/* a shift past the word */
	KT_EXPECT_EQ(t, mount_ram0(t, b, &es, &gd), -EINVAL);
}
