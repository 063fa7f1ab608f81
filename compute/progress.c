#include "config.h"

#include "compute/progress.h"

void
sa_progress_report (const SaProgress *progress,
                    double            fraction,
                    const char       *message)
{
  if (progress == NULL || progress->func == NULL)
    return;
  if (fraction >= 0)
    fraction = progress->start + progress->span * CLAMP (fraction, 0.0, 1.0);
  progress->func (fraction, message, progress->user_data);
}

SaProgress
sa_progress_sub (const SaProgress *parent,
                 double            from,
                 double            to)
{
  SaProgress sub = { NULL, NULL, 0.0, 1.0 };

  if (parent == NULL)
    return sub;
  sub = *parent;
  sub.start = parent->start + parent->span * from;
  sub.span = parent->span * (to - from);
  return sub;
}
