/*
 * generic.c - procfs files: seq_file text, the file operations of every
 * generated file, and creating entries.
 *
 * Theory of operation
 * -------------------
 * Opening a proc file for reading runs its ->show into a kmalloc'ed buffer
 * (starting at one page, doubled until the text fits) and keeps that text in
 * file->private_data; read() and lseek() work on the snapshot, so a reader
 * sees one consistent state however small its reads. A write(2) of at most
 * PROC_WRITE_MAX bytes goes to ->write as one NUL-terminated string without
 * its trailing newline ("echo vma > /proc/sys/vm/fault_policy").
 */
#include "internal.h"
#include <slab.h>
#include <string.h>
#include <printk.h>
#include <stdarg.h>

#define PROC_BUF_MAX	(4UL << 20)	/* a show that needs more fails with -EFBIG */

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->size - m->count;
	va_list ap;
	int n;

	if (m->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, room, fmt, ap);
	va_end(ap);
	if ((size_t)n >= room)
		m->overflow = true;
	else
		m->count += (size_t)n;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}

void seq_putc(struct seq_file *m, char c)
{
	if (m->count + 1 >= m->size)
		m->overflow = true;
	else
		m->buf[m->count++] = c;
}

void seq_setwidth(struct seq_file *m, size_t width)
{
	m->pad_until = m->count + width;
}

void seq_pad(struct seq_file *m, char c)
{
	while (m->count < m->pad_until && !m->overflow)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

int proc_generate(struct seq_file *m, const struct proc_dir_entry *de)
{
	size_t size = PAGE_SIZE;
	int err;

	for (;;) {
		memset(m, 0, sizeof(*m));
		m->size = size;
		m->buf = kmalloc(size);
		if (!m->buf)
			return -ENOMEM;
		err = de->ops->show(m, de->data);
		if (err || !m->overflow)
			break;
		kfree(m->buf);
		m->buf = NULL;
		size *= 2;
		if (size > PROC_BUF_MAX)
			return -EFBIG;
	}
	if (err) {
		kfree(m->buf);
		m->buf = NULL;
	}
	return err;
}

static int proc_reg_open(struct inode *inode, struct file *file)
{
	const struct proc_dir_entry *de = inode->i_private;
	struct seq_file *m;
	int err;

	if ((file->f_mode & FMODE_WRITE) && !de->ops->write)
		return -EACCES;
	if (!(file->f_mode & FMODE_READ) || !de->ops->show)
		return 0;
	m = kmalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = proc_generate(m, de);
	if (err) {
		kfree(m);
		return err;
	}
	file->private_data = m;
	return 0;
}

static ssize_t proc_reg_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = file->private_data;
	size_t n;

	if (!m)
		return -EBADF;
	if (*pos >= (loff_t)m->count)
		return 0;
	n = MIN(to->count, m->count - (size_t)*pos);
	if (!copy_to_iter(m->buf + *pos, n, to))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t proc_reg_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	const struct proc_dir_entry *de = file->f_inode->i_private;
	char buf[PROC_WRITE_MAX + 1];
	size_t n = from->count, len;
	ssize_t ret;

	(void)pos;
	if (!de->ops->write)
		return -EINVAL;
	if (n > PROC_WRITE_MAX)
		return -EINVAL;
	if (n && !copy_from_iter(buf, n, from))
		return -EFAULT;
	buf[n] = '\0';
	len = n;
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	ret = de->ops->write(buf, len, de->data);
	return ret < 0 ? ret : (ssize_t)n;
}

static loff_t proc_reg_llseek(struct file *file, loff_t offset, int whence)
{
	struct seq_file *m = file->private_data;
	loff_t base;

	mutex_assert_held(&file->f_pos_lock);
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = file->f_pos; break;
	case SEEK_END: base = m ? (loff_t)m->count : 0; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -EINVAL;
	file->f_pos = base + offset;
	return file->f_pos;
}

static void proc_reg_release(struct file *file)
{
	struct seq_file *m = file->private_data;

	if (m) {
		kfree(m->buf);
		kfree(m);
	}
}

const struct file_operations proc_reg_fops = {
	.open = proc_reg_open,
	.read = proc_reg_read,
	.write = proc_reg_write,
	.llseek = proc_reg_llseek,
	.release = proc_reg_release,
};

struct inode *proc_new_file(struct inode *dir, const char *name, umode_t mode,
			    const struct proc_ops *ops, void *data)
{
	struct proc_dir_entry *de = kmalloc(sizeof(*de));
	struct inode *inode;

	if (!de)
		return NULL;
	inode = inode_create(dir, name, strlen(name), S_IFREG | (mode & 0777));
	if (!inode) {
		kfree(de);
		return NULL;
	}
	de->ops = ops;
	de->data = data;
	inode->i_fop = &proc_reg_fops;
	inode->i_private = de;
	return inode;
}

/* Split "a/b/c" into the directory /proc/a/b (which must exist) and "c". */
static struct inode *proc_parent(const char *path, const char **last)
{
	const char *slash = NULL;
	struct inode *dir = proc_root();
	char sub[64];

	for (const char *s = path; *s; s++)
		if (*s == '/')
			slash = s;

	*last = slash ? slash + 1 : path;
	if (!slash)
		return dir;
	if ((size_t)(slash - path) >= sizeof(sub))
		return NULL;
	memcpy(sub, path, (size_t)(slash - path));
	sub[slash - path] = '\0';
	if (path_lookupat(dir, dir, sub, &dir, NULL) || !S_ISDIR(dir->i_mode))
		return NULL;
	return dir;
}

struct inode *proc_create(const char *path, umode_t mode, const struct proc_ops *ops, void *data)
{
	const char *name;
	struct inode *dir = proc_parent(path, &name);
	struct inode *inode = dir ? proc_new_file(dir, name, mode, ops, data) : NULL;

	if (!inode)
		printk("proc: cannot create /proc/%s (no parent directory or no memory)\n", path);
	return inode;
}

struct inode *proc_mkdir(const char *path)
{
	const char *name;
	struct inode *dir = proc_parent(path, &name);
	struct inode *inode = dir ? inode_create(dir, name, strlen(name), S_IFDIR | 0555) : NULL;

	if (!inode)
		printk("proc: cannot create /proc/%s/ (no parent directory or no memory)\n", path);
	return inode;
}
