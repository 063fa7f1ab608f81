#include "config.h"

#include "render/figure.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "render/colorbar.h"

static void
panel_letter (cairo_t             *cr,
              const SaRenderStyle *style,
              const char          *letter,
              double               x,
              double               y)
{
  SaRenderStyle bold = *style;

  /* Panel letters a bit larger than body text, as journals ask. */
  bold.font_family = "Sans Bold";
  sa_render_set_rgb (cr, style->fg);
  sa_render_text (cr, &bold, letter, 1.25, x, y, 0, 0);
}

void
sa_figure_pair_draw (cairo_t             *cr,
                     const SaRenderStyle *style,
                     double               width,
                     double               height,
                     gpointer             pair_figure)
{
  const SaPairFigure *fig = pair_figure;
  double fs = style->font_size;
  double top = 0, avail, h_slices, h_traces, h_frames, bar_w = 5 * fs, indent = 1.6 * fs;
  double omax;

  g_return_if_fail (cr != NULL && fig != NULL);

  if (fig->title)
    {
      sa_render_set_rgb (cr, style->fg);
      sa_render_text (cr, style, fig->title, 1.15, width / 2, 0, 0.5, 0);
      top = 1.8 * fs;
    }
  avail = height - top;
  h_slices = avail * (fig->n_frames > 0 ? 0.42 : 0.58);
  h_traces = avail * (fig->n_frames > 0 ? 0.30 : 0.42);
  h_frames = avail - h_slices - h_traces;

  /* (a) map */
  panel_letter (cr, style, "a", 0, top);
  cairo_save (cr);
  cairo_translate (cr, indent, top);
  sa_slices_draw (cr, style, &fig->slices, width - indent - bar_w, h_slices);
  cairo_restore (cr);
  omax = fig->slices.overlay_max;
  if (omax <= 0 && fig->slices.overlay && fig->slices.overlay->data)
    {
      gsize n = (gsize) fig->slices.overlay->nx * fig->slices.overlay->ny * fig->slices.overlay->nz;
      for (gsize i = 0; i < n; i++)
        omax = MAX (omax, fabs (fig->slices.overlay->data[i]));
    }
  if (omax > 0)
    {
      gboolean div = sa_colormap_is_diverging (fig->slices.colormap);

      sa_colorbar_draw (cr, style, fig->slices.colormap, div ? -omax : 0, omax,
                        fig->slices.threshold,
                        fig->overlay_label ? fig->overlay_label : _("loading"),
                        width - bar_w + 0.6 * fs, top + 0.1 * h_slices, bar_w - 0.6 * fs, 0.8 * h_slices);
    }

  /* (b) traces */
  panel_letter (cr, style, "b", 0, top + h_slices);
  cairo_save (cr);
  cairo_translate (cr, indent, top + h_slices);
  sa_traces_draw (cr, style, &fig->traces, NULL, width - indent, h_traces);
  cairo_restore (cr);

  /* (c) top frames */
  if (fig->n_frames > 0)
    {
      panel_letter (cr, style, "c", 0, top + h_slices + h_traces);
      cairo_save (cr);
      cairo_translate (cr, indent, top + h_slices + h_traces + 0.4 * fs);
      sa_gallery_draw (cr, style, fig->frames, fig->n_frames, width - indent, h_frames - 0.4 * fs);
      cairo_restore (cr);
    }
}

/* PNG chunk CRC (ISO 3309 / ITU-T V.42), as the PNG spec defines it. */
static guint32
png_crc (const guint8 *data,
         gsize         len)
{
  static guint32 table[256];
  static gsize initialised = 0;
  guint32 c = 0xffffffffu;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 v = n;
          for (int k = 0; k < 8; k++)
            v = (v & 1) ? 0xedb88320u ^ (v >> 1) : v >> 1;
          table[n] = v;
        }
      g_once_init_leave (&initialised, 1);
    }
  for (gsize i = 0; i < len; i++)
    c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

/* cairo writes no pHYs; insert one right after IHDR (8-byte signature +
 * 25-byte IHDR chunk), where the spec wants it before IDAT. */
static void
insert_phys (GByteArray *png,
             double      dpi)
{
  guint8 chunk[21];
  guint32 ppm = (guint32) lround (dpi / 0.0254);

  if (png->len < 33 || memcmp (png->data + 12, "IHDR", 4) != 0)
    return;
  put_be32 (chunk, 9);
  memcpy (chunk + 4, "pHYs", 4);
  put_be32 (chunk + 8, ppm);
  put_be32 (chunk + 12, ppm);
  chunk[16] = 1;  /* unit: metre */
  put_be32 (chunk + 17, png_crc (chunk + 4, 13));
  g_byte_array_set_size (png, png->len + sizeof chunk);
  memmove (png->data + 33 + sizeof chunk, png->data + 33, png->len - 33 - sizeof chunk);
  memcpy (png->data + 33, chunk, sizeof chunk);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
sa_figure_export (SaFigureDrawFunc  draw,
                  gpointer          user_data,
                  SaFigureFormat    format,
                  double            width_pt,
                  double            height_pt,
                  double            dpi,
                  const char       *path,
                  GError          **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) local = NULL;
  SaRenderStyle style;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double scale = 1.0;

  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(width_pt > 0 && height_pt > 0 && width_pt <= 14400 && height_pt <= 14400))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, path,
                    _("figure size %.0f × %.0f pt is not between 1 and 14400 pt"), width_pt, height_pt);
      return FALSE;
    }
  if (format == SA_FIGURE_PNG)
    {
      int w = (int) lround (width_pt / 72.0 * dpi);
      int h = (int) lround (height_pt / 72.0 * dpi);

      if (!(dpi >= 10 && dpi <= 2400) || w < 1 || h < 1 || w > 20000 || h > 20000)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, path,
                        _("%d × %d pixels at %.0f dpi is not a size SyncAct writes (1–20000 px, 10–2400 dpi)"),
                        w, h, dpi);
          return FALSE;
        }
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
      scale = dpi / 72.0;
    }
  else if (format == SA_FIGURE_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width_pt, height_pt);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
    }
  else
    {
      surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width_pt, height_pt);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "SyncAct " PACKAGE_VERSION);
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sa_render_style_init_figure (&style);
  draw (cr, &style, width_pt, height_pt, user_data);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == SA_FIGURE_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      sa_set_error (error, SA_ERROR_FAILED, path, _("drawing the figure failed: %s"),
                    cairo_status_to_string (status));
      return FALSE;
    }
  if (format == SA_FIGURE_PNG)
    insert_phys (bytes, dpi);

  /* g_file_set_contents writes a temporary file beside @path and renames it. */
  if (!g_file_set_contents (path, (const char *) bytes->data, bytes->len, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write the figure: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
sa_figure_format_parse (const char     *name,
                        SaFigureFormat *format)
{
  const char *dot;

  g_return_val_if_fail (name != NULL && format != NULL, FALSE);

  dot = strrchr (name, '.');
  if (dot != NULL && strchr (dot, '/') == NULL)
    name = dot + 1;
  if (g_ascii_strcasecmp (name, "png") == 0)
    *format = SA_FIGURE_PNG;
  else if (g_ascii_strcasecmp (name, "svg") == 0)
    *format = SA_FIGURE_SVG;
  else if (g_ascii_strcasecmp (name, "pdf") == 0)
    *format = SA_FIGURE_PDF;
  else
    return FALSE;
  return TRUE;
}
