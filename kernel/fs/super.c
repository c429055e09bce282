/*
 * super.c - file system types, super blocks, the mount table, sync and the
 * unmount at power-off.
 *
 * Mounts form a small tree: the root mount (ext2 on the disk, or the
 * initramfs when there is no disk) and mounts on its directories (the
 * initramfs at /initramfs when the disk has that directory). A mount point
 * dentry points to the mount on it (d_mounted); path walks step into it, and
 * ".." from a mounted root steps out to the mount point. Mounts are made at
 * boot before user space starts and taken down at power-off after it ended,
 * so they need no reference counts; mount_lock guards the lists.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>
#include <boot.h>

static DEFINE_SPINLOCK(mount_lock);
static LIST_HEAD(super_blocks);			/* [M] */
static struct file_system_type *file_systems;	/* [M] */
static struct vfsmount *root_mnt;		/* [M] "/" */
static DEFINE_MUTEX(mount_mutex);		/* one mount or unmount at a time */

void register_filesystem(struct file_system_type *type)
{
	spin_lock(&mount_lock);
	type->next = file_systems;
	file_systems = type;
	spin_unlock(&mount_lock);
}

static struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *t;

	spin_lock(&mount_lock);
	for (t = file_systems; t && strcmp(t->name, name); t = t->next)
		;
	spin_unlock(&mount_lock);
	return t;
}

struct super_block *alloc_super(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_maxbytes = INT64_MAX;
	INIT_LIST_HEAD(&sb->s_list);
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_lock, "sb.s_inode_lock");
	mutex_init(&sb->s_rename_mutex);
	mutex_init(&sb->s_iget_mutex);
	return sb;
}

/* Hang sb on mountpoint (NULL: make it the root mount). Sleeps: no. */
static struct vfsmount *attach_mount(struct super_block *sb, struct dentry *mountpoint)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt));

	if (!mnt)
		return NULL;
	mnt->mnt_sb = sb;
	mnt->mnt_root = sb->s_root;
	spin_lock(&mount_lock);
	sb->s_mnt = mnt;
	if (list_empty(&sb->s_list))
		list_add_tail(&sb->s_list, &super_blocks);
	if (mountpoint) {
		mnt->mnt_mountpoint = mountpoint;	/* keeps the caller's reference */
		mnt->mnt_parent = mountpoint->d_sb->s_mnt;
		spin_lock(&dcache_lock);
		mountpoint->d_mounted = mnt;
		spin_unlock(&dcache_lock);
	} else {
		mnt->mnt_mountpoint = sb->s_root;
		mnt->mnt_parent = mnt;
		root_mnt = mnt;
	}
	spin_unlock(&mount_lock);
	return mnt;
}

/* Attach an already-filled super block (the initramfs) at path, or as the root. */
int mount_sb(struct super_block *sb, const char *path)
{
	struct dentry *mp = NULL, *root;
	int err = 0;

	mutex_lock(&mount_mutex);
	if (path && root_mnt) {
		root = vfs_root();
		err = path_lookupat(root, root, path, &mp, NULL);
		dput(root);
		if (!err && (!S_ISDIR(mp->d_inode->i_mode) || mp->d_mounted))
			err = -ENOTDIR;
		if (err && mp)
			dput(mp);
	}
	if (!err && !attach_mount(sb, mp))
		err = -ENOMEM;
	mutex_unlock(&mount_mutex);
	return err;
}

int do_mount(const char *dev_name, const char *path, const char *type, unsigned int flags)
{
	struct file_system_type *fstype = get_fs_type(type);
	struct super_block *sb;
	int err;

	if (!fstype)
		return -ENODEV;
	sb = alloc_super(fstype);
	if (!sb)
		return -ENOMEM;
	sb->s_flags = flags;
	err = fstype->fill_super(sb, dev_name);
	if (!err)
		err = mount_sb(sb, path);
	if (err)
		kfree(sb);	/* fill_super cleaned up after itself; a failed attach has no root use */
	return err;
}

