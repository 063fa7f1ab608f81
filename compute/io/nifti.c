#include "config.h"

#include <glib/gi18n.h>

#include "compute/io/nifti.h"

#include <math.h>
#include <nifti2_io.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/nifti-header.h"
#include "compute/io/orient.h"

/* Deflate never expands more than ~1032:1, so a .nii.gz that claims more data
 * than that is truncated; checking first keeps a bogus header from making us
 * allocate gigabytes. */
#define GZIP_MAX_RATIO 1032

static const char *
xyz_units_name (int units)
{
  switch (XYZT_TO_SPACE (units))
    {
    case NIFTI_UNITS_METER: return "m";
    case NIFTI_UNITS_MM:    return "mm";
    case NIFTI_UNITS_MICRON: return "um";
    default:                return "unknown";
    }
}

static const char *
time_units_name (int units)
{
  switch (XYZT_TO_TIME (units))
    {
    case NIFTI_UNITS_SEC:  return "s";
    case NIFTI_UNITS_MSEC: return "ms";
    case NIFTI_UNITS_USEC: return "us";
    case NIFTI_UNITS_HZ:   return "Hz";
    case NIFTI_UNITS_PPM:  return "ppm";
    case NIFTI_UNITS_RADS: return "rad/s";
    default:               return "unknown";
    }
}

static const char *
datatype_name (int datatype)
{
  switch (datatype)
    {
    case NIFTI_TYPE_UINT8:      return "UINT8";
    case NIFTI_TYPE_INT8:       return "INT8";
    case NIFTI_TYPE_INT16:      return "INT16";
    case NIFTI_TYPE_UINT16:     return "UINT16";
    case NIFTI_TYPE_INT32:      return "INT32";
    case NIFTI_TYPE_UINT32:     return "UINT32";
    case NIFTI_TYPE_INT64:      return "INT64";
    case NIFTI_TYPE_UINT64:     return "UINT64";
    case NIFTI_TYPE_FLOAT32:    return "FLOAT32";
    case NIFTI_TYPE_FLOAT64:    return "FLOAT64";
    case NIFTI_TYPE_FLOAT128:   return "FLOAT128";
    case NIFTI_TYPE_COMPLEX64:  return "COMPLEX64";
    case NIFTI_TYPE_COMPLEX128: return "COMPLEX128";
    case NIFTI_TYPE_COMPLEX256: return "COMPLEX256";
    case NIFTI_TYPE_RGB24:      return "RGB24";
    case NIFTI_TYPE_RGBA32:     return "RGBA32";
    case DT_BINARY:             return "BINARY";
    default:                    return "UNKNOWN";
    }
}

/* Bytes per value of the scalar types we convert; 0 for the others. */
static int
datatype_size (int datatype)
{
  switch (datatype)
    {
    case NIFTI_TYPE_UINT8:
    case NIFTI_TYPE_INT8:
      return 1;
    case NIFTI_TYPE_INT16:
    case NIFTI_TYPE_UINT16:
      return 2;
    case NIFTI_TYPE_INT32:
    case NIFTI_TYPE_UINT32:
    case NIFTI_TYPE_FLOAT32:
      return 4;
    case NIFTI_TYPE_INT64:
    case NIFTI_TYPE_UINT64:
    case NIFTI_TYPE_FLOAT64:
      return 8;
    default:
      return 0;
    }
}

void
sa_nifti_info_free (SaNiftiInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->xyz_units);
  g_free (info->time_units);
  g_free (info->descrip);
  g_free (info);
}

