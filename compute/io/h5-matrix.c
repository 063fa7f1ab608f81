#include "config.h"

#include <glib/gi18n.h>

#include "compute/io/h5-matrix.h"

#include <hdf5.h>

#include "compute/error.h"

static void
quiet_hdf5 (void)
{
  /* HDF5 prints its error stack to stderr by default; errors here become
   * one GError instead. */
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
}

gboolean
sa_h5_read_matrix (const char  *path,
                   const char  *dataset,
                   int         *n_rows,
                   int         *n_cols,
                   double     **values,
                   GError     **error)
{
  hid_t file = H5I_INVALID_HID, dset = H5I_INVALID_HID, space = H5I_INVALID_HID;
  hid_t type = H5I_INVALID_HID;
  hsize_t dims[2];
  gboolean ok = FALSE;
  double *data = NULL;

  quiet_hdf5 ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path, _("no such file"));
      return FALSE;
    }
  if (H5Fis_hdf5 (path) <= 0 ||
      (file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not an HDF5 file"));
      return FALSE;
    }
  if (H5Lexists (file, dataset, H5P_DEFAULT) <= 0 ||
      (dset = H5Dopen2 (file, dataset, H5P_DEFAULT)) < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("no dataset “%s”"), dataset);
      goto out;
    }
  space = H5Dget_space (dset);
  type = H5Dget_type (dset);
  if (H5Sget_simple_extent_ndims (space) != 2)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("dataset “%s” has %d dimensions; expected 2 (time × filters)"),
                    dataset, H5Sget_simple_extent_ndims (space));
      goto out;
    }
  if (H5Tget_class (type) != H5T_FLOAT && H5Tget_class (type) != H5T_INTEGER)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("dataset “%s” is not numeric"), dataset);
      goto out;
    }
  H5Sget_simple_extent_dims (space, dims, NULL);
  if (dims[0] == 0 || dims[1] == 0 || dims[0] > G_MAXINT || dims[1] > G_MAXINT ||
      dims[0] * dims[1] > G_MAXSIZE / sizeof (double))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("dataset “%s” has an unusable shape %llu × %llu"), dataset,
                    (unsigned long long) dims[0], (unsigned long long) dims[1]);
      goto out;
    }
  data = g_try_new (double, dims[0] * dims[1]);
  if (data == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("not enough memory for “%s”"), dataset);
      goto out;
    }
  /* HDF5 converts float32 (or any numeric type) to native double. */
  if (H5Dread (dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("cannot read dataset “%s” (truncated file?)"), dataset);
      g_free (data);
      goto out;
    }
  *n_rows = (int) dims[0];
  *n_cols = (int) dims[1];
  *values = data;
  ok = TRUE;

out:
  if (type >= 0)
    H5Tclose (type);
  if (space >= 0)
    H5Sclose (space);
  if (dset >= 0)
    H5Dclose (dset);
  if (file >= 0)
    H5Fclose (file);
  return ok;
}

static char *
string_attr (hid_t       obj,
             const char *name)
{
  hid_t attr, type, mem;
  char *value = NULL;

  if (H5Aexists (obj, name) <= 0 || (attr = H5Aopen (obj, name, H5P_DEFAULT)) < 0)
    return NULL;
  type = H5Aget_type (attr);
  if (H5Tget_class (type) == H5T_STRING)
    {
      if (H5Tis_variable_str (type) > 0)
        {
          char *vl = NULL;
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, H5T_VARIABLE);
          if (H5Aread (attr, mem, &vl) >= 0 && vl != NULL)
            {
              value = g_strdup (vl);
              H5free_memory (vl);
            }
          H5Tclose (mem);
        }
      else
        {
          size_t size = H5Tget_size (type);
          char *buf = g_malloc0 (size + 1);
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, size + 1);
          if (H5Aread (attr, mem, buf) >= 0)
            value = g_strdup (buf);
          g_free (buf);
          H5Tclose (mem);
        }
    }
  H5Tclose (type);
  H5Aclose (attr);
  return value;
}

char *
sa_h5_read_string_attr (const char *path,
                        const char *dataset,
                        const char *name)
{
  hid_t file, dset;
  char *value = NULL;

  quiet_hdf5 ();
  if (H5Fis_hdf5 (path) <= 0 ||
      (file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
    return NULL;
  if (H5Lexists (file, dataset, H5P_DEFAULT) > 0 &&
      (dset = H5Dopen2 (file, dataset, H5P_DEFAULT)) >= 0)
    {
      value = string_attr (dset, name);
      H5Dclose (dset);
    }
  if (value == NULL)
    value = string_attr (file, name);
  H5Fclose (file);
  return value;
}
