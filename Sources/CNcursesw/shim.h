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

// --- The review station's screen: keys, colour pairs, cells. -------------------------------
#include <stdint.h>
#include <wchar.h>

static inline int heaters_KEY_LEFT(void) { return KEY_LEFT; }
static inline int heaters_KEY_RIGHT(void) { return KEY_RIGHT; }
static inline int heaters_KEY_NPAGE(void) { return KEY_NPAGE; }
static inline int heaters_KEY_PPAGE(void) { return KEY_PPAGE; }
static inline int heaters_KEY_HOME(void) { return KEY_HOME; }
static inline int heaters_KEY_END(void) { return KEY_END; }
static inline int heaters_KEY_BACKSPACE(void) { return KEY_BACKSPACE; }
static inline int heaters_KEY_ENTER(void) { return KEY_ENTER; }
static inline int heaters_KEY_CODE_YES(void) { return KEY_CODE_YES; }
static inline int heaters_OK(void) { return OK; }
static inline int heaters_COLORS(void) { return COLORS; }
static inline int heaters_COLOR_PAIRS(void) { return COLOR_PAIRS; }

/// The next key: returns OK with a character, KEY_CODE_YES with a function key, or ERR.
static inline int heaters_get_key(unsigned int *code) {
    wint_t value = 0;
    int result = wget_wch(stdscr, &value);
    *code = (unsigned int)value;
    return result;
}

/// Pairs beyond 255 need the extended API; these take and give plain ints.
static inline int heaters_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }
static inline int heaters_alloc_pair(int fg, int bg) { return alloc_pair(fg, bg); }

/// Writes a string at a cell with attributes and an (extended) colour pair.
static inline int heaters_put_text(int y, int x, const char *s, attr_t attrs, int pair) {
    attr_set(attrs, 0, &pair);
    int r = mvaddstr(y, x, s);
    attr_set(A_NORMAL, 0, NULL);
    return r;
}

/// Writes one cell: a character in an (extended) colour pair.
static inline int heaters_put_cell(int y, int x, uint32_t ch, int pair) {
    cchar_t cell;
    wchar_t text[2] = { (wchar_t)ch, 0 };
    setcchar(&cell, text, A_NORMAL, 0, &pair);
    return mvadd_wch(y, x, &cell);
}

#include <sys/ioctl.h>
/// Bytes written to the terminal and not yet sent (TIOCOUTQ); -1 when the fd cannot say.
/// ioctl is variadic, so Swift cannot call it.
static inline int heaters_output_queue(int fd) {
    int n = 0;
    return ioctl(fd, TIOCOUTQ, &n) < 0 ? -1 : n;
}

/// The window's size in pixels (TIOCGWINSZ; 0 where the terminal does not say) and cells.
static inline int heaters_window_pixels(int fd, int *width, int *height, int *columns, int *rows) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) < 0) return -1;
    *width = size.ws_xpixel; *height = size.ws_ypixel; *columns = size.ws_col; *rows = size.ws_row;
    return 0;
}
