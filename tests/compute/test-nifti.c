#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <nifti2_io.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <zlib.h>

#include "compute/error.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"

/* ---- nibabel's reading ------------------------------------------------ */

static double
member_double (JsonArray *a, guint i)
{
  return json_array_get_double_element (a, i);
}

static void
assert_affine_close (const double       ours[4][4],
                     JsonArray         *rows,
                     double             tol,
                     const char        *what)
{
  for (guint i = 0; i < 4; i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);
      for (guint j = 0; j < 4; j++)
        {
          double ref = member_double (row, j);
          if (fabs (ours[i][j] - ref) > tol * MAX (1.0, fabs (ref)))
            g_error ("%s: affine[%u][%u] = %.9g, nibabel %.9g", what, i, j, ours[i][j], ref);
        }
    }
}

static float *
read_f32 (const char *path, gsize expected)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected * sizeof (float));
  return (float *) g_steal_pointer (&contents);
}

/* Values: NaN where nibabel has NaN, else within float32 rounding. */
static double
max_abs_diff (const float *ours, const float *ref, gsize n, const char *what)
{
  double worst = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (ref[i]) || isnan (ours[i]))
        {
          if (!(isnan (ref[i]) && isnan (ours[i])))
            g_error ("%s: voxel %" G_GSIZE_FORMAT ": %g, nibabel %g", what, i, ours[i], ref[i]);
          continue;
        }
      double d = fabs ((double) ours[i] - ref[i]);
      if (d > 1e-6 * MAX (1.0, fabs (ref[i])))
        g_error ("%s: voxel %" G_GSIZE_FORMAT ": %.9g, nibabel %.9g", what, i, ours[i], ref[i]);
      worst = MAX (worst, d);
    }
  return worst;
}

static void
compare_with_nibabel (JsonObject *e)
{
  const char *path = json_object_get_string_member (e, "path");
  g_autoptr(GError) error = NULL;
  g_autoptr(SaVolume) vol = NULL;
  g_autoptr(SaNiftiInfo) info = NULL;
  JsonArray *shape, *zooms;
  gsize n;

  vol = sa_volume_load (path, NULL, NULL, &error);
  if (json_object_has_member (e, "error"))
    {
      /* nibabel does not read it as a 3D/4D image: neither may we */
      g_assert_null (vol);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_test_message ("%s: refused as nibabel does: %s", path, error->message);
      return;
    }
  g_assert_no_error (error);

  shape = json_object_get_array_member (e, "shape");
  g_assert_cmpint (vol->nx, ==, json_array_get_int_element (shape, 0));
  g_assert_cmpint (vol->ny, ==, json_array_get_int_element (shape, 1));
  g_assert_cmpint (vol->nz, ==, json_array_get_int_element (shape, 2));
  g_assert_cmpint (vol->nt, ==, json_array_get_length (shape) > 3
                                ? json_array_get_int_element (shape, 3) : 1);
  zooms = json_object_get_array_member (e, "zooms");
  for (int a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (vol->voxel_size[a], member_double (zooms, a), 1e-5);
  assert_affine_close (vol->affine, json_object_get_array_member (e, "affine"), 1e-5, path);

  info = sa_nifti_info_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->orientation, ==, json_object_get_string_member (e, "orientation"));
  g_assert_cmpint (info->format, ==, json_object_get_int_member (e, "format"));
  g_assert_cmpint (info->qform_code, ==, json_object_get_int_member (e, "qform_code"));
  g_assert_cmpint (info->sform_code, ==, json_object_get_int_member (e, "sform_code"));
  g_assert_cmpint (info->datatype, ==, json_object_get_int_member (e, "datatype"));
  assert_affine_close (info->affine, json_object_get_array_member (e, "stored_affine"), 1e-5, path);

  n = (gsize) vol->nx * vol->ny * vol->nz * vol->nt;
  {
    double sum = 0, abs_sum = 0, lo = INFINITY, hi = -INFINITY;
    gint64 nans = 0;

    for (gsize i = 0; i < n; i++)
      {
        double v = vol->data[i];
        if (isnan (v))
          {
            nans++;
            continue;
          }
        sum += v;
        abs_sum += fabs (v);
        lo = MIN (lo, v);
        hi = MAX (hi, v);
      }
    g_assert_cmpint (nans, ==, json_object_get_int_member (e, "nan_count"));
    g_assert_cmpfloat_with_epsilon (sum, json_object_get_double_member (e, "sum"),
                                    1e-6 * MAX (1.0, json_object_get_double_member (e, "abs_sum")));
    if (nans < (gint64) n)
      {
        g_assert_cmpfloat (lo, ==, (float) json_object_get_double_member (e, "min"));
        g_assert_cmpfloat (hi, ==, (float) json_object_get_double_member (e, "max"));
      }
  }

  if (json_object_has_member (e, "raw"))
    {
      g_autofree float *ref = read_f32 (json_object_get_string_member (e, "raw"), n);
      double d = max_abs_diff (vol->data, ref, n, path);
      g_test_message ("%s: %dx%dx%dx%d, max abs diff %g", path, vol->nx, vol->ny, vol->nz,
                      vol->nt, d);
    }
  else
    {
      JsonArray *samples = json_object_get_array_member (e, "samples");
      for (guint s = 0; s < json_array_get_length (samples); s++)
        {
          JsonArray *v = json_array_get_array_element (samples, s);
          gint64 i = json_array_get_int_element (v, 0), j = json_array_get_int_element (v, 1);
          gint64 k = json_array_get_int_element (v, 2);
          gint64 t = json_array_get_length (v) > 4 ? json_array_get_int_element (v, 3) : 0;
          double ref = member_double (v, json_array_get_length (v) - 1);
          float ours = vol->data[((t * vol->nz + k) * vol->ny + j) * vol->nx + i];
          g_assert_cmpfloat_with_epsilon (ours, ref, 1e-6 * MAX (1.0, fabs (ref)));
        }
      g_test_message ("%s: %dx%dx%dx%d, stats and %u samples match", path, vol->nx, vol->ny,
                      vol->nz, vol->nt, json_array_get_length (samples));
    }
}

