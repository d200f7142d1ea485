/* oh-credentials.h: the account password, in the Secret Service only
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     oh_credentials_store_async   (const char          *server,
                                       const char          *username,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean oh_credentials_store_finish  (GAsyncResult  *result,
                                       GError       **error);
void     oh_credentials_lookup_async  (const char          *server,
                                       const char          *username,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* Returns: (transfer full): the password in non-pageable memory, to be
 * freed with oh_credentials_free_password(); NULL with an error when
 * nothing is stored or the Secret Service is unavailable. */
char    *oh_credentials_lookup_finish (GAsyncResult  *result,
                                       GError       **error);
void     oh_credentials_clear_async   (const char          *server,
                                       const char          *username,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean oh_credentials_clear_finish  (GAsyncResult  *result,
                                       GError       **error);
void     oh_credentials_free_password (char *password);

G_END_DECLS
