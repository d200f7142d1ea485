/* oh-session.h: one call anywhere on the PBX (the operator's view)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "oh-model.h"

G_BEGIN_DECLS

typedef enum {
  OH_SESSION_STATE_SETUP,
  OH_SESSION_STATE_RINGING,
  OH_SESSION_STATE_IN_CALL,
  OH_SESSION_STATE_ON_HOLD,
  OH_SESSION_STATE_COMPLETED,
} OhSessionState;

const char *oh_session_state_to_string (OhSessionState state);

#define OH_TYPE_SESSION (oh_session_get_type ())
G_DECLARE_FINAL_TYPE (OhSession, oh_session, OH, SESSION, GObject)

OhSession      *oh_session_new              (const char *id,
                                             gint64      start_time);

const char     *oh_session_get_id           (OhSession *self);
OhSessionState  oh_session_get_state        (OhSession *self);
const char     *oh_session_get_caller       (OhSession *self);
const char     *oh_session_get_caller_name  (OhSession *self);
const char     *oh_session_get_callee       (OhSession *self);
const char     *oh_session_get_callee_name  (OhSession *self);
gint64          oh_session_get_start_time   (OhSession *self);
gint64          oh_session_get_answer_time  (OhSession *self);
const char *const *oh_session_get_users     (OhSession *self);
const char *const *oh_session_get_channels  (OhSession *self);

void            oh_session_set_state        (OhSession     *self,
                                             OhSessionState state);
void            oh_session_set_caller       (OhSession  *self,
                                             const char *number,
                                             const char *name);
void            oh_session_set_callee       (OhSession  *self,
                                             const char *number,
                                             const char *name);
void            oh_session_set_answer_time  (OhSession *self,
                                             gint64     answer_time);
gboolean        oh_session_add_user         (OhSession  *self,
                                             const char *user_id);
gboolean        oh_session_remove_user      (OhSession  *self,
                                             const char *user_id);
gboolean        oh_session_add_channel      (OhSession  *self,
                                             const char *channel_id);
gboolean        oh_session_remove_channel   (OhSession  *self,
                                             const char *channel_id);
void            oh_session_set_observer     (OhSession      *self,
                                             OhModelObserver observer,
                                             gpointer        data);

G_END_DECLS
