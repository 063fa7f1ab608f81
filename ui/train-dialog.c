/* train-dialog.c — the parameters of a training run in the window */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/train-dialog.h"

struct _SaTrainDialog {
  GtkWindow      parent_instance;

  GtkDropDown   *arch;
  GtkSpinButton *fbns;
  GtkSpinButton *epochs;
  GtkSpinButton *seed;
};

G_DEFINE_FINAL_TYPE (SaTrainDialog, sa_train_dialog, GTK_TYPE_WINDOW)

enum { TRAIN, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Dropdown order; the engine's enum is not an index to rely on. */
static const SaTorchEmbedArch archs[] = {
  SA_TORCH_EMBED_MSA, SA_TORCH_EMBED_LSTM, SA_TORCH_EMBED_LT,
};

void
sa_train_dialog_get_params (SaTrainDialog *self,
                            SaTrainParams *params)
{
  guint i;

  g_return_if_fail (SA_IS_TRAIN_DIALOG (self));
  sa_train_params_init (params);
  i = gtk_drop_down_get_selected (self->arch);
  params->arch = archs[MIN (i, G_N_ELEMENTS (archs) - 1)];
  params->m = gtk_spin_button_get_value_as_int (self->fbns);
  params->epochs = gtk_spin_button_get_value_as_int (self->epochs);
  params->seed = (guint64) gtk_spin_button_get_value (self->seed);
}

void
sa_train_dialog_set_params (SaTrainDialog       *self,
                            const SaTrainParams *params)
{
  g_return_if_fail (SA_IS_TRAIN_DIALOG (self));
  for (guint i = 0; i < G_N_ELEMENTS (archs); i++)
    if (archs[i] == params->arch)
      gtk_drop_down_set_selected (self->arch, i);
  gtk_spin_button_set_value (self->fbns, params->m);
  gtk_spin_button_set_value (self->epochs, params->epochs);
  gtk_spin_button_set_value (self->seed, (double) params->seed);
}

void
sa_train_dialog_accept (SaTrainDialog *self)
{
  g_return_if_fail (SA_IS_TRAIN_DIALOG (self));
  /* A value typed but not yet committed counts. */
  gtk_spin_button_update (self->fbns);
  gtk_spin_button_update (self->epochs);
  gtk_spin_button_update (self->seed);
  g_signal_emit (self, signals[TRAIN], 0);
}

static GtkSpinButton *
add_spin (GtkGrid    *grid,
          int         row,
          const char *label,
          const char *tooltip,
          double      lower,
          double      upper)
{
  GtkWidget *name = gtk_label_new_with_mnemonic (label);
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  gtk_widget_set_halign (name, GTK_ALIGN_END);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), spin);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

static void
sa_train_dialog_class_init (SaTrainDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* The Train button was pressed: read the parameters. */
  signals[TRAIN] = g_signal_new ("train", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sa_train_dialog_init (SaTrainDialog *self)
{
  const char *arch_names[] = {
    _("LT + MSA (self-attention, the paper's)"),
    _("LT + LSTM"),
    _("LT (linear only)"),
    NULL,
  };
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *train = gtk_button_new_with_mnemonic (_("_Train"));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *arch_label = gtk_label_new_with_mnemonic (_("_Temporal module"));
  GtkWidget *note;
  SaTrainParams defaults;

  gtk_window_set_title (GTK_WINDOW (self), _("Train Embedding"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), train);
  gtk_widget_add_css_class (train, "suggested-action");
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_window_set_default_widget (GTK_WINDOW (self), train);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  g_signal_connect_swapped (train, "clicked", G_CALLBACK (sa_train_dialog_accept), self);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);

  self->arch = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (arch_names));
  gtk_widget_set_halign (arch_label, GTK_ALIGN_END);
  gtk_label_set_mnemonic_widget (GTK_LABEL (arch_label), GTK_WIDGET (self->arch));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->arch),
                               _("What follows the linear encoder that makes the FBN maps"));
  gtk_grid_attach (GTK_GRID (grid), arch_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->arch), 1, 0, 1, 1);
  self->fbns = add_spin (GTK_GRID (grid), 1, _("_FBNs"),
                         _("Number of functional brain networks (the paper: 64, also 128–512)"), 1, 1024);
  self->epochs = add_spin (GTK_GRID (grid), 2, _("_Epochs"),
                           _("Passes over the training subjects (the paper: 100)"), 1, 10000);
  self->seed = add_spin (GTK_GRID (grid), 3, _("_Seed"),
                         _("Seed for the subject split, the shuffles and the weights"), 0, G_MAXINT32);
  note = gtk_label_new (_("Maps, time courses and pairs refresh after every epoch. "
                          "The results replace the dataset's FBNs and pairs when training ends."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 44);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), note, 0, 4, 2, 1);
  gtk_window_set_child (GTK_WINDOW (self), grid);

  sa_train_params_init (&defaults);
  sa_train_dialog_set_params (self, &defaults);
}

SaTrainDialog *
sa_train_dialog_new (GtkWindow *parent)
{
  return g_object_new (SA_TYPE_TRAIN_DIALOG, "transient-for", parent,
                       "destroy-with-parent", TRUE, NULL);
}
