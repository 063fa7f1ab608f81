#include "config.h"

#include <glib/gi18n.h>

#include "compute/io/nifti-header.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <nifti2_io.h>
#include <string.h>

#include "compute/error.h"

gint64
sa_nifti_gz_read (gzFile  gz,
                  void   *buf,
                  gint64  len)
{
  gint64 done = 0;

  /* gzread takes an unsigned int length */
  while (done < len)
    {
      unsigned int chunk = (unsigned int) MIN (len - done, (gint64) 1 << 30);
      int got = gzread (gz, (char *) buf + done, chunk);

      if (got <= 0)
        break;
      done += got;
    }
  return done;
}

void
sa_nifti_gz_error (gzFile       gz,
                   const char  *path,
                   GError     **error)
{
  int errnum = Z_OK;
  const char *msg = gzerror (gz, &errnum);
  size_t plen = strlen (path);

  /* zlib prefixes its message with the path, which sa_set_error adds too */
  if (strncmp (msg, path, plen) == 0 && strncmp (msg + plen, ": ", 2) == 0)
    msg += plen + 2;

  if (errnum == Z_ERRNO)
    sa_set_error (error, SA_ERROR_IO, path, _("read error: %s"), g_strerror (errno));
  else if (errnum == Z_DATA_ERROR)
    sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("gzip data is corrupt (%s)"), msg);
  else if (errnum == Z_MEM_ERROR)
    sa_set_error (error, SA_ERROR_FAILED, path, _("out of memory while decompressing"));
  else if (errnum != Z_OK && errnum != Z_BUF_ERROR)
    sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("gzip error (%s)"), msg);
  else
    g_assert_not_reached ();
}

static gboolean
gz_has_error (gzFile gz)
{
  int errnum = Z_OK;

  gzerror (gz, &errnum);
  /* Z_BUF_ERROR is zlib's "unexpected end of file": a truncation, which the
   * callers report with the byte counts instead. */
  return errnum != Z_OK && errnum != Z_BUF_ERROR;
}

static void
from_n1 (const nifti_1_header *h,
         SaNiftiHeader        *hdr)
{
  hdr->ndim = h->dim[0];
  for (int i = 0; i < 8; i++)
    {
      hdr->dim[i] = h->dim[i];
      hdr->pixdim[i] = h->pixdim[i];
    }
  hdr->datatype = h->datatype;
  hdr->vox_offset = isfinite (h->vox_offset) && h->vox_offset >= 0 && h->vox_offset < 1e15
                    ? (gint64) h->vox_offset : -1;
  hdr->scl_slope = h->scl_slope;
  hdr->scl_inter = h->scl_inter;
  hdr->xyzt_units = h->xyzt_units;
  hdr->qform_code = h->qform_code;
  hdr->sform_code = h->sform_code;
  hdr->quatern[0] = h->quatern_b;
  hdr->quatern[1] = h->quatern_c;
  hdr->quatern[2] = h->quatern_d;
  hdr->qoffset[0] = h->qoffset_x;
  hdr->qoffset[1] = h->qoffset_y;
  hdr->qoffset[2] = h->qoffset_z;
  for (int j = 0; j < 4; j++)
    {
      hdr->srow[0][j] = h->srow_x[j];
      hdr->srow[1][j] = h->srow_y[j];
      hdr->srow[2][j] = h->srow_z[j];
    }
  memcpy (hdr->descrip, h->descrip, 80);
  hdr->descrip[80] = '\0';
}

