#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ui/window.h"

#include "compute/error.h"

#include "ui/fbn-list.h"
#include "ui/filter-list.h"
#include "ui/filter-panel.h"
#include "ui/frame-view.h"
#include "ui/heatmap-view.h"
#include "ui/glass-view.h"
#include "ui/job-runner.h"
#include "ui/pipeline-job.h"
#include "ui/results-loader.h"
#include "ui/results-selector.h"
#include "ui/slice-view.h"
#include "ui/summary-view.h"
#include "ui/traces-view.h"
#include "ui/train-job.h"

struct _SaWindow {
  GtkApplicationWindow parent_instance;

  GFile         *dataset;
  SaWorkbench   *workbench;
  GSettings     *settings;   /* NULL when the schema is not installed */

  GtkLabel      *subtitle;
  GtkStack      *content_stack;
  GtkWidget     *movie_pane;
  GtkWidget     *brain_pane;
  GtkWidget     *traces_pane;
  SaFbnList     *fbn_list;
  SaFilterList  *filter_list;
  GtkStack      *list_stack;
  GSimpleAction *direction_action;
  SaHeatmapView *heatmap_view;
  SaFrameView   *frame_view;
  SaSliceView   *slice_view;
  SaGlassView   *glass_view;
  SaTracesView  *traces_view;
  SaFilterPanel *filter_panel;
  GtkScale      *timeline;
  GtkAdjustment *time_adjustment;
  GtkAdjustment *threshold_adjustment;
  GtkAdjustment *opacity_adjustment;
  GtkDropDown   *colormap_dropdown;
  GtkLabel      *cursor_label;
  GtkLabel      *time_label;
  GtkButton     *play_button;
  GtkWidget     *job_box;
  GtkProgressBar *job_progress;
  GtkButton     *job_cancel;
  SaJobRunner   *jobs;
  SaResultsSelector *selector;
  SaResultsChoice   *shown;   /* what the workbench holds, NULL before results */

  guint          tick_id;
  gint64         play_start_us;  /* frame clock time playing is timed from */
  double         play_start_t;   /* movie time then */
  double         play_last_t;    /* the time the last tick set */
  gboolean       syncing_time;
};

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, GTK_TYPE_APPLICATION_WINDOW)

static void show_error (SaWindow     *self,
                        const char   *primary,
                        const GError *error);
static void start_load (SaWindow        *self,
                        SaResultsChoice *choice);
static void cancel_and_wait (SaWindow *self);
static void selector_changed (SaWindow *self);

static void
actions_update (SaWindow *self)
{
  gboolean have_data = self->workbench && sa_workbench_get_n_tr (self->workbench) > 0;
  gboolean have_fbn = have_data && sa_workbench_get_selected_fbn (self->workbench) >= 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.home", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.end", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.select-fbn", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.select-filter", have_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", have_fbn);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.summary", have_data);
  /* One job at a time: no training while results load or a training runs. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train",
                                 have_data && self->dataset != NULL && self->jobs != NULL
                                 && !sa_job_runner_get_running (self->jobs));
}

static void
open_response (GtkNativeDialog *dialog,
               int              response,
               gpointer         user_data)
{
  SaWindow *self = SA_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      sa_window_open_dataset (self, folder);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a BIDS Dataset"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                 _("_Open"), _("_Cancel"));

  g_signal_connect (chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A results-table row shows that model, layer and run. */
static void
summary_row_activated (SaWindow   *self,
                       const char *model,
                       const char *layer,
                       const char *run)
{
  sa_results_selector_select (self->selector, model, layer, run);
}

/* The results table of the open dataset in its own window, or an error
 * naming summary.tsv. */
GtkWidget *
sa_window_show_summary (SaWindow  *self,
                        GError   **error)
{
  g_autofree char *root = NULL, *path = NULL;
  GtkWidget *view, *window;

  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  if (self->dataset == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No dataset open"));
      return NULL;
    }
  root = g_file_get_path (self->dataset);
  path = g_build_filename (root, "derivatives", "syncact", "summary.tsv", NULL);
  view = sa_summary_view_new (path, error);
  if (view == NULL)
    return NULL;
  g_signal_connect_object (view, "row-activated", G_CALLBACK (summary_row_activated), self,
                           G_CONNECT_SWAPPED);
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Results: mean r per model, layer and run"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
summary_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (sa_window_show_summary (self, &error) == NULL)
    show_error (self, _("Cannot show the results table"), error);
}

