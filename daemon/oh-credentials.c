/* oh-credentials.c: the account password, in the Secret Service only
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "oh-credentials.h"
#include "oh-error.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.offhook.Offhook1.Password", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
set_secret_error (GError    **error,
                  const char *what,
                  GError     *cause)
{
  g_set_error (error, OH_ERROR, OH_ERROR_FAILED, "%s: %s", what,
               cause ? cause->message : _("no Secret Service"));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      GError *wrapped = NULL;

      set_secret_error (&wrapped, _("Cannot store the password in the keyring"), error);
      g_task_return_error (task, wrapped);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * oh_credentials_store_async:
 *
 * Stores @password for @username on @server in the default keyring.
 */
void
oh_credentials_store_async (const char          *server,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *label = g_strdup_printf (_("Offhook password for %s on %s"),
                                            username, server);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, oh_credentials_store_async);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_stored, task,
                         "server", server, "username", username, NULL);
}

gboolean
oh_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error)
    {
      GError *wrapped = NULL;

      set_secret_error (&wrapped, _("Cannot read the password from the keyring"), error);
      g_task_return_error (task, wrapped);
    }
  else if (password == NULL)
    g_task_return_new_error (task, OH_ERROR, OH_ERROR_NOT_FOUND, "%s",
                             _("The keyring holds no password for this account; log in again"));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
oh_credentials_lookup_async (const char          *server,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, oh_credentials_lookup_async);
  secret_password_lookup (get_schema (), cancellable, on_looked_up, task,
                                      "server", server, "username", username, NULL);
}

char *
oh_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error)
    {
      GError *wrapped = NULL;

      set_secret_error (&wrapped, _("Cannot remove the password from the keyring"), error);
      g_task_return_error (task, wrapped);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
oh_credentials_clear_async (const char          *server,
                            const char          *username,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, oh_credentials_clear_async);
  secret_password_clear (get_schema (), cancellable, on_cleared, task,
                         "server", server, "username", username, NULL);
}

gboolean
oh_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
oh_credentials_free_password (char *password)
{
  secret_password_free (password);
}
