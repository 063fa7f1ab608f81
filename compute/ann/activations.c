#include "config.h"

#include <glib/gi18n.h>

#include "compute/ann/activations.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "compute/error.h"

SaActivations *
sa_activations_new (int n_tr,
                    int n_units)
{
  SaActivations *a;

  g_return_val_if_fail (n_tr > 0 && n_units > 0, NULL);

  a = g_new0 (SaActivations, 1);
  a->n_tr = n_tr;
  a->n_units = n_units;
  a->data = g_new0 (float, (gsize) n_tr * n_units);
  return a;
}

void
sa_activations_free (SaActivations *a)
{
  if (a == NULL)
    return;
  g_free (a->data);
  g_free (a->model);
  g_free (a->model_hash);
  g_free (a->layer);
  g_free (a->reduce);
  g_free (a->resize);
  g_free (a->normalisation);
  g_free (a->movie);
  g_free (a->movie_hash);
  g_free (a);
}

static gboolean
write_string_attr (hid_t       obj,
                   const char *name,
                   const char *value)
{
  hid_t type = H5Tcopy (H5T_C_S1);
  hid_t space = H5Screate (H5S_SCALAR);
  hid_t attr;
  herr_t st = -1;

  value = value ? value : "";
  H5Tset_size (type, MAX (strlen (value), 1));
  H5Tset_strpad (type, H5T_STR_NULLTERM);
  attr = H5Acreate2 (obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attr >= 0)
    {
      st = H5Awrite (attr, type, value);
      H5Aclose (attr);
    }
  H5Sclose (space);
  H5Tclose (type);
  return st >= 0;
}

static gboolean
write_double_attr (hid_t       obj,
                   const char *name,
                   double      value)
{
  hid_t space = H5Screate (H5S_SCALAR);
  hid_t attr = H5Acreate2 (obj, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = -1;

  if (attr >= 0)
    {
      st = H5Awrite (attr, H5T_NATIVE_DOUBLE, &value);
      H5Aclose (attr);
    }
  H5Sclose (space);
  return st >= 0;
}

/* Fixed or variable length, as h5py or another tool may have written it. */
static char *
read_string_attr (hid_t       obj,
                  const char *name)
{
  hid_t attr, type, mem;
  char *out = NULL;

  if (H5Aexists (obj, name) <= 0)
    return NULL;
  attr = H5Aopen (obj, name, H5P_DEFAULT);
  if (attr < 0)
    return NULL;
  type = H5Aget_type (attr);
  if (H5Tget_class (type) == H5T_STRING)
    {
      if (H5Tis_variable_str (type) > 0)
        {
          char *v = NULL;
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, H5T_VARIABLE);
          if (H5Aread (attr, mem, &v) >= 0 && v != NULL)
            {
              out = g_strdup (v);
              H5free_memory (v);
            }
          H5Tclose (mem);
        }
      else
        {
          size_t n = H5Tget_size (type);
          char *buf = g_malloc0 (n + 1);
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, n + 1);
          H5Tset_strpad (mem, H5T_STR_NULLTERM);
          if (H5Aread (attr, mem, buf) >= 0)
            out = g_steal_pointer (&buf);
          g_free (buf);
          H5Tclose (mem);
        }
    }
  H5Tclose (type);
  H5Aclose (attr);
  return out;
}

static gboolean
read_double_attr (hid_t       obj,
                  const char *name,
                  double     *value)
{
  hid_t attr;
  herr_t st;

  if (H5Aexists (obj, name) <= 0)
    return FALSE;
  attr = H5Aopen (obj, name, H5P_DEFAULT);
  if (attr < 0)
    return FALSE;
  st = H5Aread (attr, H5T_NATIVE_DOUBLE, value);
  H5Aclose (attr);
  return st >= 0;
}

