/*
 * irq.h - device interrupt handlers.
 *
 * request_irq() registers handler(irq, arg) for a device line and unmasks it
 * (arch_irq_unmask). Handlers run from do_irq() with IRQs off and must not
 * sleep. One handler per line.
 */
#ifndef FAULTLINE_IRQ_H
#define FAULTLINE_IRQ_H

#include <types.h>

#define NR_IRQS		1024

typedef void (*irq_handler_t)(int irq, void *arg);

/* 0, -EINVAL (bad line), -EBUSY (line taken). Sleeps: no. */
int request_irq(unsigned int irq, irq_handler_t handler, void *arg);
void free_irq(unsigned int irq);
bool in_irq(void);

#endif
