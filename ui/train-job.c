/* train-job.c — in-process training with live per-epoch results */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ui/train-job.h"

#include "compute/embed/source-dataset.h"
#include "compute/embed/train.h"
#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/dataset-mask.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"
#include "ui/filter-pairs.h"
#include "ui/train-dialog.h"
#include "ui/train-save.h"

#define EPOCHS_SHOWN_KEY "sa-train-epochs-shown"


/* One epoch as the window shows it; built on the worker. */
typedef struct {
  int      epoch, epochs;
  double   val_loss;
  int      m;
  float   *maps;         /* m volumes on the mask's grid */
  float   *courses;      /* m × n_tr, NULL when the run did not match the filters */
  float   *r;            /* m × K, NULL with courses */
  SaPair  *pairs;        /* m, NULL with courses */
  SaPair  *filter_pairs; /* Eq. 1, n_filter_pairs; NULL with courses */
  int      n_filter_pairs;
  char    *run_key;
  int      l_subjects;
} Snapshot;

static void
snapshot_free (Snapshot *snap)
{
  if (snap == NULL)
    return;
  g_free (snap->maps);
  g_free (snap->courses);
  g_free (snap->r);
  g_free (snap->pairs);
  g_free (snap->filter_pairs);
  g_free (snap->run_key);
  g_free (snap);
}

/* Shared by the worker (producing snapshots) and the main loop (showing
 * them). The fields above the lock are set before training starts and
 * only read afterwards. */
typedef struct {
  gatomicrefcount ref;
  GWeakRef        window;
  int             nx, ny, nz;
  double          affine[4][4];
  double          tr;
  int             n_tr, n_filters;
  float          *filters;       /* K × n_tr, as the workbench holds them */
  double         *filter_rows;   /* the same in double, for the correlation */
  char          **filter_labels;
  char           *root;          /* the dataset trained on */
  const gint64   *mask_index;    /* worker only: the mask's voxels, while it lives */
  gint64          snapshot_us;   /* worker only: time spent making snapshots */

  GMutex          lock;
  Snapshot       *pending;       /* the newest epoch not yet shown */
  gboolean        posted;        /* an idle that will show it is queued */
  int             shown;         /* main thread only */
  gboolean        finished;      /* main thread only: the job has reported */
} Live;

static Live *
live_ref (Live *live)
{
  g_atomic_ref_count_inc (&live->ref);
  return live;
}

static void
live_unref (gpointer data)
{
  Live *live = data;

  if (!g_atomic_ref_count_dec (&live->ref))
    return;
  g_weak_ref_clear (&live->window);
  g_free (live->filters);
  g_free (live->filter_rows);
  g_strfreev (live->filter_labels);
  g_free (live->root);
  snapshot_free (live->pending);
  g_mutex_clear (&live->lock);
  g_free (live);
}

typedef struct {
  SaTrainParams  params;
  char          *device;
  char          *root;
  char          *movie_path;     /* of the shown run: the live courses are of its run */
  Live          *live;
  SaJobRunner   *runner;
} Request;

static void
request_free (gpointer data)
{
  Request *req = data;

  g_free (req->device);
  g_free (req->root);
  g_free (req->movie_path);
  live_unref (req->live);
  g_clear_object (&req->runner);
  g_free (req);
}

void
sa_train_params_init (SaTrainParams *params)
{
  g_return_if_fail (params != NULL);
  *params = (SaTrainParams) { SA_TORCH_EMBED_MSA, 64, 100, 0, NULL };
}