SaNiftiInfo *
sa_nifti_info_read (const char  *path,
                    GError     **error)
{
  g_autoptr(SaNiftiInfo) info = NULL;
  SaNiftiHeader hdr;
  double scale;
  gzFile gz;

  g_return_val_if_fail (path != NULL, NULL);

  gz = sa_nifti_header_open (path, &hdr, error);
  if (gz == NULL)
    return NULL;
  gzclose (gz);

  if (hdr.ndim < 1 || hdr.ndim > 7)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("invalid number of dimensions (dim[0] = %d)"), hdr.ndim);
      return NULL;
    }

  info = g_new0 (SaNiftiInfo, 1);
  info->path = g_strdup (path);
  info->format = hdr.format;
  info->ndim = hdr.ndim;
  for (int i = 0; i < 7; i++)
    {
      info->dims[i] = i < hdr.ndim ? hdr.dim[i + 1] : 1;
      info->pixdim[i] = hdr.pixdim[i + 1];
    }
  scale = sa_nifti_header_xyz_scale (&hdr);
  for (int i = 0; i < 3; i++)
    info->voxel_size[i] = (hdr.pixdim[i + 1] == 0 ? 1 : fabs (hdr.pixdim[i + 1])) * scale;
  info->tr = sa_nifti_header_tr (&hdr);
  info->datatype = hdr.datatype;
  info->datatype_name = datatype_name (hdr.datatype);
  info->scl_slope = hdr.scl_slope;
  info->scl_inter = hdr.scl_inter;
  info->qform_code = hdr.qform_code;
  info->sform_code = hdr.sform_code;
  sa_nifti_header_affine (&hdr, info->affine);
  sa_affine_orientation (info->affine, info->orientation);
  info->xyz_units = g_strdup (xyz_units_name (hdr.xyzt_units));
  info->time_units = g_strdup (time_units_name (hdr.xyzt_units));
  /* descrip is free text; keep it valid UTF-8 for JSON and the terminal */
  info->descrip = g_utf8_make_valid (hdr.descrip, -1);
  return g_steal_pointer (&info);
}

SaVolume *
sa_volume_new (int           nx,
               int           ny,
               int           nz,
               int           nt,
               const double  affine[4][4])
{
  SaVolume *volume;
  gsize n;

  g_return_val_if_fail (nx > 0 && ny > 0 && nz > 0 && nt > 0, NULL);
  n = (gsize) nx * ny * nz * nt;

  volume = g_new0 (SaVolume, 1);
  volume->nx = nx;
  volume->ny = ny;
  volume->nz = nz;
  volume->nt = nt;
  if (affine != NULL)
    memcpy (volume->affine, affine, sizeof volume->affine);
  else
    for (int i = 0; i < 4; i++)
      volume->affine[i][i] = 1;
  for (int j = 0; j < 3; j++)
    volume->voxel_size[j] = sqrt (volume->affine[0][j] * volume->affine[0][j]
                                  + volume->affine[1][j] * volume->affine[1][j]
                                  + volume->affine[2][j] * volume->affine[2][j]);
  volume->data = g_try_new0 (float, n);
  if (volume->data == NULL)
    {
      g_free (volume);
      return NULL;
    }
  return volume;
}

void
sa_volume_free (SaVolume *volume)
{
  if (volume == NULL)
    return;
  g_free (volume->data);
  g_free (volume);
}

/* Everything the data pass needs, worked out from the header. */
typedef struct {
  gint64        dims[3];      /* stored voxel axes */
  int           nt;
  int           nbyper;
  gsize         nvox;         /* voxels per volume */
  gboolean      scaled;
  double        slope, inter;
  gint64        out_stride[3];  /* output index step per stored axis (signed) */
  gint64        out_origin;     /* output index of stored voxel (0,0,0) */
  gboolean      identity;
} Layout;

