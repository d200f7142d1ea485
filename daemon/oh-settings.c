/* oh-settings.c: the account's settings (everything but the password)
 *
 * A keyfile under $XDG_CONFIG_HOME/offhook/, written atomically with mode
 * 0600. The password is never part of it: it lives in the Secret Service.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "oh-error.h"
#include "oh-settings.h"

#define GROUP_ACCOUNT "Account"
#define GROUP_AUDIO "Audio"
#define GROUP_CALLS "Calls"
#define MAX_FIELD_LENGTH 256

OhSettings *
oh_settings_new (void)
{
  OhSettings *settings = g_new0 (OhSettings, 1);

  settings->tls_verify = TRUE;
  return settings;
}

void
oh_settings_free (OhSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->server);
  g_free (settings->username);
  g_free (settings->extension);
  g_free (settings->application);
  g_free (settings->directory);
  g_free (settings->audio_source);
  g_free (settings->audio_sink);
  g_free (settings);
}

OhSettings *
oh_settings_copy (const OhSettings *settings)
{
  OhSettings *copy = oh_settings_new ();

  copy->server = g_strdup (settings->server);
  copy->username = g_strdup (settings->username);
  copy->extension = g_strdup (settings->extension);
  copy->application = g_strdup (settings->application);
  copy->tls_verify = settings->tls_verify;
  copy->directory = g_strdup (settings->directory);
  copy->audio_source = g_strdup (settings->audio_source);
  copy->audio_sink = g_strdup (settings->audio_sink);
  copy->missed_acknowledged = settings->missed_acknowledged;
  return copy;
}

char *
oh_settings_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "offhook", "account.conf", NULL);
}

static char *
get_string (GKeyFile   *file,
            const char *group,
            const char *key)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  return value && *value ? g_steal_pointer (&value) : NULL;
}

OhSettings *
oh_settings_load (const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(OhSettings) settings = oh_settings_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _("Cannot read the settings in %s: %s"), path, local_error->message);
      return NULL;
    }

  settings->server = get_string (file, GROUP_ACCOUNT, "Server");
  settings->username = get_string (file, GROUP_ACCOUNT, "Username");
  settings->extension = get_string (file, GROUP_ACCOUNT, "Extension");
  settings->application = get_string (file, GROUP_ACCOUNT, "Application");
  settings->directory = get_string (file, GROUP_ACCOUNT, "Directory");
  settings->audio_source = get_string (file, GROUP_AUDIO, "Source");
  settings->audio_sink = get_string (file, GROUP_AUDIO, "Sink");
  settings->missed_acknowledged = g_key_file_get_int64 (file, GROUP_CALLS, "MissedAcknowledged", NULL);
  if (g_key_file_has_key (file, GROUP_ACCOUNT, "TlsVerify", NULL))
    settings->tls_verify = g_key_file_get_boolean (file, GROUP_ACCOUNT, "TlsVerify", NULL);

  if (!oh_settings_check_server (settings->server, &local_error) ||
      !oh_settings_check_username (settings->username, &local_error))
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED,
                   _("The settings in %s are not valid: %s"), path, local_error->message);
      return NULL;
    }
  if (settings->application == NULL)
    settings->application = oh_settings_default_application (settings->username);

  return g_steal_pointer (&settings);
}

static void
set_string (GKeyFile   *file,
            const char *group,
            const char *key,
            const char *value)
{
  if (value && *value)
    g_key_file_set_string (file, group, key, value);
}

gboolean
oh_settings_save (const OhSettings *settings,
                  const char       *path,
                  GError          **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  set_string (file, GROUP_ACCOUNT, "Server", settings->server);
  set_string (file, GROUP_ACCOUNT, "Username", settings->username);
  set_string (file, GROUP_ACCOUNT, "Extension", settings->extension);
  set_string (file, GROUP_ACCOUNT, "Application", settings->application);
  g_key_file_set_boolean (file, GROUP_ACCOUNT, "TlsVerify", settings->tls_verify);
  set_string (file, GROUP_ACCOUNT, "Directory", settings->directory);
  set_string (file, GROUP_AUDIO, "Source", settings->audio_source);
  set_string (file, GROUP_AUDIO, "Sink", settings->audio_sink);
  if (settings->missed_acknowledged > 0)
    g_key_file_set_int64 (file, GROUP_CALLS, "MissedAcknowledged", settings->missed_acknowledged);
  data = g_key_file_to_data (file, &length, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _("Cannot save the settings: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
oh_settings_delete (const char  *path,
                    GError     **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, OH_ERROR, OH_ERROR_FAILED, _("Cannot delete %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s < 0x20 || *s == 0x7f)
      return TRUE;
  return FALSE;
}

gboolean
oh_settings_check_server (const char  *server,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (server == NULL || *server == '\0')
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The server address is empty"));
      return FALSE;
    }
  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || strlen (server) > MAX_FIELD_LENGTH || has_control_chars (server) ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL ||
      (*g_uri_get_path (uri) != '\0' && !g_str_equal (g_uri_get_path (uri), "/")))
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address; use http://HOST:PORT or https://HOST:PORT"),
                   server);
      return FALSE;
    }
  return TRUE;
}

gboolean
oh_settings_check_name (const char  *what,
                        const char  *value,
                        GError     **error)
{
  if (value == NULL || *value == '\0' || strlen (value) > MAX_FIELD_LENGTH ||
      has_control_chars (value) || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                   _("The %s is empty, too long or contains control characters"), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
oh_settings_check_username (const char  *username,
                            GError     **error)
{
  if (!oh_settings_check_name (_("user name"), username, error))
    return FALSE;
  if (strchr (username, ':'))
    {
      g_set_error_literal (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                           _("The user name must not contain “:”"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_token (const char *value)
{
  if (value == NULL || *value == '\0' || strlen (value) > 64)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
check_token (const char  *what,
             const char  *value,
             GError     **error)
{
  /* Extensions and application names end up in ARI paths, dial plan
   * locations and Stasis arguments: allow only a safe alphabet. */
  if (is_token (value))
    return TRUE;
  g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
               _("The %s “%s” may only contain letters, digits, “-”, “_” and “.”"),
               what, value ? value : "");
  return FALSE;
}

