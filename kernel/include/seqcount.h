/*
 * seqcount.h - sequence counters: lock-free readers of data that writers
 * update rarely.
 *
 * Writers must already be serialised (a spinlock or mutex) and should not be
 * preempted mid-update (use a spinlock). The counter is odd while a write is
 * in progress. Readers retry until they saw an even, unchanged counter:
 *
 *     do {
 *             seq = read_seqcount_begin(&s);
 *             copy = READ_ONCE(data...);
 *     } while (read_seqcount_retry(&s, seq));
 *
 * Readers never block writers and may run in any context; they must read the
 * data with single-copy-atomic loads and must not act on it before the retry
 * check passed.
 */
#ifndef FAULTLINE_SEQCOUNT_H
#define FAULTLINE_SEQCOUNT_H

#include <types.h>
#include <arch.h>
#include <printk.h>

/* Locking legend: [a] atomic; written only by the (serialised) writer */
typedef struct seqcount {
	unsigned int sequence;		/* [a] odd: write in progress */
} seqcount_t;

#define SEQCNT_ZERO { 0 }

static inline void seqcount_init(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, 0, __ATOMIC_RELAXED);
}

static inline unsigned int read_seqcount_begin(const seqcount_t *s)
{
	unsigned int v;

	while ((v = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		arch_cpu_relax();
	return v;
}

/* True if the data read since 'start' may be torn: read again. */
static inline bool read_seqcount_retry(const seqcount_t *s, unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* data loads before the re-read */
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;
}

static inline void write_seqcount_begin(seqcount_t *s)
{
	unsigned int v = __atomic_load_n(&s->sequence, __ATOMIC_RELAXED);

	BUG_ON(v & 1);		/* nested or unserialised writers */
	__atomic_store_n(&s->sequence, v + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* odd count before data stores */
}

static inline void write_seqcount_end(seqcount_t *s)
{
	unsigned int v = __atomic_load_n(&s->sequence, __ATOMIC_RELAXED);

	__atomic_store_n(&s->sequence, v + 1, __ATOMIC_RELEASE);	/* data before even count */
}

#endif
