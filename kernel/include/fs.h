/*
 * fs.h - the VFS-lite: inodes, open files, path lookup, the page cache of
 * regular files, and the file system calls. docs/files.md tells the story.
 *
 * Faultline has one file system so far, the initramfs: a read-only tree of
 * inodes built at boot from the cpio archive the boot loader passed
 * (kernel/fs/initramfs.c). There are no hard links in it, so the name of an
 * inode and its place in the tree live in the inode itself (Linux keeps them
 * in a separate struct dentry; we will split them when a disk file system
 * with hard links arrives).
 *
 * Lifetimes: the boot tree is never freed, so an inode pointer stays valid
 * for ever (a cwd needs no reference). Trees built by tests are freed with
 * inode_free_tree() once no file refers to them. A pipe's inode lives in
 * its pipe and goes away with the last of its two files.
 */
#ifndef FAULTLINE_FS_H
#define FAULTLINE_FS_H

#include <types.h>
#include <list.h>
#include <spinlock.h>
#include <mutex.h>
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

/* ---- inodes ------------------------------------------------------------------ */

/*
 * Locking legend:
 *   [I] set while the tree is built (initramfs_init, before any lookup, or a
 *       test's private tree), read-only afterwards
 *   [S] i_size_lock (the size: written by truncate and extending writes)
 * The page cache (i_data, reached through i_mapping) has its own legend in <pagemap.h>.
 */
struct inode_operations;
struct file_operations;

struct inode {
	unsigned long i_ino;		/* [I] inode number (unique in the tree) */
	umode_t i_mode;			/* [I] S_IF* type and permission bits */
	unsigned int i_nlink;		/* [I] */
	uint32_t i_uid, i_gid;		/* [I] */
	dev_t i_rdev;			/* [I] device number of a character device */
	loff_t i_size;			/* [S] bytes (regular files); read with i_size_read() */
	int64_t i_mtime;		/* [I] seconds since 1970 */
	const char *i_name;		/* [I] name in its directory ("/" for a root) */
	struct inode *i_parent;		/* [I] containing directory; a root points to itself */
	struct list_head i_children;	/* [I] entries of a directory, archive order */
	struct list_head i_sibling;	/* [I] on i_parent->i_children */
	unsigned int i_nr_children;	/* [I] */
	const void *i_private;		/* [I] owner's data: initramfs file bytes, procfs pid, ... */
	spinlock_t i_size_lock;
	struct address_space i_data;	/* the page cache of this inode (<pagemap.h>) */
	struct address_space *i_mapping;	/* [I] &i_data */
	const struct inode_operations *i_op;	/* [I] NULL: the initramfs's own */
	const struct file_operations *i_fop;	/* [I] NULL: chosen by type (ramfs, chrdev) */
};

/*
 * Synthetic file systems (procfs) hang their own operations on an inode.
 * ->lookup is asked for a name the directory's static children do not have
 * (/proc/<pid>): 0 and *out, or -ENOENT. Sleeps: may.
 */
struct inode_operations {
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
};

static inline loff_t i_size_read(struct inode *inode)
{
	return __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
}
static inline void i_size_write(struct inode *inode, loff_t size)
{
	__atomic_store_n(&inode->i_size, size, __ATOMIC_RELEASE);
}

struct inode *vfs_root(void);			/* "/" of the boot tree */
struct inode *new_dir_inode(umode_t mode);	/* a detached directory (a tree's root) */
/* Make a new inode called name[0..len) in dir. NULL if out of memory. [I] phase only. */
struct inode *inode_create(struct inode *dir, const char *name, size_t len, umode_t mode);
struct inode *inode_lookup_child(struct inode *dir, const char *name, size_t len);
void inode_free_tree(struct inode *root);	/* a test tree, with its page cache */
void vfs_fill_stat(const struct inode *inode, struct stat *st);

/* ---- the initramfs ------------------------------------------------------------ */

/* Unpack bi's initrd (a cpio "newc" archive) into the boot tree. A malformed
 * archive gives a message and the entries before the damage; never panics.
 * Call once, before the first process starts. Sleeps: no. */
void initramfs_init(const struct boot_info *bi);
/* The parser itself, into any tree; 0 or -EINVAL (archive damaged, see the
 * message). *added counts the entries created or updated. */
int unpack_cpio(struct inode *root, const void *buf, size_t len, unsigned int *added);

/* ---- path lookup ----------------------------------------------------------------- */

/* Walk path from root (absolute) or cwd (relative): ".", "..", repeated
 * slashes; -ENOENT, -ENOTDIR, -ENAMETOOLONG. *parent_found (if not NULL) is
 * set when only the last component is missing and its directory exists. */
int path_lookupat(struct inode *root, struct inode *cwd, const char *path,
		  struct inode **out, bool *parent_found);
/* The absolute path of dir (as seen from root) into buf; its length with the
 * NUL, or -ERANGE if size is too small. */
int inode_path(struct inode *root, struct inode *dir, char *buf, size_t size);

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
int vfs_open_at(struct inode *root, struct inode *cwd, const char *path, int flags,
		umode_t mode, struct file **out);
/* Open an inode already looked up (character devices pick their driver here). */
int vfs_open_inode(struct inode *inode, int flags, struct file **out);

ssize_t vfs_read(struct file *file, struct iov_iter *to);	/* at and advancing f_pos */
ssize_t vfs_write(struct file *file, struct iov_iter *from);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
/* Read into a kernel buffer at *pos (advanced); f_pos is not used. The ELF loader's read. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
int vfs_getdents64(struct file *file, struct iov_iter *to);	/* bytes filled or -errno */

/* Regular files of the initramfs: read from the archive, seek, mmap. */
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
long sys_open(const char __user *path, int flags, unsigned int mode);
long sys_close(unsigned int fd);
long sys_lseek(unsigned int fd, long offset, unsigned int whence);
long sys_fstat(unsigned int fd, struct stat __user *statbuf);
long sys_stat(const char __user *path, struct stat __user *statbuf);
long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count);
long sys_pipe(int __user *fds);
long sys_dup(unsigned int fd);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_chdir(const char __user *path);
long sys_getcwd(char __user *buf, unsigned long size);
long sys_link(const char __user *oldpath, const char __user *newpath);
long sys_unlink(const char __user *path);

#endif
