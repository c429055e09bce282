/*
 * lockdep.h - lock-order checker ("lockdep-lite"), active in debug builds.
 * (Placeholder layout; the sync owner defines the real class tracking.)
 */
#ifndef FAULTLINE_LOCKDEP_H
#define FAULTLINE_LOCKDEP_H

#include <types.h>

struct lock_class_key {
	const char *name;	/* [I] */
	int id;			/* [a] class number, assigned on first acquisition */
};

#define LOCK_CLASS_KEY_INIT(n) { .name = (n), .id = 0 }

#endif