static void
from_n2 (const nifti_2_header *h,
         SaNiftiHeader        *hdr)
{
  hdr->ndim = (int) CLAMP (h->dim[0], -1, 8);
  for (int i = 0; i < 8; i++)
    {
      hdr->dim[i] = h->dim[i];
      hdr->pixdim[i] = h->pixdim[i];
    }
  hdr->datatype = h->datatype;
  hdr->vox_offset = h->vox_offset;
  hdr->scl_slope = h->scl_slope;
  hdr->scl_inter = h->scl_inter;
  hdr->xyzt_units = h->xyzt_units;
  hdr->qform_code = h->qform_code;
  hdr->sform_code = h->sform_code;
  hdr->quatern[0] = h->quatern_b;
  hdr->quatern[1] = h->quatern_c;
  hdr->quatern[2] = h->quatern_d;
  hdr->qoffset[0] = h->qoffset_x;
  hdr->qoffset[1] = h->qoffset_y;
  hdr->qoffset[2] = h->qoffset_z;
  for (int j = 0; j < 4; j++)
    {
      hdr->srow[0][j] = h->srow_x[j];
      hdr->srow[1][j] = h->srow_y[j];
      hdr->srow[2][j] = h->srow_z[j];
    }
  memcpy (hdr->descrip, h->descrip, 80);
  hdr->descrip[80] = '\0';
}

gzFile
sa_nifti_header_open (const char     *path,
                      SaNiftiHeader  *hdr,
                      GError        **error)
{
  union {
    nifti_1_header n1;
    nifti_2_header n2;
    unsigned char  bytes[sizeof (nifti_2_header)];
  } raw;
  unsigned char magic[2] = { 0, 0 };
  GStatBuf st;
  gzFile gz;
  FILE *f;
  gint64 got;
  gint32 size, size_swapped;

  G_STATIC_ASSERT (sizeof (nifti_1_header) == 348);
  G_STATIC_ASSERT (sizeof (nifti_2_header) == 540);

  memset (hdr, 0, sizeof *hdr);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      sa_set_error (error, saved == ENOENT ? SA_ERROR_NOT_FOUND : SA_ERROR_IO, path,
                    "%s", saved == ENOENT ? _("no such file") : g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not a regular file"));
      return NULL;
    }
  hdr->file_size = st.st_size;

  f = g_fopen (path, "rb");
  if (f == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot open: %s"), g_strerror (errno));
      return NULL;
    }
  hdr->gzip = fread (magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  fclose (f);

  gz = gzopen (path, "rb");
  if (gz == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot open: %s"), g_strerror (errno));
      return NULL;
    }
  /* Large reads decompress faster than zlib's default 8 KiB buffer */
  gzbuffer (gz, hdr->file_size > (1 << 20) ? 1 << 20 : 1 << 16);

  got = sa_nifti_gz_read (gz, raw.bytes, 348);
  if (gz_has_error (gz))
    goto gz_fail;
  if (got < 4)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a NIfTI file (%lld bytes, too short for a header)"), (long long) got);
      goto fail;
    }
  memcpy (&size, raw.bytes, 4);
  size_swapped = (gint32) GUINT32_SWAP_LE_BE ((guint32) size);
  if (size == 540 || size_swapped == 540)
    {
      hdr->format = 2;
      hdr->swap = size != 540;
      got += sa_nifti_gz_read (gz, raw.bytes + 348, 540 - 348);
      if (gz_has_error (gz))
        goto gz_fail;
      if (got < 540)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("truncated: a NIfTI-2 header needs 540 bytes, found %lld"), (long long) got);
          goto fail;
        }
      if (memcmp (raw.n2.magic, "n+2\0\r\n\032\n", 8) != 0)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("not a NIfTI file (NIfTI-2 header size but no \"n+2\" magic)"));
          goto fail;
        }
      if (hdr->swap)
        swap_nifti_header (&raw.n2, 2);
      from_n2 (&raw.n2, hdr);
    }
  else if (size == 348 || size_swapped == 348)
    {
      hdr->format = 1;
      hdr->swap = size != 348;
      if (got < 348)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("truncated: a NIfTI-1 header needs 348 bytes, found %lld"), (long long) got);
          goto fail;
        }
      if (memcmp (raw.n1.magic, "ni1", 4) == 0)
        {
          sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                        _("a NIfTI-1 header of a .hdr/.img pair; give a single-file .nii or .nii.gz"));
          goto fail;
        }
      if (memcmp (raw.n1.magic, "n+1", 4) != 0)
        {
          sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                        _("an Analyze 7.5 header without the NIfTI \"n+1\" magic is not supported"));
          goto fail;
        }
      if (hdr->swap)
        swap_nifti_header (&raw.n1, 1);
      from_n1 (&raw.n1, hdr);
    }
  else
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a NIfTI file (header size field is %d, not 348 or 540)"), size);
      goto fail;
    }
  hdr->consumed = hdr->format == 1 ? 348 : 540;

  if (hdr->vox_offset < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("invalid vox_offset"));
      goto fail;
    }
  /* As nifti_clib: a single-file offset inside the header means "right after
   * it" (header + the 4-byte extension flag). */
  if (hdr->vox_offset < hdr->consumed + 4)
    hdr->vox_offset = hdr->consumed + 4;
  return gz;