gboolean
sa_activations_save (const SaActivations *a,
                     const char          *path,
                     GError             **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *size = NULL;
  hsize_t dims[2];
  hid_t file, space, dset;
  gboolean ok;

  g_return_val_if_fail (a != NULL && path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.%u.tmp", dir, base, g_random_int ());
  size = g_strdup_printf ("%dx%d", a->width, a->height);

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fcreate (tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot create the file (is the folder writable?)"));
      return FALSE;
    }
  dims[0] = a->n_tr;
  dims[1] = a->n_units;
  space = H5Screate_simple (2, dims, NULL);
  dset = H5Dcreate2 (file, "/activations", H5T_IEEE_F32LE, space,
                     H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  ok = dset >= 0
       && H5Dwrite (dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, a->data) >= 0
       && write_string_attr (dset, "model", a->model)
       && write_string_attr (dset, "model_hash", a->model_hash)
       && write_string_attr (dset, "layer", a->layer)
       && write_string_attr (dset, "reduce", a->reduce)
       && write_double_attr (dset, "topk_percent", a->topk_percent)
       && write_string_attr (dset, "size", size)
       && write_string_attr (dset, "resize", a->resize)
       && write_string_attr (dset, "normalisation", a->normalisation)
       && write_double_attr (dset, "tr", a->tr)
       && write_string_attr (dset, "movie", a->movie)
       && write_string_attr (dset, "movie_hash", a->movie_hash);
  if (dset >= 0)
    H5Dclose (dset);
  H5Sclose (space);
  if (H5Fclose (file) < 0)
    ok = FALSE;
  if (!ok)
    {
      g_unlink (tmp);
      sa_set_error (error, SA_ERROR_IO, path, _("writing the HDF5 file failed (disk full?)"));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      sa_set_error (error, SA_ERROR_IO, path, _("cannot rename into place: %s"), g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

SaActivations *
sa_activations_load (const char  *path,
                     GError     **error)
{
  g_autoptr(SaActivations) a = NULL;
  g_autofree char *size = NULL;
  hsize_t dims[2];
  hid_t file, dset, space;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path, _("no such file"));
      return NULL;
    }
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  if (H5Fis_hdf5 (path) <= 0
      || (file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not an HDF5 file"));
      return NULL;
    }
  dset = H5Lexists (file, "activations", H5P_DEFAULT) > 0
           ? H5Dopen2 (file, "/activations", H5P_DEFAULT) : -1;
  if (dset < 0)
    {
      H5Fclose (file);
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("no /activations dataset"));
      return NULL;
    }
  space = H5Dget_space (dset);
  if (H5Sget_simple_extent_ndims (space) != 2
      || H5Sget_simple_extent_dims (space, dims, NULL) < 0
      || dims[0] == 0 || dims[1] == 0 || dims[0] > G_MAXINT || dims[1] > G_MAXINT)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("/activations is not a non-empty 2D array (TRs × filters)"));
      goto out;
    }
  a = sa_activations_new ((int) dims[0], (int) dims[1]);
  if (H5Dread (dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, a->data) < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("cannot read /activations as numbers"));
      goto out;
    }
  a->model = read_string_attr (dset, "model");
  a->model_hash = read_string_attr (dset, "model_hash");
  a->layer = read_string_attr (dset, "layer");
  a->reduce = read_string_attr (dset, "reduce");
  a->resize = read_string_attr (dset, "resize");
  a->normalisation = read_string_attr (dset, "normalisation");
  a->movie = read_string_attr (dset, "movie");
  a->movie_hash = read_string_attr (dset, "movie_hash");
  read_double_attr (dset, "topk_percent", &a->topk_percent);
  read_double_attr (dset, "tr", &a->tr);
  size = read_string_attr (dset, "size");
  if (size != NULL && sscanf (size, "%dx%d", &a->width, &a->height) != 2)
    a->width = a->height = 0;
  ok = TRUE;

out:
  H5Sclose (space);
  H5Dclose (dset);
  H5Fclose (file);
  return ok ? g_steal_pointer (&a) : NULL;
}

