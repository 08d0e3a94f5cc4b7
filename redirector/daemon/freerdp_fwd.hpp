#pragma once
// FreeRDP's peer type without FreeRDP's headers (which keep to the files that need them).

struct rdp_freerdp_peer;
using freerdp_peer = rdp_freerdp_peer;
