/*
 * atomic.h - atomic integers: thin wrappers over GCC's __atomic builtins.
 *
 * atomic_read/atomic_set are relaxed (single-copy atomic, no ordering);
 * every read-modify-write is sequentially consistent (a full barrier),
 * like Linux's value-returning atomics.
 */
#ifndef FAULTLINE_ATOMIC_H
#define FAULTLINE_ATOMIC_H

#include <types.h>

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)	{ (i) }

#define __ATOMIC_OPS(pfx, atype, ctype)					\
static inline ctype pfx##_read(const atype *v)				\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(atype *v, ctype i)				\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline ctype pfx##_read_acquire(const atype *v)			\
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }		\
static inline void pfx##_set_release(atype *v, ctype i)			\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }			\
static inline ctype pfx##_add_return(ctype i, atype *v)			\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline ctype pfx##_fetch_add(ctype i, atype *v)			\
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline ctype pfx##_fetch_or(ctype i, atype *v)			\
{ return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline ctype pfx##_fetch_and(ctype i, atype *v)			\
{ return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline void pfx##_add(ctype i, atype *v)				\
{ (void)pfx##_add_return(i, v); }					\
static inline void pfx##_sub(ctype i, atype *v)				\
{ (void)pfx##_add_return(-i, v); }					\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }		\
static inline ctype pfx##_inc_return(atype *v)				\
{ return pfx##_add_return(1, v); }					\
static inline ctype pfx##_dec_return(atype *v)				\
{ return pfx##_add_return(-1, v); }					\
static inline bool pfx##_dec_and_test(atype *v)				\
{ return pfx##_dec_return(v) == 0; }					\
static inline ctype pfx##_xchg(atype *v, ctype n)			\
{ return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); }	\
/* Returns the old value; the store happened iff it equals 'old'. */	\
static inline ctype pfx##_cmpxchg(atype *v, ctype old, ctype n)		\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, n, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	return old;							\
}

__ATOMIC_OPS(atomic, atomic_t, int)
__ATOMIC_OPS(atomic_long, atomic_long_t, long)
#undef __ATOMIC_OPS

/* Plain-variable helpers for fields tagged [a] that are not atomic_t. */
#define atomic_load_relaxed(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_relaxed(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

#endif
