/* hyphen.h - Danish hyphenation: soft hyphens (U+00AD) where a long word
 * may be broken at a line end, from the Danish patterns of libhyphen
 * (Debian's hyphen-da, /usr/share/hyphen/hyph_da_DK.dic).
 *
 * The patterns are loaded once, on first use, and shared by every thread
 * (libhyphen only reads them). Without the pattern file text comes back
 * unchanged and the layout breaks long words only at spaces. */
#ifndef HH_RENDER_HYPHEN_H
#define HH_RENDER_HYPHEN_H

#include "core/arena.h"

/* Words shorter than this (in letters) are never broken. */
#define HH_HYPHEN_MIN_WORD 8

/* text (UTF-8) with a soft hyphen at each break point of each word of at
 * least HH_HYPHEN_MIN_WORD letters, into a; text itself when nothing was
 * inserted. Words with letters outside Latin-1 are left as they are;
 * hyphens (hard or soft) already in the text end a word. */
const char *hh_hyphenate_da(struct hh_arena *a, const char *text);

/* Is the Danish pattern file loaded (loading it on first call)? */
int hh_hyphen_ready(void);

#endif
