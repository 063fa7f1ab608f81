/* resize.h — antialiased RGB24 resampling the way PIL does it
 *
 * PIL's Image.resize(BILINEAR) (and torchvision's Resize(antialias=True))
 * use a triangle filter whose support grows with the downscale factor, so
 * every source pixel contributes when shrinking. swscale's bilinear does
 * not, and differs from PIL by several grey levels on detailed frames, so
 * SyncAct carries its own separable resampler with PIL's fixed-point
 * arithmetic: results match PIL exactly or within one grey level.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Resamples packed RGB24 @src (@src_w×@src_h, rows @src_stride bytes apart)
 * into packed RGB24 @dst (@dst_w×@dst_h, rows dst_w*3 bytes apart). */
void sa_resize_rgb24_aa (const guint8 *src,
                         int           src_w,
                         int           src_h,
                         int           src_stride,
                         guint8       *dst,
                         int           dst_w,
                         int           dst_h);

G_END_DECLS