static gboolean
check_dims (const SaNiftiHeader *hdr,
            const char          *path,
            GError             **error)
{
  gint64 total = 1;

  if (hdr->ndim < 1 || hdr->ndim > 7)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("invalid number of dimensions (dim[0] = %d)"), hdr->ndim);
      return FALSE;
    }
  for (int i = 1; i <= hdr->ndim; i++)
    if (hdr->dim[i] <= 0)
      {
        sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                      _("dimension %d has size %lld; every size must be at least 1"),
                      i, (long long) hdr->dim[i]);
        return FALSE;
      }
  if (hdr->ndim < 3)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                    _("%dD data; SyncAct reads 3D volumes and 4D time series"), hdr->ndim);
      return FALSE;
    }
  /* Trailing sizes of 1 (dim[0] = 5 with dim[5] = 1) are still 4D. */
  for (int i = 5; i <= hdr->ndim; i++)
    if (hdr->dim[i] != 1)
      {
        sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                      _("%dD data (dim[%d] = %lld); SyncAct reads 3D volumes and 4D time series"),
                      hdr->ndim, i, (long long) hdr->dim[i]);
        return FALSE;
      }
  for (int i = 1; i <= MIN (hdr->ndim, 4); i++)
    {
      guint64 next;

      if (hdr->dim[i] > G_MAXINT
          || !g_uint64_checked_mul (&next, (guint64) total, (guint64) hdr->dim[i])
          || next > (guint64) G_MAXINT64 / 16)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("dimensions too large"));
          return FALSE;
        }
      total = (gint64) next;
    }
  return TRUE;
}

static gboolean
layout_init (const SaNiftiHeader *hdr,
             const char          *path,
             Layout              *L,
             SaVolume            *header,
             GError             **error)
{
  SaOrientation ornt;
  double affine[4][4];
  gint64 out_n[3], axis_stride[3];
  double scale;

  memset (L, 0, sizeof *L);
  if (!check_dims (hdr, path, error))
    return FALSE;

  L->nbyper = datatype_size (hdr->datatype);
  if (L->nbyper == 0)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                    _("datatype %s (%d) is not supported; SyncAct reads real-valued "
                    "integer and float data (no complex, RGB or 128-bit floats)"),
                    datatype_name (hdr->datatype), hdr->datatype);
      return FALSE;
    }

  for (int a = 0; a < 3; a++)
    L->dims[a] = hdr->dim[a + 1];
  L->nt = hdr->ndim >= 4 ? (int) hdr->dim[4] : 1;
  L->nvox = (gsize) (L->dims[0] * L->dims[1] * L->dims[2]);

  /* nibabel: a zero or non-finite slope means the data are used as stored */
  L->slope = hdr->scl_slope;
  L->inter = hdr->scl_inter;
  if (L->slope == 0 || !isfinite (L->slope))
    {
      L->slope = 1;
      L->inter = 0;
    }
  else if (!isfinite (L->inter))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("scl_slope is %g but scl_inter is not a finite number"), L->slope);
      return FALSE;
    }
  L->scaled = L->slope != 1 || L->inter != 0;

  sa_nifti_header_affine (hdr, affine);
  if (!sa_orientation_from_affine (affine, &ornt))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("the %s affine is singular or not finite, so the voxel axes have no "
                    "direction in space"), hdr->sform_code > 0 ? "sform"
                    : hdr->qform_code > 0 ? "qform" : "base");
      return FALSE;
    }
  L->identity = sa_orientation_is_identity (&ornt);

  for (int a = 0; a < 3; a++)
    out_n[ornt.axis[a]] = L->dims[a];
  axis_stride[0] = 1;
  axis_stride[1] = out_n[0];
  axis_stride[2] = out_n[0] * out_n[1];
  L->out_origin = 0;
  for (int a = 0; a < 3; a++)
    {
      gint64 s = axis_stride[ornt.axis[a]];

      if (ornt.flip[a] < 0)
        {
          L->out_stride[a] = -s;
          L->out_origin += (L->dims[a] - 1) * s;
        }
      else
        L->out_stride[a] = s;
    }

  if (header != NULL)
    {
      memset (header, 0, sizeof *header);
      header->nx = (int) out_n[0];
      header->ny = (int) out_n[1];
      header->nz = (int) out_n[2];
      header->nt = L->nt;
      scale = sa_nifti_header_xyz_scale (hdr);
      for (int a = 0; a < 3; a++)
        {
          double p = hdr->pixdim[a + 1];
          header->voxel_size[ornt.axis[a]] = (p == 0 ? 1 : fabs (p)) * scale;
        }
      header->tr = sa_nifti_header_tr (hdr);
      sa_orientation_apply_affine (&ornt, L->dims, affine, header->affine);
      header->data = NULL;
    }
  return TRUE;
}