/* @width_mm: a journal column (89 single, 183 double); the height is the
 * kind's at 183 mm, scaled alike. */
static gboolean
export_sized (SaWindow     *self,
              SaExportKind  kind,
              double        width_mm,
              double        dpi,
              const char   *path,
              GError      **error)
{
  SaFigureFormat format;
  double width = width_mm / 25.4 * 72;
  double height = sa_export_kind_height_mm (kind, TRUE) * MAX (width_mm / 183, 0.6) / 25.4 * 72;

  g_return_val_if_fail (SA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->workbench == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No results to export"));
      return FALSE;
    }
  if (!sa_figure_format_parse (path, &format))
    format = SA_FIGURE_PNG;
  return sa_export_figure (self->workbench, sa_slice_view_get_params (self->slice_view),
                           sa_glass_view_get_params (self->glass_view),
                           kind, format, width, height, dpi, path, error);
}

gboolean
sa_window_export (SaWindow     *self,
                  SaExportKind  kind,
                  const char   *path,
                  GError      **error)
{
  /* Double column, 300 dpi: what journals ask for by default. */
  return export_sized (self, kind, 183, 300, path, error);
}

static void
export_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  SaWindow *self = SA_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "figure");
      const char *width = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "width");
      const char *dpi = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "dpi");
      g_autoptr(GError) error = NULL;
      SaExportKind kind = SA_EXPORT_PAIR;

      if (choice)
        sa_export_kind_parse (choice, &kind);
      if (path && !export_sized (self, kind, width ? g_ascii_strtod (width, NULL) : 183,
                                 dpi ? g_ascii_strtod (dpi, NULL) : 300, path, &error))
        {
          GtkWidget *message = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL,
                                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                       _("The figure could not be exported"));
          gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (message), "%s", error->message);
          g_signal_connect (message, "response", G_CALLBACK (gtk_window_destroy), NULL);
          gtk_window_present (GTK_WINDOW (message));
        }
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);
  const char *ids[SA_N_EXPORT_KINDS + 1] = { NULL }, *labels[SA_N_EXPORT_KINDS + 1] = { NULL };
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  for (int k = 0; k < SA_N_EXPORT_KINDS; k++)
    {
      ids[k] = sa_export_kind_name (k);
      labels[k] = sa_export_kind_label (k);
    }
  gtk_file_filter_set_name (filter, _("PNG, SVG or PDF"));
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "svg");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "figure", _("Figure"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "figure", "pair");
  {
    static const char *width_ids[] = { "89", "120", "183", NULL };
    static const char *dpi_ids[] = { "150", "300", "600", NULL };
    const char *width_labels[] = { _("Single column (89 mm)"), _("1.5 columns (120 mm)"),
                                   _("Double column (183 mm)"), NULL };
    const char *dpi_labels[] = { _("150 dpi"), _("300 dpi"), _("600 dpi"), NULL };

    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "width", _("Width"), width_ids, width_labels);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "width", "183");
    /* Only PNG is rasterised; SVG and PDF ignore it (the glass brain's
     * image is embedded at 300 dpi). */
    gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "dpi", _("PNG resolution"), dpi_ids, dpi_labels);
    gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "dpi", "300");
  }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "figure.pdf");
  g_signal_connect (chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
play_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  SaWindow *self = SA_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double t;

  if (self->workbench == NULL)
    return G_SOURCE_CONTINUE;
  /* Movie time is the frame clock's time since playing started (or since
   * the user moved the cursor): a late frame skips movie frames rather
   * than slowing the movie, and no rounding adds up. */
  t = sa_workbench_get_time (self->workbench);
  if (self->play_start_us == 0 || fabs (t - self->play_last_t) > 1e-9)
    {
      self->play_start_us = now;
      self->play_start_t = t;
    }
  t = self->play_start_t + (now - self->play_start_us) / 1e6;
  if (t >= sa_workbench_get_duration (self->workbench))
    {
      sa_workbench_set_time (self->workbench, sa_workbench_get_duration (self->workbench));
      self->tick_id = 0;
      self->play_start_us = 0;
      gtk_button_set_icon_name (self->play_button, "media-playback-start-symbolic");
      sa_frame_view_set_playing (self->frame_view, FALSE);
      return G_SOURCE_REMOVE;
    }
  sa_workbench_set_time (self->workbench, t);
  self->play_last_t = sa_workbench_get_time (self->workbench);
  return G_SOURCE_CONTINUE;
}

