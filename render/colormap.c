#include "config.h"

#include "render/colormap.h"

#include <math.h>
#include <string.h>

/* Control points of published LUTs, linearly interpolated in between.
 * viridis and cividis: rows of the 256-entry tables distributed with
 * matplotlib (van der Walt & Smith 2015, CC0; cividis: Nuñez, Anderton &
 * Renslow 2018, PLoS ONE 13:e0199239), at entries 0, 16, …, 240, 255 plus the
 * entries where the curve bends (cividis 20, 22, 24, 251), so that
 * interpolation stays within 2/255 of the full table (tested).
 * RdBu: ColorBrewer 2.0 (Brewer, Penn State), 11-class "RdBu", reversed so
 * that negative is blue and positive red as in FSLeyes/nilearn; it is one of
 * ColorBrewer's colour-blind-safe schemes. */
typedef struct {
  double index;  /* 0..255 */
  double rgb[3];
} ControlPoint;

static const ControlPoint viridis[] = {
  {   0, { 0.267004, 0.004874, 0.329415 } },
  {  16, { 0.282327, 0.094955, 0.417331 } },
  {  32, { 0.278826, 0.175490, 0.483397 } },
  {  48, { 0.258965, 0.251537, 0.524736 } },
  {  64, { 0.229739, 0.322361, 0.545706 } },
  {  80, { 0.199430, 0.387607, 0.554642 } },
  {  96, { 0.172719, 0.448791, 0.557885 } },
  { 112, { 0.149039, 0.508051, 0.557250 } },
  { 128, { 0.127568, 0.566949, 0.550556 } },
  { 144, { 0.120638, 0.625828, 0.533488 } },
  { 160, { 0.157851, 0.683765, 0.501686 } },
  { 176, { 0.246070, 0.738910, 0.452024 } },
  { 192, { 0.369214, 0.788888, 0.382914 } },
  { 208, { 0.515992, 0.831158, 0.294279 } },
  { 224, { 0.678489, 0.863742, 0.189503 } },
  { 240, { 0.845561, 0.887322, 0.099702 } },
  { 255, { 0.993248, 0.906157, 0.143936 } },
};

static const ControlPoint cividis[] = {
  {   0, { 0.000000, 0.135112, 0.304751 } },
  {  16, { 0.000000, 0.178802, 0.414764 } },
  {  20, { 0.000000, 0.188769, 0.439563 } },
  {  22, { 0.000000, 0.193366, 0.441561 } },
  {  24, { 0.017852, 0.198528, 0.441248 } },
  {  32, { 0.103401, 0.220406, 0.435790 } },
  {  48, { 0.195057, 0.264372, 0.425924 } },
  {  64, { 0.263738, 0.307831, 0.422789 } },
  {  80, { 0.324250, 0.351289, 0.426250 } },
  {  96, { 0.380830, 0.395164, 0.435653 } },
  { 112, { 0.435168, 0.439763, 0.451134 } },
  { 128, { 0.488697, 0.485318, 0.471008 } },
  { 144, { 0.547840, 0.531895, 0.471704 } },
  { 160, { 0.609105, 0.579816, 0.463638 } },
  { 176, { 0.671991, 0.629316, 0.448018 } },
  { 192, { 0.736488, 0.680629, 0.424028 } },
  { 208, { 0.802667, 0.733978, 0.390153 } },
  { 224, { 0.870717, 0.789572, 0.343333 } },
  { 240, { 0.941147, 0.847530, 0.275815 } },
  { 251, { 0.992218, 0.888385, 0.205468 } },
  { 255, { 0.995737, 0.909344, 0.217772 } },
};

#define HEX(h) { ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0 }
static const ControlPoint rdbu[] = {
  {   0.0, HEX (0x053061) },
  {  25.5, HEX (0x2166ac) },
  {  51.0, HEX (0x4393c3) },
  {  76.5, HEX (0x92c5de) },
  { 102.0, HEX (0xd1e5f0) },
  { 127.5, HEX (0xf7f7f7) },
  { 153.0, HEX (0xfddbc7) },
  { 178.5, HEX (0xf4a582) },
  { 204.0, HEX (0xd6604d) },
  { 229.5, HEX (0xb2182b) },
  { 255.0, HEX (0x67001f) },
};
#undef HEX

static void
interpolate (const ControlPoint *points,
             gsize               n_points,
             double              t,
             double              rgb[3])
{
  double index = t * 255.0;
  gsize i;

  for (i = 1; i < n_points - 1 && points[i].index < index; i++)
    ;
  {
    const ControlPoint *a = &points[i - 1];
    const ControlPoint *b = &points[i];
    double f = (index - a->index) / (b->index - a->index);

    f = CLAMP (f, 0.0, 1.0);
    for (int c = 0; c < 3; c++)
      rgb[c] = a->rgb[c] + f * (b->rgb[c] - a->rgb[c]);
  }
}

void
sa_colormap_sample (SaColormap  map,
                    double      t,
                    double      rgb[3])
{
  if (isnan (t))
    t = 0.0;
  t = CLAMP (t, 0.0, 1.0);

  switch (map)
    {
    case SA_COLORMAP_VIRIDIS:
      interpolate (viridis, G_N_ELEMENTS (viridis), t, rgb);
      break;
    case SA_COLORMAP_CIVIDIS:
      interpolate (cividis, G_N_ELEMENTS (cividis), t, rgb);
      break;
    case SA_COLORMAP_RDBU:
      interpolate (rdbu, G_N_ELEMENTS (rdbu), t, rgb);
      break;
    case SA_COLORMAP_GREY:
    case SA_N_COLORMAPS:
    default:
      rgb[0] = rgb[1] = rgb[2] = t;
      break;
    }
}

guint32
sa_colormap_sample_rgb24 (SaColormap map,
                          double     t)
{
  double rgb[3];
  guint32 v = 0xff000000u;

  sa_colormap_sample (map, t, rgb);
  for (int c = 0; c < 3; c++)
    v |= (guint32) lround (rgb[c] * 255.0) << (16 - 8 * c);
  return v;
}

gboolean
sa_colormap_is_diverging (SaColormap map)
{
  return map == SA_COLORMAP_RDBU;
}

static const char *names[SA_N_COLORMAPS] = {
  [SA_COLORMAP_GREY] = "grey",
  [SA_COLORMAP_VIRIDIS] = "viridis",
  [SA_COLORMAP_CIVIDIS] = "cividis",
  [SA_COLORMAP_RDBU] = "rdbu",
};

const char *
sa_colormap_get_name (SaColormap map)
{
  g_return_val_if_fail (map < SA_N_COLORMAPS, NULL);
  return names[map];
}

gboolean
sa_colormap_from_name (const char *name,
                       SaColormap *map)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (int i = 0; i < SA_N_COLORMAPS; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *map = (SaColormap) i;
        return TRUE;
      }
  return FALSE;
}
