/* oh-cli-common.h: what every offhook command shares
 *
 * Implemented in oh-cli-common.c (errors, arguments, the daemon, objects,
 * watching) and oh-cli-output.c (output and tables).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "oh-dbus-generated.h"

G_BEGIN_DECLS

/* Exit codes, documented in offhook(1). */
typedef enum {
  OH_EXIT_OK = 0,
  OH_EXIT_FAILED = 1,
  OH_EXIT_INVALID_ARGUMENT = 2,
  OH_EXIT_UNREACHABLE = 3,
  OH_EXIT_NOT_CONNECTED = 4,
  OH_EXIT_NOT_FOUND = 5,
} OhExit;

#define OH_IFACE_ACCOUNT "org.offhook.Offhook1.Account"
#define OH_IFACE_PHONE   "org.offhook.Offhook1.Phone"
#define OH_IFACE_HISTORY "org.offhook.Offhook1.History"
#define OH_IFACE_CHAT    "org.offhook.Offhook1.Chat"
#define OH_IFACE_USER    "org.offhook.Offhook1.User"
#define OH_IFACE_SESSION "org.offhook.Offhook1.Session"
#define OH_IFACE_CALL    "org.offhook.Offhook1.Call"

typedef struct {
  GDBusConnection    *bus;
  gboolean            json;
  gboolean            color;
  gboolean            daemon_checked;
  GDBusObjectManager *manager;
  GMainLoop          *loop;
  guint               sigint_id;
  guint               sigterm_id;
  int                 loop_status;
} OhCli;

typedef struct {
  const char *name;
  const char *args;
  int       (*run) (OhCli *cli, int argc, char **argv);
  const char *summary;
} OhCommand;

/* Errors and exit codes */
int  oh_cli_fail        (const GError *error);
int  oh_cli_error       (OhExit        code,
                         const char   *format,
                         ...) G_GNUC_PRINTF (2, 3);
int  oh_cli_usage_error (const char   *format,
                         ...) G_GNUC_PRINTF (1, 2);
int  oh_cli_unreachable (const GError *error);

/* Arguments */
gboolean oh_cli_parse_options (OhCli              *cli,
                               int                *argc,
                               char             ***argv,
                               const GOptionEntry *entries,
                               const char         *command,
                               const char         *parameters,
                               const char         *summary,
                               int                 min_args,
                               int                 max_args,
                               int                *status);
gboolean oh_cli_parse_time (const char  *text,
                            gint64      *usec,
                            GError     **error);

/* The daemon */
gboolean            oh_cli_ensure_daemon   (OhCli    *cli,
                                            GError  **error);
OhDBusAccount      *oh_cli_account_proxy   (OhCli    *cli,
                                            GError  **error);
GDBusObjectManager *oh_cli_object_manager  (OhCli    *cli,
                                            GError  **error);
GVariant           *oh_cli_get_all         (OhCli       *cli,
                                            const char  *interface,
                                            GError     **error);
int                 oh_cli_require_connected (OhCli  *cli);

/* Objects */
const char *oh_cli_path_element       (const char         *path);
char       *oh_cli_user_name_for_path (GDBusObjectManager *manager,
                                       const char         *path);
char       *oh_cli_session_id_for_path (GDBusObjectManager *manager,
                                        const char         *path);
GList      *oh_cli_objects_with        (GDBusObjectManager *manager,
                                        const char         *interface);
char       *oh_cli_resolve_user        (OhCli              *cli,
                                        const char         *query,
                                        int                *status);
OhDBusUser *oh_cli_find_user           (OhCli              *cli,
                                        const char         *query,
                                        int                *status);

/* Output (oh-cli-output.c) */
void  oh_cli_print_json  (JsonNode   *node);
void  oh_cli_print_line  (const char *format,
                          ...) G_GNUC_PRINTF (1, 2);
char *oh_cli_sanitize    (const char *text);
gsize oh_cli_text_width  (const char *text);
const char *oh_cli_state_label (const char *state);
char *oh_cli_state_text  (OhCli      *cli,
                          const char *state);
char *oh_cli_paint       (OhCli      *cli,
                          const char *text,
                          const char *color);
char *oh_cli_format_time (gint64      usec);
char *oh_cli_format_clock (void);
char *oh_cli_format_duration (gint64  seconds);
gint64 oh_cli_talk_seconds (gint64    answer_time,
                            gint64    end_time);
char *oh_cli_party       (const char *number,
                          const char *name);
void  oh_cli_json_add_string   (JsonBuilder *builder,
                                const char  *key,
                                const char  *value);
void  oh_cli_json_add_int      (JsonBuilder *builder,
                                const char  *key,
                                gint64       value);
void  oh_cli_json_add_strv     (JsonBuilder        *builder,
                                const char         *key,
                                const char *const  *values);

/* Tables: columns measured in display cells (oh-cli-output.c) */
typedef struct _OhCliTable OhCliTable;

OhCliTable *oh_cli_table_new         (OhCli      *cli,
                                      const char *first_header,
                                      ...) G_GNUC_NULL_TERMINATED;
void        oh_cli_table_align_right (OhCliTable *table,
                                      guint       column);
void        oh_cli_table_add         (OhCliTable *table,
                                      const char *text,
                                      const char *color);
void        oh_cli_table_add_state   (OhCliTable *table,
                                      const char *state);
void        oh_cli_table_print       (OhCliTable *table);
void        oh_cli_table_free        (OhCliTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhCliTable, oh_cli_table_free)

/* Watching: a main loop until SIGINT or SIGTERM */
typedef enum {
  OH_CLI_EVENT_EXISTING,
  OH_CLI_EVENT_ADDED,
  OH_CLI_EVENT_CHANGED,
  OH_CLI_EVENT_REMOVED,
} OhCliEvent;

typedef void (*OhCliObjectFunc) (OhCli             *cli,
                                 OhCliEvent         event,
                                 GDBusObject       *object,
                                 const char *const *changed,
                                 gpointer           user_data);

const char *oh_cli_event_name  (OhCliEvent event);
const char *oh_cli_event_label (OhCliEvent event);
void oh_cli_loop_prepare  (OhCli           *cli);
int  oh_cli_loop_run      (OhCli           *cli);
void oh_cli_clear         (OhCli           *cli);
void oh_cli_quit_loop     (OhCli           *cli,
                           int              status);
int  oh_cli_watch_objects (OhCli           *cli,
                           const char      *interface,
                           OhCliObjectFunc  func,
                           gpointer         user_data);
char **oh_cli_json_keys   (GVariant        *changed_properties);
void oh_cli_print_event_json (OhCliEvent         event,
                              const char        *kind,
                              JsonNode          *object,
                              const char *const *changed);

/* The commands, one file per group */
int oh_cli_cmd_status     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_login      (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_logout     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_connect    (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_disconnect (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_users      (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_sessions   (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_history    (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_call       (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_calls      (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_answer     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_reject     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_hangup     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_hold       (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_unhold     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_transfer   (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_dtmf       (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_mute       (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_unmute     (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_chat       (OhCli *cli, int argc, char **argv);
int oh_cli_cmd_monitor    (OhCli *cli, int argc, char **argv);

G_END_DECLS