static void
stop_playing (SaWindow *self)
{
  if (self->tick_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  self->play_start_us = 0;
  if (self->play_button)
    gtk_button_set_icon_name (self->play_button, "media-playback-start-symbolic");
  if (self->frame_view)
    sa_frame_view_set_playing (self->frame_view, FALSE);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);

  if (self->tick_id)
    {
      stop_playing (self);
      return;
    }
  if (sa_workbench_get_time (self->workbench) >= sa_workbench_get_duration (self->workbench) - 1e-6)
    sa_workbench_set_time (self->workbench, 0);
  self->play_start_us = 0;
  sa_frame_view_set_playing (self->frame_view, TRUE);
  self->tick_id = gtk_widget_add_tick_callback (widget, play_tick, NULL, NULL);
  gtk_button_set_icon_name (self->play_button, "media-playback-pause-symbolic");
}

/* Space plays and pauses wherever the focus is, as in a media player,
 * except where it types or presses a focused button. Left to bubble, GtkWindow's own space binding
 * (activate-focus) takes it first. */
static gboolean
space_pressed (SaWindow        *self,
               guint            keyval,
               guint            keycode,
               GdkModifierType  state)
{
  GtkWidget *focus;

  if ((keyval != GDK_KEY_space && keyval != GDK_KEY_KP_Space) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  /* Where space types, or presses the focused control (a keyboard user's
   * way to press a button), it keeps that meaning. */
  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                        GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus) ||
                        GTK_IS_SWITCH (focus)))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.play", NULL);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);
  int index = sa_workbench_get_tr_index (self->workbench) + g_variant_get_int32 (parameter);

  /* Steps land on TR onsets, so the frame and the traces agree exactly. */
  sa_workbench_set_time (self->workbench, index * sa_workbench_get_tr (self->workbench));
}

static void
home_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sa_workbench_set_time (SA_WINDOW (widget)->workbench, 0);
}

static void
end_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SaWorkbench *wb = SA_WINDOW (widget)->workbench;

  sa_workbench_set_time (wb, (sa_workbench_get_n_tr (wb) - 1) * sa_workbench_get_tr (wb));
}

static void
select_fbn_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sa_workbench_set_selected_fbn (SA_WINDOW (widget)->workbench, g_variant_get_int32 (parameter));
}

static void
select_filter_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  sa_workbench_set_selected_filter (SA_WINDOW (widget)->workbench, g_variant_get_int32 (parameter));
}

/* win.direction: which pairs the list follows, "fbn2filter" or
 * "filter2fbn". Stateful, so the header's toggles show it; the workbench
 * holds it for the panes, and the window keeps it across datasets. */
static void
show_direction (SaWindow        *self,
                SaPairDirection  direction)
{
  const char *name = sa_pair_direction_to_string (direction);

  g_simple_action_set_state (self->direction_action, g_variant_new_string (name));
  gtk_stack_set_visible_child_name (self->list_stack, name);
}

static void
on_direction (SaWindow *self)
{
  show_direction (self, sa_workbench_get_direction (self->workbench));
}

static void
direction_change_state (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  SaWindow *self = SA_WINDOW (user_data);
  SaPairDirection direction;

  if (!sa_pair_direction_from_string (g_variant_get_string (value, NULL), &direction))
    return;
  if (self->workbench)
    sa_workbench_set_direction (self->workbench, direction);
  show_direction (self, direction);
}

static SaPairDirection
window_direction (SaWindow *self)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (self->direction_action));
  SaPairDirection direction = SA_PAIR_DIRECTION_FBN2FILTER;

  sa_pair_direction_from_string (g_variant_get_string (state, NULL), &direction);
  return direction;
}

static void
on_time (SaWindow *self)
{
  double t = sa_workbench_get_time (self->workbench);
  g_autofree char *text = g_strdup_printf (_("%.1f s · TR %d"), t, sa_workbench_get_tr_index (self->workbench));

  gtk_label_set_label (self->time_label, text);
  self->syncing_time = TRUE;
  gtk_adjustment_set_value (self->time_adjustment, t);
  self->syncing_time = FALSE;
}

