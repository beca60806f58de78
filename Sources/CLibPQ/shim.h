// libpq for Swift. libpq has no variadic or macro-only API that Swift needs, so this is
// only the include; kept as a header so the module map stays uniform with the others.
#include <libpq-fe.h>
