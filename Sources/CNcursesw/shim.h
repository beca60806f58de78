// ncursesw for Swift. SwiftPM drops pkg-config's -D_XOPEN_SOURCE, which would hide the
// wide-character API (cchar_t, setcchar, mvadd_wch); NCURSES_WIDECHAR brings it back.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>

// Attribute macros are not importable; re-exported as functions.
static inline attr_t heaters_A_BOLD(void) { return A_BOLD; }
static inline attr_t heaters_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t heaters_A_DIM(void) { return A_DIM; }
static inline attr_t heaters_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t heaters_A_NORMAL(void) { return A_NORMAL; }
static inline int heaters_COLOR_PAIR(int n) { return COLOR_PAIR(n); }
static inline int heaters_KEY_RESIZE(void) { return KEY_RESIZE; }
static inline int heaters_KEY_UP(void) { return KEY_UP; }
static inline int heaters_KEY_DOWN(void) { return KEY_DOWN; }
static inline int heaters_ERR(void) { return ERR; }

/// mvprintw is variadic; drawing a string is all the views need.
static inline int heaters_mvaddstr(int y, int x, const char *s) { return mvaddstr(y, x, s); }
