#include "config.h"

#include "ui/workbench.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _SaWorkbench {
  GObject parent_instance;

  SaSliceVolume anatomy;
  float        *anatomy_data;

  int           map_dims[3];
  int           n_maps;
  float        *maps;
  double        map_affine[4][4];

  double        tr;
  int           n_tr;
  int           n_fbns;
  float        *fbn_courses;
  int           n_filters;
  float        *filter_courses;
  float        *correlations;

  GArray       *pairs;           /* SaPair, FBN → filter */
  GArray       *filter_pairs;    /* SaPair, filter → FBN */
  GStrv         fbn_labels;
  GStrv         filter_labels;

  int           frame_w, frame_h, n_frames;
  guint8       *frames;
  char         *movie_path;
  char         *method;

  int           selected_fbn;
  int           selected_filter;
  SaPairDirection direction;
  SaPair        shown;           /* what get_selected_pair() returns */
  double        time;
};

G_DEFINE_ENUM_TYPE (SaPairDirection, sa_pair_direction,
  G_DEFINE_ENUM_VALUE (SA_PAIR_DIRECTION_FBN2FILTER, "fbn2filter"),
  G_DEFINE_ENUM_VALUE (SA_PAIR_DIRECTION_FILTER2FBN, "filter2fbn"))

const char *
sa_pair_direction_to_string (SaPairDirection direction)
{
  return direction == SA_PAIR_DIRECTION_FILTER2FBN ? "filter2fbn" : "fbn2filter";
}

gboolean
sa_pair_direction_from_string (const char      *text,
                               SaPairDirection *direction)
{
  if (g_strcmp0 (text, "fbn2filter") == 0)
    *direction = SA_PAIR_DIRECTION_FBN2FILTER;
  else if (g_strcmp0 (text, "filter2fbn") == 0)
    *direction = SA_PAIR_DIRECTION_FILTER2FBN;
  else
    return FALSE;
  return TRUE;
}

