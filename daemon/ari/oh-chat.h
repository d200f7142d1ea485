/* oh-chat.h: instant messages between the user and the devices of others
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "model/oh-account.h"
#include "model/oh-user-list.h"
#include "oh-pbx.h"
#include "store/oh-store.h"

G_BEGIN_DECLS

/* Longest message body, in bytes of UTF-8. */
#define OH_CHAT_MAX_BODY 4096

#define OH_TYPE_CHAT (oh_chat_get_type ())
G_DECLARE_FINAL_TYPE (OhChat, oh_chat, OH, CHAT, GObject)

/**
 * OhChat::message-received:
 * @message: (type gpointer): the #OhStoredMessage, stored
 *
 * OhChat::message-sent:
 * @message: (type gpointer): the #OhStoredMessage, stored
 *
 * OhChat::unread-changed:
 */

OhChat     *oh_chat_new                (OhPbx      *pbx,
                                        OhAccount  *account,
                                        OhUserList *users);
/* The store may come later (it opens when the daemon starts). */
void        oh_chat_set_store          (OhChat  *self,
                                        OhStore *store);

/* A body is 1 to 4096 bytes of UTF-8 without control characters other
 * than newline and tab. */
gboolean    oh_chat_validate_body      (const char  *body,
                                        GError     **error);

void        oh_chat_send_async         (OhChat              *self,
                                        const char          *to,
                                        const char          *body,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* Returns: the stored message's id. */
char       *oh_chat_send_finish        (OhChat        *self,
                                        GAsyncResult  *result,
                                        GError       **error);
/* Returns: (transfer container): OhStoredMessage*, newest first. */
GPtrArray  *oh_chat_conversation       (OhChat      *self,
                                        const char  *peer,
                                        GVariant    *options,
                                        GError     **error);
gboolean    oh_chat_mark_read          (OhChat      *self,
                                        const char  *peer,
                                        GError     **error);
/* Returns: (transfer full): peer → count of unread incoming messages. */
GHashTable *oh_chat_dup_unread         (OhChat *self);

G_END_DECLS
