/* floor.h - the machine's CPU floor per request of an io workload. */
#ifndef CMB_FLOOR_H
#define CMB_FLOOR_H

#include "../lib/config.h"

/* CPU µs that one request of cfg's workload costs client and server
 * together at zero latency (the service's share when it can tell it: see
 * wl_service.cpu_s); 0 when it could not be measured. svc is the started
 * service's state. */
double floor_io_us(const struct run_cfg *cfg, void *svc);

#endif
