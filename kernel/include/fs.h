/*
 * fs.h - the VFS: super blocks and mounts, dentries and inodes, open files,
 * path lookup, the page cache of regular files, and the file system calls.
 * docs/files.md tells the story.
 *
 * File systems: ramfs (the initramfs, read-only, built at boot from the cpio
 * archive) and ext2 (kernel/fs/ext2/, on a block device). The root is ext2
 * when the disk mounts, else the initramfs.
 *
 * Lifetimes: dentries and inodes are reference counted (dget/dput,
 * igrab/iput). An open file holds its dentry; a process's cwd is a dentry
 * reference. The last iput of an inode whose links are all gone frees it on
 * disk. A pipe's inode lives in its pipe and goes away with its two files.
 */
#ifndef FAULTLINE_FS_H
#define FAULTLINE_FS_H

#include <types.h>
#include <list.h>
#include <spinlock.h>
#include <mutex.h>
#include <rwsem.h>
#include <atomic.h>
#include <fault.h>
#include <pagemap.h>
#include <uapi/faultline/errno.h>
#include <uapi/faultline/fcntl.h>
#include <uapi/faultline/stat.h>

#ifndef __user
#define __user		/* marks a user-space pointer (documentation only) */
#endif

typedef int64_t loff_t;
typedef uint16_t umode_t;
typedef uint32_t dev_t;

#define PATH_MAX	4096	/* bytes in a path, with its NUL */
#define NAME_MAX	255	/* bytes in one path component */
#define MAX_RW_COUNT	(0x7fffffffUL & PAGE_MASK) /* largest single read/write, as Linux */

/* Device numbers, Linux's split and its stat encoding (new_encode_dev). */
#define MINORBITS	20
#define MKDEV(ma, mi)	(((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & ((1u << MINORBITS) - 1)))
#define TTYAUX_MAJOR	5	/* /dev/console is (5, 1), as on Linux */

struct file;
struct inode;
struct page;
struct vm_area_struct;
struct vm_fault;
struct boot_info;
struct dir_context;

/* ---- copying to and from a kernel or a user buffer ----------------------- */

/* A buffer for ->read/->write: user memory (system calls) or kernel memory
 * (kernel_read, tests). Linux's iov_iter with one segment. */
struct iov_iter {
	bool user;		/* base is a user address: go through copy_*_user */
	char *base;		/* next byte to fill or drain */
	size_t count;		/* bytes left */
};

static inline void iov_iter_init(struct iov_iter *i, bool user, void *base, size_t count)
{
	i->user = user;
	i->base = base;
	i->count = count;
}

/* Copy up to n bytes and advance; returns what was copied (0 when a user copy
 * faults: user copies are all or nothing per call). */
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);

/* ---- super blocks, inodes, dentries, mounts ---------------------------------- */

struct super_block;
struct dentry;
struct vfsmount;
struct kstatfs;

#define ERR_PTR(e)	((void *)(long)(e))
#define PTR_ERR(p)	((long)(p))
#define IS_ERR(p)	((unsigned long)(p) >= (unsigned long)-4095)

/* Inode operations (directories: lookup and the namespace changes; any: setattr).
 * The VFS holds the directory's i_rwsem for writing around every directory op
 * (both directories' and the super block's s_rename_mutex for rename). ->lookup
 * returns the inode of name with a reference, NULL when there is none, or
 * ERR_PTR(-EIO) when the disk is damaged. The others fill the negative dentry
 * with d_instantiate() (create, mkdir) or drop the name on disk (unlink, rmdir,
 * rename); the VFS fixes the dentries afterwards. */
struct inode_operations {
	struct inode *(*lookup)(struct inode *dir, struct dentry *dentry);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*rename)(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		      struct dentry *new);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t rdev);
	/* Set the size of a regular file (i_rwsem held); frees or zeroes blocks. */
	int (*setsize)(struct inode *inode, loff_t size);
};

/* Super block operations. ->alloc_inode/->free_inode let a file system embed the
 * inode in its own object; ->write_inode writes a dirty inode (wait: until it
 * is on the disk); ->evict_inode runs when the last reference to an inode goes
 * (i_nlink == 0: free it on disk); ->sync_fs writes the super block and group
 * data; ->put_super at unmount. */
struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*free_inode)(struct inode *inode);
	int (*write_inode)(struct inode *inode, bool wait);
	void (*evict_inode)(struct inode *inode);
	int (*sync_fs)(struct super_block *sb, bool wait);
	void (*put_super)(struct super_block *sb);
	int (*statfs)(struct super_block *sb, struct kstatfs *buf);
};

struct kstatfs {
	uint64_t f_type;	/* the file system's magic number (uapi/faultline/statfs.h) */
	uint64_t f_bsize, f_blocks, f_bfree, f_files, f_ffree;
};

/* A file system type: "ext2", "ramfs". fill_super opens the device dev_name
 * (s_bdev), reads its super block into sb and sets s_root; a non-zero return
 * refuses the mount (with a message saying why) and leaves nothing behind. */
struct file_system_type {
	const char *name;
	int (*fill_super)(struct super_block *sb, const char *dev_name);
	/* Unmount, after the VFS dropped every inode: free what fill_super set up. */
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
};

#define SB_RDONLY	0x1u

/* Lockdep subclasses of i_rwsem when one operation holds two or three (Linux's
 * inode_i_mutex_lock_class, renumbered): the directory first (NORMAL), rename's
 * other directory (PARENT2), then the inode the operation works on (CHILD: mkdir's
 * new directory, rmdir's victim, the directory rename moves or replaces). */
#define I_MUTEX_NORMAL	0
#define I_MUTEX_PARENT2	1
#define I_MUTEX_CHILD	2

/*
 * One mounted (or test) file system.
 * Locking legend: [I] set by fill_super  [H] s_inode_lock  [M] mount_lock
 */
struct super_block {
	struct list_head s_list;		/* [M] on the list of super blocks */
	dev_t s_dev;				/* [I] st_dev of its files */
	unsigned long s_blocksize;		/* [I] bytes */
	unsigned int s_blocksize_bits;		/* [I] */
	loff_t s_maxbytes;			/* [I] largest file */
	unsigned int s_flags;			/* [I] SB_RDONLY */
	int64_t s_time_base;			/* [I] seconds: the clock of this fs (no RTC yet) */
	struct file_system_type *s_type;	/* [I] */
	const struct super_operations *s_op;	/* [I] */
	struct dentry *s_root;			/* [I] */
	struct block_device *s_bdev;		/* [I] NULL for memory file systems */
	struct vfsmount *s_mnt;			/* [M] its mount (there are no bind mounts) */
	void *s_fs_info;			/* [I] the file system's own data */
	void *s_bcache;				/* [I] its buffer cache (buffer.c) */
	struct mutex s_rename_mutex;		/* cross-directory renames (Linux s_vfs_rename_mutex) */
	struct mutex s_iget_mutex;		/* one inode read at a time (no I_NEW waits) */
	spinlock_t s_inode_lock;
	struct list_head s_inodes;		/* [H] the inode cache of this fs */
};

/* i_state bits */
#define I_DIRTY		0x1u	/* in memory newer than on disk: ->write_inode */
#define I_FREEING	0x2u	/* last reference gone, being evicted */

/*
 * Locking legend:
 *   [I] immutable once the inode is in the cache
 *   [R] i_rwsem (writers hold it for writing; stat reads these without it)
 *   [H] sb->s_inode_lock
 *   [S] i_size_lock (with [R] for writers: truncate and extending writes)
 * The page cache (i_data, reached through i_mapping) has its own legend in <pagemap.h>.
 */
struct inode {
	unsigned long i_ino;		/* [I] inode number (unique in its super block) */
	umode_t i_mode;			/* [I] S_IF* type; [R] permission bits */
	unsigned int i_nlink;		/* [R] names (a directory: 2 + subdirectories) */
	uint32_t i_uid, i_gid;		/* [R] */
	dev_t i_rdev;			/* [I] device number of a character device */
	loff_t i_size;			/* [R][S] bytes; read with i_size_read() */
	int64_t i_atime, i_mtime, i_ctime; /* [R] seconds since 1970 */
	uint64_t i_blocks;		/* [R] 512-byte units allocated */
	unsigned int i_state;		/* [R] I_DIRTY; [H] I_FREEING */
	int i_count;			/* [H] references (dentries, files, iget) */
	struct super_block *i_sb;	/* [I] */
	const struct inode_operations *i_op;	/* [I] */
	const struct file_operations *i_fop;	/* [I] */
	struct list_head i_sb_list;	/* [H] on sb->s_inodes */
	struct rw_semaphore i_rwsem;	/* directory contents, file size and blocks */
	struct dentry *i_dir_alias;	/* [D] a directory's one dentry (dcache_lock) */
	const void *i_private;		/* [I] owner's data: initramfs file bytes, procfs entry, ... */
	spinlock_t i_size_lock;
	struct address_space i_data;	/* the page cache of this inode (<pagemap.h>) */
	struct address_space *i_mapping;	/* [I] &i_data */
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
}
static inline void i_size_write(struct inode *inode, loff_t size)
{
	__atomic_store_n(&inode->i_size, size, __ATOMIC_RELEASE);
}