G_DEFINE_FINAL_TYPE (SaWorkbench, sa_workbench, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SELECTED_FBN,
  PROP_SELECTED_FILTER,
  PROP_DIRECTION,
  PROP_TIME,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
sa_workbench_finalize (GObject *object)
{
  SaWorkbench *self = SA_WORKBENCH (object);

  g_free (self->anatomy_data);
  g_free (self->maps);
  g_free (self->fbn_courses);
  g_free (self->filter_courses);
  g_free (self->correlations);
  g_array_unref (self->pairs);
  g_array_unref (self->filter_pairs);
  g_strfreev (self->fbn_labels);
  g_strfreev (self->filter_labels);
  g_free (self->frames);
  g_free (self->movie_path);
  g_free (self->method);
  G_OBJECT_CLASS (sa_workbench_parent_class)->finalize (object);
}

static void
sa_workbench_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SaWorkbench *self = SA_WORKBENCH (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FBN:
      g_value_set_int (value, self->selected_fbn);
      break;
    case PROP_SELECTED_FILTER:
      g_value_set_int (value, self->selected_filter);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_TIME:
      g_value_set_double (value, self->time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_workbench_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SaWorkbench *self = SA_WORKBENCH (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FBN:
      sa_workbench_set_selected_fbn (self, g_value_get_int (value));
      break;
    case PROP_SELECTED_FILTER:
      sa_workbench_set_selected_filter (self, g_value_get_int (value));
      break;
    case PROP_DIRECTION:
      sa_workbench_set_direction (self, g_value_get_enum (value));
      break;
    case PROP_TIME:
      sa_workbench_set_time (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_workbench_class_init (SaWorkbenchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sa_workbench_finalize;
  object_class->get_property = sa_workbench_get_property;
  object_class->set_property = sa_workbench_set_property;

  properties[PROP_SELECTED_FBN] =
    g_param_spec_int ("selected-fbn", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FILTER] =
    g_param_spec_int ("selected-filter", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, SA_TYPE_PAIR_DIRECTION,
                       SA_PAIR_DIRECTION_FBN2FILTER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_double ("time", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sa_workbench_init (SaWorkbench *self)
{
  self->pairs = g_array_new (FALSE, FALSE, sizeof (SaPair));
  self->filter_pairs = g_array_new (FALSE, FALSE, sizeof (SaPair));
  self->selected_fbn = -1;
  self->selected_filter = -1;
}

SaWorkbench *
sa_workbench_new (void)
{
  return g_object_new (SA_TYPE_WORKBENCH, NULL);
}

static void resync_selection (SaWorkbench *self);

static void
emit_changed (SaWorkbench *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
sa_workbench_set_anatomy (SaWorkbench  *self,
                          int nx, int ny, int nz,
                          const float  *data,
                          const double  affine[4][4])
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (nx > 0 && ny > 0 && nz > 0 && data != NULL);

  g_free (self->anatomy_data);
  self->anatomy_data = g_memdup2 (data, sizeof (float) * nx * ny * nz);
  self->anatomy = (SaSliceVolume) { nx, ny, nz, self->anatomy_data, { { 0 } } };
  memcpy (self->anatomy.affine, affine, sizeof self->anatomy.affine);
  emit_changed (self);
}

void
sa_workbench_set_maps (SaWorkbench  *self,
                       int nx, int ny, int nz,
                       int           n_fbns,
                       const float  *maps,
                       const double  affine[4][4])
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (nx > 0 && ny > 0 && nz > 0 && n_fbns >= 0);

  g_free (self->maps);
  self->maps = n_fbns > 0 ? g_memdup2 (maps, sizeof (float) * nx * ny * nz * n_fbns) : NULL;
  self->map_dims[0] = nx;
  self->map_dims[1] = ny;
  self->map_dims[2] = nz;
  self->n_maps = n_fbns;
  memcpy (self->map_affine, affine, sizeof self->map_affine);
  emit_changed (self);
}

void
sa_workbench_set_time_courses (SaWorkbench *self,
                               double       tr,
                               int          n_tr,
                               int          n_fbns,
                               const float *fbn,
                               int          n_filters,
                               const float *filters)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (tr > 0 && n_tr >= 0 && n_fbns >= 0 && n_filters >= 0);

  g_clear_pointer (&self->fbn_courses, g_free);
  g_clear_pointer (&self->filter_courses, g_free);
  g_clear_pointer (&self->correlations, g_free);
  self->tr = tr;
  self->n_tr = n_tr;
  self->n_fbns = n_fbns;
  self->n_filters = n_filters;
  if (fbn && n_fbns > 0 && n_tr > 0)
    self->fbn_courses = g_memdup2 (fbn, sizeof (float) * n_fbns * n_tr);
  if (filters && n_filters > 0 && n_tr > 0)
    self->filter_courses = g_memdup2 (filters, sizeof (float) * n_filters * n_tr);
  if (self->selected_fbn >= n_fbns)
    sa_workbench_set_selected_fbn (self, n_fbns > 0 ? 0 : -1);
  resync_selection (self);
  emit_changed (self);
}

void
sa_workbench_set_correlations (SaWorkbench *self,
                               const float *r)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));

  g_clear_pointer (&self->correlations, g_free);
  if (r && self->n_fbns > 0 && self->n_filters > 0)
    self->correlations = g_memdup2 (r, sizeof (float) * self->n_fbns * self->n_filters);
  emit_changed (self);
}

void
sa_workbench_set_pairs (SaWorkbench  *self,
                        const SaPair *pairs,
                        int           n_pairs)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));

  g_array_set_size (self->pairs, 0);
  if (n_pairs > 0)
    g_array_append_vals (self->pairs, pairs, n_pairs);
  resync_selection (self);
  emit_changed (self);
}

void
sa_workbench_set_filter_pairs (SaWorkbench  *self,
                               const SaPair *pairs,
                               int           n_pairs)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (n_pairs == 0 || pairs != NULL);

  g_array_set_size (self->filter_pairs, 0);
  if (n_pairs > 0)
    g_array_append_vals (self->filter_pairs, pairs, n_pairs);
  resync_selection (self);
  emit_changed (self);
}

void
sa_workbench_set_labels (SaWorkbench        *self,
                         const char *const  *fbn_labels,
                         const char *const  *filter_labels)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));

  g_strfreev (self->fbn_labels);
  g_strfreev (self->filter_labels);
  self->fbn_labels = g_strdupv ((char **) fbn_labels);
  self->filter_labels = g_strdupv ((char **) filter_labels);
  emit_changed (self);
}

void
sa_workbench_set_frames (SaWorkbench  *self,
                         int           width,
                         int           height,
                         int           n_frames,
                         const guint8 *rgb)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (width >= 0 && height >= 0 && n_frames >= 0);

  g_clear_pointer (&self->frames, g_free);
  self->frame_w = width;
  self->frame_h = height;
  self->n_frames = n_frames;
  if (rgb && n_frames > 0 && width > 0 && height > 0)
    self->frames = g_memdup2 (rgb, (gsize) width * height * 3 * n_frames);
  emit_changed (self);
}

