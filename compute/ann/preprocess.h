/* preprocess.h — a movie frame as the network's input
 *
 * RGB24 (W×H, packed, R first) → float in [0, 1] → (x − mean) / std per
 * channel → planar C×H×W, the layout and scaling torchvision's ToTensor and
 * Normalize give. The resize happens before, in the movie reader.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  float mean[3];
  float std[3];
} SaNormalize;

/* ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). */
void      sa_normalize_imagenet  (SaNormalize       *norm);

/* "imagenet", "none" (mean 0, std 1), or "M,M,M/S,S,S". */
gboolean  sa_normalize_parse     (const char        *text,
                                  SaNormalize       *norm,
                                  GError           **error);
/* "imagenet", "none", or "M,M,M/S,S,S" with %g values: what the cache
 * records and sa_normalize_parse reads back. */
char     *sa_normalize_to_string (const SaNormalize *norm);

void      sa_preprocess_rgb24    (const guint8      *rgb,
                                  int                width,
                                  int                height,
                                  const SaNormalize *norm,
                                  float             *chw);

G_END_DECLS
