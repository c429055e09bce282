/*
 * ext2.h - the second extended file system: its on-disk layout (revision 0
 * and 1, 1 KiB to 4 KiB blocks) and the in-memory objects of kernel/fs/ext2.
 *
 * Disk numbers are little-endian, as are all three of Faultline's machines,
 * so the structures are read in place. Every number taken from the disk is
 * range-checked before it is used as a block, inode or offset: a damaged
 * image makes the mount refuse or a call fail with -EIO and a message
 * (ext2_error), never a wild access.
 */
#ifndef FAULTLINE_EXT2_H
#define FAULTLINE_EXT2_H

#include "../internal.h"
#include <buffer_head.h>

#define EXT2_SUPER_MAGIC	0xEF53
#define EXT2_SB_OFFSET		1024
#define EXT2_ROOT_INO		2
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_VALID_FS		0x0001	/* s_state: cleanly unmounted */
#define EXT2_ERROR_FS		0x0002

#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_INCOMPAT_SUPP	EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
					 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)
#define EXT2_INDEX_FL		0x00001000	/* htree directory (we read it linearly) */

struct ext2_super_block {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_pad[1024 - 204];
};

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
};

struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte units */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;		/* i_dir_acl in revision 0 */
	uint32_t i_faddr;
	uint8_t i_frag, i_fsize;
	uint16_t i_pad1;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
};

struct ext2_dir_entry {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
};

#define EXT2_DIR_REC_LEN(n)	(((n) + 8 + 3) & ~3u)

enum { EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV, EXT2_FT_BLKDEV,
       EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK };

/*
 * The mounted file system.
 * Locking legend: [I] set at mount  [S] s_lock (bitmaps, group descriptors,
 * counts, and every inode-table block)
 */
struct ext2_sb_info {
	struct ext2_super_block *s_es;		/* [S] in s_sbh */
	struct buffer_head *s_sbh;		/* [I] the super block's buffer */
	struct buffer_head **s_group_desc;	/* [I] the descriptor blocks */
	unsigned int s_gdb_count;		/* [I] */
	unsigned int s_groups_count;		/* [I] */
	uint32_t s_blocks_count;		/* [I] */
	uint32_t s_inodes_count;		/* [I] */
	uint32_t s_first_data_block;		/* [I] */
	uint32_t s_blocks_per_group;		/* [I] */
	uint32_t s_inodes_per_group;		/* [I] */
	unsigned int s_inode_size;		/* [I] */
	unsigned int s_first_ino;		/* [I] */
	unsigned int s_addr_per_block;		/* [I] block numbers in a block */
	unsigned int s_addr_bits;		/* [I] log2 of it */
	bool s_filetype;			/* [I] directory entries carry a type */
	bool s_htree_seen;			/* [S] the image has htree directories */
	struct mutex s_lock;
};

/* The inode as ext2 keeps it: the VFS inode plus the block map. [R] i_rwsem. */
struct ext2_inode_info {
	uint32_t i_data[EXT2_N_BLOCKS];	/* [R] block map (0: hole) */
	uint32_t i_flags;		/* [R] */
	uint32_t i_dtime;		/* [R] */
	struct mutex i_alloc_mutex;	/* regular files: allocating or freeing blocks (file.c) */
	struct inode vfs_inode;
};

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* super.c */
void ext2_error(struct super_block *sb, const char *func, const char *fmt, ...) __printf(3, 4);
bool ext2_valid_block(struct super_block *sb, uint32_t block);
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, unsigned int group,
					    struct buffer_head **bh);
void ext2_sb_dirty(struct super_block *sb);

/* balloc.c, ialloc.c */
int ext2_new_block(struct inode *inode, uint32_t goal, uint32_t *out);
void ext2_free_blocks(struct inode *inode, uint32_t block, unsigned int count);
struct inode *ext2_new_inode(struct inode *dir, umode_t mode);
void ext2_free_inode(struct inode *inode);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino);
int ext2_get_block(struct inode *inode, uint64_t iblock, bool create, uint32_t *out);
int ext2_write_inode(struct inode *inode, bool wait);
void ext2_evict_inode(struct inode *inode);
int ext2_setsize(struct inode *inode, loff_t size);
void ext2_truncate_blocks(struct inode *inode, uint64_t first);
void ext2_set_inode_ops(struct inode *inode);
extern const struct inode_operations ext2_file_inode_operations;
extern const struct file_operations ext2_file_operations;

/* dir.c */
extern const struct inode_operations ext2_dir_inode_operations;
extern const struct file_operations ext2_dir_operations;
int ext2_find_entry(struct inode *dir, const char *name, size_t len, uint32_t *ino);
int ext2_add_link(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ext2_delete_entry(struct inode *dir, const char *name, size_t len);
int ext2_set_link(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ext2_empty_dir(struct inode *dir);
int ext2_make_empty(struct inode *inode, struct inode *parent);

/* file.c */
ssize_t ext2_file_write(struct file *file, struct iov_iter *from, loff_t *pos);
extern const struct address_space_operations ext2_aops;

#endif
