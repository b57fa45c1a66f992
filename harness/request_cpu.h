/* request_cpu.h - the CPU one request of an io workload costs the client
 * and the server together at zero latency: the floor per request that a
 * row's io_floor_us and bound_floor_s report. */
#ifndef CMB_REQUEST_CPU_H
#define CMB_REQUEST_CPU_H

#include "../lib/config.h"

/* CPU µs that one request of cfg's workload costs client and server
 * together at zero latency (the service's share when it can tell it: see
 * wl_service.cpu_s); 0 when it could not be measured. svc is the started
 * service's state. */
double request_cpu_us(const struct run_cfg *cfg, void *svc);

#endif
