/* server.h - moved: the latency server lives in server/ now. This header
 * only forwards, for code not yet updated to include server/server.h. */
#include "../server/server.h"