struct dentry *vfs_root(void)
{
	struct vfsmount *mnt;

	spin_lock(&mount_lock);
	mnt = root_mnt;
	spin_unlock(&mount_lock);
	return dget(mnt ? mnt->mnt_root : initramfs_root());
}

/* Mounted-on dentry -> the root of what is mounted there (a reference each way). */
struct dentry *follow_mount(struct dentry *dentry)
{
	for (;;) {
		struct dentry *next;

		spin_lock(&dcache_lock);
		if (!dentry->d_mounted) {
			spin_unlock(&dcache_lock);
			return dentry;
		}
		next = dget_locked(dentry->d_mounted->mnt_root);
		spin_unlock(&dcache_lock);
		dput(dentry);
		dentry = next;
	}
}

/* The directory ".." names from dentry: out of mounted roots to their mount points. */
struct dentry *follow_dotdot(struct dentry *dentry, struct dentry *root)
{
	struct dentry *next;

	spin_lock(&dcache_lock);
	while (dentry != root && dentry->d_parent == dentry && dentry->d_sb->s_mnt &&
	       dentry->d_sb->s_mnt->mnt_parent != dentry->d_sb->s_mnt)
		dentry = dentry->d_sb->s_mnt->mnt_mountpoint;
	next = dentry == root ? dentry : dentry->d_parent;
	dget_locked(next);
	spin_unlock(&dcache_lock);
	return next;
}

/* A dirty inode of sb with a reference, or NULL. */
static struct inode *next_dirty_inode(struct super_block *sb)
{
	struct inode *inode, *found = NULL;

	spin_lock(&sb->s_inode_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if ((READ_ONCE(inode->i_state) & I_DIRTY) && !(inode->i_state & I_FREEING)) {
			found = inode;
			found->i_count++;
			break;
		}
	}
	spin_unlock(&sb->s_inode_lock);
	return found;
}

int sync_filesystem(struct super_block *sb, bool wait)
{
	struct inode *inode;
	int err = 0;

	if (sb->s_flags & SB_RDONLY)
		return 0;
	while ((inode = next_dirty_inode(sb))) {
		int e = write_inode_now(inode, false);

		if (e && !err)
			err = e;
		iput(inode);
	}
	if (sb->s_op && sb->s_op->sync_fs) {
		int e = sb->s_op->sync_fs(sb, wait);

		if (e && !err)
			err = e;
	}
	return err;
}

/* Take sb's mount out of the table; the dentry it was mounted on (a reference
 * for the caller to drop) and the vfsmount to free. Locks: mount_mutex. */
static struct dentry *detach_mount(struct super_block *sb, struct vfsmount **mntp)
{
	struct vfsmount *mnt = sb->s_mnt;
	struct dentry *mp = NULL;

	mutex_assert_held(&mount_mutex);
	spin_lock(&mount_lock);
	list_del(&sb->s_list);
	INIT_LIST_HEAD(&sb->s_list);
	if (mnt && root_mnt == mnt) {
		root_mnt = NULL;
	} else if (mnt) {
		mp = mnt->mnt_mountpoint;
		spin_lock(&dcache_lock);
		mp->d_mounted = NULL;
		spin_unlock(&dcache_lock);
	}
	sb->s_mnt = NULL;
	spin_unlock(&mount_lock);
	*mntp = mnt;
	return mp;
}

/* The last of sb: its root dentry and inode, then the file system's own data. */
static void generic_shutdown_super(struct super_block *sb)
{
	spin_lock(&dcache_lock);
	sb->s_root->d_flags |= DCACHE_UNHASHED;	/* so the dput frees it */
	spin_unlock(&dcache_lock);
	dput(sb->s_root);
	sb->s_root = NULL;
	spin_lock(&sb->s_inode_lock);
	if (!list_empty(&sb->s_inodes))
		printk("vfs: %s: inodes still in use at unmount (a reference leak); they stay "
		       "allocated\n", sb->s_type->name);
	spin_unlock(&sb->s_inode_lock);
	if (sb->s_op && sb->s_op->put_super && !(sb->s_flags & SB_RDONLY))
		sb->s_op->put_super(sb);
	if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
}

