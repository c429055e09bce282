/* monitor.h - the boot console's little command interpreter. */
#ifndef FAULTLINE_MONITOR_H
#define FAULTLINE_MONITOR_H

/* Read commands from the console until "poweroff"; returns then. Sleeps: yes. */
void monitor_run(void);

#endif
