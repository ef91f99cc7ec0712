// libidn2: IDNA2008 with the UTS #46 mapping, the same library libcurl uses for host names.
#ifndef HERALD_CIDN2_SHIM_H
#define HERALD_CIDN2_SHIM_H

#include <idn2.h>

#endif
