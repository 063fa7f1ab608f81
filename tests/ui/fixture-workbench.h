/* fixture-workbench.h — a workbench filled from the synthetic fixture */
#pragma once

#include <gtk/gtk.h>

#include "tests/fixture.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_FIXTURE_N_FBN 3
#define SA_FIXTURE_N_FILTER 5

/* Three FBNs, five filters, one fw×fh frame per TR (a moving square, so
 * frames differ); pairs in both directions by argmax r as the pairing step
 * does (p_fwer 1e-3 in the FBN → filter table, 2e-3 in the other). */
SaWorkbench *sa_fixture_workbench_new (SaFixture *f,
                                       int        fw,
                                       int        fh);

/* The first widget of @type in @root's tree (depth first, @root
 * included), or NULL. */
GtkWidget   *sa_fixture_find_child    (GtkWidget *root,
                                       GType      type);

/* Runs the main loop (blocking, so the frame clock ticks) for @ms. */
void         sa_fixture_settle        (guint      ms);

G_END_DECLS
