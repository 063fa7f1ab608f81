/* nifti-header.h — a NIfTI-1/2 header parsed once, shared by reading and info
 *
 * Private to compute/io. The header is read from an open gzFile (zlib reads
 * plain files transparently), so the data that follows can be streamed from
 * the same handle in one pass.
 */
#pragma once

#include <gio/gio.h>
#include <zlib.h>

G_BEGIN_DECLS

typedef struct {
  int      format;            /* 1 or 2 */
  gboolean swap;              /* file byte order differs from ours */
  gboolean gzip;
  gint64   file_size;         /* bytes on disk */
  gint64   consumed;          /* bytes of (uncompressed) stream read so far */
  int      ndim;
  gint64   dim[8];
  double   pixdim[8];         /* as stored */
  int      datatype;
  gint64   vox_offset;
  double   scl_slope;
  double   scl_inter;
  int      xyzt_units;
  int      qform_code;
  int      sform_code;
  double   quatern[3];
  double   qoffset[3];
  double   srow[3][4];
  char     descrip[81];
} SaNiftiHeader;

/* Opens @path and reads its header; the stream is left right after it. */
gzFile   sa_nifti_header_open   (const char     *path,
                                 SaNiftiHeader  *hdr,
                                 GError        **error);

/* nibabel's choice: sform, else qform, else the base affine. */
void     sa_nifti_header_affine (const SaNiftiHeader *hdr,
                                 double               affine[4][4]);

double   sa_nifti_header_xyz_scale  (const SaNiftiHeader *hdr);
double   sa_nifti_header_tr         (const SaNiftiHeader *hdr);

/* Sets @error from the state of @gz after a short read or failure. */
void     sa_nifti_gz_error      (gzFile       gz,
                                 const char  *path,
                                 GError     **error);

/* Reads up to @len bytes; returns how many were read (short at EOF or error). */
gint64   sa_nifti_gz_read       (gzFile       gz,
                                 void        *buf,
                                 gint64       len);

G_END_DECLS
