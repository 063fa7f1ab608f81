#include "config.h"

#include "tests/fixture.h"

#include <math.h>
#include <string.h>

static float *
make_anatomy (int n[3], const double aff[4][4])
{
  float *d = g_new0 (float, n[0] * n[1] * n[2]);

  for (int k = 0; k < n[2]; k++)
    for (int j = 0; j < n[1]; j++)
      for (int i = 0; i < n[0]; i++)
        {
          double x = aff[0][0] * i + aff[0][3];
          double y = aff[1][1] * j + aff[1][3];
          double z = aff[2][2] * k + aff[2][3];
          double q = x * x / (70.0 * 70) + y * y / (90.0 * 90) + z * z / (70.0 * 70);

          d[(k * n[1] + j) * n[0] + i] = q < 1 ? (q < 0.5 ? 80.0f : 40.0f) : 0.0f;
        }
  return d;
}

SaFixture *
sa_fixture_new (void)
{
  SaFixture *f = g_new0 (SaFixture, 1);
  int na[3] = { 80, 100, 80 };
  int no[3] = { 50, 64, 50 };
  float *ov;

  f->anatomy.nx = na[0]; f->anatomy.ny = na[1]; f->anatomy.nz = na[2];
  memset (f->anatomy.affine, 0, sizeof f->anatomy.affine);
  f->anatomy.affine[0][0] = 2; f->anatomy.affine[0][3] = -80;
  f->anatomy.affine[1][1] = 2; f->anatomy.affine[1][3] = -100;
  f->anatomy.affine[2][2] = 2; f->anatomy.affine[2][3] = -80;
  f->anatomy.affine[3][3] = 1;
  f->anatomy.data = make_anatomy (na, (const double (*)[4]) f->anatomy.affine);

  /* LAS: i grows to the left, so a left/right mix-up shows. */
  f->overlay.nx = no[0]; f->overlay.ny = no[1]; f->overlay.nz = no[2];
  memset (f->overlay.affine, 0, sizeof f->overlay.affine);
  f->overlay.affine[0][0] = -3; f->overlay.affine[0][3] = 75;
  f->overlay.affine[1][1] = 3; f->overlay.affine[1][3] = -96;
  f->overlay.affine[2][2] = 3; f->overlay.affine[2][3] = -75;
  f->overlay.affine[3][3] = 1;
  ov = g_new0 (float, no[0] * no[1] * no[2]);
  f->blob_pos[0] = 30; f->blob_pos[1] = 12; f->blob_pos[2] = 15;
  f->blob_neg[0] = -36; f->blob_neg[1] = -30; f->blob_neg[2] = 15;
  for (int k = 0; k < no[2]; k++)
    for (int j = 0; j < no[1]; j++)
      for (int i = 0; i < no[0]; i++)
        {
          double w[3] = { -3.0 * i + 75, 3.0 * j - 96, 3.0 * k - 75 };
          double dp = 0, dn = 0;

          for (int a = 0; a < 3; a++)
            {
              dp += (w[a] - f->blob_pos[a]) * (w[a] - f->blob_pos[a]);
              dn += (w[a] - f->blob_neg[a]) * (w[a] - f->blob_neg[a]);
            }
          if (dp <= 10.0 * 10.0)
            ov[(k * no[1] + j) * no[0] + i] = 1.0f;
          else if (dn <= 10.0 * 10.0)
            ov[(k * no[1] + j) * no[0] + i] = -1.0f;
        }
  f->overlay.data = ov;

  f->n_tr = 120;
  f->tr = 2.0;
  f->fbn = g_new (float, f->n_tr);
  f->filter = g_new (float, f->n_tr);
  for (int t = 0; t < f->n_tr; t++)
    {
      double s = sin (2 * G_PI * t / 30.0);
      f->fbn[t] = 100 + 5 * s + 2 * cos (2 * G_PI * t / 7.0);
      f->filter[t] = 3 + 0.5 * s;
    }

  for (int c = 0; c < 3; c++)
    {
      f->frame_rgb[c] = g_new0 (guint8, 32 * 24 * 3);
      for (int p = 0; p < 32 * 24; p++)
        f->frame_rgb[c][3 * p + c] = 255;
      f->frames[c] = (SaFrame) { f->frame_rgb[c], 32, 24, 32 * 3, 10.0 * (c + 1), NULL };
    }
  return f;
}

void
sa_fixture_free (SaFixture *f)
{
  if (f == NULL)
    return;
  g_free ((float *) f->anatomy.data);
  g_free ((float *) f->overlay.data);
  g_free (f->fbn);
  g_free (f->filter);
  for (int c = 0; c < 3; c++)
    g_free (f->frame_rgb[c]);
  g_free (f);
}