gboolean
oh_settings_apply_options (OhSettings  *settings,
                           GVariant    *options,
                           GError     **error)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (options);
  GVariantIter iter;
  const char *key;
  GVariant *next;

  /* _next, not _loop: leaving _loop early (on an error) leaks. */
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &next))
    {
      g_autoptr(GVariant) value = next;
      const char *type = NULL;

      if (g_str_equal (key, "extension") || g_str_equal (key, "application") ||
          g_str_equal (key, "directory"))
        type = "s";
      else if (g_str_equal (key, "tls-verify"))
        type = "b";

      if (type == NULL)
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("Unknown option “%s”"), key);
          return FALSE;
        }
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
        {
          g_set_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT,
                       _("The option “%s” must be of type “%s”"), key, type);
          return FALSE;
        }

      if (g_str_equal (key, "extension"))
        {
          if (!check_token (_("extension"), g_variant_get_string (value, NULL), error))
            return FALSE;
          g_free (settings->extension);
          settings->extension = g_variant_dup_string (value, NULL);
        }
      else if (g_str_equal (key, "application"))
        {
          if (!check_token (_("application name"), g_variant_get_string (value, NULL), error))
            return FALSE;
          g_free (settings->application);
          settings->application = g_variant_dup_string (value, NULL);
        }
      else if (g_str_equal (key, "directory"))
        {
          if (!oh_settings_check_name (_("directory"), g_variant_get_string (value, NULL), error))
            return FALSE;
          g_free (settings->directory);
          settings->directory = g_variant_dup_string (value, NULL);
        }
      else
        settings->tls_verify = g_variant_get_boolean (value);
    }
  return TRUE;
}

char *
oh_settings_default_application (const char *username)
{
  GString *name = g_string_new ("offhook-");

  for (const char *p = username; p && *p; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '_');
  return g_string_free (name, FALSE);
}
