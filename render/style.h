/* style.h — fonts, line widths and colours shared by every render/ drawing */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* Sizes are in the cairo_t's user units: points for figures (so a 7 pt font
 * and 0.5 pt lines suit a journal column), pixels on screen. */
typedef struct {
  const char *font_family;
  double      font_size;
  double      line_width;
  double      fg[3];       /* text, axes */
  double      bg[3];       /* panel background */
  double      accent[3];   /* FBN trace, crosshair */
  double      accent2[3];  /* filter trace */
} SaRenderStyle;

/* Journal figure: 7 pt sans, 0.6 pt lines, black on white. */
void sa_render_style_init_figure (SaRenderStyle *style);
/* Screen: 11 px, 1 px lines; @dark picks light text on a dark background. */
void sa_render_style_init_screen (SaRenderStyle *style,
                                  gboolean       dark);

/* Draws @text with its anchor at (x, y): @ax, @ay in 0..1 pick which point of
 * the text box sits there (0,0 top-left; 0.5,0.5 centre). Returns the width. */
double sa_render_text (cairo_t             *cr,
                       const SaRenderStyle *style,
                       const char          *text,
                       double               scale,
                       double               x,
                       double               y,
                       double               ax,
                       double               ay);
void   sa_render_set_rgb (cairo_t      *cr,
                          const double  rgb[3]);

G_END_DECLS