/* Main loop: the newest snapshot into the window's workbench. */
static gboolean
show_snapshot (gpointer data)
{
  Live *live = data;
  g_autoptr(SaWindow) window = g_weak_ref_get (&live->window);
  g_auto(GStrv) fbn_labels = NULL;
  g_autofree char *subtitle = NULL, *tooltip = NULL;
  SaWorkbench *wb;
  Snapshot *snap;
  int selected;

  g_mutex_lock (&live->lock);
  snap = g_steal_pointer (&live->pending);
  live->posted = FALSE;
  g_mutex_unlock (&live->lock);

  /* A snapshot that arrives after the job reported would overwrite the
   * saved results, or another dataset's. */
  if (snap == NULL || live->finished || window == NULL
      || (wb = sa_window_get_workbench (window)) == NULL)
    {
      snapshot_free (snap);
      return G_SOURCE_REMOVE;
    }
  selected = sa_workbench_get_selected_fbn (wb);
  /* The old FBNs' atlas labels do not describe the new ones. */
  fbn_labels = g_new0 (char *, snap->m + 1);
  for (int i = 0; i < snap->m; i++)
    fbn_labels[i] = g_strdup ("");
  sa_workbench_set_time_courses (wb, live->tr, live->n_tr, snap->m, snap->courses,
                                 live->n_filters, live->filters);
  sa_workbench_set_maps (wb, live->nx, live->ny, live->nz, snap->m, snap->maps,
                         (const double (*)[4]) live->affine);
  sa_workbench_set_correlations (wb, snap->r);
  sa_workbench_set_pairs (wb, snap->pairs, snap->pairs ? snap->m : 0);
  /* The filter → FBN list follows the new FBNs too. */
  sa_workbench_set_filter_pairs (wb, snap->filter_pairs, snap->n_filter_pairs);
  sa_workbench_set_labels (wb, (const char *const *) fbn_labels,
                           (const char *const *) live->filter_labels);
  /* Following FBNs, the FBN stays; following filters, the chosen filter
   * stays and the workbench moved to its new best FBN. */
  if (selected >= 0 && sa_workbench_get_direction (wb) == SA_PAIR_DIRECTION_FBN2FILTER)
    sa_workbench_set_selected_fbn (wb, MIN (selected, snap->m - 1));

  live->shown++;
  g_object_set_data (G_OBJECT (window), EPOCHS_SHOWN_KEY, GINT_TO_POINTER (live->shown));
  /* The header says which epoch is shown and how good it is, and that the
   * badges are parametric until the surrogate null at the end; its tooltip
   * whose time courses these are. */
  if (snap->courses)
    {
      subtitle = g_strdup_printf (_("Training: epoch %d/%d, validation loss %.4f · pairs provisional"),
                                  snap->epoch, snap->epochs, snap->val_loss);
      /* Unused trailing arguments are fine in printf: the singular has no %d. */
      g_autofree char *whose = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the test subject's",
                                                             "the mean of %d test subjects",
                                                             snap->l_subjects),
                                                snap->l_subjects);

      tooltip = g_strdup_printf (_("Time courses of %s: %s, with this epoch's weights. Pairs: each "
                                   "FBN's best filter with its parametric p; the surrogate null "
                                   "comes when training ends."),
                                 snap->run_key ? snap->run_key : "?", whose);
    }
  else
    {
      subtitle = g_strdup_printf (_("Training: epoch %d/%d, validation loss %.4f · maps only"),
                                  snap->epoch, snap->epochs, snap->val_loss);
      tooltip = g_strdup (_("No test subject has the run shown: maps only until training ends."));
    }
  sa_window_set_subtitle (window, subtitle, tooltip);
  snapshot_free (snap);
  return G_SOURCE_REMOVE;
}

/* Worker: Eq. 2 and Eq. 1 on the epoch's courses, as the results loader
 * pairs courses it has no table for (argmax r, parametric p). */
static void
pair_snapshot (Live     *live,
               Snapshot *snap)
{
  g_autofree double *rows = g_new (double, (gsize) snap->m * live->n_tr);
  g_autoptr(SaCorrelation) corr = NULL;
  int m = snap->m, k = live->n_filters;

  for (gsize i = 0; i < (gsize) m * live->n_tr; i++)
    rows[i] = snap->courses[i];
  corr = sa_correlation_compute (rows, m, live->n_tr, "epoch", live->filter_rows, k, live->n_tr,
                                 "filters", NULL);
  if (corr == NULL)
    return;
  snap->r = g_new (float, (gsize) m * k);
  for (gsize i = 0; i < (gsize) m * k; i++)
    snap->r[i] = (float) corr->r[i];
  snap->pairs = g_new0 (SaPair, m);
  for (int i = 0; i < m; i++)
    {
      int best = -1;

      for (int j = 0; j < k; j++)
        if (corr->filter_valid[j] && (best < 0 || corr->r[(gsize) i * k + j] > corr->r[(gsize) i * k + best]))
          best = j;
      best = MAX (best, 0);
      snap->pairs[i] = (SaPair) { i, best, corr->r[(gsize) i * k + best], NAN, NAN, FALSE };
      if (corr->fbn_valid[i])
        {
          snap->pairs[i].p = sa_pearson_p (snap->pairs[i].r, live->n_tr);
          snap->pairs[i].significant = snap->pairs[i].p < 0.05;
        }
    }
  /* Eq. 1 the same way: with no table, argmax and the parametric p. */
  snap->filter_pairs = sa_filter_pairs_load (NULL, NULL, corr, NULL, NULL, &snap->n_filter_pairs, NULL);
}