static void
timeline_changed (GtkAdjustment *adjustment,
                  SaWindow      *self)
{
  if (!self->syncing_time && self->workbench)
    sa_workbench_set_time (self->workbench, gtk_adjustment_get_value (adjustment));
}

static double
selected_map_max (SaWindow *self)
{
  SaSliceVolume map;
  double m = 0;

  if (!sa_workbench_get_map (self->workbench, sa_workbench_get_selected_fbn (self->workbench), &map))
    return 0;
  for (gsize i = 0; i < (gsize) map.nx * map.ny * map.nz; i++)
    m = MAX (m, fabs (map.data[i]));
  return m;
}

static void
on_selection (SaWindow *self)
{
  double upper = gtk_adjustment_get_upper (self->threshold_adjustment);
  double fraction = upper > 0 ? gtk_adjustment_get_value (self->threshold_adjustment) / upper : 0.3;
  double max = selected_map_max (self);

  /* Keep the threshold at the same share of each map's peak. */
  if (max > 0)
    {
      gtk_adjustment_set_upper (self->threshold_adjustment, max);
      gtk_adjustment_set_step_increment (self->threshold_adjustment, max / 100);
      gtk_adjustment_set_page_increment (self->threshold_adjustment, max / 10);
      gtk_adjustment_set_value (self->threshold_adjustment, fraction * max);
    }
  actions_update (self);
}

/* TR ticks under the movie: every TR while they stay a few pixels apart,
 * else every 10th; a labelled one every 50 TRs as a ruler. */
static void
update_ticks (SaWindow *self)
{
  int n = sa_workbench_get_n_tr (self->workbench);
  double tr = sa_workbench_get_tr (self->workbench);
  int step = n <= 150 ? 1 : 10;

  gtk_scale_clear_marks (self->timeline);
  for (int k = 0; k < n; k += step)
    {
      g_autofree char *label = k > 0 && k % 50 == 0 ? g_strdup_printf ("%d", k) : NULL;

      gtk_scale_add_mark (self->timeline, k * tr, GTK_POS_BOTTOM, label);
    }
}

static void
on_data (SaWindow *self)
{
  gtk_adjustment_configure (self->time_adjustment, sa_workbench_get_time (self->workbench), 0,
                            MAX (sa_workbench_get_duration (self->workbench), 1e-3),
                            sa_workbench_get_tr (self->workbench),
                            10 * sa_workbench_get_tr (self->workbench), 0);
  update_ticks (self);
  on_selection (self);
  on_time (self);
}

SaWorkbench *
sa_window_get_workbench (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return self->workbench;
}

void
sa_window_set_workbench (SaWindow    *self,
                         SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_WINDOW (self));
  g_return_if_fail (workbench == NULL || SA_IS_WORKBENCH (workbench));

  stop_playing (self);
  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    sa_workbench_set_direction (workbench, window_direction (self));
  sa_fbn_list_set_workbench (self->fbn_list, workbench);
  sa_filter_list_set_workbench (self->filter_list, workbench);
  sa_heatmap_view_set_workbench (self->heatmap_view, workbench);
  sa_frame_view_set_workbench (self->frame_view, workbench);
  sa_slice_view_set_workbench (self->slice_view, workbench);
  sa_glass_view_set_workbench (self->glass_view, workbench);
  sa_traces_view_set_workbench (self->traces_view, workbench);
  sa_filter_panel_set_workbench (self->filter_panel, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::time", G_CALLBACK (on_time), self);
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (on_selection), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (on_data), self);
      g_signal_connect_swapped (workbench, "notify::direction", G_CALLBACK (on_direction), self);
      on_data (self);
      gtk_stack_set_visible_child_name (self->content_stack, "workbench");
    }
  actions_update (self);
}

gboolean
sa_window_get_playing (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), FALSE);
  return self->tick_id != 0;
}

static gboolean
sa_window_close_request (GtkWindow *window)
{
  SaWindow *self = SA_WINDOW (window);
  int width, height;

  /* Saved once on close, as GNOME apps do, not on every resize. */
  if (self->settings)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (sa_window_parent_class)->close_request (window);
}

