/* oh-session-list.h: every live call on the PBX
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "oh-session.h"

G_BEGIN_DECLS

#define OH_TYPE_SESSION_LIST (oh_session_list_get_type ())
G_DECLARE_FINAL_TYPE (OhSessionList, oh_session_list, OH, SESSION_LIST, GObject)

OhSessionList *oh_session_list_new        (void);
guint          oh_session_list_get_size   (OhSessionList *self);
OhSession     *oh_session_list_lookup     (OhSessionList *self,
                                           const char    *id);
/* Takes a reference; emits ::session-added. */
void           oh_session_list_add        (OhSessionList *self,
                                           OhSession     *session);
/* Emits ::session-removed, then drops the session. */
gboolean       oh_session_list_remove     (OhSessionList *self,
                                           const char    *id);
/* Returns: (transfer container): the sessions, in no particular order. */
GPtrArray     *oh_session_list_dup_all    (OhSessionList *self);

G_END_DECLS