static JsonArray *
describe (const char *const *argv, JsonParser *parser)
{
  g_autofree char *out = sa_test_python ("tests/py/nifti_oracle.py", argv);
  g_autoptr(GError) error = NULL;

  if (out == NULL)
    return NULL;
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_real_files (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  const char *argv[] = { "describe", dir, "--real", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *entries = describe (argv, parser);

  if (entries == NULL)
    return;
  g_assert_cmpuint (json_array_get_length (entries), >=, 7);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    compare_with_nibabel (json_array_get_object_element (entries, i));
}

static void
test_made_files (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  const char *make[] = { "make", dir, NULL };
  g_autofree char *made = sa_test_python ("tests/py/nifti_oracle.py", make);
  g_autoptr(JsonParser) made_parser = json_parser_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *files, *entries;

  if (made == NULL)
    return;
  json_parser_load_from_data (made_parser, made, -1, &error);
  g_assert_no_error (error);
  files = json_node_get_array (json_parser_get_root (made_parser));
  g_ptr_array_add (argv, (char *) "describe");
  g_ptr_array_add (argv, dir);
  for (guint i = 0; i < json_array_get_length (files); i++)
    g_ptr_array_add (argv, (char *) json_array_get_string_element (files, i));
  g_ptr_array_add (argv, NULL);

  entries = describe ((const char *const *) argv->pdata, parser);
  g_assert_nonnull (entries);
  g_assert_cmpuint (json_array_get_length (entries), ==, json_array_get_length (files));
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      g_assert_false (json_object_has_member (e, "error"));
      compare_with_nibabel (e);
    }
}

/* ---- hand-made headers for the bad cases ----------------------------- */

static void
init_header (nifti_1_header *h, int ndim, const int *dims, int datatype, int nbyper)
{
  memset (h, 0, sizeof *h);
  h->sizeof_hdr = 348;
  h->dim[0] = ndim;
  for (int i = 1; i < 8; i++)
    {
      h->dim[i] = i <= ndim ? dims[i - 1] : 1;
      h->pixdim[i] = 1;
    }
  h->pixdim[0] = 1;
  h->datatype = datatype;
  h->bitpix = nbyper * 8;
  h->vox_offset = 352;
  h->sform_code = 1;
  h->srow_x[0] = h->srow_y[1] = h->srow_z[2] = 2;
  memcpy (h->magic, "n+1", 4);
}

/* Header, extension flag, then @data_bytes of data (zeros if @data NULL). */
static char *
write_nii (const char *dir, const char *name, const nifti_1_header *h,
           const void *data, gsize data_bytes)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *buf = g_malloc0 (352 + data_bytes);
  g_autoptr(GError) error = NULL;

  memcpy (buf, h, 348);
  if (data != NULL)
    memcpy (buf + 352, data, data_bytes);
  g_file_set_contents (path, buf, 352 + data_bytes, &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_load_fails (const char *path, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaVolume) vol = sa_volume_load (path, NULL, NULL, &error);

  g_assert_null (vol);
  g_assert_error (error, SA_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (strstr (error->message, needle) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, needle);
  g_test_message ("%s", error->message);
}

static void
test_truncated (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  nifti_1_header h;
  int dims[4] = { 4, 5, 6, 3 };
  g_autofree char *path = NULL;
  g_autofree char *gz_path = g_build_filename (dir, "cut.nii.gz", NULL);
  g_autofree char *full = NULL;
  g_autofree char *cut = NULL;
  gsize len;
  gzFile gz;

  init_header (&h, 4, dims, NIFTI_TYPE_INT16, 2);
  path = write_nii (dir, "cut.nii", &h, NULL, 4 * 5 * 6 * 3 * 2 - 10);
  assert_load_fails (path, SA_ERROR_INVALID_DATA, "truncated: expected 720 bytes of data, found 710");

  /* the same, gzipped: found only when the stream ends */
  g_file_get_contents (path, &full, &len, NULL);
  gz = gzopen (gz_path, "wb");
  gzwrite (gz, full, (unsigned) len);
  gzclose (gz);
  assert_load_fails (gz_path, SA_ERROR_INVALID_DATA, "truncated: expected 720 bytes of data, found 710");

  /* a gzip stream cut short, as an interrupted copy leaves it */
  {
    g_autofree char *gz_bytes = NULL;
    g_autofree char *cut_path = g_build_filename (dir, "cut2.nii.gz", NULL);
    gsize gz_len;
    nifti_1_header big;
    int big_dims[4] = { 40, 40, 40, 4 };
    g_autofree float *data = g_new (float, 40 * 40 * 40 * 4);
    g_autofree char *src = NULL;
    g_autofree char *plain = NULL;
    gsize plain_len;

    for (int i = 0; i < 40 * 40 * 40 * 4; i++)
      data[i] = sinf (i * 0.01f) * 100;
    init_header (&big, 4, big_dims, NIFTI_TYPE_FLOAT32, 4);
    src = write_nii (dir, "big.nii", &big, data, 40 * 40 * 40 * 4 * 4);
    g_file_get_contents (src, &plain, &plain_len, NULL);
    gz = gzopen (cut_path, "wb");
    gzwrite (gz, plain, (unsigned) plain_len);
    gzclose (gz);
    g_file_get_contents (cut_path, &gz_bytes, &gz_len, NULL);
    g_file_set_contents (cut_path, gz_bytes, gz_len / 2, NULL);
    assert_load_fails (cut_path, SA_ERROR_INVALID_DATA, "truncated: expected 1024000 bytes of data, found");
  }
  (void) cut;
}

static void
test_not_nifti (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *text = g_build_filename (dir, "notes.nii", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.nii.gz", NULL);
  g_autofree char *pair = NULL;
  nifti_1_header h;
  int dims[3] = { 2, 2, 2 };

  g_file_set_contents (text, "this is not a brain image, just words and more words....", -1, NULL);
  assert_load_fails (text, SA_ERROR_INVALID_DATA, "not a NIfTI file");
  g_file_set_contents (empty, "", 0, NULL);
  assert_load_fails (empty, SA_ERROR_INVALID_DATA, "not a NIfTI file");

  init_header (&h, 3, dims, NIFTI_TYPE_UINT8, 1);
  memcpy (h.magic, "ni1", 4);
  pair = write_nii (dir, "pair.nii", &h, NULL, 8);
  assert_load_fails (pair, SA_ERROR_UNSUPPORTED, ".hdr/.img");
}

static void
test_gzip_corrupt (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "corrupt.nii.gz", NULL);
  g_autofree float *data = g_new (float, 30 * 30 * 30);
  g_autofree char *plain = NULL;
  g_autofree char *bytes = NULL;
  gsize len;
  nifti_1_header h;
  int dims[3] = { 30, 30, 30 };
  gzFile gz;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaNiftiInfo) info = NULL;

  for (int i = 0; i < 30 * 30 * 30; i++)
    data[i] = (float) g_test_rand_double_range (-1, 1);
  init_header (&h, 3, dims, NIFTI_TYPE_FLOAT32, 4);
  plain = g_malloc0 (352 + sizeof (float) * 27000);
  memcpy (plain, &h, 348);
  memcpy (plain + 352, data, sizeof (float) * 27000);
  gz = gzopen (path, "wb");
  gzwrite (gz, plain, 352 + sizeof (float) * 27000);
  gzclose (gz);
  g_file_get_contents (path, &bytes, &len, NULL);
  /* garble the middle of the deflate stream; the header still reads */
  for (gsize i = len / 2; i < len / 2 + 64; i++)
    bytes[i] ^= 0x5a;
  g_file_set_contents (path, bytes, len, NULL);

  /* zlib may see the damage while reading the header (it reads ahead) or
   * later in the data: either way it is one error naming the file */
  info = sa_nifti_info_read (path, &error);
  if (info == NULL)
    g_assert_true (strstr (error->message, "gzip data is corrupt") != NULL);
  assert_load_fails (path, SA_ERROR_INVALID_DATA, "gzip data is corrupt");
}

static void
test_dims (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  nifti_1_header h;
  int d5[5] = { 2, 2, 2, 2, 2 };
  int d5_trailing[5] = { 2, 2, 2, 3, 1 };
  int d2[2] = { 4, 4 };
  int d0[4] = { 3, 0, 3, 2 };
  g_autofree char *five = NULL, *five_ok = NULL, *two = NULL, *zero = NULL, *cplx = NULL;
  g_autoptr(SaVolume) vol = NULL;
  g_autoptr(GError) error = NULL;

  init_header (&h, 5, d5, NIFTI_TYPE_UINT8, 1);
  five = write_nii (dir, "five.nii", &h, NULL, 32);
  assert_load_fails (five, SA_ERROR_UNSUPPORTED, "5D data");

  init_header (&h, 5, d5_trailing, NIFTI_TYPE_UINT8, 1);
  five_ok = write_nii (dir, "five-trailing-one.nii", &h, NULL, 24);
  vol = sa_volume_load (five_ok, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vol->nt, ==, 3);

  init_header (&h, 2, d2, NIFTI_TYPE_UINT8, 1);
  two = write_nii (dir, "two.nii", &h, NULL, 16);
  assert_load_fails (two, SA_ERROR_UNSUPPORTED, "2D data");

  init_header (&h, 4, d0, NIFTI_TYPE_UINT8, 1);
  zero = write_nii (dir, "zero.nii", &h, NULL, 0);
  assert_load_fails (zero, SA_ERROR_INVALID_DATA, "dimension 2 has size 0");

  init_header (&h, 3, d2, NIFTI_TYPE_COMPLEX64, 8);
  h.dim[3] = 1;
  cplx = write_nii (dir, "complex.nii", &h, NULL, 16 * 8);
  assert_load_fails (cplx, SA_ERROR_UNSUPPORTED, "COMPLEX64");
}

static void
test_nan_kept (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  nifti_1_header h;
  int dims[3] = { 3, 2, 2 };
  float data[12] = { 1, NAN, 3, 4, 5, 6, 7, 8, NAN, 10, 11, 12 };
  g_autofree char *path = NULL;
  g_autoptr(SaVolume) vol = NULL;
  g_autoptr(GError) error = NULL;

  init_header (&h, 3, dims, NIFTI_TYPE_FLOAT32, 4);
  path = write_nii (dir, "nan.nii", &h, data, sizeof data);
  vol = sa_volume_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 12; i++)
    {
      if (isnan (data[i]))
        g_assert_true (isnan (vol->data[i]));
      else
        g_assert_cmpfloat (vol->data[i], ==, data[i]);
    }
}