static void
sa_window_dispose (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  g_clear_object (&self->settings);
  if (self->direction_action)
    g_signal_handlers_disconnect_by_data (self->direction_action, self);
  g_clear_object (&self->direction_action);
  if (self->jobs)
    {
      /* Cancels the job; its result, if any arrives, finds no window. */
      g_signal_handlers_disconnect_by_data (self->jobs, self);
      sa_job_runner_cancel (self->jobs);
      g_clear_object (&self->jobs);
    }
  stop_playing (self);
  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->shown, sa_results_choice_free);
  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  /* After each open: TRUE when results are shown (for tests and scripts). */
  g_signal_new ("dataset-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  object_class->dispose = sa_window_dispose;
  window_class->close_request = sa_window_close_request;

  g_type_ensure (SA_TYPE_FBN_LIST);
  g_type_ensure (SA_TYPE_FILTER_LIST);
  g_type_ensure (SA_TYPE_HEATMAP_VIEW);
  g_type_ensure (SA_TYPE_FRAME_VIEW);
  g_type_ensure (SA_TYPE_SLICE_VIEW);
  g_type_ensure (SA_TYPE_GLASS_VIEW);
  g_type_ensure (SA_TYPE_TRACES_VIEW);
  g_type_ensure (SA_TYPE_FILTER_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/syncact/SyncAct/ui/window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWindow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, movie_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, brain_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, traces_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, fbn_list);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, filter_list);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, heatmap_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, frame_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, slice_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, glass_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, traces_view);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, filter_panel);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, time_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, threshold_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, job_box);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, job_progress);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, job_cancel);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, cursor_label);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, play_button);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.summary", NULL, summary_action);
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.step", "i", step_action);
  gtk_widget_class_install_action (widget_class, "win.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "win.end", NULL, end_action);
  gtk_widget_class_install_action (widget_class, "win.select-fbn", "i", select_fbn_action);
  gtk_widget_class_install_action (widget_class, "win.select-filter", "i", select_filter_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "win.step", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "win.step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "win.home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "win.end", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.direction", "s", "fbn2filter");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "win.direction", "s", "filter2fbn");
  sa_train_job_install_action (widget_class);
}

static gboolean
drop_file (GtkDropTarget *target,
           const GValue  *value,
           double         x,
           double         y,
           SaWindow      *self)
{
  GFile *file;

  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  file = g_value_get_object (value);
  /* A dataset is a folder; a dropped file inside one opens its folder. */
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    sa_window_open_dataset (self, file);
  else
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      if (parent == NULL)
        return FALSE;
      sa_window_open_dataset (self, parent);
    }
  return TRUE;
}

static gboolean
dropdown_to_colormap (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_uint (to, MIN (g_value_get_uint (from), SA_N_COLORMAPS - 1));
  return TRUE;
}

static void
sa_window_init (SaWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_event_controller_set_name (keys, "sa-space-plays");
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (space_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  self->direction_action = g_simple_action_new_stateful ("direction", G_VARIANT_TYPE_STRING,
                                                         g_variant_new_string ("fbn2filter"));
  g_signal_connect (self->direction_action, "change-state", G_CALLBACK (direction_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->direction_action));

  /* An uninstalled build may have no compiled schema: run without memory
   * rather than abort in g_settings_new(). */
  if (schema)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  g_object_bind_property (self->threshold_adjustment, "value", self->slice_view, "threshold",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->opacity_adjustment, "value", self->slice_view, "opacity",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self->colormap_dropdown, "selected", self->slice_view, "colormap",
                               G_BINDING_SYNC_CREATE, dropdown_to_colormap, NULL, NULL, NULL);
  /* The 3D view follows the slices' threshold and colour map. */
  g_object_bind_property (self->threshold_adjustment, "value", self->glass_view, "threshold",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self->colormap_dropdown, "selected", self->glass_view, "colormap",
                               G_BINDING_SYNC_CREATE, dropdown_to_colormap, NULL, NULL, NULL);
  g_object_bind_property (self->slice_view, "cursor-text", self->cursor_label, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (self->time_adjustment, "value-changed", G_CALLBACK (timeline_changed), self);

  self->jobs = sa_job_runner_new ();
  g_object_bind_property (self->jobs, "running", self->job_box, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->jobs, "fraction", self->job_progress, "fraction", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->jobs, "text", self->job_progress, "text", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->job_cancel, "clicked", G_CALLBACK (sa_job_runner_cancel), self->jobs);
  g_signal_connect_swapped (self->jobs, "notify::running", G_CALLBACK (actions_update), self);

  /* Run, model and layer beside the title; shown once results are. */
  self->selector = SA_RESULTS_SELECTOR (sa_results_selector_new ());
  gtk_header_bar_pack_end (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (self))),
                           GTK_WIDGET (self->selector));
  g_signal_connect_swapped (self->selector, "changed", G_CALLBACK (selector_changed), self);

  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (drop_file), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
  actions_update (self);
}