/* Worker, inside training: the epoch as a snapshot, replacing one the main
 * loop has not shown yet, with at most one idle queued. */
static void
on_epoch (const SaEmbedEpoch *epoch,
          gpointer            user_data)
{
  Request *req = user_data;
  Live *live = req->live;
  gsize grid = (gsize) live->nx * live->ny * live->nz;
  Snapshot *snap = g_new0 (Snapshot, 1);
  const gint64 *index = live->mask_index;
  gint64 start = g_get_monotonic_time ();
  gboolean post;

  snap->epoch = epoch->epoch;
  snap->epochs = epoch->epochs;
  snap->val_loss = epoch->val_loss;
  snap->m = epoch->m;
  snap->run_key = g_strdup (epoch->run_key);
  snap->l_subjects = epoch->l_subjects;
  /* W's columns scattered onto the grid, as the components file holds them. */
  snap->maps = g_try_new0 (float, grid * epoch->m);
  if (snap->maps != NULL && index != NULL && epoch->w != NULL)
    for (int j = 0; j < epoch->m; j++)
      for (gint64 v = 0; v < epoch->n_voxels; v++)
        snap->maps[(gsize) j * grid + index[v]] = epoch->w[(gsize) v * epoch->m + j];
  if (epoch->l != NULL && epoch->l_t == live->n_tr)
    {
      snap->courses = g_new (float, (gsize) epoch->m * live->n_tr);
      for (int t = 0; t < live->n_tr; t++)
        for (int j = 0; j < epoch->m; j++)
          snap->courses[(gsize) j * live->n_tr + t] = epoch->l[(gsize) t * epoch->m + j];
      pair_snapshot (live, snap);
    }
  g_free (epoch->w);
  g_free (epoch->l);
  live->snapshot_us += g_get_monotonic_time () - start;
  if (snap->maps == NULL)
    {
      snapshot_free (snap);
      return;
    }

  g_mutex_lock (&live->lock);
  snapshot_free (live->pending);
  live->pending = snap;
  post = !live->posted;
  live->posted = TRUE;
  g_mutex_unlock (&live->lock);
  if (post)
    sa_job_runner_post (req->runner, show_snapshot, live_ref (live), live_unref);
}

/* Worker: train, save, reload. */
static gpointer
train_job (gpointer           data,
           const SaProgress  *progress,
           GCancellable      *cancellable,
           GError           **error)
{
  Request *req = data;
  Live *live = req->live;
  g_autoptr(SaBidsDataset) dataset = NULL;
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(SaEmbedSource) source = NULL;
  g_autoptr(SaEmbedResult) result = NULL;
  g_autofree char *cache_dir = NULL, *out_dir = NULL, *prefix = NULL;
  g_autofree char *checkpoint = NULL, *hidden = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *run_key = NULL;
  gint64 t_train, t_trained;
  SaEmbedOptions options;
  SaProgress sub;

  sa_progress_report (progress, 0, _("Preparing the runs"));
  dataset = sa_bids_open (req->root, error);
  if (dataset == NULL)
    return NULL;
  mask = sa_mask_open_for_dataset (dataset, NULL, error);
  if (mask == NULL || sa_check_cancelled (cancellable, error))
    return NULL;
  live->nx = mask->nx;
  live->ny = mask->ny;
  live->nz = mask->nz;
  memcpy (live->affine, mask->affine, sizeof live->affine);
  /* The mask lives as long as this function, which outlives training. */
  live->mask_index = mask->index;

  cache_dir = sa_bids_cache_dir (dataset);
  sub = sa_progress_sub (progress, 0, 0.05);
  source = sa_embed_source_new_for_dataset (dataset, mask, cache_dir, &sub, cancellable, error);
  if (source == NULL)
    return NULL;

  for (guint i = 0; i < dataset->runs->len && run_key == NULL; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (req->movie_path != NULL && g_strcmp0 (run->movie_path, req->movie_path) == 0)
        run_key = run->run_key;
    }

  sa_embed_options_init (&options);
  options.arch = req->params.arch;
  options.m = req->params.m;
  options.epochs = req->params.epochs;
  options.seed = req->params.seed;
  options.device = req->device;
  options.epoch_func = on_epoch;
  options.epoch_data = req;
  options.epoch_run_key = run_key;
  /* The checkpoint `syncact train` leaves for --resume, kept under a
   * hidden name until the rest is saved: a cancelled run leaves none, and
   * the previous one stays. */
  out_dir = sa_bids_derivatives_dir (dataset);
  prefix = sa_train_output_prefix (dataset);
  checkpoint = g_strdup_printf ("%s/%s_desc-FBN_checkpoint.bin", out_dir, prefix);
  hidden = g_strdup_printf ("%s/.%s_desc-FBN_checkpoint.bin.window", out_dir, prefix);
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, out_dir, _("cannot create the output folder"));
      return NULL;
    }
  options.checkpoint = hidden;
  sub = sa_progress_sub (progress, 0.05, 0.85);
  t_train = g_get_monotonic_time ();
  result = sa_embed_train (source, &options, &sub, cancellable, error);
  t_trained = g_get_monotonic_time ();
  if (result == NULL)
    {
      g_unlink (hidden);
      return NULL;
    }

  /* Training is done: from here the work is kept whatever happens to the
   * window, so nothing below looks at the cancellable. Every file is
   * renamed into place whole. */
  sub = sa_progress_sub (progress, 0.85, 0.97);
  if (!sa_train_save (dataset, mask, &options, result, &sub, warnings, error))
    {
      g_unlink (hidden);
      return NULL;
    }
  if (g_rename (hidden, checkpoint) != 0)
    {
      g_ptr_array_add (warnings, g_strdup_printf (_("%s: cannot keep the checkpoint: %s"),
                                                  checkpoint, g_strerror (errno)));
      g_unlink (hidden);
    }
  g_debug ("train: %d epochs in %.2f s, of which %.1f ms making the window's snapshots; "
           "saved and paired in %.2f s",
           options.epochs, (t_trained - t_train) / 1e6, live->snapshot_us / 1e3,
           (g_get_monotonic_time () - t_trained) / 1e6);
  /* The window reads them back itself, as the run, model and layer it
   * shows (sa_window_reload_results). */
  return g_steal_pointer (&warnings);
}