void
sa_workbench_set_movie_path (SaWorkbench *self,
                             const char  *path)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  if (g_strcmp0 (path, self->movie_path) == 0)
    return;
  g_free (self->movie_path);
  self->movie_path = g_strdup (path);
  /* The movie pane decodes from it. */
  emit_changed (self);
}

void
sa_workbench_set_method (SaWorkbench *self,
                         const char  *method)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_free (self->method);
  self->method = g_strdup (method);
}

const char *
sa_workbench_get_method (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return self->method;
}

int
sa_workbench_get_n_fbns (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->n_fbns;
}

int
sa_workbench_get_n_filters (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->n_filters;
}

int
sa_workbench_get_n_tr (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->n_tr;
}

double
sa_workbench_get_tr (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->tr;
}

double
sa_workbench_get_duration (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->n_tr * self->tr;
}

const char *
sa_workbench_get_movie_path (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return self->movie_path;
}

const SaSliceVolume *
sa_workbench_get_anatomy (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return self->anatomy_data ? &self->anatomy : NULL;
}

gboolean
sa_workbench_get_map (SaWorkbench   *self,
                      int            fbn,
                      SaSliceVolume *map)
{
  gsize vox;

  g_return_val_if_fail (SA_IS_WORKBENCH (self), FALSE);
  g_return_val_if_fail (map != NULL, FALSE);
  if (self->maps == NULL || fbn < 0 || fbn >= self->n_maps)
    return FALSE;
  vox = (gsize) self->map_dims[0] * self->map_dims[1] * self->map_dims[2];
  map->nx = self->map_dims[0];
  map->ny = self->map_dims[1];
  map->nz = self->map_dims[2];
  map->data = self->maps + vox * fbn;
  memcpy (map->affine, self->map_affine, sizeof self->map_affine);
  return TRUE;
}

const float *
sa_workbench_get_fbn_course (SaWorkbench *self,
                             int          fbn)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  if (self->fbn_courses == NULL || fbn < 0 || fbn >= self->n_fbns)
    return NULL;
  return self->fbn_courses + (gsize) fbn * self->n_tr;
}

const float *
sa_workbench_get_filter_course (SaWorkbench *self,
                                int          filter)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  if (self->filter_courses == NULL || filter < 0 || filter >= self->n_filters)
    return NULL;
  return self->filter_courses + (gsize) filter * self->n_tr;
}

const float *
sa_workbench_get_correlations (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return self->correlations;
}

/* The pair whose @by_filter side is @key. Tables hold one pair per key,
 * usually in key order: that slot is tried first, so lists of thousands of
 * filters stay linear to fill. */
static const SaPair *
find_pair (GArray   *pairs,
           gboolean  by_filter,
           int       key)
{
  if (key < 0)
    return NULL;
  if ((guint) key < pairs->len)
    {
      const SaPair *pair = &g_array_index (pairs, SaPair, key);
      if ((by_filter ? pair->filter : pair->fbn) == key)
        return pair;
    }
  for (guint i = 0; i < pairs->len; i++)
    {
      const SaPair *pair = &g_array_index (pairs, SaPair, i);
      if ((by_filter ? pair->filter : pair->fbn) == key)
        return pair;
    }
  return NULL;
}

const SaPair *
sa_workbench_get_pair (SaWorkbench *self,
                       int          fbn)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return find_pair (self->pairs, FALSE, fbn);
}

const SaPair *
sa_workbench_get_filter_pair (SaWorkbench *self,
                              int          filter)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return find_pair (self->filter_pairs, TRUE, filter);
}

static gboolean
pair_is (const SaPair *pair,
         int           fbn,
         int           filter)
{
  return pair != NULL && pair->fbn == fbn && pair->filter == filter;
}

const SaPair *
sa_workbench_get_selected_pair (SaWorkbench *self)
{
  int fbn, filter;
  const SaPair *by_fbn, *by_filter, *first, *second;

  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  fbn = self->selected_fbn;
  filter = self->selected_filter;
  if (fbn < 0 || filter < 0)
    return NULL;
  by_fbn = find_pair (self->pairs, FALSE, fbn);
  by_filter = find_pair (self->filter_pairs, TRUE, filter);
  /* The same pair may be in both tables with different family-wise p (the
   * families differ): the direction the user follows decides. */
  first = self->direction == SA_PAIR_DIRECTION_FILTER2FBN ? by_filter : by_fbn;
  second = first == by_filter ? by_fbn : by_filter;
  if (pair_is (first, fbn, filter))
    self->shown = *first;
  else if (pair_is (second, fbn, filter))
    self->shown = *second;
  else
    self->shown = (SaPair) {
      fbn, filter,
      self->correlations && filter < self->n_filters && fbn < self->n_fbns
        ? self->correlations[(gsize) fbn * self->n_filters + filter] : NAN,
      NAN, NAN, FALSE,
    };
  return &self->shown;
}