SaWindow *
sa_window_new (SaApplication *app)
{
  return g_object_new (SA_TYPE_WINDOW, "application", app, NULL);
}

/* Newest first, no duplicates, at most ten. */
static void
remember_dataset (SaWindow   *self,
                  const char *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  int n = 1;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-datasets");
  g_strv_builder_add (b, path);
  for (int i = 0; old[i] && n < 10; i++)
    if (g_strcmp0 (old[i], path) != 0)
      g_strv_builder_add (b, old[i]), n++;
  recent = g_strv_builder_end (b);
  g_settings_set_strv (self->settings, "recent-datasets", (const char *const *) recent);
}

static void
show_error (SaWindow     *self,
            const char   *primary,
            const GError *error)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                              "%s", primary);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gpointer
load_job (gpointer          data,
          const SaProgress *progress,
          GCancellable     *cancellable,
          GError          **error)
{
  const SaResultsChoice *choice = data;

  sa_progress_report (progress, -1, _("Loading results"));
  return sa_results_open (choice->root, choice, SA_RESULTS_LOAD_FRAMES, cancellable, error);
}

/* Another run, model or layer of the same dataset keeps the FBN (same
 * FBN set: the same maps) and the time cursor (same run: the same movie). */
static void
show_results (SaWindow  *self,
              SaResults *results)
{
  SaWorkbench *old = self->workbench;
  const SaResultsChoice *was = self->shown;
  gboolean same_root = was && old && g_strcmp0 (was->root, results->index->root) == 0;
  gboolean keep_fbn = same_root && g_strcmp0 (was->fbn_set, results->fbn_set->name) == 0;
  gboolean keep_time = same_root && g_strcmp0 (was->run, results->entry->run) == 0;
  int fbn = keep_fbn ? sa_workbench_get_selected_fbn (old) : -1;
  double time = keep_time ? sa_workbench_get_time (old) : 0;
  SaWorkbench *wb = results->workbench;

  g_clear_pointer (&self->shown, sa_results_choice_free);
  self->shown = sa_results_choice_new (results->index->root, results->fbn_set->name,
                                       results->entry->run, results->entry->model,
                                       results->entry->layer);
  sa_window_set_workbench (self, wb);
  /* Say which embedding made the FBNs: a blend of networks (the
   * autoencoder) reads differently from single ones (ICA). */
  if (self->dataset != NULL && sa_workbench_get_method (wb) != NULL)
    {
      g_autofree char *name = g_file_get_basename (self->dataset);
      g_autofree char *subtitle = g_strdup_printf (_("%s · FBNs by %s"), name,
                                                  sa_workbench_get_method (wb));
      gtk_label_set_label (self->subtitle, subtitle);
    }
  if (sa_workbench_get_n_fbns (wb) > 0)
    sa_workbench_set_selected_fbn (wb, fbn >= 0 && fbn < sa_workbench_get_n_fbns (wb) ? fbn : 0);
  if (keep_time)
    sa_workbench_set_time (wb, time);
  sa_results_selector_set_index (self->selector, g_steal_pointer (&results->index),
                                 results->fbn_set, results->entry);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SaWindow) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaResults) results = sa_job_runner_finish (SA_JOB_RUNNER (source), result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  /* A closed window drops what arrives for it (dispose clears jobs). */
  if (self == NULL || self->jobs == NULL)
    return;
  if (results)
    show_results (self, results);
  else
    {
      /* The selector goes back to what is shown. */
      if (self->shown && sa_results_selector_get_index (self->selector))
        sa_results_selector_show (self->selector, self->shown);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, SA_ERROR, SA_ERROR_CANCELLED))
        {
          if (self->workbench == NULL)
            gtk_stack_set_visible_child_name (self->content_stack, "empty");
          show_error (self, _("Cannot open the results"), error);
        }
    }
  g_signal_emit_by_name (self, "dataset-loaded", error == NULL);
}