typedef struct {
  Live           *live;
  GApplication   *app;      /* held while the job runs */
} Done;

static void
show_message (SaWindow   *window,
              const char *primary,
              const char *secondary)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (window),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_results_subtitle (SaWindow    *window,
                      SaWorkbench *wb)
{
  GFile *dataset = sa_window_get_dataset (window);
  g_autofree char *name = dataset ? g_file_get_basename (dataset) : NULL;
  g_autofree char *subtitle = NULL;

  if (name == NULL)
    return;
  if (sa_workbench_get_method (wb) != NULL)
    subtitle = g_strdup_printf (_("%s · FBNs by %s"), name, sa_workbench_get_method (wb));
  sa_window_set_subtitle (window, subtitle ? subtitle : name, NULL);
}

static void
train_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Done *done = user_data;
  g_autoptr(SaWindow) window = g_weak_ref_get (&done->live->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = sa_job_runner_finish (SA_JOB_RUNNER (source), result, &error);
  int shown = done->live->shown;
  g_autofree char *root = g_strdup (done->live->root);
  g_autofree char *now = NULL;

  done->live->finished = TRUE;

  if (done->app)
    {
      g_application_release (done->app);
      g_object_unref (done->app);
    }
  live_unref (done->live);
  g_free (done);

  /* A closed window (its runner cleared), or one showing another dataset
   * by now, takes nothing; what was finished is on disk already. */
  if (window != NULL && sa_window_get_dataset (window) != NULL)
    now = g_file_get_path (sa_window_get_dataset (window));
  if (window == NULL || sa_window_get_job_runner (window) == NULL || g_strcmp0 (now, root) != 0)
    return;
  if (warnings != NULL)
    {
      for (guint i = 0; i < warnings->len; i++)
        g_message ("%s", (char *) g_ptr_array_index (warnings, i));
      /* The new results, keeping the run, model, layer, FBN and time shown. */
      sa_window_reload_results (window);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, SA_ERROR, SA_ERROR_CANCELLED))
    show_message (window, _("Training failed"), error->message);
  /* The window shows the epochs of a result that was never kept: the
   * results on disk, untouched, again. */
  if (shown > 0)
    sa_window_reload_results (window);
  else
    {
      SaWorkbench *wb = sa_window_get_workbench (window);
      if (wb)
        set_results_subtitle (window, wb);
    }
}

