/* reduce.h — one number per filter and frame
 *
 * The paper takes each filter's maximum over its feature map; the mean and
 * the mean of the top k% units are offered because the paper leaves this
 * choice open.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SA_REDUCE_MAX,        /* the paper's choice */
  SA_REDUCE_MEAN,
  SA_REDUCE_TOPK_MEAN,  /* mean of the largest ⌈k% · units⌉ values */
} SaReduce;

gboolean    sa_reduce_parse    (const char   *name,
                                SaReduce     *reduce,
                                GError      **error);
const char *sa_reduce_name     (SaReduce      reduce);

/* Units kept by topk-mean out of @n at @percent (0 < percent <= 100): at
 * least one. */
gsize       sa_reduce_topk_count (gsize       n,
                                  double      percent);

/* @map holds @channels rows of @n values each (one feature map per row, as
 * a C×H×W tensor is laid out); writes one value per channel into @out.
 * @scratch, @n floats, is needed for topk-mean only (may be NULL else). */
void        sa_reduce_channels (const float  *map,
                                gsize         channels,
                                gsize         n,
                                SaReduce      reduce,
                                double        topk_percent,
                                float        *scratch,
                                float        *out);

G_END_DECLS