#define CONVERT_ROW(T)                                                  \
  {                                                                     \
    const T *src = (const T *) raw + row;                               \
    if (L->scaled)                                                      \
      for (gint64 i = 0; i < nx; i++)                                   \
        dst[i * s0] = (float) ((double) src[i] * L->slope + L->inter);  \
    else                                                                \
      for (gint64 i = 0; i < nx; i++)                                   \
        dst[i * s0] = (float) src[i];                                   \
  }                                                                     \
  break

/* Stored order → RAS+ order, scaled, as float32. */
static void
convert_volume (const Layout *L,
                int           datatype,
                const void   *raw,
                float        *out)
{
  gint64 nx = L->dims[0], ny = L->dims[1], nz = L->dims[2];
  gint64 s0 = L->out_stride[0];

  if (L->identity && !L->scaled && datatype == NIFTI_TYPE_FLOAT32)
    {
      memcpy (out, raw, L->nvox * sizeof (float));
      return;
    }

  for (gint64 k = 0; k < nz; k++)
    for (gint64 j = 0; j < ny; j++)
      {
        gsize row = (gsize) ((k * ny + j) * nx);
        float *dst = out + L->out_origin + j * L->out_stride[1] + k * L->out_stride[2];

        switch (datatype)
          {
          case NIFTI_TYPE_UINT8:   CONVERT_ROW (guint8);
          case NIFTI_TYPE_INT8:    CONVERT_ROW (gint8);
          case NIFTI_TYPE_INT16:   CONVERT_ROW (gint16);
          case NIFTI_TYPE_UINT16:  CONVERT_ROW (guint16);
          case NIFTI_TYPE_INT32:   CONVERT_ROW (gint32);
          case NIFTI_TYPE_UINT32:  CONVERT_ROW (guint32);
          case NIFTI_TYPE_INT64:   CONVERT_ROW (gint64);
          case NIFTI_TYPE_UINT64:  CONVERT_ROW (guint64);
          case NIFTI_TYPE_FLOAT32: CONVERT_ROW (float);
          case NIFTI_TYPE_FLOAT64: CONVERT_ROW (double);
          default:
            g_assert_not_reached ();
          }
      }
}

static void
set_truncated (GError     **error,
               const char  *path,
               guint64      expected,
               guint64      found)
{
  sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                _("truncated: expected %llu bytes of data, found %llu"),
                (unsigned long long) expected, (unsigned long long) found);
}

/* Where volume @t should be written; NULL (with the error set) to stop. */
typedef float *(*TargetFunc) (int t, gpointer user_data);

/* @target, when given, lets the caller receive each volume in place (the
 * whole-file load converts straight into its 4D array, saving a copy of
 * every byte); otherwise volumes go through one reused buffer to @func. */
