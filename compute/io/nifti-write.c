#include "config.h"

#include <glib/gi18n.h>

#include "compute/io/nifti.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <nifti2_io.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "compute/error.h"

static void
fill_header (const SaVolume *volume,
             gboolean        mni,
             nifti_1_header *h)
{
  nifti_dmat44 m;
  double qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
  int code = mni ? NIFTI_XFORM_MNI_152 : NIFTI_XFORM_ALIGNED_ANAT;

  memset (h, 0, sizeof *h);
  h->sizeof_hdr = 348;
  h->dim[0] = volume->nt > 1 ? 4 : 3;
  h->dim[1] = (short) volume->nx;
  h->dim[2] = (short) volume->ny;
  h->dim[3] = (short) volume->nz;
  h->dim[4] = (short) volume->nt;
  for (int i = 5; i < 8; i++)
    h->dim[i] = 1;
  h->datatype = NIFTI_TYPE_FLOAT32;
  h->bitpix = 32;
  h->vox_offset = 352;
  /* slope 1 rather than 0: some tools read 0 literally */
  h->scl_slope = 1;
  h->scl_inter = 0;
  h->xyzt_units = NIFTI_UNITS_MM | NIFTI_UNITS_SEC;
  h->qform_code = code;
  h->sform_code = code;

  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      m.m[i][j] = volume->affine[i][j];
  nifti_dmat44_to_quatern (m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac);
  h->quatern_b = (float) qb;
  h->quatern_c = (float) qc;
  h->quatern_d = (float) qd;
  h->qoffset_x = (float) qx;
  h->qoffset_y = (float) qy;
  h->qoffset_z = (float) qz;
  h->pixdim[0] = (float) qfac;
  h->pixdim[1] = (float) dx;
  h->pixdim[2] = (float) dy;
  h->pixdim[3] = (float) dz;
  h->pixdim[4] = (float) (volume->nt > 1 ? volume->tr : 0);
  for (int i = 5; i < 8; i++)
    h->pixdim[i] = 1;
  for (int j = 0; j < 4; j++)
    {
      h->srow_x[j] = (float) volume->affine[0][j];
      h->srow_y[j] = (float) volume->affine[1][j];
      h->srow_z[j] = (float) volume->affine[2][j];
    }
  g_strlcpy (h->descrip, "SyncAct " PACKAGE_VERSION, sizeof h->descrip);
  memcpy (h->magic, "n+1", 4);
}

static gboolean
write_all (gzFile      gz,
           const void *buf,
           gsize       len)
{
  gsize done = 0;

  while (done < len)
    {
      unsigned int chunk = (unsigned int) MIN (len - done, (gsize) 1 << 30);
      int n = gzwrite (gz, (const char *) buf + done, chunk);

      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

gboolean
sa_volume_save (const SaVolume *volume,
                const char     *path,
                gboolean        mni,
                GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  nifti_1_header h;
  const char extension[4] = { 0, 0, 0, 0 };
  gboolean gz_name;
  gsize nvals;
  gzFile gz;
  int fd, zerr, saved_errno = 0;
  gboolean ok;

  g_return_val_if_fail (volume != NULL && volume->data != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  gz_name = g_str_has_suffix (path, ".nii.gz");
  if (!gz_name && !g_str_has_suffix (path, ".nii"))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, path, _("a NIfTI file name must end in .nii or .nii.gz"));
      return FALSE;
    }
  /* NIfTI-1 stores sizes as 16-bit */
  if (volume->nx > G_MAXINT16 || volume->ny > G_MAXINT16 || volume->nz > G_MAXINT16
      || volume->nt > G_MAXINT16)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, path, _("a dimension exceeds NIfTI-1's limit of 32767"));
      return FALSE;
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      if (!isfinite (volume->affine[i][j]))
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, path, _("the affine has non-finite values"));
          return FALSE;
        }

  fill_header (volume, mni, &h);
  nvals = (gsize) volume->nx * volume->ny * volume->nz * volume->nt;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_WRONLY, 0666);
  if (fd < 0)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot create a file in %s: %s"), dir,
                    g_strerror (errno));
      return FALSE;
    }
  /* mkstemp ignores the umask; give the file the mode a plain create would */
  {
    mode_t mask = umask (0);
    umask (mask);
    fchmod (fd, 0666 & ~mask);
  }

  /* Level 1, as nibabel: most of the size win at a fraction of the time;
   * "T" writes a plain .nii through the same code. */
  gz = gzdopen (fd, gz_name ? "wb1" : "wbT");
  if (gz == NULL)
    {
      close (fd);
      g_unlink (tmp);
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: out of memory"));
      return FALSE;
    }
  gzbuffer (gz, 1 << 20);

  ok = write_all (gz, &h, sizeof h)
       && write_all (gz, extension, sizeof extension)
       && write_all (gz, volume->data, nvals * sizeof (float));
  if (!ok)
    saved_errno = errno;
  zerr = gzclose (gz);
  if (ok && zerr != Z_OK)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: %s"),
                    saved_errno != 0 ? g_strerror (saved_errno) : "write failed");
      return FALSE;
    }
  return TRUE;
}