/* Only the root's own reference left, nothing mounted on it? Locks: dcache_lock. */
static bool sb_busy(struct super_block *sb)
{
	assert_spin_locked(&dcache_lock);
	return sb->s_root->d_count > 1 || !list_empty(&sb->s_root->d_subdirs) ||
	       sb->s_root->d_mounted;
}

int do_umount(struct super_block *sb)
{
	struct vfsmount *mnt;
	struct dentry *mp;
	bool busy;
	int err;

	sync_all_mappings();
	mutex_lock(&mount_mutex);
	err = sync_filesystem(sb, true);
	shrink_dcache_parent(sb->s_root);
	spin_lock(&dcache_lock);
	busy = sb_busy(sb);
	spin_unlock(&dcache_lock);
	if (busy) {
		mutex_unlock(&mount_mutex);
		return -EBUSY;
	}
	mp = detach_mount(sb, &mnt);
	mutex_unlock(&mount_mutex);
	generic_shutdown_super(sb);
	kfree(mnt);
	if (mp)
		dput(mp);
	kfree(sb);
	return err;
}

/* Each super block in turn (the list only grows while the system runs). */
void sync_filesystems(bool wait)
{
	struct super_block *sb;

	mutex_lock(&mount_mutex);
	list_for_each_entry(sb, &super_blocks, s_list)
		sync_filesystem(sb, wait);
	mutex_unlock(&mount_mutex);
}

/* Call f for each super block in turn (Linux's iterate_supers). Sleeps: f may. */
void iterate_supers(void (*f)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb;

	mutex_lock(&mount_mutex);
	list_for_each_entry(sb, &super_blocks, s_list)
		f(sb, arg);
	mutex_unlock(&mount_mutex);
}

long sys_sync(void)
{
	sync_all_mappings();		/* dirty folios to their file systems first */
	sync_filesystems(true);
	return 0;
}

/* Power-off: user space has ended. Write everything, then let each file system
 * mark itself clean (->put_super), the mounts on the root first. */
void vfs_shutdown(void)
{
	struct super_block *sb;

	sync_all_mappings();
	mutex_lock(&mount_mutex);
	for (struct list_head *l = super_blocks.prev; l != &super_blocks; l = l->prev) {
		sb = list_entry(l, struct super_block, s_list);
		if (sync_filesystem(sb, true))
			printk("vfs: %s: writing back failed at power-off; run e2fsck on the image\n",
			       sb->s_type->name);
		if (sb->s_op && sb->s_op->put_super && !(sb->s_flags & SB_RDONLY)) {
			sb->s_op->put_super(sb);
			printk("vfs: %s unmounted cleanly\n", sb->s_type->name);
		}
	}
	mutex_unlock(&mount_mutex);
}

/* Boot: ext2 on root= (a device name or serial; default the disk with serial
 * "root", i.e. build/ARCH/disk.img) as "/", the initramfs at /initramfs;
 * without a usable disk, the initramfs is "/". */
void mount_root(void)
{
	char dev[32] = "root";
	struct super_block *initsb = initramfs_root()->d_sb;
	int err;

	ext2_init();
	if (!cmdline_copy("root", dev, sizeof(dev)))
		strlcpy(dev, "root", sizeof(dev));
	err = strcmp(dev, "initramfs") ? do_mount(dev, NULL, "ext2", 0) : -ENODEV;
	if (err) {
		if (strcmp(dev, "initramfs"))
			printk("vfs: no ext2 root on %s (error %d): the initramfs is the root "
			       "(make disk builds build/ARCH/disk.img)\n", dev, err);
		mount_sb(initsb, NULL);
		return;
	}
	printk("vfs: mounted ext2 on %s as the root\n", dev);
	if (mount_sb(initsb, "/initramfs") == 0)
		printk("vfs: the initramfs is at /initramfs\n");
}
