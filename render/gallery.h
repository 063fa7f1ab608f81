/* gallery.h — a row of movie frames (a filter's top frames) with captions */
#pragma once

#include "render/style.h"

G_BEGIN_DECLS

typedef struct {
  const guint8 *rgb;      /* packed RGB24 (3 bytes a pixel) */
  int           width, height, stride;
  double        time;     /* seconds into the movie; < 0 hides it */
  const char   *caption;  /* e.g. the activation; may be NULL */
} SaFrame;

/* Wraps RGB24 bytes in a new cairo image surface (a copy). */
cairo_surface_t *sa_frame_to_surface (const SaFrame *frame);

/* Draws @frame scaled to fit x,y,w,h with its aspect ratio kept. */
void sa_frame_draw   (cairo_t       *cr,
                      const SaFrame *frame,
                      double         x,
                      double         y,
                      double         w,
                      double         h);

/* @n frames in one row across the area, captions under each. */
void sa_gallery_draw (cairo_t             *cr,
                      const SaRenderStyle *style,
                      const SaFrame       *frames,
                      int                  n,
                      double               width,
                      double               height);

/* Index of the frame under (x, y), or -1. */
int  sa_gallery_pick (const SaRenderStyle *style,
                      int                  n,
                      double               width,
                      double               height,
                      double               x,
                      double               y);

G_END_DECLS
