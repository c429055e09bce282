/*
 * abi_names.h - names whose numbers differ between newlib and the kernel (Linux values).
 * Included twice with different X(): kabi.c takes the kernel's values, errno.c newlib's.
 * Only names both sides define are listed; a kernel errno not listed here is passed through
 * unchanged (add its name here when the kernel starts returning it).
 */
#define FL_ERRNO_NAMES(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF) \
	X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) X(EEXIST) \
	X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) \
	X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) \
	X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) \
	X(EIDRM) X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) X(ENOLINK) X(EPROTO) X(EBADMSG) \
	X(EOVERFLOW) X(EILSEQ) X(ENOTSOCK) X(EOPNOTSUPP) X(ETIMEDOUT) X(ECANCELED) \
	X(EOWNERDEAD) X(ENOTRECOVERABLE)

/* open() flags newlib's fopen & co. can pass (O_RDONLY is 0 on both sides). */
#define FL_OFLAG_NAMES(X) \
	X(O_WRONLY) X(O_RDWR) X(O_CREAT) X(O_EXCL) X(O_NOCTTY) X(O_TRUNC) X(O_APPEND) \
	X(O_NONBLOCK) X(O_DIRECTORY) X(O_NOFOLLOW) X(O_CLOEXEC)