gz_fail:
  sa_nifti_gz_error (gz, path, error);
fail:
  gzclose (gz);
  return NULL;
}

static double
xyz_scale_from_units (int units)
{
  switch (XYZT_TO_SPACE (units))
    {
    case NIFTI_UNITS_METER:
      return 1000.0;
    case NIFTI_UNITS_MICRON:
      return 0.001;
    default:
      return 1.0;
    }
}

double
sa_nifti_header_xyz_scale (const SaNiftiHeader *hdr)
{
  return xyz_scale_from_units (hdr->xyzt_units);
}

double
sa_nifti_header_tr (const SaNiftiHeader *hdr)
{
  double tr = hdr->pixdim[4];

  if (hdr->ndim < 4 || hdr->dim[4] < 2 || !isfinite (tr) || tr <= 0)
    return 0;
  switch (XYZT_TO_TIME (hdr->xyzt_units))
    {
    case NIFTI_UNITS_MSEC:
      return tr / 1000.0;
    case NIFTI_UNITS_USEC:
      return tr / 1e6;
    case NIFTI_UNITS_HZ:
    case NIFTI_UNITS_PPM:
    case NIFTI_UNITS_RADS:
      return 0;
    default:
      /* seconds, or unknown: BIDS and most tools mean seconds */
      return tr;
    }
}

/* nibabel fixes zero and negative pixdim[1..3] when it loads a header
 * (_chk_pixdims), before any affine is computed from them. */
static double
fixed_pixdim (const SaNiftiHeader *hdr,
              int                  i)
{
  double p = hdr->pixdim[i];

  if (i <= 3 && p == 0)
    return 1;
  return fabs (p);
}

void
sa_nifti_header_affine (const SaNiftiHeader *hdr,
                        double               affine[4][4])
{
  memset (affine, 0, sizeof (double[4][4]));
  affine[3][3] = 1;

  if (hdr->sform_code > 0)
    {
      for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
          affine[i][j] = hdr->srow[i][j];
    }
  else if (hdr->qform_code > 0)
    {
      double qfac = hdr->pixdim[0] < 0 ? -1 : 1;
      nifti_dmat44 m = nifti_quatern_to_dmat44 (hdr->quatern[0], hdr->quatern[1],
                                                hdr->quatern[2], hdr->qoffset[0],
                                                hdr->qoffset[1], hdr->qoffset[2],
                                                fixed_pixdim (hdr, 1), fixed_pixdim (hdr, 2),
                                                fixed_pixdim (hdr, 3), qfac);
      for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
          affine[i][j] = m.m[i][j];
    }
  else
    {
      /* nibabel's get_base_affine (shape_zoom_affine with an x flip): the
       * origin at the centre of the volume. */
      for (int i = 0; i < 3; i++)
        {
          gint64 n = i < hdr->ndim ? hdr->dim[i + 1] : 1;
          double zoom = i < hdr->ndim ? hdr->pixdim[i + 1] : 1;

          /* nibabel's load-time fix of pixdim (zero → 1, negative → abs) */
          if (i < hdr->ndim)
            zoom = fixed_pixdim (hdr, i + 1);
          if (i == 0)
            zoom = -zoom;
          affine[i][i] = zoom;
          affine[i][3] = -((double) (n - 1) / 2.0) * zoom;
        }
    }
}