char *
sa_workbench_dup_fbn_label (SaWorkbench *self,
                            int          fbn)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  if (self->fbn_labels && fbn >= 0 && (guint) fbn < g_strv_length (self->fbn_labels) &&
      self->fbn_labels[fbn][0] != '\0')
    return g_strdup_printf ("fbn-%03d %s", fbn + 1, self->fbn_labels[fbn]);
  return g_strdup_printf ("fbn-%03d", fbn + 1);
}

char *
sa_workbench_dup_filter_label (SaWorkbench *self,
                               int          filter)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  if (self->filter_labels && filter >= 0 && (guint) filter < g_strv_length (self->filter_labels) &&
      self->filter_labels[filter][0] != '\0')
    return g_strdup_printf (_("filter %d %s"), filter, self->filter_labels[filter]);
  return g_strdup_printf (_("filter %d"), filter);
}

const char *const *
sa_workbench_get_filter_labels (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), NULL);
  return (const char *const *) self->filter_labels;
}

gboolean
sa_workbench_get_frame (SaWorkbench *self,
                        int          index,
                        SaFrame     *frame)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->frames == NULL)
    return FALSE;
  index = CLAMP (index, 0, self->n_frames - 1);
  *frame = (SaFrame) {
    self->frames + (gsize) index * self->frame_w * self->frame_h * 3,
    self->frame_w, self->frame_h, self->frame_w * 3,
    /* The frame shown at the end of TR k (DESIGN §3): its movie time. */
    (index + 1) * self->tr, NULL,
  };
  return TRUE;
}

typedef struct {
  int   index;
  float value;
} Ranked;

static int
cmp_desc (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->value != y->value)
    return x->value < y->value ? 1 : -1;
  return x->index - y->index;
}

int
sa_workbench_top_frames (SaWorkbench *self,
                         int          filter,
                         int          n,
                         int         *tr_indices)
{
  const float *course = sa_workbench_get_filter_course (self, filter);
  g_autofree Ranked *ranked = NULL;
  int count = 0;

  if (course == NULL || n <= 0)
    return 0;
  ranked = g_new (Ranked, self->n_tr);
  for (int t = 0; t < self->n_tr; t++)
    if (!isnan (course[t]))
      ranked[count++] = (Ranked) { t, course[t] };
  qsort (ranked, count, sizeof (Ranked), cmp_desc);
  n = MIN (n, count);
  for (int i = 0; i < n; i++)
    tr_indices[i] = ranked[i].index;
  return n;
}

gboolean
sa_workbench_get_map_peak (SaWorkbench *self,
                           int          fbn,
                           double       world[3])
{
  SaSliceVolume view, *map = &view;
  gsize n, best = 0;
  int i, j, k;

  if (!sa_workbench_get_map (self, fbn, &view))
    return FALSE;
  n = (gsize) map->nx * map->ny * map->nz;
  for (gsize v = 1; v < n; v++)
    if (fabsf (map->data[v]) > fabsf (map->data[best]))
      best = v;
  i = best % map->nx;
  j = (best / map->nx) % map->ny;
  k = best / ((gsize) map->nx * map->ny);
  for (int a = 0; a < 3; a++)
    world[a] = map->affine[a][0] * i + map->affine[a][1] * j + map->affine[a][2] * k + map->affine[a][3];
  return TRUE;
}

int
sa_workbench_get_selected_fbn (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), -1);
  return self->selected_fbn;
}

/* Sets both, then notifies: a pane woken by one sees the other already. */
static void
select_pair (SaWorkbench *self,
             int          fbn,
             int          filter)
{
  gboolean fbn_changed = fbn != self->selected_fbn;
  gboolean filter_changed = filter != self->selected_filter;

  self->selected_fbn = fbn;
  self->selected_filter = filter;
  if (fbn_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FBN]);
  if (filter_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FILTER]);
}

