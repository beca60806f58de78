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

/// curses_version is a macro in this header; the function behind it is what Swift needs.
static inline const char *heaters_curses_version(void) { return NCURSES_VERSION; }

// term.h would flood the namespace with capability macros (lines, columns, …), so only
// the one declaration heaters needs is repeated here.
extern int setupterm(const char *term, int filedes, int *errret);

/// Colours terminfo gives `term` (-1 when unknown), or -2 when terminfo has no entry for it.
/// Does not touch the screen: used by `heaters doctor`.
static inline int heaters_terminfo_colors(const char *term) {
    int err = 0;
    if (setupterm(term, 2, &err) != 0) return -2;
    return tigetnum("colors");
}
