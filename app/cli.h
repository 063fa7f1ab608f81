/* cli.h — the headless command line: one function per subcommand */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef int (*SaCliFunc) (int argc, char **argv);

typedef struct {
  const char *name;
  const char *args;      /* usage after the name, untranslated syntax */
  const char *summary;   /* translatable, marked with N_() */
  SaCliFunc   func;
} SaCliCommand;

/* The subcommand named @name, or NULL. */
const SaCliCommand *sa_cli_find       (const char *name);

/* Runs argv[1] as a subcommand; returns the exit status. */
int                 sa_cli_run        (int argc, char **argv);
void                sa_cli_print_help (FILE *out);

/* Prints "syncact: message" on stderr and returns 1; what every command
 * does with a GError. */
int                 sa_cli_fail       (const char *command, GError *error);

/* Parses @entries over argv (program name in argv[0]); on a bad option
 * prints one line and returns FALSE. */
gboolean            sa_cli_parse      (const char    *command,
                                       const char    *parameter_string,
                                       GOptionEntry  *entries,
                                       int           *argc,
                                       char        ***argv);

/* "WxH" as used by --size; shared by layers and extract. */
gboolean            sa_cli_parse_size (const char    *text,
                                       int           *width,
                                       int           *height,
                                       GError       **error);

int sa_cli_figure  (int argc, char **argv);
int sa_cli_info    (int argc, char **argv);
int sa_cli_pair    (int argc, char **argv);
int sa_cli_pair_dataset (int argc, char **argv);
int sa_cli_pipeline (int argc, char **argv);
int sa_cli_layers  (int argc, char **argv);
int sa_cli_extract (int argc, char **argv);
int sa_cli_train   (int argc, char **argv);
int sa_cli_demo    (int argc, char **argv);
int sa_cli_version (int argc, char **argv);

G_END_DECLS
