/*
 * ext2/namei.c - the directory inode_operations: lookup, create, link,
 * unlink, mkdir, rmdir, rename. The VFS holds the directories' i_rwsem (and
 * s_rename_mutex for rename) and has checked existence, types and busy mount
 * points; here the disk changes, and the link counts with them.
 */
#include "ext2.h"

static struct inode *ext2_lookup(struct inode *dir, struct dentry *dentry)
{
	uint32_t ino;
	int err = ext2_find_entry(dir, dentry->d_name, dentry->d_len, &ino);

	if (err == -ENOENT)
		return NULL;
	if (err)
		return ERR_PTR(err);
	if (ino < EXT2_ROOT_INO) {
		ext2_error(dir->i_sb, __func__, "directory %lu: entry \"%s\" names inode %u",
			   dir->i_ino, dentry->d_name, ino);
		return ERR_PTR(-EIO);
	}
	return ext2_iget(dir->i_sb, ino);
}

static void inode_dec_link(struct inode *inode)
{
	if (inode->i_nlink)
		inode->i_nlink--;
	inode->i_ctime = current_time(inode);
	mark_inode_dirty(inode);
}

static void inode_inc_link(struct inode *inode)
{
	inode->i_nlink++;
	inode->i_ctime = current_time(inode);
	mark_inode_dirty(inode);
}

static int ext2_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode = ext2_new_inode(dir, mode);
	int err;

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	err = ext2_add_link(dir, dentry->d_name, dentry->d_len, inode);
	if (err) {
		inode->i_nlink = 0;	/* freed on disk by the iput */
		iput(inode);
		return err;
	}
	d_instantiate(dentry, inode);
	return 0;
}

static int ext2_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old->d_inode;
	int err;

	if (inode->i_nlink >= 65000)
		return -EMLINK;
	err = ext2_add_link(dir, dentry->d_name, dentry->d_len, inode);
	if (err)
		return err;
	inode_inc_link(inode);
	d_instantiate(dentry, igrab(inode));
	return 0;
}

static int ext2_unlink(struct inode *dir, struct dentry *dentry)
{
	int err = ext2_delete_entry(dir, dentry->d_name, dentry->d_len);

	if (!err)
		inode_dec_link(dentry->d_inode);
	return err;
}

static int ext2_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode;
	int err;

	if (dir->i_nlink >= 65000)
		return -EMLINK;
	inode = ext2_new_inode(dir, mode);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->i_nlink = 2;
	down_write_nested(&inode->i_rwsem, I_MUTEX_CHILD);
	err = ext2_make_empty(inode, dir);
	up_write(&inode->i_rwsem);
	if (!err)
		err = ext2_add_link(dir, dentry->d_name, dentry->d_len, inode);
	if (err) {
		inode->i_nlink = 0;
		iput(inode);
		return err;
	}
	inode_inc_link(dir);
	d_instantiate(dentry, inode);
	return 0;
}

static int ext2_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err;

	down_write_nested(&inode->i_rwsem, I_MUTEX_CHILD);
	err = ext2_empty_dir(inode);
	if (err == 0)
		err = -ENOTEMPTY;
	else if (err == 1)
		err = ext2_delete_entry(dir, dentry->d_name, dentry->d_len);
	if (!err) {
		inode->i_nlink = 0;
		inode->i_size = 0;	/* evict frees its blocks */
		mark_inode_dirty(inode);
		inode_dec_link(dir);
	}
	up_write(&inode->i_rwsem);
	return err;
}

/* The new name replaces an existing one: check and drop the target's link(s). */
static int ext2_rename_over(struct inode *new_dir, struct dentry *new, struct inode *inode)
{
	struct inode *target = new->d_inode;
	int err;

	if (S_ISDIR(target->i_mode)) {
		down_write_nested(&target->i_rwsem, I_MUTEX_CHILD);
		err = ext2_empty_dir(target);
		up_write(&target->i_rwsem);
		if (err <= 0)
			return err ? err : -ENOTEMPTY;
	}
	err = ext2_set_link(new_dir, new->d_name, new->d_len, inode);
	if (err)
		return err;
	if (S_ISDIR(target->i_mode)) {
		target->i_nlink = 0;
		mark_inode_dirty(target);
		inode_dec_link(new_dir);
	} else {
		inode_dec_link(target);
	}
	return 0;
}

static int ext2_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		       struct dentry *new)
{
	struct inode *inode = old->d_inode;
	bool dir = S_ISDIR(inode->i_mode);
	int err;

	if (dir && old_dir != new_dir && !new->d_inode && new_dir->i_nlink >= 65000)
		return -EMLINK;
	if (new->d_inode)
		err = ext2_rename_over(new_dir, new, inode);
	else
		err = ext2_add_link(new_dir, new->d_name, new->d_len, inode);
	if (err)
		return err;
	err = ext2_delete_entry(old_dir, old->d_name, old->d_len);
	if (err)
		return err;
	inode->i_ctime = current_time(inode);
	mark_inode_dirty(inode);
	if (dir && old_dir != new_dir) {
		down_write_nested(&inode->i_rwsem, I_MUTEX_CHILD);
		err = ext2_set_link(inode, "..", 2, new_dir);
		up_write(&inode->i_rwsem);
		inode_dec_link(old_dir);
		if (!new->d_inode)
			inode_inc_link(new_dir);
	}
	return err;
}

static int ext2_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t rdev)
{
	return -EPERM;		/* device nodes come from tools/mkdisk */
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.mkdir = ext2_mkdir,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.mknod = ext2_mknod,
};
