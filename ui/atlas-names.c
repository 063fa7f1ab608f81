/* atlas-names.c — the crosshair's atlases, loaded once on a worker */
#include "config.h"

#include "ui/atlas-names.h"

#include <gio/gio.h>

#include "compute/annotate/atlas-lookup.h"

typedef struct {
  SaAtlasLookup *aal;   /* NULL when mricron-data is not installed */
  SaAtlasLookup *ho;
} AtlasSet;

typedef struct {
  GWeakRef          observer;
  SaAtlasNamesReady ready;
} Waiter;

/* Kept for the process once loaded: every window names regions the same. */
static AtlasSet  *atlases;
static GPtrArray *waiters;   /* Waiter *; non-NULL while loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AtlasSet *set = g_new0 (AtlasSet, 1);
  g_autoptr(GError) error = NULL;

  /* A missing atlas only means no names: say why for whoever debugs. */
  set->aal = sa_atlas_lookup_load (SA_ATLAS_AAL, NULL, &error);
  if (set->aal == NULL)
    g_debug ("no AAL names at the crosshair: %s", error->message);
  g_clear_error (&error);
  set->ho = sa_atlas_lookup_load (SA_ATLAS_HARVARD_OXFORD, NULL, &error);
  if (set->ho == NULL)
    g_debug ("no Harvard-Oxford names at the crosshair: %s", error->message);
  g_task_return_pointer (task, set, NULL);
}

static void
waiter_free (gpointer data)
{
  Waiter *w = data;

  g_weak_ref_clear (&w->observer);
  g_free (w);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GPtrArray) done = g_steal_pointer (&waiters);

  atlases = g_task_propagate_pointer (G_TASK (result), NULL);
  for (guint i = 0; i < done->len; i++)
    {
      Waiter *w = g_ptr_array_index (done, i);
      g_autoptr(GObject) observer = g_weak_ref_get (&w->observer);

      /* A view closed meanwhile is gone from its weak reference. */
      if (observer)
        w->ready (observer);
    }
}

void
sa_atlas_names_request (GObject           *observer,
                        SaAtlasNamesReady  ready)
{
  Waiter *w;

  g_return_if_fail (G_IS_OBJECT (observer));
  g_return_if_fail (ready != NULL);

  if (atlases != NULL)
    return;
  if (waiters == NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, loaded, NULL);

      waiters = g_ptr_array_new_with_free_func (waiter_free);
      g_task_set_source_tag (task, sa_atlas_names_request);
      g_task_run_in_thread (task, load_thread);
    }
  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GObject) o = g_weak_ref_get (&((Waiter *) g_ptr_array_index (waiters, i))->observer);
      if (o == observer)
        return;
    }
  w = g_new0 (Waiter, 1);
  g_weak_ref_init (&w->observer, observer);
  w->ready = ready;
  g_ptr_array_add (waiters, w);
}

gboolean
sa_atlas_names_loaded (void)
{
  return atlases != NULL;
}

const char *
sa_atlas_names_at (SaAtlasKind   kind,
                   const double  world[3])
{
  const SaAtlasLookup *lookup = NULL;

  if (atlases == NULL)
    return NULL;
  if (kind == SA_ATLAS_AAL)
    lookup = atlases->aal;
  else if (kind == SA_ATLAS_HARVARD_OXFORD)
    lookup = atlases->ho;
  return lookup ? sa_atlas_lookup_region (lookup, world) : NULL;
}
