#include "config.h"

#include "compute/io/resize.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/movie.h"

/* PIL's Resample.c keeps 8-bit coefficients in 22 fractional bits (32 bits
 * minus 8 for the pixel minus 2 for the sign and the overshoot of the sum);
 * the same precision and rounding give the same bytes. */
#define PRECISION_BITS (32 - 8 - 2)

typedef struct {
  int  ksize;    /* taps per output sample */
  int *bounds;   /* [first source index, n taps] per output sample */
  int *coeffs;   /* ksize fixed-point weights per output sample */
} Taps;

static double
triangle (double x)
{
  if (x < 0.0)
    x = -x;
  return x < 1.0 ? 1.0 - x : 0.0;
}

static void
taps_clear (Taps *t)
{
  g_free (t->bounds);
  g_free (t->coeffs);
}

/* Mirrors precompute_coeffs() in PIL: the filter is stretched by the
 * downscale factor and each output sample's weights are normalised. */
static void
taps_init (Taps *t,
           int   in_size,
           int   out_size)
{
  double scale = (double) in_size / out_size;
  double filterscale = scale < 1.0 ? 1.0 : scale;
  double support = 1.0 * filterscale;
  g_autofree double *kk = NULL;

  t->ksize = (int) ceil (support) * 2 + 1;
  t->bounds = g_new (int, (gsize) out_size * 2);
  t->coeffs = g_new0 (int, (gsize) out_size * t->ksize);
  kk = g_new (double, t->ksize);

  for (int xx = 0; xx < out_size; xx++)
    {
      double center = (xx + 0.5) * scale;
      double ww = 0.0;
      double ss = 1.0 / filterscale;
      int xmin = (int) (center - support + 0.5);
      int xmax = (int) (center + support + 0.5);

      if (xmin < 0)
        xmin = 0;
      if (xmax > in_size)
        xmax = in_size;
      xmax -= xmin;
      for (int x = 0; x < xmax; x++)
        {
          double w = triangle ((x + xmin - center + 0.5) * ss);
          kk[x] = w;
          ww += w;
        }
      for (int x = 0; x < xmax; x++)
        {
          double k = ww != 0.0 ? kk[x] / ww : 0.0;
          t->coeffs[xx * t->ksize + x] =
            (int) (k < 0 ? k * (1 << PRECISION_BITS) - 0.5
                         : k * (1 << PRECISION_BITS) + 0.5);
        }
      t->bounds[xx * 2] = xmin;
      t->bounds[xx * 2 + 1] = xmax;
    }
}

static inline guint8
clip8 (gint64 v)
{
  v >>= PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : (guint8) v;
}

/* Horizontal pass on rows [@y0, @y0+@rows) of @src into @dst. */
static void
pass_horizontal (const guint8 *src,
                 int           src_stride,
                 int           y0,
                 int           rows,
                 guint8       *dst,
                 int           dst_w,
                 const Taps   *t)
{
  for (int y = 0; y < rows; y++)
    {
      const guint8 *in = src + (gsize) (y0 + y) * src_stride;
      guint8 *out = dst + (gsize) y * dst_w * 3;

      for (int xx = 0; xx < dst_w; xx++)
        {
          int xmin = t->bounds[xx * 2], n = t->bounds[xx * 2 + 1];
          const int *k = t->coeffs + xx * t->ksize;
          gint64 s0 = 1 << (PRECISION_BITS - 1), s1 = s0, s2 = s0;

          for (int x = 0; x < n; x++)
            {
              const guint8 *p = in + (gsize) (x + xmin) * 3;
              s0 += (gint64) p[0] * k[x];
              s1 += (gint64) p[1] * k[x];
              s2 += (gint64) p[2] * k[x];
            }
          out[xx * 3] = clip8 (s0);
          out[xx * 3 + 1] = clip8 (s1);
          out[xx * 3 + 2] = clip8 (s2);
        }
    }
}

static void
pass_vertical (const guint8 *src,
               int           src_stride,
               int           y_offset,
               guint8       *dst,
               int           width,
               int           dst_h,
               const Taps   *t)
{
  int row = width * 3;

  for (int yy = 0; yy < dst_h; yy++)
    {
      int ymin = t->bounds[yy * 2] - y_offset, n = t->bounds[yy * 2 + 1];
      const int *k = t->coeffs + yy * t->ksize;
      guint8 *out = dst + (gsize) yy * row;

      for (int x = 0; x < row; x++)
        {
          gint64 s = 1 << (PRECISION_BITS - 1);

          for (int y = 0; y < n; y++)
            s += (gint64) src[(gsize) (y + ymin) * src_stride + x] * k[y];
          out[x] = clip8 (s);
        }
    }
}

void
sa_resize_rgb24_aa (const guint8 *src,
                    int           src_w,
                    int           src_h,
                    int           src_stride,
                    guint8       *dst,
                    int           dst_w,
                    int           dst_h)
{
  Taps th = { 0 }, tv = { 0 };
  g_autofree guint8 *mid = NULL;
  int y_first, y_last;

  if (src_w == dst_w && src_h == dst_h)
    {
      for (int y = 0; y < src_h; y++)
        memcpy (dst + (gsize) y * dst_w * 3, src + (gsize) y * src_stride, (gsize) dst_w * 3);
      return;
    }

  /* Like PIL, only the source rows the vertical pass reads go through the
   * horizontal pass, and each pass is skipped when its size is unchanged
   * (PIL rounds to 8 bits in between, so skipping matters for equality). */
  if (src_h != dst_h)
    {
      taps_init (&tv, src_h, dst_h);
      y_first = tv.bounds[0];
      y_last = tv.bounds[(dst_h - 1) * 2] + tv.bounds[(dst_h - 1) * 2 + 1];
    }
  else
    {
      y_first = 0;
      y_last = src_h;
    }

  if (src_w != dst_w)
    {
      taps_init (&th, src_w, dst_w);
      if (src_h == dst_h)
        {
          pass_horizontal (src, src_stride, 0, src_h, dst, dst_w, &th);
          taps_clear (&th);
          return;
        }
      mid = g_malloc ((gsize) (y_last - y_first) * dst_w * 3);
      pass_horizontal (src, src_stride, y_first, y_last - y_first, mid, dst_w, &th);
      pass_vertical (mid, dst_w * 3, y_first, dst, dst_w, dst_h, &tv);
      taps_clear (&th);
    }
  else
    pass_vertical (src, src_stride, 0, dst, dst_w, dst_h, &tv);
  taps_clear (&tv);
}

static const char *const resize_names[] = {
  [SA_RESIZE_BILINEAR_AA] = "bilinear-aa",
  [SA_RESIZE_BILINEAR] = "bilinear",
  [SA_RESIZE_AREA] = "area",
  [SA_RESIZE_BICUBIC] = "bicubic",
  [SA_RESIZE_NEAREST] = "nearest",
};

gboolean
sa_resize_parse (const char *name,
                 SaResize   *method,
                 GError    **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (resize_names); i++)
    if (name != NULL && g_ascii_strcasecmp (name, resize_names[i]) == 0)
      {
        *method = (SaResize) i;
        return TRUE;
      }
  sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                _("unknown resize method “%s” (use bilinear-aa, bilinear, area, bicubic or nearest)"),
                name ? name : "");
  return FALSE;
}

const char *
sa_resize_name (SaResize method)
{
  if ((guint) method < G_N_ELEMENTS (resize_names))
    return resize_names[method];
  return "unknown";
}
