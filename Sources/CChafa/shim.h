// libchafa (1.12 on Debian 12) for Swift: the plain include; chafa.pc also needs glib-2.0.
#include <chafa.h>