gboolean
sa_train_job_start (SaWindow             *window,
                    const SaTrainParams  *params,
                    GError              **error)
{
  SaWorkbench *wb;
  SaJobRunner *runner;
  GFile *dataset;
  GtkApplication *app;
  g_autofree char *root = NULL;
  const char *const *labels;
  SaEmbedOptions defaults;
  Request *req;
  Live *live;
  Done *done;
  gsize n;

  g_return_val_if_fail (SA_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  dataset = sa_window_get_dataset (window);
  wb = sa_window_get_workbench (window);
  runner = sa_window_get_job_runner (window);
  root = dataset ? g_file_get_path (dataset) : NULL;
  if (root == NULL || wb == NULL
      || sa_workbench_get_n_tr (wb) < 3 || sa_workbench_get_n_filters (wb) < 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("Open a dataset with results first: training pairs its FBNs with the filter activations shown"));
      return FALSE;
    }
  if (params->m < 1 || params->epochs < 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The number of FBNs and of epochs must be at least 1"));
      return FALSE;
    }
  /* The engine's default heads, as `syncact train` uses them. */
  sa_embed_options_init (&defaults);
  if (params->arch == SA_TORCH_EMBED_MSA && params->m % defaults.heads != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Self-attention splits the FBNs over %d heads: choose a multiple of %d FBNs"),
                   defaults.heads, defaults.heads);
      return FALSE;
    }
  if (runner == NULL || sa_job_runner_get_running (runner))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Another job is running; wait for it or stop it first"));
      return FALSE;
    }

  live = g_new0 (Live, 1);
  g_atomic_ref_count_init (&live->ref);
  g_mutex_init (&live->lock);
  g_weak_ref_init (&live->window, window);
  live->tr = sa_workbench_get_tr (wb);
  live->n_tr = sa_workbench_get_n_tr (wb);
  live->n_filters = sa_workbench_get_n_filters (wb);
  n = (gsize) live->n_filters * live->n_tr;
  /* The workbench keeps the filter courses in one block, filter by filter. */
  live->filters = g_memdup2 (sa_workbench_get_filter_course (wb, 0), n * sizeof (float));
  live->filter_rows = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    live->filter_rows[i] = live->filters[i];
  labels = sa_workbench_get_filter_labels (wb);
  live->filter_labels = labels ? g_strdupv ((char **) labels) : NULL;
  live->root = g_strdup (root);

  req = g_new0 (Request, 1);
  req->params = *params;
  req->device = g_strdup (params->device);
  req->params.device = NULL;
  req->root = g_strdup (root);
  req->movie_path = g_strdup (sa_workbench_get_movie_path (wb));
  req->live = live_ref (live);
  req->runner = g_object_ref (runner);

  done = g_new0 (Done, 1);
  done->live = live;
  app = gtk_window_get_application (GTK_WINDOW (window));
  if (app)
    {
      done->app = G_APPLICATION (g_object_ref (app));
      g_application_hold (done->app);
    }
  g_object_set_data (G_OBJECT (window), EPOCHS_SHOWN_KEY, GINT_TO_POINTER (0));
  {
    g_autofree char *title = g_strdup_printf (_("Training %s, %d FBNs"),
                                              sa_embed_arch_name (params->arch), params->m);

    if (!sa_job_runner_start (runner, title, train_job, req, request_free,
                              (GDestroyNotify) g_ptr_array_unref,
                              train_done, done))
      {
        /* Checked above: only a race with another start lands here. */
        if (done->app)
          {
            g_application_release (done->app);
            g_object_unref (done->app);
          }
        live_unref (done->live);
        g_free (done);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("Another job is running"));
        return FALSE;
      }
  }
  sa_window_set_subtitle (window, _("Training: preparing the runs"), NULL);
  return TRUE;
}

int
sa_train_job_get_epochs_shown (SaWindow *window)
{
  g_return_val_if_fail (SA_IS_WINDOW (window), 0);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), EPOCHS_SHOWN_KEY));
}

static void
dialog_train (SaTrainDialog *dialog,
              SaWindow      *window)
{
  SaTrainParams params;
  g_autoptr(GError) error = NULL;

  sa_train_dialog_get_params (dialog, &params);
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (!sa_train_job_start (window, &params, &error))
    show_message (window, _("Cannot start training"), error->message);
}

static void
train_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SaWindow *window = SA_WINDOW (widget);
  SaTrainDialog *dialog = sa_train_dialog_new (GTK_WINDOW (window));

  g_signal_connect_object (dialog, "train", G_CALLBACK (dialog_train), window, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
sa_train_job_install_action (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.train", NULL);
}
