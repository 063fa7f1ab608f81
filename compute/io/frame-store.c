#include "config.h"

#include "compute/io/frame-store.h"

/* Frame times are compared with this slack: a time computed from a frame's
 * end must find the next frame, never the one before it. */
#define TIME_EPS 1e-9

typedef struct {
  SaCachedFrame *frame;
  GList          link;        /* in lru, data = this entry */
} Entry;

struct _SaFrameStore {
  GTree  *tree;               /* &frame->start → Entry */
  GQueue  lru;                /* most recently used first */
  gsize   bytes;
  gsize   budget;
};

static int
compare_times (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  sa_cached_frame_unref (entry->frame);
  g_free (entry);
}

static gsize
frame_bytes (const SaCachedFrame *frame)
{
  return (gsize) frame->width * frame->height * 3;
}

SaFrameStore *
sa_frame_store_new (gsize budget)
{
  SaFrameStore *store = g_new0 (SaFrameStore, 1);

  store->tree = g_tree_new_full (compare_times, NULL, NULL, entry_free);
  g_queue_init (&store->lru);
  store->budget = budget;
  return store;
}

void
sa_frame_store_free (SaFrameStore *store)
{
  if (store == NULL)
    return;
  sa_frame_store_clear (store);
  g_tree_unref (store->tree);
  g_free (store);
}

gsize
sa_frame_store_get_budget (SaFrameStore *store)
{
  return store->budget;
}

static Entry *
lookup (SaFrameStore *store,
        double        t)
{
  double key = t + TIME_EPS;
  GTreeNode *node = g_tree_upper_bound (store->tree, &key);
  Entry *entry;

  node = node ? g_tree_node_previous (node) : g_tree_node_last (store->tree);
  if (node == NULL)
    return NULL;
  entry = g_tree_node_value (node);
  return t + TIME_EPS < entry->frame->end ? entry : NULL;
}

static void
touch (SaFrameStore *store,
       Entry        *entry)
{
  g_queue_unlink (&store->lru, &entry->link);
  g_queue_push_head_link (&store->lru, &entry->link);
}

static void
remove_entry (SaFrameStore *store,
              Entry        *entry)
{
  g_queue_unlink (&store->lru, &entry->link);
  store->bytes -= frame_bytes (entry->frame);
  g_tree_remove (store->tree, &entry->frame->start);
}

SaCachedFrame *
sa_frame_store_lookup (SaFrameStore *store,
                       double        t,
                       gboolean      use)
{
  Entry *entry = lookup (store, t);

  if (entry == NULL)
    return NULL;
  if (use)
    touch (store, entry);
  return entry->frame;
}

SaCachedFrame *
sa_frame_store_nearest (SaFrameStore *store,
                        double        t)
{
  Entry *before = NULL, *after = NULL;
  double key = t + TIME_EPS;
  GTreeNode *node = g_tree_upper_bound (store->tree, &key);

  if (node != NULL)
    after = g_tree_node_value (node);
  node = node ? g_tree_node_previous (node) : g_tree_node_last (store->tree);
  if (node != NULL)
    before = g_tree_node_value (node);
  if (before != NULL && after != NULL)
    return (t - before->frame->end <= after->frame->start - t) ? before->frame : after->frame;
  if (before != NULL || after != NULL)
    return before != NULL ? before->frame : after->frame;
  return NULL;
}

void
sa_frame_store_insert (SaFrameStore  *store,
                       SaCachedFrame *frame,
                       double         keep_from,
                       double         keep_to)
{
  Entry *entry = lookup (store, frame->start);

  if (entry != NULL)
    {
      touch (store, entry);
      return;
    }
  entry = g_new0 (Entry, 1);
  entry->frame = sa_cached_frame_ref (frame);
  entry->link.data = entry;
  g_queue_push_head_link (&store->lru, &entry->link);
  g_tree_insert (store->tree, &entry->frame->start, entry);
  store->bytes += frame_bytes (frame);
  /* Least recently used first, but not the frames the cursor is about to
   * reach (a frame prefetched ahead has not been used yet). */
  while (store->bytes > store->budget && store->lru.length > 1)
    {
      GList *victim = store->lru.tail;

      while (victim != NULL)
        {
          const SaCachedFrame *f = ((Entry *) victim->data)->frame;

          if (f->end <= keep_from || f->start >= keep_to)
            break;
          victim = victim->prev;
        }
      if (victim == NULL || victim == &entry->link)
        victim = store->lru.tail;
      remove_entry (store, victim->data);
    }
}

void
sa_frame_store_clear (SaFrameStore *store)
{
  while (store->lru.head != NULL)
    remove_entry (store, store->lru.head->data);
}

guint
sa_frame_store_get_n_frames (SaFrameStore *store)
{
  return store->lru.length;
}

gsize
sa_frame_store_get_bytes (SaFrameStore *store)
{
  return store->bytes;
}