/* One job at a time: a new dataset replaces the work still going. */
static void
cancel_and_wait (SaWindow *self)
{
  sa_job_runner_cancel (self->jobs);
  while (sa_job_runner_get_running (self->jobs))
    g_main_context_iteration (NULL, TRUE);
}

/* Takes @choice. */
static void
start_load (SaWindow        *self,
            SaResultsChoice *choice)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  sa_job_runner_start (self->jobs, _("Loading results"), load_job, choice,
                       (GDestroyNotify) sa_results_choice_free, (GDestroyNotify) sa_results_free,
                       load_done, ref);
}

/* The selector or the results table chose another combination. */
static void
selector_changed (SaWindow *self)
{
  SaResultsChoice *choice = sa_results_selector_get_choice (self->selector);

  if (choice == NULL)
    return;
  /* Same dataset: the template in memory serves again. */
  if (self->workbench && self->shown && g_strcmp0 (self->shown->root, choice->root) == 0 &&
      sa_workbench_get_anatomy (self->workbench) != NULL)
    choice->shown = g_object_ref (self->workbench);
  cancel_and_wait (self);
  start_load (self, choice);
}

static void
pipeline_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SaWindow) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = sa_job_runner_finish (SA_JOB_RUNNER (source), result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || self->jobs == NULL)
    return;
  if (root)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (root);

      g_set_object (&self->dataset, folder);
      start_load (self, sa_results_choice_new (root, NULL, NULL, NULL, NULL));
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, SA_ERROR, SA_ERROR_CANCELLED))
    show_error (self, _("Cannot compute the results"), error);
  g_signal_emit_by_name (self, "dataset-loaded", FALSE);
}

static void
start_pipeline (SaWindow          *self,
                SaPipelineRequest *request)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  sa_job_runner_start (self->jobs, request->dataset ? _("Computing results") : _("Preparing the demo"),
                       sa_pipeline_job, request, (GDestroyNotify) sa_pipeline_request_free,
                       g_free, pipeline_done, ref);
}

void
sa_window_open_dataset (SaWindow *self,
                        GFile    *folder)
{
  g_autofree char *name = NULL, *path = NULL;

  g_return_if_fail (SA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  path = g_file_get_path (folder);
  if (path == NULL)
    return;
  g_set_object (&self->dataset, folder);
  name = g_file_get_basename (folder);
  gtk_label_set_label (self->subtitle, name);
  remember_dataset (self, path);

  cancel_and_wait (self);
  if (sa_results_exist (path))
    start_load (self, sa_results_choice_new (path, NULL, NULL, NULL, NULL));
  else
    start_pipeline (self, sa_pipeline_request_new (path));
}

void
sa_window_open_demo (SaWindow   *self,
                     const char *cache_dir)
{
  SaPipelineRequest *request;

  g_return_if_fail (SA_IS_WINDOW (self));

  gtk_label_set_label (self->subtitle, _("Demo"));
  cancel_and_wait (self);
  request = sa_pipeline_request_new (NULL);
  request->cache_dir = g_strdup (cache_dir);
  start_pipeline (self, request);
}

SaJobRunner *
sa_window_get_job_runner (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return self->jobs;
}

void
sa_window_set_subtitle (SaWindow   *self,
                        const char *text,
                        const char *tooltip)
{
  g_return_if_fail (SA_IS_WINDOW (self));
  gtk_label_set_label (self->subtitle, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle), tooltip);
}

GFile *
sa_window_get_dataset (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return self->dataset;
}

GtkWidget *
sa_window_get_results_selector (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->selector);
}

/* The shown run, model and layer read again from disk (after training
 * rewrote them), through the same job and selector as a switch. */
void
sa_window_reload_results (SaWindow *self)
{
  SaResultsChoice *choice;

  g_return_if_fail (SA_IS_WINDOW (self));
  if (self->shown == NULL)
    return;
  choice = sa_results_choice_new (self->shown->root, self->shown->fbn_set, self->shown->run,
                                  self->shown->model, self->shown->layer);
  cancel_and_wait (self);
  start_load (self, choice);
}
