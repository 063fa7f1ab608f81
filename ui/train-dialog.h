/* train-dialog.h — what to train: temporal module, FBNs, epochs, seed
 *
 * A small modal window over the main one. Its Train button emits ::train;
 * the receiver reads the parameters and closes it. Cancel and Escape close
 * it without a word.
 */
#pragma once

#include <gtk/gtk.h>

#include "ui/train-job.h"

G_BEGIN_DECLS

#define SA_TYPE_TRAIN_DIALOG (sa_train_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SaTrainDialog, sa_train_dialog, SA, TRAIN_DIALOG, GtkWindow)

/* Opens with sa_train_params_init's defaults. */
SaTrainDialog *sa_train_dialog_new        (GtkWindow           *parent);
void           sa_train_dialog_get_params (SaTrainDialog       *self,
                                           SaTrainParams       *params);
void           sa_train_dialog_set_params (SaTrainDialog       *self,
                                           const SaTrainParams *params);
/* What the Train button does. */
void           sa_train_dialog_accept     (SaTrainDialog       *self);

G_END_DECLS
