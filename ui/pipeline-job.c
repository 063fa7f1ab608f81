/* pipeline-job.c — `syncact demo` and `syncact run` as child processes */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ui/pipeline-job.h"

#include "compute/error.h"
#include "ui/results-loader.h"

SaPipelineRequest *
sa_pipeline_request_new (const char *dataset)
{
  SaPipelineRequest *request = g_new0 (SaPipelineRequest, 1);

  request->exe = sa_pipeline_find_exe ();
  request->dataset = g_strdup (dataset);
  return request;
}

void
sa_pipeline_request_free (SaPipelineRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->exe);
  g_free (request->dataset);
  g_free (request->cache_dir);
  g_free (request->model);
  g_free (request->layer);
  g_free (request->arch);
  g_free (request);
}

char *
sa_pipeline_find_exe (void)
{
  const char *env = g_getenv ("SYNCACT_EXE");

  if (env && *env)
    return g_strdup (env);
  return g_file_read_link ("/proc/self/exe", NULL);
}

gboolean
sa_pipeline_parse_line (const char *line,
                        int        *stage,
                        int        *n_stages,
                        double     *fraction)
{
  int i, n, percent;
  const char *colon;
  char sign;

  /* `syncact run` draws one bar over the whole pipeline; piped, it prints
   * "run: 40% [2/5] …": 40% of everything. From then on its "[i/n]" step
   * lines are only messages. */
  if (sscanf (line, "run: %d%c", &percent, &sign) == 2 && sign == '%'
      && percent >= 0 && percent <= 100)
    {
      *stage = 0;
      *n_stages = -1;
      *fraction = percent / 100.0;
      return TRUE;
    }
  if (*n_stages < 0)
    return FALSE;
  if (sscanf (line, "[%d/%d]", &i, &n) == 2 && n > 0 && i >= 1 && i <= n)
    {
      *stage = i;
      *n_stages = n;
      *fraction = (double) (i - 1) / n;
      return TRUE;
    }
  /* "title: 40%" or "title: 40% 00:03 …" as progress-bar.c prints when
   * piped: the first colon followed by a percentage (a time has colons). */
  for (colon = strchr (line, ':'); colon; colon = strchr (colon + 1, ':'))
    {
      if (sscanf (colon + 1, " %d%c", &percent, &sign) == 2 && sign == '%' &&
          percent >= 0 && percent <= 100)
        {
          double part = percent / 100.0;

          *fraction = *n_stages > 0 ? (*stage - 1 + part) / *n_stages : part;
          return TRUE;
        }
    }
  return FALSE;
}

/* Runs @argv, reporting its lines into [@from, @to] of @progress; the last
 * line it printed is the error message when it fails. */
static gboolean
run_child (const char *const *argv,
           const SaProgress  *progress,
           double             from,
           double             to,
           GCancellable      *cancellable,
           GError           **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *last = NULL;
  SaProgress sub = sa_progress_sub (progress, from, to);
  int stage = 0, n_stages = 0;
  char *line;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, error);
  if (child == NULL)
    return FALSE;
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, cancellable, NULL)) != NULL)
    {
      double fraction;

      g_strstrip (line);
      if (*line)
        {
          if (sa_pipeline_parse_line (line, &stage, &n_stages, &fraction))
            sa_progress_report (&sub, fraction, line);
          else
            sa_progress_report (&sub, -1, line);
          g_free (last);
          last = line;
        }
      else
        g_free (line);
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      return !sa_check_cancelled (cancellable, error);
    }
  if (!g_subprocess_wait (child, cancellable, error))
    {
      g_subprocess_force_exit (child);
      return FALSE;
    }
  if (!g_subprocess_get_successful (child))
    {
      g_set_error (error, SA_ERROR, SA_ERROR_FAILED, "%s",
                   last ? last : _("the command failed without a message"));
      return FALSE;
    }
  return TRUE;
}

gpointer
sa_pipeline_job (gpointer           data,
                 const SaProgress  *progress,
                 GCancellable      *cancellable,
                 GError           **error)
{
  SaPipelineRequest *request = data;
  g_autofree char *root = NULL;
  double split = 0;

  if (request->dataset)
    root = g_strdup (request->dataset);
  else
    {
      root = g_build_filename (request->cache_dir ? request->cache_dir : g_get_user_cache_dir (),
                               "syncact", "demo", NULL);
      split = sa_results_exist (root) ? 0 : 0.3;
      /* `syncact demo` renames its folder into place when complete, so a
       * folder that is there is whole. */
      if (!g_file_test (root, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *parent = g_path_get_dirname (root);
          const char *argv[] = { request->exe, "demo", "--out", root, NULL };

          if (g_mkdir_with_parents (parent, 0755) != 0)
            {
              sa_set_error (error, SA_ERROR_IO, parent, _("cannot create the folder"));
              return NULL;
            }
          sa_progress_report (progress, 0, _("Making the demo dataset"));
          if (!run_child (argv, progress, 0, split, cancellable, error))
            return NULL;
        }
    }
  if (!sa_results_exist (root))
    {
      const char *argv[] = {
        request->exe, "run", root,
        "--model", request->model ? request->model : "builtin:democnn",
        "--layer", request->layer ? request->layer : "conv3",
        "--arch", request->arch ? request->arch : "ica",
        NULL
      };

      sa_progress_report (progress, split, _("Running the pipeline"));
      if (!run_child (argv, progress, split, 1, cancellable, error))
        return NULL;
    }
  return g_steal_pointer (&root);
}
