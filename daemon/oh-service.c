/* oh-service.c: what the daemon does, independent of how it is exported
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook"

#include <glib/gi18n.h>

#include "oh-error.h"
#include "oh-service.h"

struct _OhService
{
  GObject parent_instance;

  OhAccount *account;
};

G_DEFINE_FINAL_TYPE (OhService, oh_service, G_TYPE_OBJECT)

static void
oh_service_dispose (GObject *object)
{
  OhService *self = OH_SERVICE (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (oh_service_parent_class)->dispose (object);
}

static void
oh_service_class_init (OhServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = oh_service_dispose;
}

static void
oh_service_init (OhService *self)
{
  self->account = oh_account_new ();
}

OhService *
oh_service_new (void)
{
  return g_object_new (OH_TYPE_SERVICE, NULL);
}

/**
 * oh_service_get_account:
 *
 * Returns: (transfer none): the account model.
 */
OhAccount *
oh_service_get_account (OhService *self)
{
  g_return_val_if_fail (OH_IS_SERVICE (self), NULL);
  return self->account;
}

gboolean
oh_service_login (OhService   *self,
                  const char  *server,
                  const char  *username,
                  const char  *password,
                  GVariant    *options,
                  GError     **error)
{
  g_set_error_literal (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                       _("Connecting to a PBX is not implemented yet"));
  return FALSE;
}

gboolean
oh_service_connect (OhService  *self,
                    GError    **error)
{
  g_set_error_literal (error, OH_ERROR, OH_ERROR_NOT_SUPPORTED,
                       _("Connecting to a PBX is not implemented yet"));
  return FALSE;
}

gboolean
oh_service_disconnect (OhService  *self,
                       GError    **error)
{
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_DISCONNECTED);
  return TRUE;
}

gboolean
oh_service_logout (OhService  *self,
                   GError    **error)
{
  oh_account_set_state (self->account, OH_ACCOUNT_STATE_DISCONNECTED);
  return TRUE;
}