gboolean
sa_activations_same_key (const SaActivations *a,
                         const SaActivations *b)
{
  if (a->n_tr != b->n_tr || a->width != b->width || a->height != b->height)
    return FALSE;
  if (g_strcmp0 (a->model_hash, b->model_hash) != 0
      || g_strcmp0 (a->layer, b->layer) != 0
      || g_strcmp0 (a->reduce, b->reduce) != 0
      || g_strcmp0 (a->resize, b->resize) != 0
      || g_strcmp0 (a->normalisation, b->normalisation) != 0
      || g_strcmp0 (a->movie_hash, b->movie_hash) != 0)
    return FALSE;
  if (g_strcmp0 (a->reduce, "topk-mean") == 0 && a->topk_percent != b->topk_percent)
    return FALSE;
  return a->tr == b->tr;
}

gboolean
sa_activations_export_bids (const SaActivations *a,
                            const char          *prefix,
                            GError             **error)
{
  g_autofree char *tsv = g_strconcat (prefix, "_stim.tsv.gz", NULL);
  g_autofree char *json = g_strconcat (prefix, "_stim.json", NULL);
  g_autofree char *tmp = g_strdup_printf ("%s.%u.tmp", tsv, g_random_int ());
  g_autoptr(GString) js = g_string_new ("{\n");
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GError) local = NULL;
  gzFile gz;
  gboolean ok = TRUE;

  gz = gzopen (tmp, "wb6");
  if (gz == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, tsv, _("cannot create the file"));
      return FALSE;
    }
  for (int t = 0; t < a->n_tr && ok; t++)
    for (int k = 0; k < a->n_units && ok; k++)
      {
        g_ascii_formatd (num, sizeof num, "%.9g", a->data[(gsize) t * a->n_units + k]);
        ok = gzputs (gz, num) >= 0 && gzputc (gz, k + 1 < a->n_units ? '\t' : '\n') >= 0;
      }
  if (gzclose (gz) != Z_OK)
    ok = FALSE;
  if (!ok || g_rename (tmp, tsv) != 0)
    {
      g_unlink (tmp);
      sa_set_error (error, SA_ERROR_IO, tsv, _("writing failed (disk full?)"));
      return FALSE;
    }

  g_ascii_formatd (num, sizeof num, "%.9g", 1.0 / a->tr);
  g_string_append_printf (js, "  \"SamplingFrequency\": %s,\n  \"StartTime\": 0,\n", num);
  g_string_append (js, "  \"Columns\": [");
  for (int k = 0; k < a->n_units; k++)
    g_string_append_printf (js, "%s\"filter-%03d\"", k ? ", " : "", k);
  g_string_append (js, "],\n");
  g_string_append_printf (js, "  \"Model\": \"%s\",\n  \"Layer\": \"%s\",\n  \"Reduce\": \"%s\"\n}\n",
                          a->model ? a->model : "", a->layer ? a->layer : "",
                          a->reduce ? a->reduce : "");
  if (!g_file_set_contents (json, js->str, js->len, &local))
    {
      sa_set_error (error, SA_ERROR_IO, json, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

char *
sa_file_quick_hash (const char  *path,
                    GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (1 << 20);
  FILE *f = fopen (path, "rb");
  gint64 size;
  size_t n;

  if (f == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot read: %s"), g_strerror (errno));
      return NULL;
    }
  fseeko (f, 0, SEEK_END);
  size = ftello (f);
  g_checksum_update (sum, (const guchar *) &size, sizeof size);
  fseeko (f, 0, SEEK_SET);
  n = fread (buf, 1, 1 << 20, f);
  g_checksum_update (sum, buf, n);
  if (size > (1 << 20))
    {
      fseeko (f, MAX (size - (1 << 20), 1 << 20), SEEK_SET);
      n = fread (buf, 1, 1 << 20, f);
      g_checksum_update (sum, buf, n);
    }
  fclose (f);
  return g_strdup (g_checksum_get_string (sum));
}