static void
test_missing (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "nowhere.nii.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaNiftiInfo) info = sa_nifti_info_read (path, &error);

  g_assert_null (info);
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, path));
  assert_load_fails (path, SA_ERROR_NOT_FOUND, "no such file");
}

/* ---- streaming -------------------------------------------------------- */

typedef struct {
  const SaVolume *whole;
  int             seen;
  int             stop_after;
  gboolean        same;
} StreamCheck;

static gboolean
stream_check (int t, const float *volume, gpointer user_data)
{
  StreamCheck *c = user_data;
  gsize n = (gsize) c->whole->nx * c->whole->ny * c->whole->nz;

  g_assert_cmpint (t, ==, c->seen);
  c->same = c->same && memcmp (volume, c->whole->data + t * n, n * sizeof (float)) == 0;
  c->seen++;
  return c->seen != c->stop_after;
}

static void
test_stream (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "series.nii.gz", NULL);
  double affine[4][4] = { { -3, 0, 0, 90 }, { 0, 3, 0, -126 }, { 0, 0, 3, -72 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) src = sa_volume_new (6, 5, 4, 7, affine);
  g_autoptr(SaVolume) whole = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  SaVolume header;
  StreamCheck c = { NULL, 0, -1, TRUE };

  for (gsize i = 0; i < 6 * 5 * 4 * 7; i++)
    src->data[i] = (float) i;
  src->tr = 0.8;
  g_assert_true (sa_volume_save (src, path, FALSE, &error));
  g_assert_no_error (error);

  whole = sa_volume_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  c.whole = whole;
  g_assert_true (sa_volume_stream (path, &header, stream_check, &c, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c.seen, ==, 7);
  g_assert_true (c.same);
  g_assert_null (header.data);
  g_assert_cmpint (header.nt, ==, 7);
  g_assert_cmpfloat_with_epsilon (header.tr, 0.8, 1e-6);

  /* stopping early is not an error */
  c.seen = 0;
  c.stop_after = 2;
  g_assert_true (sa_volume_stream (path, NULL, stream_check, &c, NULL, &error));
  g_assert_cmpint (c.seen, ==, 2);

  c.seen = 0;
  c.stop_after = -1;
  g_cancellable_cancel (cancel);
  g_assert_false (sa_volume_stream (path, NULL, stream_check, &c, cancel, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
}

/* ---- writing ---------------------------------------------------------- */

static void
check_round_trip (const char *name, int nt, gboolean mni)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  /* oblique, anisotropic, with a flip: the qform must carry all of it */
  double c = cos (0.3), s = sin (0.3);
  double affine[4][4] = { { 2 * c, -2.5 * s, 0, -80 }, { 2 * s, 2.5 * c, 0, -110 },
                          { 0, 0, -3, 60 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) vol = sa_volume_new (9, 8, 7, nt, affine);
  g_autoptr(SaVolume) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { "check", path, NULL };
  g_autofree char *out = NULL;
  g_autofree float *ref = NULL;
  JsonObject *o;
  JsonArray *zooms;
  gsize n = (gsize) 9 * 8 * 7 * nt;

  for (gsize i = 0; i < n; i++)
    vol->data[i] = (float) g_test_rand_double_range (-1000, 1000);
  vol->data[5] = NAN;
  vol->tr = nt > 1 ? 1.49 : 0;
  g_assert_true (sa_volume_save (vol, path, mni, &error));
  g_assert_no_error (error);

  /* our own reader brings it to RAS+: same grid with z flipped */
  back = sa_volume_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->nt, ==, nt);
  g_assert_cmpfloat_with_epsilon (back->tr, vol->tr, 1e-6);
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (back->affine[i][3], affine[i][3] + affine[i][2] * 6, 1e-4);
  /* stored voxel (i, j, 0) is loaded at (i, j, 6): the z flip is undone */
  g_assert_true (isnan (back->data[((gsize) 6 * 8 + 0) * 9 + 5]));
  g_assert_cmpfloat (back->data[((gsize) 6 * 8 + 0) * 9 + 6], ==, vol->data[6]);
  g_assert_cmpfloat (back->data[((gsize) 0 * 8 + 1) * 9 + 2], ==, vol->data[(6 * 8 + 1) * 9 + 2]);

  out = sa_test_python ("tests/py/nifti_oracle.py", argv);
  if (out == NULL)
    return;
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  assert_affine_close (vol->affine, json_object_get_array_member (o, "affine"), 1e-6, path);
  assert_affine_close (vol->affine, json_object_get_array_member (o, "qform"), 1e-5, "qform");
  assert_affine_close (vol->affine, json_object_get_array_member (o, "sform"), 1e-6, "sform");
  g_assert_cmpint (json_object_get_int_member (o, "qform_code"), ==, mni ? 4 : 2);
  g_assert_cmpint (json_object_get_int_member (o, "sform_code"), ==, mni ? 4 : 2);
  g_assert_cmpstr (json_object_get_string_member (o, "dtype"), ==, "float32");
  zooms = json_object_get_array_member (o, "zooms");
  g_assert_cmpuint (json_array_get_length (zooms), ==, nt > 1 ? 4 : 3);
  g_assert_cmpfloat_with_epsilon (member_double (zooms, 0), 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (member_double (zooms, 2), 3, 1e-6);
  if (nt > 1)
    g_assert_cmpfloat_with_epsilon (member_double (zooms, 3), 1.49, 1e-6);
  ref = read_f32 (json_object_get_string_member (o, "raw"), n);
  g_assert_cmpfloat (max_abs_diff (vol->data, ref, n, path), ==, 0);
}

static void
test_round_trip_3d (void)
{
  check_round_trip ("map.nii.gz", 1, TRUE);
  check_round_trip ("map.nii", 1, FALSE);
}

static void
test_round_trip_4d (void)
{
  check_round_trip ("series.nii.gz", 5, FALSE);
}

static void
test_save_errors (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.nii.gz", NULL);
  g_autofree char *nodir = g_build_filename (dir, "no", "such", "x.nii", NULL);
  g_autofree char *badname = g_build_filename (dir, "x.img", NULL);
  g_autoptr(SaVolume) vol = sa_volume_new (64, 64, 64, 4, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  struct rlimit old, small;
  void (*old_handler) (int);

  for (gsize i = 0; i < (gsize) 64 * 64 * 64 * 4; i++)
    vol->data[i] = (float) g_test_rand_double ();

  /* a disk that fills up: the file size limit makes write() fail with EFBIG */
  getrlimit (RLIMIT_FSIZE, &old);
  small = old;
  small.rlim_cur = 100000;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &small);
  g_assert_false (sa_volume_save (vol, path, FALSE, &error));
  setrlimit (RLIMIT_FSIZE, &old);
  signal (SIGXFSZ, old_handler);
  g_assert_error (error, SA_ERROR, SA_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* nor a temporary file left beside it */
  d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));

  g_assert_false (sa_volume_save (vol, nodir, FALSE, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (sa_volume_save (vol, badname, FALSE, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/nifti/nibabel/real-files", test_real_files);
  g_test_add_func ("/compute/nifti/nibabel/made-files", test_made_files);
  g_test_add_func ("/compute/nifti/bad/truncated", test_truncated);
  g_test_add_func ("/compute/nifti/bad/not-nifti", test_not_nifti);
  g_test_add_func ("/compute/nifti/bad/gzip-corrupt", test_gzip_corrupt);
  g_test_add_func ("/compute/nifti/bad/dims", test_dims);
  g_test_add_func ("/compute/nifti/bad/missing", test_missing);
  g_test_add_func ("/compute/nifti/nan-kept", test_nan_kept);
  g_test_add_func ("/compute/nifti/stream", test_stream);
  g_test_add_func ("/compute/nifti/write/round-trip-3d", test_round_trip_3d);
  g_test_add_func ("/compute/nifti/write/round-trip-4d", test_round_trip_4d);
  g_test_add_func ("/compute/nifti/write/errors", test_save_errors);
  return g_test_run ();
}