/*
 * A name in the tree: Linux's dentry. Directories have one dentry, files one
 * per name they were looked up by (hard links). The dcache only holds names
 * that were looked up (or, for ramfs, every name: it is the whole tree).
 * Locking legend: [D] dcache_lock (a global spinlock)  [I] immutable
 */
struct dentry {
	char *d_name;			/* [D] NUL-terminated ("/" for a root) */
	size_t d_len;			/* [D] */
	struct inode *d_inode;		/* [D] NULL while negative (being created) */
	struct dentry *d_parent;	/* [D] a root points to itself */
	struct list_head d_subdirs;	/* [D] cached children */
	struct list_head d_child;	/* [D] on d_parent->d_subdirs */
	int d_count;			/* [D] references */
	unsigned int d_flags;		/* [D] DCACHE_* */
	struct vfsmount *d_mounted;	/* [D] the mount on this directory, or NULL */
	struct super_block *d_sb;	/* [I] */
	char d_iname[32];		/* [D] short names live here */
};

#define DCACHE_UNHASHED	0x1u	/* unlinked or renamed over: not in its parent any more */
#define DCACHE_PINNED	0x2u	/* ramfs: the dentry is the file (kept until the tree goes) */
#define DCACHE_DONTCACHE 0x4u	/* set by ->lookup: a private name, never found by d_lookup and
				 * freed by its last dput (/proc/<pid>: its meaning changes) */

/* A mounted file system: its root and where it hangs. [I] once mounted. */
struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	struct dentry *mnt_mountpoint;	/* the root mount: its own root */
	struct vfsmount *mnt_parent;	/* the root mount: itself */
};

extern spinlock_t dcache_lock;

struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);		/* Sleeps: may (iput) */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
void d_instantiate(struct dentry *dentry, struct inode *inode);
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
void d_delete(struct dentry *dentry);		/* unhash: the name is gone */
struct dentry *d_make_root(struct inode *root);
/* Free every unreferenced dentry below root (unmount). Sleeps: may (iput). */
void shrink_dcache_parent(struct dentry *root);

struct inode *new_inode(struct super_block *sb, umode_t mode);	/* fresh number, i_count 1 */
/* The cached inode ino of sb, or a new one for the caller to fill (*is_new;
 * sb->s_iget_mutex held until unlock_new_inode or iget_failed). */
struct inode *iget_locked(struct super_block *sb, unsigned long ino, bool *is_new);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);			/* Sleeps: may (eviction writes) */
void mark_inode_dirty(struct inode *inode);
int write_inode_now(struct inode *inode, bool wait);
int64_t current_time(const struct inode *inode);
void vfs_fill_stat(const struct inode *inode, struct stat *st);

struct super_block *alloc_super(struct file_system_type *type);
void register_filesystem(struct file_system_type *type);
/* Mount type from device dev_name (NULL: none) on the directory at path ("/"
 * for the root mount). 0, or the mount's error. */
int do_mount(const char *dev_name, const char *path, const char *type, unsigned int flags);
/* Unmount sb: write it back, free its dentries, inodes and the file system's
 * data, then sb. -EBUSY (nothing changed but the writeback) while a file,
 * a cwd or a mount still uses it. */
int do_umount(struct super_block *sb);
/* Write every dirty inode and block of every file system. */
void sync_filesystems(bool wait);
/* Call f for every mounted super block, mounts held still (mount_mutex). */
void iterate_supers(void (*f)(struct super_block *sb, void *arg), void *arg);
/* /proc/sys/vm/drop_caches "1" (kernel/fs/drop_caches.c): evict every clean,
 * unmapped, unused page-cache folio and buffer. The numbers evicted. Sleeps: yes. */
