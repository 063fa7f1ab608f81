/* atlas-names.h — atlas regions at a point, for the crosshair
 *
 * The AAL and Harvard-Oxford atlases (mricron-data) loaded once per process
 * on a worker — half a second on a busy machine, so never on the main
 * thread — and kept on their own grids: a name per crosshair move is a
 * matrix-vector product and one read (compute/annotate/atlas-lookup.h).
 * Main thread only.
 */
#pragma once

#include <glib-object.h>

#include "compute/annotate/atlas.h"

G_BEGIN_DECLS

typedef void (*SaAtlasNamesReady) (GObject *observer);

/* Starts the load unless done or under way; @ready runs on the main loop
 * with @observer when it ends, unless @observer is gone by then. Does
 * nothing once loaded. */
void        sa_atlas_names_request (GObject           *observer,
                                    SaAtlasNamesReady  ready);
gboolean    sa_atlas_names_loaded  (void);
/* The region of @kind (AAL or Harvard-Oxford) at @world mm, or NULL:
 * outside every region, not loaded yet, or the atlas not installed. */
const char *sa_atlas_names_at      (SaAtlasKind        kind,
                                    const double       world[3]);

G_END_DECLS
