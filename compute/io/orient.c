#include "config.h"

#include "compute/io/orient.h"

#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "compute/io/nifti.h"

/* Mirrors nibabel.orientations.io_orientation: normalise the columns,
 * replace the matrix by its closest orthogonal one (polar decomposition via
 * the SVD, dropping null directions), then give each voxel axis in turn the
 * world axis it moves along most, never reusing a world axis. */
gboolean
sa_orientation_from_affine (const double   affine[4][4],
                            SaOrientation *ornt)
{
  double rs[9], u[9], vt[9], s[3], superb[2], r[3][3];
  double tol;
  gboolean keep[3];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      if (!isfinite (affine[i][j]))
        return FALSE;

  for (int j = 0; j < 3; j++)
    {
      double zoom = sqrt (affine[0][j] * affine[0][j] + affine[1][j] * affine[1][j]
                          + affine[2][j] * affine[2][j]);
      if (zoom == 0)
        zoom = 1;
      for (int i = 0; i < 3; i++)
        rs[i * 3 + j] = affine[i][j] / zoom;
    }

  if (LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'A', 'A', 3, 3, rs, 3, s, u, 3, vt, 3, superb) != 0)
    return FALSE;

  tol = MAX (MAX (s[0], s[1]), s[2]) * 3 * DBL_EPSILON;
  for (int k = 0; k < 3; k++)
    keep[k] = s[k] > tol;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        r[i][j] = 0;
        for (int k = 0; k < 3; k++)
          if (keep[k])
            r[i][j] += u[i * 3 + k] * vt[k * 3 + j];
      }

  for (int in_ax = 0; in_ax < 3; in_ax++)
    {
      int out_ax = 0;
      gboolean all_zero = TRUE;

      /* numpy.allclose (col, 0) with its default atol */
      for (int i = 0; i < 3; i++)
        if (fabs (r[i][in_ax]) > 1e-8)
          all_zero = FALSE;
      if (all_zero)
        return FALSE;

      for (int i = 1; i < 3; i++)
        if (fabs (r[i][in_ax]) > fabs (r[out_ax][in_ax]))
          out_ax = i;
      ornt->axis[in_ax] = out_ax;
      ornt->flip[in_ax] = r[out_ax][in_ax] < 0 ? -1 : 1;
      for (int j = 0; j < 3; j++)
        r[out_ax][j] = 0;
    }
  return TRUE;
}

void
sa_orientation_apply_affine (const SaOrientation *ornt,
                             const gint64         dims[3],
                             const double         affine[4][4],
                             double               out[4][4])
{
  memset (out, 0, sizeof (double[4][4]));
  for (int i = 0; i < 4; i++)
    out[i][3] = affine[i][3];
  for (int a = 0; a < 3; a++)
    {
      int o = ornt->axis[a];

      for (int i = 0; i < 4; i++)
        out[i][o] = ornt->flip[a] * affine[i][a];
      /* input index along a = n_a - 1 - output index when flipped */
      if (ornt->flip[a] < 0)
        for (int i = 0; i < 4; i++)
          out[i][3] += affine[i][a] * (double) (dims[a] - 1);
    }
  out[3][3] = 1;
}

gboolean
sa_orientation_is_identity (const SaOrientation *ornt)
{
  for (int a = 0; a < 3; a++)
    if (ornt->axis[a] != a || ornt->flip[a] != 1)
      return FALSE;
  return TRUE;
}

void
sa_affine_orientation (const double affine[4][4],
                       char         codes[4])
{
  static const char labels[3][2] = { { 'L', 'R' }, { 'P', 'A' }, { 'I', 'S' } };
  SaOrientation ornt;

  if (!sa_orientation_from_affine (affine, &ornt))
    {
      strcpy (codes, "???");
      return;
    }
  for (int a = 0; a < 3; a++)
    codes[a] = labels[ornt.axis[a]][ornt.flip[a] > 0 ? 1 : 0];
  codes[3] = '\0';
}

gboolean
sa_affine_invert (const double a[4][4],
                  double       inv[4][4])
{
  double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
             - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
             + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);

  if (fabs (det) < 1e-12)
    return FALSE;
  inv[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
  inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
  inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
  inv[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
  inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
  inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
  inv[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
  inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
  inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
  for (int r = 0; r < 3; r++)
    inv[r][3] = -(inv[r][0] * a[0][3] + inv[r][1] * a[1][3] + inv[r][2] * a[2][3]);
  inv[3][0] = inv[3][1] = inv[3][2] = 0;
  inv[3][3] = 1;
  return TRUE;
}