struct drop_caches_result { unsigned long folios, buffers; };
void drop_pagecache(struct drop_caches_result *out);
/* Power-off: sync and unmount every file system (the root last). */
void vfs_shutdown(void);

/* ---- the initramfs (ramfs) ---------------------------------------------------------- */

/* A new empty read-only memory tree (a super block of its own); its root
 * dentry. NULL without memory. ramfs_free_tree() frees it (tests). */
struct dentry *ramfs_new_tree(void);
void ramfs_free_tree(struct dentry *root);
/* The boot tree's root: the initramfs, whether or not it is mounted at "/". */
struct dentry *initramfs_root(void);
/* Make name[0..len) in dir (a ramfs tree being built). NULL if out of memory. */
struct dentry *ramfs_create(struct dentry *dir, const char *name, size_t len, umode_t mode);

/* Unpack bi's initrd (a cpio "newc" archive) into the boot tree. A malformed
 * archive gives a message and the entries before the damage; never panics.
 * Call once, before the first process starts. Sleeps: no. */
void initramfs_init(const struct boot_info *bi);
/* The parser itself, into any ramfs tree; 0 or -EINVAL (archive damaged, see
 * the message). *added counts the entries created or updated. */
int unpack_cpio(struct dentry *root, const void *buf, size_t len, unsigned int *added);
/* Mount the root: ext2 on root= (default: the disk with serial "root") if it mounts, else the
 * initramfs (then also at /initramfs when the disk has that directory). */
void mount_root(void);
void ext2_init(void);		/* register the ext2 file system type */

/* ---- path lookup ----------------------------------------------------------------- */

/* The root of the mount tree ("/"), with a reference. */
struct dentry *vfs_root(void);
/* Walk path from root (absolute) or cwd (relative): ".", "..", repeated
 * slashes, mount points; -ENOENT, -ENOTDIR, -ENAMETOOLONG, -EIO. *out gets a
 * reference (dput). *parent_found (if not NULL) is set when only the last
 * component is missing and its directory exists. */
int path_lookupat(struct dentry *root, struct dentry *cwd, const char *path,
		  struct dentry **out, bool *parent_found);
/* The absolute path of dentry (as seen from root) into buf; its length with
 * the NUL, or -ERANGE if size is too small. */
int dentry_path(struct dentry *root, struct dentry *dentry, char *buf, size_t size);

/* ---- open files -------------------------------------------------------------------- */

typedef unsigned int fmode_t;
#define FMODE_READ		0x1u
#define FMODE_WRITE		0x2u
#define FMODE_LSEEK		0x4u	/* has a position: reads/writes/seeks serialize on f_pos_lock */

/* ->read/->write: move bytes at *pos (ignored by pipes and the console) and
 * advance it; return bytes moved or -errno. ->iterate fills getdents records.
 * ->release runs when the last reference goes (may sleep). */
struct file_operations {
	ssize_t (*read)(struct file *file, struct iov_iter *to, loff_t *pos);
	ssize_t (*write)(struct file *file, struct iov_iter *from, loff_t *pos);
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	void (*release)(struct file *file);
	int (*fsync)(struct file *file);	/* data and inode to the disk */
};

/*
 * An open file. Shared by every fd (and every process after fork) that
 * refers to it, and by VMAs mapping it.
 * Locking legend: [a] atomic  [I] set at open  [P] f_pos_lock
 */
struct file {
	atomic_long_t f_count;			/* [a] references */
	const struct file_operations *f_op;	/* [I] */
	struct inode *f_inode;			/* [I] */
	struct dentry *f_dentry;		/* [I] its name (a reference); NULL for pipes */
	unsigned int f_flags;			/* [I] O_* given to open */
	fmode_t f_mode;				/* [I] FMODE_* */
	struct mutex f_pos_lock;		/* serializes position users (FMODE_LSEEK) */
	loff_t f_pos;				/* [P] */
	struct file_ra_state f_ra;		/* [P] readahead window (racy use by mmap faults is harmless) */
	void *private_data;			/* [I] pipe, tty */
};

/* Another reference to f (returned, as Linux's). Sleeps: no. */
struct file *get_file(struct file *f);
/* Drop a reference; the last one releases the file. Sleeps: may. */
void fput(struct file *file);
/* A new file on inode with one reference; NULL if out of memory. */
struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fop);

