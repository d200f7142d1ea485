/* oh-settings.h: the account's settings (everything but the password)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *server;        /* "https://pbx.example.com:8089" */
  char     *username;      /* ARI user */
  char     *extension;     /* the user's own extension */
  char     *application;   /* ARI application name */
  gboolean  tls_verify;
  char     *directory;     /* company directory: file path or https URL */
  char     *audio_source;  /* GStreamer bin description, or NULL */
  char     *audio_sink;
  gint64    missed_acknowledged;  /* µs; missed calls before it are seen */
} OhSettings;

OhSettings *oh_settings_new          (void);
void        oh_settings_free         (OhSettings *settings);
OhSettings *oh_settings_copy         (const OhSettings *settings);
/* The file they live in: $XDG_CONFIG_HOME/offhook/account.conf */
char       *oh_settings_get_path     (void);
/* Returns NULL with no error when there is no file. */
OhSettings *oh_settings_load         (const char  *path,
                                      GError     **error);
gboolean    oh_settings_save         (const OhSettings *settings,
                                      const char       *path,
                                      GError          **error);
gboolean    oh_settings_delete       (const char  *path,
                                      GError     **error);

/* Validation of what clients send; errors are OH_ERROR_INVALID_ARGUMENT. */
gboolean    oh_settings_check_server   (const char  *server,
                                        GError     **error);
gboolean    oh_settings_check_username (const char  *username,
                                        GError     **error);
gboolean    oh_settings_check_name     (const char  *what,
                                        const char  *value,
                                        GError     **error);
/* Applies Login()'s a{sv} options; unknown keys or wrong types are errors. */
gboolean    oh_settings_apply_options  (OhSettings  *settings,
                                        GVariant    *options,
                                        GError     **error);
/* "offhook-" + the user name, reduced to characters ARI app names allow. */
char       *oh_settings_default_application (const char *username);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OhSettings, oh_settings_free)

G_END_DECLS