static gboolean
stream_volumes (const char       *path,
                SaVolume         *header,
                SaVolumeFunc      func,
                TargetFunc        target,
                gpointer          user_data,
                const SaProgress *progress,
                GCancellable     *cancellable,
                GError          **error)
{
  SaNiftiHeader hdr;
  Layout L;
  g_autofree guint8 *raw = NULL;
  g_autofree float *out = NULL;
  guint64 volume_bytes, data_bytes, found = 0;
  gint64 skip;
  gboolean ok = FALSE;
  gzFile gz;

  gz = sa_nifti_header_open (path, &hdr, error);
  if (gz == NULL)
    return FALSE;
  if (!layout_init (&hdr, path, &L, header, error))
    goto out;

  volume_bytes = (guint64) L.nvox * L.nbyper;
  data_bytes = volume_bytes * (guint64) L.nt;
  if (!hdr.gzip && (guint64) hdr.file_size < hdr.vox_offset + data_bytes)
    {
      set_truncated (error, path, data_bytes,
                     (guint64) MAX (hdr.file_size - hdr.vox_offset, 0));
      goto out;
    }
  if (hdr.gzip && hdr.vox_offset + data_bytes > (guint64) hdr.file_size * GZIP_MAX_RATIO + 65536)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("truncated: expected %llu bytes of data, more than a "
                      "%lld-byte gzip file can hold"),
                    (unsigned long long) data_bytes, (long long) hdr.file_size);
      goto out;
    }

  raw = g_try_malloc (volume_bytes);
  out = target == NULL ? g_try_new (float, L.nvox) : NULL;
  if (raw == NULL || (target == NULL && out == NULL))
    {
      sa_set_error (error, SA_ERROR_FAILED, path, _("not enough memory for one volume (%llu voxels)"),
                    (unsigned long long) L.nvox);
      goto out;
    }

  /* Extensions or padding before the data: read through them, since a
   * gzip stream cannot seek without decompressing anyway. */
  skip = hdr.vox_offset - hdr.consumed;
  while (skip > 0)
    {
      guint8 scratch[65536];
      gint64 n = MIN (skip, (gint64) sizeof scratch);
      gint64 got = sa_nifti_gz_read (gz, scratch, n);

      if (got < n)
        {
          int errnum = Z_OK;
          gzerror (gz, &errnum);
          if (errnum != Z_OK && errnum != Z_BUF_ERROR)
            sa_nifti_gz_error (gz, path, error);
          else
            set_truncated (error, path, data_bytes, 0);
          goto out;
        }
      skip -= n;
    }

  sa_progress_report (progress, 0, NULL);
  for (int t = 0; t < L.nt; t++)
    {
      gint64 got;

      if (sa_check_cancelled (cancellable, error))
        goto out;
      got = sa_nifti_gz_read (gz, raw, volume_bytes);
      found += got;
      if ((guint64) got < volume_bytes)
        {
          int errnum = Z_OK;
          gzerror (gz, &errnum);
          if (errnum != Z_OK && errnum != Z_BUF_ERROR)
            sa_nifti_gz_error (gz, path, error);
          else
            set_truncated (error, path, data_bytes, found);
          goto out;
        }
      if (hdr.swap && L.nbyper > 1)
        nifti_swap_Nbytes ((int64_t) L.nvox, L.nbyper, raw);
      if (target != NULL)
        {
          float *dst = target (t, user_data);
          if (dst == NULL)
            goto out;
          convert_volume (&L, hdr.datatype, raw, dst);
        }
      else
        {
          convert_volume (&L, hdr.datatype, raw, out);
          if (!func (t, out, user_data))
            break;
        }
      sa_progress_report (progress, (double) (t + 1) / L.nt, NULL);
    }
  ok = TRUE;

out:
  gzclose (gz);
  return ok;
}

gboolean
sa_volume_stream (const char       *path,
                  SaVolume         *header,
                  SaVolumeFunc      func,
                  gpointer          user_data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return stream_volumes (path, header, func, NULL, user_data, NULL, cancellable, error);
}

/* The 4D buffer is allocated when the first volume arrives, after
 * stream_volumes has checked that the file can hold what its header claims,
 * so a bogus header fails with a clear error instead of a huge malloc. */
typedef struct {
  SaVolume    *volume;
  const char  *path;
  GError     **error;
} LoadState;

static float *
load_target (int      t,
             gpointer user_data)
{
  LoadState *state = user_data;
  SaVolume *volume = state->volume;
  gsize nvox = (gsize) volume->nx * volume->ny * volume->nz;

  if (t == 0)
    {
      volume->data = g_try_new (float, nvox * volume->nt);
      if (volume->data == NULL)
        {
          sa_set_error (state->error, SA_ERROR_FAILED, state->path,
                        _("not enough memory for %llu voxels"),
                        (unsigned long long) (nvox * volume->nt));
          return NULL;
        }
    }
  return volume->data + (gsize) t * nvox;
}

SaVolume *
sa_volume_load (const char       *path,
                const SaProgress *progress,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(SaVolume) volume = g_new0 (SaVolume, 1);
  LoadState state = { volume, path, error };

  g_return_val_if_fail (path != NULL, NULL);

  if (!stream_volumes (path, volume, NULL, load_target, &state, progress, cancellable, error))
    return NULL;
  return g_steal_pointer (&volume);
}
