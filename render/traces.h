/* traces.h — an FBN's and its paired filter's z-scored time courses */
#pragma once

#include <cairo.h>

#include "render/style.h"

G_BEGIN_DECLS

typedef struct {
  const float *fbn;          /* n values, one per TR */
  const float *filter;       /* n values, or NULL */
  int          n;
  double       tr;           /* seconds; sample k is drawn at its onset k·TR */
  double       cursor;       /* seconds; < 0 hides the cursor line */
  double       t0, t1;       /* visible window, seconds; t1 <= t0 = all */
  double       r, p;         /* NaN hides the annotation */
  const char  *fbn_label;    /* legend; NULL = "FBN" */
  const char  *filter_label; /* NULL = "Filter" */
} SaTraceParams;

/* The drawing model: each series z-scored, then both mapped to 0..1 over one
 * symmetric z range, so the plot never rescales per series. */
typedef struct {
  int     n;
  double  zlim;              /* y = 0 ↔ z = -zlim, y = 1 ↔ z = +zlim */
  double *fbn;               /* n values in 0..1 (NaN where the input is) */
  double *filter;            /* NULL when there is no filter trace */
} SaTraceModel;

SaTraceModel *sa_trace_model_new  (const SaTraceParams *params);
void          sa_trace_model_free (SaTraceModel        *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaTraceModel, sa_trace_model_free)

/* Z-scores @n values into @out (population SD, as scipy.stats.zscore). A
 * constant series becomes zeros. */
void     sa_trace_zscore    (const float *in,
                             int          n,
                             double      *out);

/* @model may be NULL (built on the fly). */
void     sa_traces_draw     (cairo_t             *cr,
                             const SaRenderStyle *style,
                             const SaTraceParams *params,
                             const SaTraceModel  *model,
                             double               width,
                             double               height);

/* Plot x ↔ seconds, for click-to-seek and the cursor. Times outside the plot
 * are clamped into the visible window. */
double   sa_traces_time_at  (const SaRenderStyle *style,
                             const SaTraceParams *params,
                             double               width,
                             double               height,
                             double               x);
double   sa_traces_x_at     (const SaRenderStyle *style,
                             const SaTraceParams *params,
                             double               width,
                             double               height,
                             double               seconds);

/* The plot's top and bottom y (for drawing the cursor on top of a cached
 * drawing made with cursor < 0). */
double   sa_traces_plot_top    (const SaRenderStyle *style,
                                double               height);
double   sa_traces_plot_bottom (const SaRenderStyle *style,
                                double               height);

G_END_DECLS