/* Open path relative to the current process's cwd (root for kernel threads).
 * flags: O_RDONLY/O_WRONLY/O_RDWR, O_DIRECTORY, O_CREAT (-EROFS: read-only),
 * O_EXCL, O_TRUNC, O_CLOEXEC (for the fd). Sleeps: may. */
int vfs_open(const char *path, int flags, umode_t mode, struct file **out);
int vfs_open_at(struct dentry *root, struct dentry *cwd, const char *path, int flags,
		umode_t mode, struct file **out);
/* Open a dentry already looked up (character devices pick their driver here);
 * the file takes its own reference to dentry. */
int vfs_open_dentry(struct dentry *dentry, int flags, struct file **out);
/* fsync(2): write the file's data and inode (and what they need) to the disk. */
int vfs_fsync(struct file *file);
/* Set the size of a regular file (truncate/ftruncate/O_TRUNC). */
int vfs_truncate(struct inode *inode, loff_t size);

ssize_t vfs_read(struct file *file, struct iov_iter *to);	/* at and advancing f_pos */
ssize_t vfs_write(struct file *file, struct iov_iter *from);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
/* Read into a kernel buffer at *pos (advanced); f_pos is not used. The ELF loader's read. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
int vfs_getdents64(struct file *file, struct iov_iter *to);	/* bytes filled or -errno */

/* Regular files of the initramfs: read from the archive, seek, mmap. */
extern const struct inode_operations ramfs_dir_inode_operations;
extern const struct file_operations ramfs_file_operations;
extern const struct file_operations ramfs_dir_operations;
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);

/* ---- directories ------------------------------------------------------------------- */

/* getdents64 state: records go to iter; pos is the index of the next entry
 * ("." is 0, ".." 1, then the children). */
struct dir_context {
	struct iov_iter *iter;
	loff_t pos;
	size_t written;		/* bytes of records filled */
	int error;		/* -EINVAL (first record too big), -EFAULT */
};
/* Emit one record; false when it does not fit or the copy failed (stop). */
bool dir_emit(struct dir_context *ctx, const char *name, size_t len, unsigned long ino,
	      unsigned int type);

/* ---- page cache and mmap (kernel/mm/filemap.c, <pagemap.h>) -------------------------- */

/* The initramfs's a_ops: read_folio copies from the archive (i_private). */
extern const struct address_space_operations ramfs_aops;
/* vm's do_mmap: check the file's access mode against the mapping, then
 * f_op->mmap (sets vma->vm_ops). -ENODEV if the file cannot be mapped (pipes,
 * the console, directories), -EACCES if the mode does not allow it. */
int call_mmap(struct file *file, struct vm_area_struct *vma);

/* ---- pipes and the console --------------------------------------------------------- */

/* Two files, res[0] the read end, res[1] the write end. 0 or -ENOMEM. */
int create_pipe_files(struct file *res[2], int flags);
/* The console's driver, for character device (5, 1). */
extern const struct file_operations tty_fops;

/* ---- system calls (kernel/task's table calls these) ------------------------------------ */
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_pread64(unsigned int fd, char __user *buf, size_t count, long pos);
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, long pos);
long sys_open(const char __user *path, int flags, unsigned int mode);
long sys_close(unsigned int fd);
long sys_lseek(unsigned int fd, long offset, unsigned int whence);
long sys_fstat(unsigned int fd, struct stat __user *statbuf);
long sys_stat(const char __user *path, struct stat __user *statbuf);
struct statfs;
long sys_statfs(const char __user *path, struct statfs __user *buf);
long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count);
long sys_pipe(int __user *fds);
long sys_dup(unsigned int fd);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_chdir(const char __user *path);
long sys_getcwd(char __user *buf, unsigned long size);
long sys_link(const char __user *oldpath, const char __user *newpath);
long sys_unlink(const char __user *path);
long sys_mkdir(const char __user *path, unsigned int mode);
long sys_rmdir(const char __user *path);
long sys_rename(const char __user *oldpath, const char __user *newpath);
long sys_fsync(unsigned int fd);
long sys_sync(void);
long sys_ftruncate(unsigned int fd, long length);
long sys_truncate(const char __user *path, long length);

/* The process's working directory (task's fork and exit call these). */
struct process;
void copy_fs_struct(struct process *child, struct process *parent);
void exit_fs(struct process *p);

#endif