/* The filter that goes with FBN @fbn. */
static int
filter_for_fbn (SaWorkbench *self,
                int          fbn)
{
  const SaPair *pair;

  if (fbn < 0)
    return -1;
  /* Following filters, the selected filter stays while @fbn is its pair. */
  if (self->direction == SA_PAIR_DIRECTION_FILTER2FBN &&
      (pair = find_pair (self->filter_pairs, TRUE, self->selected_filter)) != NULL &&
      pair->fbn == fbn)
    return self->selected_filter;
  pair = find_pair (self->pairs, FALSE, fbn);
  return pair && pair->filter < self->n_filters ? pair->filter : -1;
}

/* The FBN that goes with filter @filter. */
static int
fbn_for_filter (SaWorkbench *self,
                int          filter)
{
  const SaPair *pair;

  if (filter < 0)
    return self->selected_fbn;
  if (self->direction == SA_PAIR_DIRECTION_FBN2FILTER &&
      (pair = find_pair (self->pairs, FALSE, self->selected_fbn)) != NULL &&
      pair->filter == filter)
    return self->selected_fbn;
  pair = find_pair (self->filter_pairs, TRUE, filter);
  /* A filter without a pair keeps the FBN: the cell's r is still shown. */
  return pair && pair->fbn < self->n_fbns ? pair->fbn : self->selected_fbn;
}

/* After new data: the selection follows the direction's pairs. */
static void
resync_selection (SaWorkbench *self)
{
  int filter = self->selected_filter < self->n_filters ? self->selected_filter : -1;
  int fbn = self->selected_fbn;

  if (self->direction == SA_PAIR_DIRECTION_FILTER2FBN && filter >= 0)
    fbn = find_pair (self->filter_pairs, TRUE, filter) ? fbn_for_filter (self, filter) : fbn;
  else
    filter = fbn >= 0 ? filter_for_fbn (self, fbn) : filter;
  select_pair (self, fbn, filter);
}

void
sa_workbench_set_selected_fbn (SaWorkbench *self,
                               int          fbn)
{
  int filter;

  g_return_if_fail (SA_IS_WORKBENCH (self));

  if (fbn < -1 || fbn >= self->n_fbns)
    fbn = -1;
  /* The FBN may be shown already with a filter that is not its pair (the
   * direction was switched): choosing it again shows its pair. */
  filter = filter_for_fbn (self, fbn);
  if (fbn == self->selected_fbn && filter == self->selected_filter)
    return;
  select_pair (self, fbn, filter);
}

int
sa_workbench_get_selected_filter (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), -1);
  return self->selected_filter;
}

void
sa_workbench_set_selected_filter (SaWorkbench *self,
                                  int          filter)
{
  int fbn;

  g_return_if_fail (SA_IS_WORKBENCH (self));

  if (filter < -1 || filter >= self->n_filters)
    filter = -1;
  /* As for FBNs: the filter chosen again after a direction switch, while
   * shown with an FBN that is not its pair, brings its pair. */
  fbn = fbn_for_filter (self, filter);
  if (filter == self->selected_filter && fbn == self->selected_fbn)
    return;
  select_pair (self, fbn, filter);
}

SaPairDirection
sa_workbench_get_direction (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), SA_PAIR_DIRECTION_FBN2FILTER);
  return self->direction;
}

void
sa_workbench_set_direction (SaWorkbench     *self,
                            SaPairDirection  direction)
{
  g_return_if_fail (SA_IS_WORKBENCH (self));
  g_return_if_fail (direction == SA_PAIR_DIRECTION_FBN2FILTER ||
                    direction == SA_PAIR_DIRECTION_FILTER2FBN);

  if (direction == self->direction)
    return;
  self->direction = direction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}

double
sa_workbench_get_time (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  return self->time;
}

void
sa_workbench_set_time (SaWorkbench *self,
                       double       seconds)
{
  double duration;

  g_return_if_fail (SA_IS_WORKBENCH (self));

  duration = sa_workbench_get_duration (self);
  if (isnan (seconds))
    return;
  seconds = CLAMP (seconds, 0.0, MAX (duration - 1e-9, 0.0));
  if (seconds == self->time)
    return;
  self->time = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

int
sa_workbench_get_tr_index (SaWorkbench *self)
{
  g_return_val_if_fail (SA_IS_WORKBENCH (self), 0);
  if (self->tr <= 0 || self->n_tr == 0)
    return 0;
  return CLAMP ((int) floor (self->time / self->tr + 1e-9), 0, self->n_tr - 1);
}
