/* oh-user-list.h: every user of the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "oh-user.h"

G_BEGIN_DECLS

#define OH_TYPE_USER_LIST (oh_user_list_get_type ())
G_DECLARE_FINAL_TYPE (OhUserList, oh_user_list, OH, USER_LIST, GObject)

OhUserList *oh_user_list_new              (void);
guint       oh_user_list_get_n_users      (OhUserList *self);
OhUser     *oh_user_list_lookup           (OhUserList *self,
                                           const char *id);
OhUser     *oh_user_list_lookup_extension (OhUserList *self,
                                           const char *extension);
OhUser     *oh_user_list_lookup_name      (OhUserList *self,
                                           const char *name);
/* Adds @user (the list takes a reference) and emits ::user-added. */
void        oh_user_list_add              (OhUserList *self,
                                           OhUser     *user);
/* Emits ::user-removed, then drops the user. */
gboolean    oh_user_list_remove           (OhUserList *self,
                                           const char *id);
void        oh_user_list_remove_all       (OhUserList *self);
/* Returns: (transfer container): the users, in no particular order. */
GPtrArray  *oh_user_list_dup_users        (OhUserList *self);

G_END_DECLS
