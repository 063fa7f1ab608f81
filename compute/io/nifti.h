/* nifti.h — NIfTI-1/NIfTI-2 volumes, read into RAS+ float32, written as float32
 *
 * Reading goes through nifti_clib. Any datatype is converted to float32 with
 * scl_slope/scl_inter applied (slope 0 means "no scaling", as in the
 * standard). The voxel axes are permuted and flipped (no resampling) so that
 * i, j, k increase towards Right, Anterior, Superior — what nibabel's
 * as_closest_canonical() gives — and the affine is updated to match.
 * The affine is chosen as nibabel does: sform when sform_code > 0, else
 * qform when qform_code > 0, else the Analyze-style base affine.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

/* What a file says about itself, as stored (no reorientation). */
typedef struct {
  char   *path;
  int     format;            /* 1 or 2 */
  int     ndim;              /* dim[0] */
  gint64  dims[7];           /* dim[1..7] */
  double  pixdim[7];         /* pixdim[1..7], in the file's units */
  double  voxel_size[3];     /* mm */
  double  tr;                /* seconds, 0 when not a time series */
  int     datatype;          /* NIFTI_TYPE_* */
  const char *datatype_name; /* "FLOAT32", "INT16", ... (static) */
  double  scl_slope;
  double  scl_inter;
  int     qform_code;
  int     sform_code;
  char    orientation[4];    /* axis codes as stored, e.g. "LPS" */
  double  affine[4][4];      /* the chosen affine (sform > qform > base), as stored */
  char   *xyz_units;         /* "mm", "m", "um", "unknown" */
  char   *time_units;        /* "s", "ms", "us", "unknown" */
  char   *descrip;
} SaNiftiInfo;

/* A volume in RAS+ voxel order: x fastest, then y, z, t.  */
typedef struct {
  int     nx, ny, nz, nt;    /* nt = 1 for 3D */
  double  voxel_size[3];     /* mm, along the RAS+ axes */
  double  tr;                /* seconds, 0 when 3D or unknown */
  double  affine[4][4];      /* RAS+ voxel index → scanner/MNI mm */
  float  *data;              /* nx*ny*nz*nt values; NaN where the file had NaN */
} SaVolume;

SaNiftiInfo *sa_nifti_info_read      (const char   *path,
                                      GError      **error);
void         sa_nifti_info_free      (SaNiftiInfo  *info);

/* Reads the whole file. 5D+ files, 2D files, zero-size dims, truncated data
 * and non-NIfTI files are errors naming @path. Datatypes: u8, i8, i16, u16,
 * i32, u32, i64, u64, f32, f64 in either byte order; complex, RGB and
 * float128 are SA_ERROR_UNSUPPORTED. A dim[0] of 5+ whose extra sizes are
 * all 1 is read as 4D. TR: pixdim[4] in the file's time unit, taken as
 * seconds when the unit is unknown. */
SaVolume    *sa_volume_load          (const char       *path,
                                      const SaProgress *progress,
                                      GCancellable     *cancellable,
                                      GError          **error);

/* Streams a 4D (or 3D, one volume) file one RAS+ volume at a time, reading
 * each byte once (so .nii.gz is decompressed once). @func returns FALSE to
 * stop early (not an error). @header receives the geometry (data NULL). */
typedef gboolean (*SaVolumeFunc) (int          t,
                                  const float *volume,
                                  gpointer     user_data);

gboolean     sa_volume_stream        (const char       *path,
                                      SaVolume         *header,
                                      SaVolumeFunc      func,
                                      gpointer          user_data,
                                      GCancellable     *cancellable,
                                      GError          **error);

SaVolume    *sa_volume_new           (int           nx,
                                      int           ny,
                                      int           nz,
                                      int           nt,
                                      const double  affine[4][4]);
void         sa_volume_free          (SaVolume     *volume);

/* Writes float32 NIfTI-1 (.nii or .nii.gz from the name) with sform and
 * qform set from the affine (code 2 aligned, or 4 MNI when @mni), pixdim[4]
 * = tr. Written to a temporary name and renamed when complete. */
gboolean     sa_volume_save          (const SaVolume *volume,
                                      const char     *path,
                                      gboolean        mni,
                                      GError        **error);

/* The inverse of a voxel → world affine (world mm → voxel index); FALSE
 * when its 3×3 part is singular. */
gboolean     sa_affine_invert        (const double  affine[4][4],
                                      double        inv[4][4]);

/* Orientation codes ("RAS", "LPS", ...) of the axes of an affine. */
void         sa_affine_orientation   (const double  affine[4][4],
                                      char          codes[4]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaNiftiInfo, sa_nifti_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaVolume, sa_volume_free)

G_END_DECLS
