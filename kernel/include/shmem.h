/*
 * shmem.h - memory shared between address spaces without a file:
 * MAP_SHARED|MAP_ANONYMOUS (kernel/mm/shmem.c).
 */
#ifndef FAULTLINE_SHMEM_H
#define FAULTLINE_SHMEM_H

#include <mm_types.h>

/* Back vma (VM_SHARED, anonymous) with a new shmem object of its size:
 * sets vm_ops, vm_private_data and vm_pgoff = 0. 0 or -ENOMEM. */
int shmem_zero_setup(struct vm_area_struct *vma);

#endif
