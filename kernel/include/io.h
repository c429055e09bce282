/* io.h - memory-mapped device register access. */
#ifndef FAULTLINE_IO_H
#define FAULTLINE_IO_H

#include <arch.h>

/* Accesses are volatile (never merged or reordered by the compiler);
 * arch_io_mb() orders device accesses against normal memory (DMA). */
static inline uint8_t readb(const volatile void *a) { return *(const volatile uint8_t *)a; }
static inline uint16_t readw(const volatile void *a) { return *(const volatile uint16_t *)a; }
static inline uint32_t readl(const volatile void *a) { return *(const volatile uint32_t *)a; }
static inline uint64_t readq(const volatile void *a) { return *(const volatile uint64_t *)a; }
static inline void writeb(uint8_t v, volatile void *a) { *(volatile uint8_t *)a = v; }
static inline void writew(uint16_t v, volatile void *a) { *(volatile uint16_t *)a = v; }
static inline void writel(uint32_t v, volatile void *a) { *(volatile uint32_t *)a = v; }
static inline void writeq(uint64_t v, volatile void *a) { *(volatile uint64_t *)a = v; }

#endif
